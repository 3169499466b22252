import type { z } from 'zod'
import type { CollectionDue, CollectionRecorded, CollectionsDuePage, listCollectionsDueInput, recordCollectionInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { formatDay, localDay } from '../calendarDay'
import { recordChange } from '../changeLog'
import { Conflict, NotFound } from '../errors'
import { formatMoney } from '../money'
import { priceLine } from '../tax'
import { recordMoney } from '../bookings/payments'
import { formatCustomerNumber } from '../customers/normalize'
import { writePlanOrder } from './orders'
import { followingCollectionDay } from './schedule'

interface DueRecord {
  id: number
  name: string
  interval: 'week' | 'month' | 'year' | null
  next_due_on: string
  amount_minor: number
  currency: string
  tax_rate_bp: number | null
  customer_id: number
  display_name: string
  tax_status: 'standard' | 'exempt' | 'special'
  customer_tax_rate_bp: number | null
}

const DAY_MS = 86_400_000

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}

/** Active subscriptions whose next collection falls due today or earlier, of customers not in the recycle bin. */
function dueQuery(ctx: ServiceContext, today: string) {
  return ctx
    .db('customer_plans as p')
    .join('customers as c', 'c.id', 'p.customer_id')
    .whereNotNull('p.next_due_on')
    .where('p.next_due_on', '<=', today)
    .where('p.status', 'active')
    .where('p.kind', 'subscription')
    .whereNot('c.status', 'deleted')
}

/**
 * The Collections due page: subscriptions to collect today and those overdue,
 * oldest first, each with what this customer pays (their tax status applied).
 * Paged by (day due, plan).
 */
export async function listCollectionsDue(ctx: ServiceContext, input: z.output<typeof listCollectionsDueInput>): Promise<CollectionsDuePage> {
  const today = localDay(ctx.clock())
  const settings = await getSettings(ctx)
  const page = dueQuery(ctx, today)
    .orderBy([{ column: 'p.next_due_on' }, { column: 'p.id' }])
    .limit(input.limit)
    .select(
      'p.id',
      'p.name',
      'p.interval',
      'p.next_due_on',
      'p.amount_minor',
      'p.currency',
      'p.tax_rate_bp',
      'p.customer_id',
      'c.display_name',
      'c.tax_status',
      'c.tax_rate_bp as customer_tax_rate_bp',
    )
  if (input.after) {
    const { dueOn, planId } = input.after
    page.where((q) => q.where('p.next_due_on', '>', dueOn).orWhere((q2) => q2.where('p.next_due_on', dueOn).where('p.id', '>', planId)))
  }
  const [rows, totals] = await Promise.all([
    page as Promise<DueRecord[]>,
    // One row per way of pricing (amount, rates, tax status), however many are due.
    dueQuery(ctx, today)
      .groupBy('p.amount_minor', 'p.currency', 'p.tax_rate_bp', 'c.tax_status', 'c.tax_rate_bp')
      .select('p.amount_minor', 'p.currency', 'p.tax_rate_bp', 'c.tax_status', 'c.tax_rate_bp as customer_tax_rate_bp', ctx.db.raw('count(*) AS n')) as Promise<
      Array<Pick<DueRecord, 'amount_minor' | 'currency' | 'tax_rate_bp' | 'tax_status' | 'customer_tax_rate_bp'> & { n: number | string }>
    >,
  ])
  const amountOf = (r: Pick<DueRecord, 'amount_minor' | 'tax_rate_bp' | 'tax_status' | 'customer_tax_rate_bp'>) =>
    priceLine(settings, { status: r.tax_status, rateBp: r.customer_tax_rate_bp }, { unitMinor: r.amount_minor, quantity: 1, itemRateBp: r.tax_rate_bp }).totalMinor
  return {
    today,
    total: totals.reduce((sum, r) => sum + Number(r.n), 0),
    totalMinor: totals.filter((r) => r.currency === settings.currency).reduce((sum, r) => sum + Number(r.n) * amountOf(r), 0),
    rows: rows.map(
      (r): CollectionDue => ({
        planId: r.id,
        planName: r.name,
        interval: r.interval ?? 'month',
        customerId: r.customer_id,
        customerName: r.display_name,
        customerNumber: formatCustomerNumber(r.customer_id),
        dueOn: r.next_due_on,
        daysOverdue: Math.max(0, daysBetween(r.next_due_on, today)),
        amountMinor: amountOf(r),
        currency: r.currency,
      }),
    ),
  }
}

