import type { Knex } from 'knex'
import type { BookingStatus, TenderType } from '../../../preload/contract'
import { chargeOf } from './derivedValues'

/** One line of a booking as charged: nothing on a cancelled booking, whatever it was sold for. */
export interface LedgerLine {
  description: string
  quantity: number
  /** The session's start (ISO UTC). */
  sessionStartsAt: string
  chargeMinor: number
}

export interface LedgerBooking {
  id: number
  reference: string
  status: BookingStatus
  currency: string
  /** When it was booked (ISO UTC): the day its charge falls on. */
  bookedAt: string
  /** What the whole booking charges (the row's own total under chargeOf). */
  chargeMinor: number
  /** What was booked, in a few words, for a booking without lines (some imported ones). */
  summary: string
  lines: LedgerLine[]
}

export interface LedgerMoney {
  id: number
  bookingId: number
  bookingReference: string
  currency: string
  kind: 'payment' | 'refund'
  amountMinor: number
  method: TenderType
  takenAt: string
  reference: string
}

/**
 * Everything that moved a customer's balance: every booking they hold with
 * what it charges, and every payment and refund on those bookings, oldest
 * first. The same rules as the booking rows' own totals (chargeOf), so
 * adding it all up to today gives the profile's money. Staff-only fields
 * (booking notes, who took the money) are not read.
 */
export async function customerLedger(db: Knex, customerId: number): Promise<{ bookings: LedgerBooking[]; money: LedgerMoney[] }> {
  const [lines, money] = await Promise.all([
    db('bookings as b')
      .leftJoin('booking_lines as l', 'l.booking_id', 'b.id')
      .leftJoin('catalogue_sessions as s', 's.id', 'l.session_id')
      .where('b.customer_id', customerId)
      .orderBy([{ column: 'b.created_at' }, { column: 'b.id' }, { column: 'l.id' }])
      .select(
        'b.id',
        'b.reference',
        'b.status',
        'b.currency',
        'b.created_at',
        'b.total_minor as booking_total',
        'b.summary',
        'l.id as line_id',
        'l.description',
        'l.quantity',
        'l.total_minor',
        's.starts_at',
      ) as Promise<
      Array<{
        id: number
        reference: string
        status: BookingStatus
        currency: string
        created_at: string
        booking_total: number
        summary: string
        line_id: number | null
        description: string | null
        quantity: number | null
        total_minor: number | null
        starts_at: string | null
      }>
    >,
    db('bookings as b')
      .join('payments as p', 'p.booking_id', 'b.id')
      .where('b.customer_id', customerId)
      .orderBy([{ column: 'p.taken_at' }, { column: 'p.id' }])
      .select('p.id', 'p.booking_id', 'b.reference as booking_reference', 'b.currency', 'p.kind', 'p.amount_minor', 'p.method', 'p.taken_at', 'p.reference') as Promise<
      Array<{
        id: number
        booking_id: number
        booking_reference: string
        currency: string
        kind: 'payment' | 'refund'
        amount_minor: number
        method: TenderType
        taken_at: string
        reference: string
      }>
    >,
  ])
  const bookings: LedgerBooking[] = []
  for (const row of lines) {
    let booking = bookings.at(-1)
    if (booking?.id !== row.id) {
      booking = {
        id: row.id,
        reference: row.reference,
        status: row.status,
        currency: row.currency,
        bookedAt: row.created_at,
        chargeMinor: chargeOf(row.status, row.booking_total),
        summary: row.summary,
        lines: [],
      }
      bookings.push(booking)
    }
    if (row.line_id === null) continue
    booking.lines.push({
      description: row.description ?? '',
      quantity: row.quantity ?? 0,
      sessionStartsAt: row.starts_at ?? '',
      chargeMinor: chargeOf(row.status, row.total_minor ?? 0),
    })
  }
  return {
    bookings,
    money: money.map((m) => ({
      id: m.id,
      bookingId: m.booking_id,
      bookingReference: m.booking_reference,
      currency: m.currency,
      kind: m.kind,
      amountMinor: m.amount_minor,
      method: m.method,
      takenAt: m.taken_at,
      reference: m.reference,
    })),
  }
}
