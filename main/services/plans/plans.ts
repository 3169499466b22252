import type { Knex } from 'knex'
import type { z } from 'zod'
import type { CustomerPlans, Membership, Pass, sellPlanInput, setPlanStatusInput, Subscription } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../errors'
import { recordChange } from '../changeLog'
import { loadCustomer } from '../customers'
import { localDay } from '../calendarDay'
import { passCreditsUsed } from '../bookings/passCredits'
import { formatMoney } from '../money'
import { nextCollectionDay } from './schedule'

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
}

function toMembership(row: PlanRecord, today: string): Membership {
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
  }
}

function toPass(row: PlanRecord, today: string, used: number): Pass {
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
  }
}

function toSubscription(row: PlanRecord, today: string): Subscription {
  const interval = row.interval ?? 'month'
  const startsOn = row.valid_from ?? today
  return {
    id: row.id,
    name: row.name,
    amountMinor: row.amount_minor,
    currency: row.currency,
    interval,
    startsOn,
    status: row.status,
    nextDueOn: row.status === 'active' ? nextCollectionDay(startsOn, interval, today) : null,
    soldAt: row.sold_at,
  }
}

async function loadPlans(db: Knex, customerId: number, now: Date): Promise<CustomerPlans> {
  const rows = (await db('customer_plans').where({ customer_id: customerId }).orderBy('sold_at', 'desc').orderBy('id', 'desc')) as PlanRecord[]
  const today = localDay(now)
  const used = await passCreditsUsed(
    db,
    rows.filter((r) => r.kind === 'pass').map((r) => r.id),
  )
  return {
    memberships: rows.filter((r) => r.kind === 'membership').map((r) => toMembership(r, today)),
    passes: rows.filter((r) => r.kind === 'pass').map((r) => toPass(r, today, used.get(r.id) ?? 0)),
    subscriptions: rows.filter((r) => r.kind === 'subscription').map((r) => toSubscription(r, today)),
  }
}

/** The customer's memberships, passes and subscriptions, with statuses as of today. */
export async function listPlans(ctx: ServiceContext, customerId: number): Promise<CustomerPlans> {
  await loadCustomer(ctx.db, customerId)
  return loadPlans(ctx.db, customerId, ctx.clock())
}

type SellPlanInput = z.output<typeof sellPlanInput>

function planColumns(input: SellPlanInput, today: string) {
  switch (input.kind) {
    case 'membership':
      return { valid_from: input.validFrom, valid_to: input.validTo, amount_minor: input.priceMinor, currency: input.currency }
    case 'pass':
      return { valid_from: today, valid_to: input.validTo, credits_total: input.credits, amount_minor: input.priceMinor, currency: input.currency }
    case 'subscription':
      return { valid_from: input.startsOn, interval: input.interval, amount_minor: input.amountMinor, currency: input.currency }
  }
}

function saleWords(input: SellPlanInput): string {
  switch (input.kind) {
    case 'membership':
      return `membership ${input.name}, ${input.validFrom} to ${input.validTo}, ${formatMoney(input.priceMinor, input.currency)}`
    case 'pass':
      return `pass ${input.name}, ${input.credits} ${input.credits === 1 ? 'credit' : 'credits'}, ${formatMoney(input.priceMinor, input.currency)}`
    case 'subscription':
      return `subscription ${input.name}, ${formatMoney(input.amountMinor, input.currency)} every ${input.interval} from ${input.startsOn}`
  }
}

/** Sells a membership, pass or subscription; blocked customers and those in the recycle bin cannot buy. */
export async function sellPlan(ctx: ServiceContext, input: SellPlanInput): Promise<CustomerPlans> {
  const now = ctx.clock()
  if (input.kind === 'pass' && input.validTo !== null && input.validTo < localDay(now)) {
    throw ValidationFailed.field('validTo', 'This date has passed; a pass must be valid until today or later.')
  }
  await ctx.db.transaction(async (trx) => {
    const customer = await loadCustomer(trx, input.customerId)
    const who = `${customer.displayName} (${customer.number})`
    if (customer.status === 'deleted') throw new Conflict(`${who} is in the recycle bin. Restore them first.`)
    if (customer.status === 'blocked') {
      throw new Forbidden(`${who} is blocked${customer.statusReason ? ` (${customer.statusReason})` : ''} and cannot buy plans.`)
    }
    const [row] = (await trx('customer_plans')
      .insert({
        customer_id: customer.id,
        kind: input.kind,
        name: input.name,
        status: 'active',
        ...planColumns(input, localDay(now)),
        sold_at: now.toISOString(),
      })
      .returning('id')) as Array<{ id: number }>
    await recordChange(trx, ctx, {
      customerId: customer.id,
      entityType: 'plan',
      entityId: row!.id,
      action: 'plan.sold',
      summary: `Sold ${saleWords(input)}`,
    })
  })
  return loadPlans(ctx.db, input.customerId, now)
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
      .update({ status: input.status, ...(input.status === 'cancelled' ? { cancelled_at: now } : {}) })
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
