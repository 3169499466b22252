import { z } from 'zod'
import { customerIdInput, freeText, id, isoDate, nameText, tenderTypes } from './common'
import { itemTaxRate, minorAmount } from './catalogue'

export const planKinds = ['membership', 'pass', 'subscription'] as const
export type PlanKind = (typeof planKinds)[number]

const planName = nameText(200).min(1, { error: 'Name it, e.g. Gold membership.' })

export const planLengthUnits = ['day', 'week', 'month', 'year'] as const
export type PlanLengthUnit = (typeof planLengthUnits)[number]
export const planIntervals = ['week', 'month', 'year'] as const
export type PlanInterval = (typeof planIntervals)[number]

const lengthCount = z
  .number({ error: 'Enter how long it lasts.' })
  .int({ error: 'A whole number, e.g. 12.' })
  .min(1, { error: 'At least 1.' })
  .max(1000, { error: 'At most 1,000.' })

/** A plan in the catalogue: what the desk sells, at its listed price. */
export const savePlanProductInput = z
  .strictObject({
    /** Absent to create, present to edit. */
    id: id.optional(),
    kind: z.enum(planKinds, { error: 'Choose membership, pass or subscription.' }),
    name: planName,
    description: freeText(1000).default(''),
    /** The membership or pass price, or the subscription's amount each collection, as prices are set in Settings → Tax. */
    priceMinor: minorAmount,
    /** One of the Settings rates, or null for the standard one. */
    taxRateBp: itemTaxRate.default(null),
    /** How long a membership lasts, or how long a pass is valid (none: a pass never expires). */
    lengthCount: lengthCount.nullable().default(null),
    lengthUnit: z.enum(planLengthUnits).nullable().default(null),
    /** A pass's credits (one per place booked). */
    credits: z
      .number({ error: 'Enter the number of credits.' })
      .int({ error: 'Credits are a whole number.' })
      .min(1, { error: 'A pass needs at least 1 credit.' })
      .max(1000, { error: 'At most 1,000 credits.' })
      .nullable()
      .default(null),
    /** How often a subscription is collected. */
    interval: z.enum(planIntervals).nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'membership' && v.lengthCount === null) ctx.addIssue({ code: 'custom', path: ['lengthCount'], message: 'Enter how long a membership lasts.' })
    if (v.lengthCount !== null && v.lengthUnit === null) ctx.addIssue({ code: 'custom', path: ['lengthUnit'], message: 'Choose days, weeks, months or years.' })
    if (v.kind === 'pass' && v.credits === null) ctx.addIssue({ code: 'custom', path: ['credits'], message: 'Enter the number of credits.' })
    if (v.kind === 'subscription' && v.interval === null) ctx.addIssue({ code: 'custom', path: ['interval'], message: 'Choose how often it is collected.' })
  })

export const archivePlanProductInput = z.strictObject({
  id,
  /** False brings an archived plan back to the catalogue. */
  archived: z.boolean().default(true),
})

export const listPlanProductsInput = z
  .strictObject({ includeArchived: z.boolean().default(false) })
  .or(z.undefined())

/** Money taken when a plan is sold. */
export const planPaymentInput = z.strictObject({
  /** Null: the whole price as charged to this customer (their tax status applied). */
  amountMinor: minorAmount.min(1, { error: 'Enter an amount above zero.' }).nullable().default(null),
  method: z.enum(tenderTypes),
  reference: freeText(100).default(''),
})

/** Sells a plan from the catalogue: a plan order at the listed price, paid now (all or part) or left owing. */
export const sellPlanInput = z.strictObject({
  customerId: id,
  productId: id,
  /** A membership's first day, a pass's first valid day, a subscription's start (its first collection falls due that day). */
  startsOn: isoDate,
  payment: planPaymentInput.nullable().default(null),
})

/** One collection of a subscription recorded on the Collections due page. */
export const recordCollectionInput = z
  .strictObject({
    planId: id,
    /** The day it fell due, as listed: refused when another desk recorded it first. */
    dueOn: isoDate,
    outcome: z.enum(['paid', 'failed']),
    /** For a paid collection. */
    method: z.enum(tenderTypes).nullable().default(null),
    reference: freeText(100).default(''),
  })
  .refine((v) => v.outcome === 'failed' || v.method !== null, { path: ['method'], error: 'Choose how it was paid.' })

export const listCollectionsDueInput = z.strictObject({
  /** Resume after this row (oldest first): its day due and plan id. */
  after: z.strictObject({ dueOn: isoDate, planId: id }).nullable().default(null),
  limit: z.number().int().min(1).max(500).default(100),
})

