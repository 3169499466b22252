import { z } from 'zod'
import { customerIdInput, freeText, id } from './common'

/* ── Referral rewards: a customer's balance, its ledger, whom they referred, and adjustments ── */

export const rewardKinds = ['earned', 'spent', 'returned', 'adjusted'] as const
export type RewardKind = (typeof rewardKinds)[number]

/** How many ledger entries or referred customers one page holds. */
export const REWARDS_PAGE_SIZE = 20

export const rewardsLedgerInput = z.strictObject({
  customerId: id,
  /** The next page: entries older than this one (the previous page's `nextBefore`). */
  before: id.nullable().default(null),
  limit: z.number().int().min(1).max(200).default(REWARDS_PAGE_SIZE),
})

export const referredCustomersInput = z.strictObject({
  customerId: id,
  /** The next page: after this customer in name order (the previous page's `nextAfter`). */
  after: z.strictObject({ sortName: z.string().max(400), id }).nullable().default(null),
  limit: z.number().int().min(1).max(200).default(REWARDS_PAGE_SIZE),
})

export const adjustRewardsInput = z.strictObject({
  customerId: id,
  /** Signed, in the business's currency's minor units: above zero adds, below zero takes away. */
  amountMinor: z
    .number({ error: 'Enter an amount.' })
    .int({ error: 'Enter an amount in whole pence or cents.' })
    .min(-100_000_000, { error: 'At most 1,000,000 at a time.' })
    .max(100_000_000, { error: 'At most 1,000,000 at a time.' })
    .refine((v) => v !== 0, { error: 'Enter an amount to add or take away.' }),
  reason: freeText(500).min(1, { error: 'Say why the balance is adjusted.' }),
})

/** A customer's rewards balance, in the business's currency. */
export interface RewardsBalance {
  customerId: number
  balanceMinor: number
  currency: string
  /** Whether referrers earn rewards now (Settings → Referral rewards); a balance can be spent either way. */
  earningOn: boolean
}

export interface RewardEntry {
  id: number
  at: string
  kind: RewardKind
  /** Signed: earned, returned and additions above zero; spent and deductions below. */
  amountMinor: number
  currency: string
  /** The balance after this entry. */
  balanceAfterMinor: number
  /** In words, e.g. "Earned: Ben Jones (C-000012) paid B-000031 in full". */
  description: string
  /** The customer whose first paid booking earned it. */
  referred: { id: number; displayName: string } | null
  booking: { id: number; reference: string } | null
  staffName: string
}

export interface RewardsLedgerPage extends RewardsBalance {
  /** Newest first. */
  entries: RewardEntry[]
  /** Pass as `before` for older entries; null when there are none. */
  nextBefore: number | null
}

export interface ReferredCustomer {
  id: number
  number: string
  displayName: string
  status: string
  createdAt: string
  /** What their first paid booking earned this referrer, if it has. */
  earnedMinor: number | null
}

export interface ReferredCustomersPage {
  customers: ReferredCustomer[]
  /** How many customers this person referred, all pages. */
  total: number
  nextAfter: { sortName: string; id: number } | null
}

/** The channels answered by referral rewards, each with the input it takes. */
export const rewardsInputs = {
  'rewards:balance': customerIdInput,
  'rewards:ledger': rewardsLedgerInput,
  'rewards:referred': referredCustomersInput,
  'rewards:adjust': adjustRewardsInput,
}
