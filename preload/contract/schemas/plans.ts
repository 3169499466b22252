import { z } from 'zod'
import { customerIdInput, id, isoDate, nameText } from './common'
import { currencyCode, minorAmount } from './catalogue'

export const planKinds = ['membership', 'pass', 'subscription'] as const
export type PlanKind = (typeof planKinds)[number]

const planName = nameText(200).min(1, { error: 'Name it, e.g. Gold membership.' })

export const sellPlanInput = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('membership'),
      customerId: id,
      name: planName,
      validFrom: isoDate,
      validTo: isoDate,
      priceMinor: minorAmount,
      currency: currencyCode,
    })
    .refine((v) => v.validTo >= v.validFrom, { path: ['validTo'], error: 'The end date is before the start date.' }),
  z.strictObject({
    kind: z.literal('pass'),
    customerId: id,
    name: planName,
    credits: z
      .number({ error: 'Enter the number of credits.' })
      .int({ error: 'Credits are a whole number.' })
      .min(1, { error: 'A pass needs at least 1 credit.' })
      .max(1000, { error: 'At most 1,000 credits.' }),
    validTo: isoDate.nullable().default(null),
    priceMinor: minorAmount,
    currency: currencyCode,
  }),
  z.strictObject({
    kind: z.literal('subscription'),
    customerId: id,
    name: planName,
    amountMinor: minorAmount,
    currency: currencyCode,
    interval: z.enum(['week', 'month', 'year']),
    startsOn: isoDate,
  }),
])

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
}

export interface Subscription {
  id: number
  name: string
  amountMinor: number
  currency: string
  interval: 'week' | 'month' | 'year'
  startsOn: string
  status: 'active' | 'paused' | 'cancelled'
  /** Next collection day while active. */
  nextDueOn: string | null
  soldAt: string
}

export interface CustomerPlans {
  memberships: Membership[]
  passes: Pass[]
  subscriptions: Subscription[]
}

/** The channels answered by memberships, passes and subscriptions sold to customers, each with the input it takes. */
export const plansInputs = {
  'plans:list': customerIdInput,
  'plans:sell': sellPlanInput,
  'plans:setStatus': setPlanStatusInput,
}
