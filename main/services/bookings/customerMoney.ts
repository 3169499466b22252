import type { z } from 'zod'
import type { BookingListPage, BookingWarnings, listCustomerBookingsInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { assertCustomerExists } from './customerTotals'
import { BOOKING_ROW_COLUMNS, assigneeNames, toBookingRow, type BookingRecord } from './rows'
import { decodePosition, sessionOrderPage } from './keyset'
import { LIST_ROW_COLUMNS, toListRows, type ListRowRecord } from './listRows'

export { customerInvoices } from './invoices'
export { customerActivity } from './activity'

type BookingRowRecord = Pick<BookingRecord, (typeof BOOKING_ROW_COLUMNS)[number]>

/**
 * The Bookings tab, a page at a time from a keyset position (any number of
 * bookings), plan orders left out. Upcoming runs soonest first (what the
 * caller asks about); the other views run latest first, bookings without a
 * session last. "Now" is the injected clock, so a booking moves from upcoming
 * to past at its first session's start.
 */
export async function listCustomerBookings(ctx: ServiceContext, input: z.output<typeof listCustomerBookingsInput>): Promise<BookingListPage> {
  await assertCustomerExists(ctx.db, input.customerId)
  const now = ctx.clock().toISOString()
  const query = () => {
    const q = ctx.db('bookings as b').where('b.customer_id', input.customerId).whereNull('b.plan_id').select(LIST_ROW_COLUMNS)
    if (input.filter === 'upcoming') q.whereNot('b.status', 'cancelled').where('b.starts_at', '>=', now)
    else if (input.filter === 'past') q.whereNot('b.status', 'cancelled').where('b.starts_at', '<', now)
    else if (input.filter === 'cancelled') q.where('b.status', 'cancelled')
    else if (input.filter === 'appointments') q.where('b.kind', 'appointment')
    return q
  }
  const page = await sessionOrderPage<ListRowRecord>({
    query,
    startsAt: 'b.starts_at',
    id: 'b.id',
    order: input.filter === 'upcoming' ? 'asc' : 'desc',
    undated: input.filter !== 'upcoming' && input.filter !== 'past',
    after: decodePosition(input.after),
    limit: input.limit,
  })
  return { rows: await toListRows(ctx.db, page.rows), next: page.next }
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
      .whereNull('plan_id')
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
  const assignees = await assigneeNames(ctx.db, [...(future as BookingRowRecord[]), ...(unpaid as BookingRowRecord[])])
  return { future: (future as BookingRowRecord[]).map((r) => toBookingRow(r, assignees)), unpaid: (unpaid as BookingRowRecord[]).map((r) => toBookingRow(r, assignees)) }
}
