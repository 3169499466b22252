import type { Knex } from 'knex'
import type { z } from 'zod'
import type { CustomerPlans, Membership, Pass, PlanOrderOwed, PlanSold, sellPlanInput, setPlanStatusInput, Subscription } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../errors'
import { recordChange } from '../changeLog'
import { loadCustomer } from '../customers'
import { formatDay, localDay } from '../calendarDay'
import { getSettings } from '../app/settings'
import { passCreditsUsed } from '../bookings/passCredits'
import { recordMoney } from '../bookings/payments'
import { formatMoney } from '../money'
import { addDays, followingCollectionDay, nextCollectionDay, planEndDay } from './schedule'
import { writePlanOrder } from './orders'
import { productTerms, type PlanProductRecord } from './products'

interface PlanRecord {
  id: number
  customer_id: number
  kind: 'membership' | 'pass' | 'subscription'
  name: string
  status: 'active' | 'paused' | 'cancelled'
  valid_from: string | null
  valid_to: string | null
  credits_total: number | null
  amount_minor: number
  currency: string
  interval: 'week' | 'month' | 'year' | null
  sold_at: string
  cancelled_at: string | null
  next_due_on: string | null
}

function toMembership(row: PlanRecord, today: string, sale: number | null): Membership {
  const status =
    row.status === 'cancelled'
      ? 'cancelled'
      : today < (row.valid_from ?? today)
        ? 'upcoming'
        : today > (row.valid_to ?? today)
          ? 'expired'
          : 'active'
  return {
    id: row.id,
    name: row.name,
    validFrom: row.valid_from ?? '',
    validTo: row.valid_to ?? '',
    priceMinor: row.amount_minor,
    currency: row.currency,
    status,
    soldAt: row.sold_at,
    saleBookingId: sale,
  }
}

function toPass(row: PlanRecord, today: string, used: number, sale: number | null): Pass {
  const total = row.credits_total ?? 0
  const left = Math.max(0, total - used)
  const status =
    row.status === 'cancelled' ? 'cancelled' : left === 0 ? 'used_up' : row.valid_to !== null && today > row.valid_to ? 'expired' : 'active'
  return {
    id: row.id,
    name: row.name,
    creditsTotal: total,
    creditsUsed: used,
    creditsLeft: left,
    validTo: row.valid_to,
    priceMinor: row.amount_minor,
    currency: row.currency,
    status,
    soldAt: row.sold_at,
    saleBookingId: sale,
  }
}

function toSubscription(row: PlanRecord, today: string, sale: number | null): Subscription {
  return {
    id: row.id,
    name: row.name,
    amountMinor: row.amount_minor,
    currency: row.currency,
    interval: row.interval ?? 'month',
    startsOn: row.valid_from ?? today,
    status: row.status,
    nextDueOn: row.status === 'active' ? row.next_due_on : null,
    soldAt: row.sold_at,
    saleBookingId: sale,
  }
}

/** Each plan's first order: its sale. */
async function saleOrders(db: Knex, planIds: number[]): Promise<Map<number, number>> {
  if (!planIds.length) return new Map()
  const rows = (await db('bookings').whereIn('plan_id', planIds).groupBy('plan_id').select('plan_id').min({ id: 'id' })) as Array<{
    plan_id: number
    id: number
  }>
  return new Map(rows.map((r) => [r.plan_id, Number(r.id)]))
}

/** The customer's plan orders that still owe money, oldest first. */
async function owedPlanOrders(db: Knex, customerId: number): Promise<PlanOrderOwed[]> {
  const rows = (await db('bookings as b')
    .join('customer_plans as p', 'p.id', 'b.plan_id')
    .where('b.customer_id', customerId)
    .where('b.outstanding_minor', '>', 0)
    .orderBy([{ column: 'b.created_at' }, { column: 'b.id' }])
    .select('b.id', 'b.reference', 'b.plan_id', 'p.name', 'b.collection_due_on', 'b.collection_failed_at', 'b.outstanding_minor', 'b.currency')) as Array<{
    id: number
    reference: string
    plan_id: number
    name: string
    collection_due_on: string | null
    collection_failed_at: string | null
    outstanding_minor: number
    currency: string
  }>
  return rows.map((r) => ({
    bookingId: r.id,
    reference: r.reference,
    planId: r.plan_id,
    planName: r.name,
    collectionDueOn: r.collection_due_on,
    failedAt: r.collection_failed_at,
    outstandingMinor: r.outstanding_minor,
    currency: r.currency,
  }))
}

