// The desk's booking actions (make, change, pay, transfer).
export { findCaller, createBooking, getBooking, setBookingStatus, addPayment, previewTransfer, transferBooking } from './desk'
// What the profile shows about a customer's bookings and money.
export { listCustomerBookings, bookingWarnings, customerInvoices, customerActivity } from './customerMoney'