interface SubscriptionRecord {
  id: number
  customer_id: number
  kind: string
  name: string
  status: string
  valid_from: string | null
  interval: 'week' | 'month' | 'year' | null
  next_due_on: string | null
  amount_minor: number
  currency: string
  tax_rate_bp: number | null
}

/**
 * Records one collection of a subscription, paid or failed: its order at the
 * plan's amount (this customer's tax applied), with the payment when paid or
 * marked failed and left owing, and the next day due moved on one interval.
 * The day due must be the one listed, so two desks cannot record it twice.
 */
export async function recordCollection(ctx: ServiceContext, input: z.output<typeof recordCollectionInput>): Promise<CollectionRecorded> {
  const now = ctx.clock()
  const today = localDay(now)
  const settings = await getSettings(ctx)
  return ctx.db.transaction(async (trx) => {
    const plan = (await trx('customer_plans').where({ id: input.planId }).first()) as SubscriptionRecord | undefined
    if (!plan || plan.kind !== 'subscription') throw new NotFound('This subscription no longer exists.')
    if (plan.status !== 'active') throw new Conflict(`${plan.name} is ${plan.status}, so no collection is due.`)
    if (plan.next_due_on !== input.dueOn) {
      throw new Conflict(
        plan.next_due_on === null
          ? `${plan.name} has no collection due.`
          : `The collection of ${plan.name} due on ${formatDay(input.dueOn)} has already been recorded; the next is due on ${formatDay(plan.next_due_on)}.`,
      )
    }
    if (input.dueOn > today) throw new Conflict(`${plan.name} is not due until ${formatDay(input.dueOn)}.`)
    const customer = (await trx('customers').where({ id: plan.customer_id }).first('status', 'display_name')) as { status: string; display_name: string }
    if (customer.status === 'deleted') throw new Conflict(`${customer.display_name} is in the recycle bin. Restore them first.`)

    const failed = input.outcome === 'failed'
    const order = await writePlanOrder(trx, ctx, settings, {
      customerId: plan.customer_id,
      planId: plan.id,
      currency: plan.currency,
      description: `${plan.name} — collection due ${formatDay(input.dueOn)}`,
      unitMinor: plan.amount_minor,
      itemRateBp: plan.tax_rate_bp,
      collectionDueOn: input.dueOn,
      failedAt: failed ? now.toISOString() : null,
      summary: `${failed ? 'Failed collection' : 'Collection'} of ${plan.name} due ${formatDay(input.dueOn)}`,
    })
    if (!failed && order.total_minor > 0) {
      await recordMoney(trx, ctx, order, { kind: 'payment', amountMinor: order.total_minor, method: input.method ?? 'other', takenAt: now.toISOString(), reference: input.reference })
    }
    const nextDueOn = followingCollectionDay(plan.valid_from ?? input.dueOn, plan.interval ?? 'month', input.dueOn)
    await trx('customer_plans').where({ id: plan.id }).update({ next_due_on: nextDueOn })
    const amount = formatMoney(order.total_minor, order.currency)
    await recordChange(trx, ctx, {
      customerId: plan.customer_id,
      entityType: 'plan',
      entityId: plan.id,
      action: failed ? 'plan.collection_failed' : 'plan.collected',
      summary: failed
        ? `Collection of ${amount} for ${plan.name} due ${formatDay(input.dueOn)} failed: owed on ${order.reference}`
        : `Collected ${amount} for ${plan.name} due ${formatDay(input.dueOn)} (${order.reference})`,
      changes: [{ field: 'Next due', before: formatDay(input.dueOn), after: formatDay(nextDueOn) }],
    })
    return { bookingId: order.id, reference: order.reference, outcome: input.outcome, amountMinor: order.total_minor, nextDueOn }
  })
}