async function loadPlans(db: Knex, customerId: number, now: Date): Promise<CustomerPlans> {
  const rows = (await db('customer_plans').where({ customer_id: customerId }).orderBy('sold_at', 'desc').orderBy('id', 'desc')) as PlanRecord[]
  const today = localDay(now)
  const [used, sales, owed] = await Promise.all([
    passCreditsUsed(
      db,
      rows.filter((r) => r.kind === 'pass').map((r) => r.id),
    ),
    saleOrders(
      db,
      rows.map((r) => r.id),
    ),
    owedPlanOrders(db, customerId),
  ])
  const sale = (r: PlanRecord) => sales.get(r.id) ?? null
  return {
    memberships: rows.filter((r) => r.kind === 'membership').map((r) => toMembership(r, today, sale(r))),
    passes: rows.filter((r) => r.kind === 'pass').map((r) => toPass(r, today, used.get(r.id) ?? 0, sale(r))),
    subscriptions: rows.filter((r) => r.kind === 'subscription').map((r) => toSubscription(r, today, sale(r))),
    owed,
  }
}

/** The customer's memberships, passes and subscriptions, with statuses as of today. */
export async function listPlans(ctx: ServiceContext, customerId: number): Promise<CustomerPlans> {
  await loadCustomer(ctx.db, customerId)
  return loadPlans(ctx.db, customerId, ctx.clock())
}

type SellPlanInput = z.output<typeof sellPlanInput>

/**
 * Sells a plan from the catalogue: the customer's plan (its dates, credits or
 * collections), its order at the listed price priced for this customer's tax,
 * and the payment taken now if any — all or nothing, logged on the customer.
 * A subscription's sale is its first collection, due on its start day; the
 * next falls due one interval later. Blocked customers and those in the
 * recycle bin cannot buy.
 */
export async function sellPlan(ctx: ServiceContext, input: SellPlanInput): Promise<PlanSold> {
  const now = ctx.clock()
  const today = localDay(now)
  const settings = await getSettings(ctx)
  const sold = await ctx.db.transaction(async (trx) => {
    const product = (await trx('plan_products').where({ id: input.productId }).first()) as PlanProductRecord | undefined
    if (!product) throw ValidationFailed.field('productId', 'This plan is no longer in the catalogue; choose another.')
    if (!product.active) throw ValidationFailed.field('productId', `${product.name} is archived and no longer sold; choose another plan.`)
    const customer = await loadCustomer(trx, input.customerId)
    const who = `${customer.displayName} (${customer.number})`
    if (customer.status === 'deleted') throw new Conflict(`${who} is in the recycle bin. Restore them first.`)
    if (customer.status === 'blocked') {
      throw new Forbidden(`${who} is blocked${customer.statusReason ? ` (${customer.statusReason})` : ''} and cannot buy plans.`)
    }
    const endsOn = product.length_count !== null && product.length_unit !== null ? planEndDay(input.startsOn, product.length_count, product.length_unit) : null
    if (product.kind === 'pass' && endsOn !== null && endsOn < today) {
      throw ValidationFailed.field('startsOn', `Starting then, this pass would have expired on ${formatDay(endsOn)}; choose a later start.`)
    }
    const interval = product.interval ?? 'month'
    const [row] = (await trx('customer_plans')
      .insert({
        customer_id: customer.id,
        product_id: product.id,
        kind: product.kind,
        name: product.name,
        status: 'active',
        valid_from: input.startsOn,
        valid_to: product.kind === 'subscription' ? null : endsOn,
        credits_total: product.kind === 'pass' ? product.credits : null,
        amount_minor: product.price_minor,
        currency: product.currency,
        interval: product.kind === 'subscription' ? interval : null,
        tax_rate_bp: product.tax_rate_bp,
        next_due_on: product.kind === 'subscription' ? followingCollectionDay(input.startsOn, interval, input.startsOn) : null,
        sold_at: now.toISOString(),
      })
      .returning('id')) as Array<{ id: number }>
    const planId = row!.id
    const terms = productTerms(product)
    const subscription = product.kind === 'subscription'
    const order = await writePlanOrder(trx, ctx, settings, {
      customerId: customer.id,
      planId,
      currency: product.currency,
      description: subscription ? `${product.name} — collection due ${formatDay(input.startsOn)}` : `${product.name}${terms ? ` — ${terms}` : ''}`,
      unitMinor: product.price_minor,
      itemRateBp: product.tax_rate_bp,
      collectionDueOn: subscription ? input.startsOn : null,
      failedAt: null,
      summary: `Sold ${product.name}`,
    })
    const dates = subscription ? `from ${formatDay(input.startsOn)}` : endsOn ? `${formatDay(input.startsOn)} to ${formatDay(endsOn)}` : `from ${formatDay(input.startsOn)}`
    await recordChange(trx, ctx, {
      customerId: customer.id,
      entityType: 'plan',
      entityId: planId,
      action: 'plan.sold',
      summary: `Sold ${product.kind} ${product.name}${terms ? ` (${terms})` : ''}, ${dates}, ${formatMoney(order.total_minor, order.currency)} on ${order.reference}`,
    })
    const amountMinor = input.payment ? (input.payment.amountMinor ?? order.outstanding_minor) : 0
    if (input.payment && amountMinor > order.outstanding_minor) {
      throw ValidationFailed.field('payment.amountMinor', `That is more than the ${formatMoney(Math.max(0, order.outstanding_minor), order.currency)} this plan costs.`)
    }
    // Paying in full for a plan that costs this customer nothing takes no payment.
    if (input.payment && amountMinor > 0) {
      await recordMoney(trx, ctx, order, { kind: 'payment', ...input.payment, amountMinor, takenAt: now.toISOString(), fieldPrefix: 'payment.' })
    }
    return { planId, bookingId: order.id, reference: order.reference }
  })
  return { plans: await loadPlans(ctx.db, input.customerId, now), ...sold }
}

