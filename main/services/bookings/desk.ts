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

export async function findCaller(_ctx: ServiceContext, _query: string): Promise<CallerMatch> {
  return notBuilt()
}
export async function createBooking(_ctx: ServiceContext, _input: z.output<typeof createBookingInput>): Promise<CreateBookingResult> {
  return notBuilt()
}
export async function getBooking(_ctx: ServiceContext, _id: number): Promise<BookingDetail> {
  return notBuilt()
}
export async function setBookingStatus(_ctx: ServiceContext, _input: z.output<typeof setBookingStatusInput>): Promise<BookingDetail> {
  return notBuilt()
}
export async function addPayment(_ctx: ServiceContext, _input: z.output<typeof addPaymentInput>): Promise<BookingDetail> {
  return notBuilt()
}
export async function previewTransfer(_ctx: ServiceContext, _input: z.output<typeof transferBookingInput>): Promise<TransferQuote> {
  return notBuilt()
}
export async function transferBooking(_ctx: ServiceContext, _input: z.output<typeof transferBookingInput>): Promise<TransferResult> {
  return notBuilt()
}
