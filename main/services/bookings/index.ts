// The desk's booking actions (make, change, pay, transfer).
export { findCaller } from './caller'
export { createBooking } from './create'
export { getBooking } from './detail'
export { setBookingStatus } from './status'
export { addPayment } from './payments'
export { previewTransfer, transferBooking } from './transfer'
export { quoteBooking } from './pricing'
// Who does a booking, and the bookings of the one signed in.
export { assignBooking } from './assign'
export { myBookings } from './mine'
// What the profile shows about a customer's bookings and money.
export { listCustomerBookings, bookingWarnings, customerInvoices, customerActivity } from './customerMoney'
// The Bookings page and finding a booking by its reference or a receipt number.
export { listBookings, findBooking } from './list'
// Everything that moved a customer's balance, for statements.
export { customerLedger, type LedgerBooking, type LedgerLine, type LedgerMoney } from './ledger'
