import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { NotFound } from '../errors'
import { formatBookingReference, outstandingOf, summarise } from './derivedValues'
import type { BookingRecord } from './rows'

/**
 * Inserts an order (a booking, or a plan's sale or collection) with its
 * reference, B-000123, made from its id in the same transaction.
 */
export async function insertOrder(trx: Knex, columns: Record<string, unknown>): Promise<{ id: number; reference: string }> {
  // A unique stand-in until the id is known.
  const [row] = (await trx('bookings').insert({ ...columns, reference: `new-${randomUUID()}` }).returning('id')) as Array<{ id: number }>
  const reference = formatBookingReference(row!.id)
  await trx('bookings').where({ id: row!.id }).update({ reference })
  return { id: row!.id, reference }
}

export async function loadBookingRecord(db: Knex, id: number): Promise<BookingRecord> {
  const row = (await db('bookings').where({ id }).first()) as BookingRecord | undefined
  if (!row) throw new NotFound(`Booking ${formatBookingReference(id)} does not exist.`)
  return row
}

/**
 * Recomputes what the bookings row keeps for lists (total, paid, outstanding,
 * first start, summary, kind) from its lines and payments. Every service that
 * changes lines, payments or status calls this in the same transaction, so the
 * row never disagrees with them.
 */
export async function refreshBookingTotals(trx: Knex, bookingId: number, now: Date): Promise<BookingRecord> {
  const booking = await loadBookingRecord(trx, bookingId)
  // Left joins: a plan's line (its sale or a collection) has no session.
  const lines = (await trx('booking_lines as l')
    .leftJoin('catalogue_sessions as s', 's.id', 'l.session_id')
    .leftJoin('catalogue_items as i', 'i.id', 's.item_id')
    .where('l.booking_id', bookingId)
    .orderBy('l.id')
    .select('l.quantity', 'l.total_minor', 'l.description', 's.starts_at', 'i.name as item_name', 'i.kind as item_kind')) as Array<{
    quantity: number
    total_minor: number
    description: string
    starts_at: string | null
    item_name: string | null
    item_kind: string | null
  }>
  const money = (await trx('payments')
    .where({ booking_id: bookingId })
    .select('kind')
    .sum({ amount: 'amount_minor' })
    .groupBy('kind')) as Array<{ kind: 'payment' | 'refund'; amount: number | string | null }>
  const paid = money.reduce((sum, m) => sum + (m.kind === 'payment' ? 1 : -1) * Number(m.amount ?? 0), 0)
  const total = lines.reduce((sum, l) => sum + l.total_minor, 0)
  const startsAt = lines.flatMap((l) => (l.starts_at === null ? [] : [l.starts_at])).sort()[0] ?? null
  const changes = {
    total_minor: total,
    paid_minor: paid,
    outstanding_minor: outstandingOf(booking.status, total, paid),
    starts_at: startsAt,
    summary: summarise(lines.map((l) => ({ itemName: l.item_name ?? l.description, quantity: l.quantity }))),
    kind: lines.some((l) => l.item_kind === 'appointment') ? ('appointment' as const) : ('booking' as const),
    updated_at: now.toISOString(),
  }
  await trx('bookings').where({ id: bookingId }).update(changes)
  return { ...booking, ...changes }
}
