import type { z } from 'zod'
import type { BookingListPage, BookingMatch, listBookingsInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { startOfDay } from '../calendarDay'
import { decodePosition, sessionOrderPage } from './keyset'
import { LIST_ROW_COLUMNS, toListRows, type ListRowRecord } from './listRows'
import { formatBookingReference } from './derivedValues'
import { formatReceiptNumber } from './rows'

type ListBookingsInput = z.output<typeof listBookingsInput>

/**
 * The Bookings page: every booking, plan orders left out, in session order
 * (newest first unless asked), filtered, a page at a time from a keyset
 * position. Which index the walk runs on follows from the filters (see the
 * bookings_list migration): an item's bookings from their own table, else the
 * bookings' index leading with the status, the source, owing, or none. Each
 * carries the other filters' columns, so rows that do not match are skipped
 * inside the index.
 */
export async function listBookings(ctx: ServiceContext, input: ListBookingsInput): Promise<BookingListPage> {
  const after = decodePosition(input.after)
  const byItem = input.itemId !== null
  // Column names in the table the walk runs on: an item's rows (x) carry the booking's list columns.
  const t = byItem ? 'x' : 'b'
  const startsAt = `${t}.starts_at`
  const id = byItem ? 'x.booking_id' : 'b.id'
  const query = () => {
    const q = byItem
      ? ctx.db('booking_list_items as x').join('bookings as b', 'b.id', 'x.booking_id').where('x.item_id', input.itemId!)
      : ctx.db('bookings as b').whereNull('b.plan_id')
    if (input.status) q.where(`${t}.status`, input.status)
    if (input.source) q.where(`${t}.source`, input.source)
    // Written out (not bound) so it matches the owing index's condition.
    if (input.owing) q.whereRaw(`${t}.outstanding_minor > 0`)
    if (input.from) q.where(startsAt, '>=', startOfDay(input.from))
    if (input.to) q.where(startsAt, '<', startOfDay(input.to, 1))
    return q.select(LIST_ROW_COLUMNS)
  }
  const page = await sessionOrderPage<ListRowRecord>({
    query,
    startsAt,
    id,
    order: input.order === 'newest' ? 'desc' : 'asc',
    undated: input.from === null && input.to === null,
    after,
    limit: input.limit,
  })
  return { rows: await toListRows(ctx.db, page.rows), next: page.next }
}

/**
 * What the desk types to find a booking: its reference (B-000123, b123, b 123,
 * or an imported booking's own reference as printed), a receipt number
 * (R-000042, r42), or bare digits, read as a booking number. Null when
 * nothing matches.
 */
export async function findBooking(ctx: ServiceContext, query: string): Promise<BookingMatch | null> {
  const text = query.trim()
  if (!text) return null
  const receipt = /^r[-\s]?0*(\d{1,15})$/i.exec(text)
  if (receipt) {
    const paymentId = Number(receipt[1])
    if (!Number.isSafeInteger(paymentId) || paymentId < 1) return null
    const payment = (await ctx.db('payments').where({ id: paymentId }).first('booking_id')) as { booking_id: number } | undefined
    if (!payment) return null
    return matchOf(ctx, 'receipt', formatReceiptNumber(paymentId), payment.booking_id)
  }
  const numbered = /^(?:b[-\s]?)?0*(\d{1,15})$/i.exec(text)
  const candidates = [text, text.toUpperCase()]
  if (numbered) {
    const n = Number(numbered[1])
    if (Number.isSafeInteger(n) && n > 0) candidates.unshift(formatBookingReference(n))
  }
  for (const reference of new Set(candidates)) {
    const row = (await ctx.db('bookings').where({ reference }).first('id')) as { id: number } | undefined
    if (row) return matchOf(ctx, 'reference', reference, row.id)
  }
  return null
}

async function matchOf(ctx: ServiceContext, matchedBy: BookingMatch['matchedBy'], number: string, bookingId: number): Promise<BookingMatch | null> {
  const records = (await ctx.db('bookings as b').where('b.id', bookingId).select(LIST_ROW_COLUMNS)) as ListRowRecord[]
  const [booking] = await toListRows(ctx.db, records)
  return booking ? { matchedBy, number, booking } : null
}
