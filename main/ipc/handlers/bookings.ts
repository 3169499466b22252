import type { bookingsInputs } from '../../../preload/contract/schemas/bookings'
import * as bookings from '../../services/bookings'
import type { DomainHandlers } from './domain'

export function bookingsHandlers(): DomainHandlers<typeof bookingsInputs> {
  return {
    'bookings:findCaller': (ctx, { query }) => bookings.findCaller(ctx, query),
    'bookings:create': (ctx, input) => bookings.createBooking(ctx, input),
    'bookings:quote': (ctx, input) => bookings.quoteBooking(ctx, input),
    'bookings:get': (ctx, { id }) => bookings.getBooking(ctx, id),
    'bookings:listForCustomer': (ctx, input) => bookings.listCustomerBookings(ctx, input),
    'bookings:list': (ctx, input) => bookings.listBookings(ctx, input),
    'bookings:setStatus': (ctx, input) => bookings.setBookingStatus(ctx, input),
    'bookings:addPayment': (ctx, input) => bookings.addPayment(ctx, input),
    'bookings:previewTransfer': (ctx, input) => bookings.previewTransfer(ctx, input),
    'bookings:transfer': (ctx, input) => bookings.transferBooking(ctx, input),
    'bookings:warnings': (ctx, { customerId }) => bookings.bookingWarnings(ctx, customerId),
    'bookings:assign': (ctx, input) => bookings.assignBooking(ctx, input),
    'bookings:mine': (ctx, input) => bookings.myBookings(ctx, input),
    'customers:invoices': (ctx, { customerId }) => bookings.customerInvoices(ctx, customerId),
    'customers:activity': (ctx, input) => bookings.customerActivity(ctx, input),
  }
}
