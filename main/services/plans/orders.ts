import type { Knex } from 'knex'
import type { BookingPlanOrder, PlanKind, Settings } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { formatMoney } from '../money'
import { customerTaxOf, priceLine } from '../tax'
import type { BookingRecord } from '../bookings/rows'
import { insertOrder, refreshBookingTotals } from '../bookings/totals'

export interface PlanOrder {
  customerId: number
  planId: number
  currency: string
  /** The line's words, e.g. "Gold membership — 12 months". */
  description: string
  /** The listed price, as prices are set in Settings. */
  unitMinor: number
  /** The rate the plan is priced at; null: the standard rate. */
  itemRateBp: number | null
  /** A subscription collection: the day it fell due. */
  collectionDueOn: string | null
  /** A failed collection: when it failed (then it is owed). */
  failedAt: string | null
  /** The change-log words, e.g. "Sold Gold membership". */
  summary: string
}

/**
 * Writes a plan's order: a `bookings` row naming the plan, with one line
 * priced for this customer's tax, so invoices, balances, income and
 * statements count it like any booking. Call inside the caller's transaction.
 */
export async function writePlanOrder(trx: Knex, ctx: ServiceContext, settings: Settings, order: PlanOrder): Promise<BookingRecord> {
  const now = ctx.clock()
  const { id: bookingId, reference } = await insertOrder(trx, {
    customer_id: order.customerId,
    status: 'confirmed',
    source: 'walk_in',
    currency: order.currency,
    plan_id: order.planId,
    collection_due_on: order.collectionDueOn,
    collection_failed_at: order.failedAt,
    note: '',
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    created_by_name: ctx.staff.name,
  })
  const priced = priceLine(settings, await customerTaxOf(trx, order.customerId), { unitMinor: order.unitMinor, quantity: 1, itemRateBp: order.itemRateBp })
  await trx('booking_lines').insert({
    booking_id: bookingId,
    plan_id: order.planId,
    description: order.description,
    quantity: 1,
    unit_minor: order.unitMinor,
    total_minor: priced.totalMinor,
    tax_rate_bp: priced.taxRateBp,
    tax_minor: priced.taxMinor,
    covered_by_pass: false,
  })
  const booking = await refreshBookingTotals(trx, bookingId, now)
  await recordChange(trx, ctx, {
    customerId: order.customerId,
    entityType: 'booking',
    entityId: bookingId,
    action: 'booking.created',
    summary: `${order.summary} (${reference})`,
    changes: [{ field: 'Total', before: null, after: formatMoney(booking.total_minor, booking.currency) }],
  })
  return booking
}

/** What a plan's order sold, for the booking page; null for a booking of places. */
export async function loadBookingPlanOrder(
  db: Knex,
  booking: { id: number; plan_id: number | null; collection_due_on: string | null; collection_failed_at: string | null },
): Promise<BookingPlanOrder | null> {
  if (booking.plan_id === null) return null
  const [plan, lines] = await Promise.all([
    db('customer_plans').where({ id: booking.plan_id }).first('id', 'kind', 'name') as Promise<{ id: number; kind: PlanKind; name: string } | undefined>,
    db('booking_lines')
      .where({ booking_id: booking.id })
      .whereNotNull('plan_id')
      .orderBy('id')
      .select('id', 'description', 'quantity', 'unit_minor', 'total_minor', 'tax_minor', 'tax_rate_bp') as Promise<
      Array<{ id: number; description: string; quantity: number; unit_minor: number; total_minor: number; tax_minor: number; tax_rate_bp: number }>
    >,
  ])
  if (!plan) return null
  return {
    planId: plan.id,
    kind: plan.kind,
    name: plan.name,
    collectionDueOn: booking.collection_due_on,
    collectionFailedAt: booking.collection_failed_at,
    lines: lines.map((l) => ({
      id: l.id,
      description: l.description,
      quantity: l.quantity,
      unitMinor: l.unit_minor,
      totalMinor: l.total_minor,
      taxMinor: l.tax_minor,
      taxRateBp: l.tax_rate_bp,
    })),
  }
}
