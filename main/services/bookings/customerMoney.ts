import type { z } from 'zod'
import type { BookingRow, BookingWarnings, listCustomerBookingsInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { assertCustomerExists } from './customerTotals'
import { BOOKING_ROW_COLUMNS, toBookingRow, type BookingRecord } from './rows'

export { customerInvoices } from './invoices'
export { customerActivity } from './activity'

type BookingRowRecord = Pick<BookingRecord, (typeof BOOKING_ROW_COLUMNS)[number]>

/**
 * The Bookings tab. Upcoming runs soonest first (what the caller asks about);
 * the other views run latest first. "Now" is the injected clock, so a booking
 * moves from upcoming to past at its first session's start.
 */
export async function listCustomerBookings(ctx: ServiceContext, input: z.output<typeof listCustomerBookingsInput>): Promise<BookingRow[]> {
  await assertCustomerExists(ctx.db, input.customerId)
  const now = ctx.clock().toISOString()
  const query = ctx.db('bookings').where('customer_id', input.customerId).select(BOOKING_ROW_COLUMNS).limit(input.limit)
  switch (input.filter) {
    case 'upcoming':
      query.whereNot('status', 'cancelled').where('starts_at', '>=', now).orderBy([{ column: 'starts_at' }, { column: 'id' }])
      break
    case 'past':
      query.whereNot('status', 'cancelled').where('starts_at', '<', now).orderBy([{ column: 'starts_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      break
    case 'cancelled':
      query.where('status', 'cancelled').orderBy([{ column: 'starts_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      break
    default:
      // Bookings without a session (none today, but imports may bring them) sort after dated ones.
      query.orderByRaw('starts_at IS NULL, starts_at DESC, id DESC')
  }
  return ((await query) as BookingRowRecord[]).map(toBookingRow)
}

/**
 * What a delete or archive dialog must mention: bookings still to come (not
 * cancelled) and bookings that still owe money. A booking can be in both.
 */
export async function bookingWarnings(ctx: ServiceContext, customerId: number): Promise<BookingWarnings> {
  await assertCustomerExists(ctx.db, customerId)
  const now = ctx.clock().toISOString()
  const [future, unpaid] = await Promise.all([
    ctx.db('bookings')
      .where('customer_id', customerId)
      .whereNot('status', 'cancelled')
      .where('starts_at', '>=', now)
      .orderBy([{ column: 'starts_at' }, { column: 'id' }])
      .select(BOOKING_ROW_COLUMNS),
    // Same condition as the bookings_owing index, so SQLite reads only owing rows.
    ctx.db('bookings')
      .where('customer_id', customerId)
      .where('outstanding_minor', '>', 0)
      .orderByRaw('starts_at IS NULL, starts_at, id')
      .select(BOOKING_ROW_COLUMNS),
  ])
  return { future: (future as BookingRowRecord[]).map(toBookingRow), unpaid: (unpaid as BookingRowRecord[]).map(toBookingRow) }
}