/**
 * A resumed subscription's next day due: the first collection day on or
 * after today, never one already recorded (paused and resumed the same day
 * after a collection does not collect twice). Collections missed while
 * paused are not owed.
 */
async function resumedDueDay(trx: Knex, plan: PlanRecord, today: string): Promise<string> {
  const last = (await trx('bookings').where({ plan_id: plan.id }).max({ day: 'collection_due_on' })) as Array<{ day: string | null }>
  const lastDue = last[0]?.day ?? null
  const from = lastDue !== null && lastDue >= today ? addDays(lastDue, 1) : today
  return nextCollectionDay(plan.valid_from ?? today, plan.interval ?? 'month', from)
}

const STATUS_ACTIONS = {
  active: { action: 'plan.resumed', verb: 'Resumed' },
  paused: { action: 'plan.paused', verb: 'Paused' },
  cancelled: { action: 'plan.cancelled', verb: 'Cancelled' },
} as const

/** Pause or resume a subscription, or cancel any plan (for good). */
export async function setPlanStatus(ctx: ServiceContext, input: z.output<typeof setPlanStatusInput>): Promise<CustomerPlans> {
  const plan = await ctx.db.transaction(async (trx) => {
    const plan = (await trx('customer_plans').where({ id: input.id }).first()) as PlanRecord | undefined
    if (!plan) throw new NotFound('This plan no longer exists.')
    if (plan.status === 'cancelled') throw new Conflict(`${plan.name} is cancelled; a cancelled plan cannot be changed. Sell a new one.`)
    if (input.status === 'paused' && plan.kind !== 'subscription') {
      throw ValidationFailed.field('status', 'Only subscriptions can be paused.')
    }
    if (plan.status === input.status) {
      throw new Conflict(`${plan.name} is already ${input.status}.`, { field: 'status' })
    }
    const now = ctx.clock().toISOString()
    await trx('customer_plans')
      .where({ id: plan.id })
      .update({
        status: input.status,
        ...(input.status === 'cancelled' ? { cancelled_at: now } : {}),
        ...(plan.kind === 'subscription' ? { next_due_on: input.status === 'active' ? await resumedDueDay(trx, plan, localDay(ctx.clock())) : null } : {}),
      })
    const { action, verb } = STATUS_ACTIONS[input.status]
    await recordChange(trx, ctx, {
      customerId: plan.customer_id,
      entityType: 'plan',
      entityId: plan.id,
      action,
      summary: `${verb} ${plan.kind} ${plan.name}`,
      changes: [{ field: 'Status', before: plan.status, after: input.status }],
    })
    return plan
  })
  return loadPlans(ctx.db, plan.customer_id, ctx.clock())
}
