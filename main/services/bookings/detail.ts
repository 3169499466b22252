import type { Knex } from 'knex'
import type { BookingDetail, BookingLine, BookingPayment } from '../../../preload/contract'
import { listEntityChanges } from '../changeLog'
import type { ServiceContext } from '../context'
import { bookingCustomers } from './caller'
import { assigneeNames, toBookingPayment, toBookingRow, type PaymentRecord } from './rows'
import { loadBookingRecord } from './totals'
import { loadBookingPlanOrder } from '../plans/orders'
import { loadAddresses } from './listRows'

interface LineRecord {
  id: number
  session_id: number
  item_id: number
  item_name: string
  item_kind: BookingLine['itemKind']
  price_option_id: number
  price_option_name: string
  starts_at: string
  ends_at: string
  location: string
  quantity: number
  unit_minor: number
  total_minor: number
  tax_minor: number
  tax_rate_bp: number
  covered_by_pass: number | boolean
}

export async function loadBookingLines(db: Knex, bookingId: number): Promise<BookingLine[]> {
  const rows = (await db('booking_lines as l')
    .join('catalogue_sessions as s', 's.id', 'l.session_id')
    .join('catalogue_items as i', 'i.id', 's.item_id')
    .join('price_options as o', 'o.id', 'l.price_option_id')
    .where('l.booking_id', bookingId)
    .orderBy('l.id')
    .select(
      'l.id',
      'l.session_id',
      'i.id as item_id',
      'i.name as item_name',
      'i.kind as item_kind',
      'l.price_option_id',
      'o.name as price_option_name',
      's.starts_at',
      's.ends_at',
      's.location',
      'l.quantity',
      'l.unit_minor',
      'l.total_minor',
      'l.tax_minor',
      'l.tax_rate_bp',
      'l.covered_by_pass',
    )) as LineRecord[]
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.session_id,
    itemId: r.item_id,
    itemName: r.item_name,
    itemKind: r.item_kind,
    priceOptionId: r.price_option_id,
    priceOptionName: r.price_option_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    location: r.location,
    quantity: r.quantity,
    unitMinor: r.unit_minor,
    totalMinor: r.total_minor,
    taxMinor: r.tax_minor,
    taxRateBp: r.tax_rate_bp,
    coveredByPass: Boolean(r.covered_by_pass),
  }))
}

export async function loadBookingPayments(db: Knex, bookingId: number): Promise<BookingPayment[]> {
  const rows = (await db('payments').where({ booking_id: bookingId }).orderBy('taken_at').orderBy('id').select('*')) as PaymentRecord[]
  return rows.map(toBookingPayment)
}

export async function loadBookingDetail(db: Knex, id: number): Promise<BookingDetail> {
  const booking = await loadBookingRecord(db, id)
  const [customers, lines, payments, pass, history, assignees] = await Promise.all([
    booking.customer_id === null ? Promise.resolve([]) : bookingCustomers(db, [booking.customer_id]),
    loadBookingLines(db, id),
    loadBookingPayments(db, id),
    booking.pass_id === null ? Promise.resolve(undefined) : (db('customer_plans').where({ id: booking.pass_id }).first('name') as Promise<{ name: string } | undefined>),
    // The booking's own log (made, paid, transferred, cancelled…).
    listEntityChanges(db, 'booking', id),
    assigneeNames(db, [booking]),
  ])
  return {
    ...toBookingRow(booking, assignees),
    version: Number(booking.version),
    note: booking.note,
    customer: customers[0] ?? null,
    lines,
    payments,
    passName: pass?.name ?? null,
    plan: await loadBookingPlanOrder(db, booking),
    address: booking.address_id === null ? null : ((await loadAddresses(db, [booking.address_id])).get(booking.address_id) ?? null),
    history,
  }
}

export async function getBooking(ctx: ServiceContext, id: number): Promise<BookingDetail> {
  return loadBookingDetail(ctx.db, id)
}
