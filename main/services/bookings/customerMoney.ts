import type { z } from 'zod'
import type {
  activityInput,
  addPaymentInput,
  BookingDetail,
  BookingRow,
  BookingWarnings,
  CallerMatch,
  createBookingInput,
  CreateBookingResult,
  CustomerActivity,
  CustomerInvoices,
  listCustomerBookingsInput,
  setBookingStatusInput,
  transferBookingInput,
  TransferQuote,
  TransferResult,
} from '../../../preload/contract'
import type { ServiceContext } from '../context'

const notBuilt = (): never => {
  throw new Error('Not built yet')
}

export async function listCustomerBookings(_ctx: ServiceContext, _input: z.output<typeof listCustomerBookingsInput>): Promise<BookingRow[]> {
  return notBuilt()
}
export async function bookingWarnings(_ctx: ServiceContext, _customerId: number): Promise<BookingWarnings> {
  return notBuilt()
}
export async function customerInvoices(_ctx: ServiceContext, _customerId: number): Promise<CustomerInvoices> {
  return notBuilt()
}
export async function customerActivity(_ctx: ServiceContext, _input: z.output<typeof activityInput>): Promise<CustomerActivity> {
  return notBuilt()
}