export const setPlanStatusInput = z.strictObject({
  id,
  /** Paused is for subscriptions only. */
  status: z.enum(['active', 'paused', 'cancelled']),
})

export interface Membership {
  id: number
  name: string
  validFrom: string
  validTo: string
  priceMinor: number
  currency: string
  status: 'upcoming' | 'active' | 'expired' | 'cancelled'
  soldAt: string
  /** The order (invoice) of its sale; null for plans sold before plans took money. */
  saleBookingId: number | null
}

export interface Pass {
  id: number
  name: string
  creditsTotal: number
  creditsUsed: number
  creditsLeft: number
  validTo: string | null
  priceMinor: number
  currency: string
  status: 'active' | 'used_up' | 'expired' | 'cancelled'
  soldAt: string
  saleBookingId: number | null
}

export interface Subscription {
  id: number
  name: string
  amountMinor: number
  currency: string
  interval: 'week' | 'month' | 'year'
  startsOn: string
  status: 'active' | 'paused' | 'cancelled'
  /** The next collection not yet recorded (today or earlier: due or overdue); null while paused or cancelled. */
  nextDueOn: string | null
  soldAt: string
  saleBookingId: number | null
}

/** A plan's order that still owes money: a sale left owing or a collection (failed, or not yet paid). */
export interface PlanOrderOwed {
  bookingId: number
  reference: string
  planId: number
  planName: string
  /** A collection's day due; null for a plan's sale. */
  collectionDueOn: string | null
  /** When the collection failed (ISO). */
  failedAt: string | null
  outstandingMinor: number
  currency: string
}

export interface CustomerPlans {
  memberships: Membership[]
  passes: Pass[]
  subscriptions: Subscription[]
  /** Oldest first. */
  owed: PlanOrderOwed[]
}

export interface PlanSold {
  plans: CustomerPlans
  planId: number
  /** The sale's order (its invoice). */
  bookingId: number
  reference: string
}

/** What a plan's order (its sale, or a subscription collection) sold, for the booking page. */
export interface BookingPlanOrder {
  planId: number
  kind: PlanKind
  name: string
  /** A collection: the day it fell due; null for the plan's sale. */
  collectionDueOn: string | null
  /** A failed collection: when it failed (it is then owed). */
  collectionFailedAt: string | null
  lines: Array<{
    id: number
    description: string
    quantity: number
    unitMinor: number
    /** What the customer pays, tax included. */
    totalMinor: number
    taxMinor: number
    taxRateBp: number
  }>
}

/** A plan in the catalogue. */
export interface PlanProduct {
  id: number
  kind: PlanKind
  name: string
  description: string
  /** Listed price (membership, pass) or amount each collection (subscription), in the business's currency. */
  priceMinor: number
  currency: string
  /** Null: the standard rate. */
  taxRateBp: number | null
  lengthCount: number | null
  lengthUnit: PlanLengthUnit | null
  credits: number | null
  interval: PlanInterval | null
  active: boolean
  /** How many have been sold. */
  sold: number
}

/** A subscription collection due today or overdue. */
export interface CollectionDue {
  planId: number
  planName: string
  interval: PlanInterval
  customerId: number
  customerName: string
  customerNumber: string
  dueOn: string
  /** 0 when due today. */
  daysOverdue: number
  /** What this customer pays for it, tax included as their tax status decides. */
  amountMinor: number
  currency: string
}

export interface CollectionsDuePage {
  /** The desk's day the list was made for. */
  today: string
  rows: CollectionDue[]
  /** All collections due today or overdue. */
  total: number
  /** The amount of all of them, in the business's currency. */
  totalMinor: number
}

export interface CollectionRecorded {
  bookingId: number
  reference: string
  outcome: 'paid' | 'failed'
  amountMinor: number
  /** The subscription's next day due. */
  nextDueOn: string | null
}

/** The channels answered by memberships, passes and subscriptions sold to customers, each with the input it takes. */
export const plansInputs = {
  'plans:list': customerIdInput,
  'plans:sell': sellPlanInput,
  'plans:setStatus': setPlanStatusInput,
  'plans:products': listPlanProductsInput,
  'plans:saveProduct': savePlanProductInput,
  'plans:archiveProduct': archivePlanProductInput,
  'plans:collectionsDue': listCollectionsDueInput,
  'plans:recordCollection': recordCollectionInput,
}
