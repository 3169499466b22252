import type { Knex } from 'knex'
import type { Settings } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app'
import { recordChange } from '../changeLog'
import { formatMoney } from '../money'
import { customerName, writeRewardEntry } from './ledger'

/** A percentage (basis points) of an amount, to the nearest minor unit, halves up. */
export function percentOfMinor(amountMinor: number, basisPoints: number): number {
  return Math.floor((amountMinor * basisPoints + 5000) / 10000)
}

/** What the referrer earns for a first paid booking of this total, in the business's currency (0: nothing). */
export function rewardFor(settings: Settings, booking: { total_minor: number; currency: string }): number {
  if (settings.referralRewardKind === 'amount') return settings.referralRewardAmountMinor
  // A percentage of money in another currency has no value in the business's currency.
  if (booking.currency !== settings.currency) return 0
  return percentOfMinor(booking.total_minor, settings.referralRewardPercentBp)
}

interface PaidBooking {
  id: number
  reference: string
  customer_id: number | null
  status: string
  currency: string
  total_minor: number
  outstanding_minor: number
  plan_id: number | null
}

/**
 * Called whenever money is taken on a booking: when this is the referred
 * customer's first booking (not a plan's order) to be paid in full, and
 * rewards are on, their referrer earns the reward — once per referred
 * customer, ever. A later refund leaves the reward earned.
 */
export async function earnReferralReward(trx: Knex, ctx: ServiceContext, bookingId: number): Promise<void> {
  const booking = (await trx('bookings')
    .where({ id: bookingId })
    .first('id', 'reference', 'customer_id', 'status', 'currency', 'total_minor', 'outstanding_minor', 'plan_id')) as PaidBooking | undefined
  if (!booking || booking.customer_id === null || booking.plan_id !== null) return
  if (booking.status === 'cancelled' || booking.total_minor <= 0 || booking.outstanding_minor > 0) return
  const referred = (await trx('customers').where({ id: booking.customer_id }).first('id', 'display_name', 'referred_by_id')) as
    | { id: number; display_name: string; referred_by_id: number | null }
    | undefined
  if (!referred || referred.referred_by_id === null) return
  const settings = await getSettings({ db: trx })
  if (!settings.referralRewardsEnabled) return
  if (await trx('reward_entries').where({ kind: 'earned', referred_customer_id: referred.id }).first('id')) return
  // Only their first booking paid in full earns: one already paid (before rewards were on, or before they were referred) used that chance.
  const paidBefore = await trx('bookings')
    .where({ customer_id: referred.id })
    .whereNull('plan_id')
    .whereNot({ id: booking.id })
    .whereNot({ status: 'cancelled' })
    .where('total_minor', '>', 0)
    .where('outstanding_minor', '<=', 0)
    .first('id')
  if (paidBefore) return
  const referrer = (await trx('customers').where({ id: referred.referred_by_id }).first('id', 'display_name', 'status')) as
    | { id: number; display_name: string; status: string }
    | undefined
  if (!referrer || referrer.status === 'deleted') return
  const amountMinor = rewardFor(settings, booking)
  if (amountMinor <= 0) return

  const { beforeMinor, afterMinor } = await writeRewardEntry(trx, ctx, {
    customerId: referrer.id,
    kind: 'earned',
    amountMinor,
    currency: settings.currency,
    referredCustomerId: referred.id,
    bookingId: booking.id,
  })
  const amount = formatMoney(amountMinor, settings.currency)
  await recordChange(trx, ctx, {
    customerId: referrer.id,
    entityType: 'customer',
    entityId: referrer.id,
    action: 'reward.earned',
    summary: `Earned a ${amount} referral reward: ${customerName(referred)} paid ${booking.reference} in full`,
    changes: [{ field: 'Rewards balance', before: formatMoney(beforeMinor, settings.currency), after: formatMoney(afterMinor, settings.currency) }],
  })
  await recordChange(trx, ctx, {
    customerId: referred.id,
    entityType: 'booking',
    entityId: booking.id,
    action: 'reward.earnedForReferrer',
    summary: `${booking.reference} paid in full: ${customerName(referrer)}, who referred them, earned a ${amount} referral reward`,
  })
}
