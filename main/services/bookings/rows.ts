import type { Knex } from 'knex'
import type { BookingPayment, BookingRow, BookingSource, BookingStatus } from '../../../preload/contract'

/** A `bookings` table row as stored. */
export interface BookingRecord {
  id: number
  reference: string
  customer_id: number | null
  status: BookingStatus
  source: BookingSource
  kind: 'booking' | 'appointment'
  currency: string
  total_minor: number
  paid_minor: number
  outstanding_minor: number
  summary: string
  starts_at: string | null
  pass_id: number | null
  /** A home service: the customer's address it is done at. */
  address_id: number | null
  /** A plan's order (its sale or a subscription collection), not a booking of places. */
  plan_id: number | null
  /** A collection: the day it fell due, and when it failed (then it is owed). */
  collection_due_on: string | null
  collection_failed_at: string | null
  note: string
  created_at: string
  updated_at: string
  cancelled_at: string | null
  created_by_name: string
  /** Who does it; null: no one in particular. */
  assigned_staff_id: number | null
  /** Raised by every change of the row (db triggers). */
  version: number
}

/** Columns a BookingRow needs, for `select(...)` on `bookings` (alias-free). */
export const BOOKING_ROW_COLUMNS = [
  'id',
  'reference',
  'status',
  'source',
  'kind',
  'currency',
  'total_minor',
  'paid_minor',
  'outstanding_minor',
  'summary',
  'starts_at',
  'created_at',
  'assigned_staff_id',
] as const

export function formatReceiptNumber(paymentId: number): string {
  return `R-${String(paymentId).padStart(6, '0')}`
}

/** One invoice per booking, numbered after it. */
export function formatInvoiceNumber(bookingId: number): string {
  return `INV-${String(bookingId).padStart(6, '0')}`
}

/** The names of the staff bookings are assigned to (one look-up for a page of rows). */
export async function assigneeNames(db: Knex, rows: Array<{ assigned_staff_id: number | null }>): Promise<Map<number, string>> {
  const ids = [...new Set(rows.flatMap((r) => (r.assigned_staff_id === null ? [] : [r.assigned_staff_id])))]
  if (!ids.length) return new Map()
  const staff = (await db('staff').whereIn('id', ids).select('id', 'name')) as Array<{ id: number; name: string }>
  return new Map(staff.map((s) => [s.id, s.name]))
}

export function toBookingRow(row: Pick<BookingRecord, (typeof BOOKING_ROW_COLUMNS)[number]>, assignees: ReadonlyMap<number, string>): BookingRow {
  const assignee = row.assigned_staff_id === null ? undefined : assignees.get(row.assigned_staff_id)
  return {
    assignedTo: row.assigned_staff_id !== null && assignee !== undefined ? { id: row.assigned_staff_id, name: assignee } : null,
    id: row.id,
    reference: row.reference,
    createdAt: row.created_at,
    startsAt: row.starts_at,
    status: row.status,
    source: row.source,
    kind: row.kind,
    currency: row.currency,
    totalMinor: row.total_minor,
    paidMinor: row.paid_minor,
    outstandingMinor: row.outstanding_minor,
    summary: row.summary,
  }
}

/** A `payments` table row as stored. */
export interface PaymentRecord {
  id: number
  booking_id: number
  kind: BookingPayment['kind']
  amount_minor: number
  method: BookingPayment['method']
  taken_at: string
  reference: string
  staff_name: string
}

export function toBookingPayment(p: PaymentRecord): BookingPayment {
  return {
    id: p.id,
    kind: p.kind,
    amountMinor: p.amount_minor,
    method: p.method,
    takenAt: p.taken_at,
    reference: p.reference,
    staffName: p.staff_name,
    receiptNumber: formatReceiptNumber(p.id),
  }
}
