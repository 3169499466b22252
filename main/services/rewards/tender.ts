import type { Knex } from 'knex'
import type { FieldChange } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app'
import { Conflict, ValidationFailed } from '../errors'
import { formatMoney } from '../money'
import { requireRewardsCustomer, writeRewardEntry } from './ledger'

/** The booking money moves on, as the rewards rules need it. */
export interface TenderBooking {
  id: number
  reference: string
  customer_id: number | null
  currency: string
  paid_minor: number
}

export interface TenderMovement {
  kind: 'payment' | 'refund'
  amountMinor: number
  method: string
  /** Where the input's `amountMinor` and `method` are, e.g. `payment.` ('' at the top). */
  fieldPrefix: string
}

/** Rewards spent on this booking less those given back: what a refund may return as rewards. */
async function rewardsPaidOn(db: Knex, bookingId: number): Promise<number> {
  const [row] = (await db('reward_entries')
    .where({ booking_id: bookingId })
    .whereIn('kind', ['spent', 'returned'])
    .sum({ amount: 'amount_minor' })) as Array<{ amount: number | string | null }>
  return -Number(row?.amount ?? 0)
}

/**
 * Refuses, before anything is written, money that the rewards rules do not
 * allow: paying with more rewards than the customer has or in another
 * currency than the balance's, giving back as rewards more than was paid with
 * them, and giving back money paid with rewards any other way (it would turn
 * rewards into cash).
 */
export async function checkTender(db: Knex, booking: TenderBooking, money: TenderMovement): Promise<void> {
  const viaRewards = money.method === 'rewards'
  const rewardsPaid = await rewardsPaidOn(db, booking.id)
  const rewardsMoney = (minor: number) => formatMoney(minor, booking.currency)
  const amountField = `${money.fieldPrefix}amountMinor`
  if (!viaRewards) {
    if (money.kind === 'refund' && rewardsPaid > 0 && money.amountMinor > booking.paid_minor - rewardsPaid) {
      throw ValidationFailed.field(
        amountField,
        `${rewardsMoney(rewardsPaid)} of what was paid on ${booking.reference} was paid with rewards and goes back as rewards: refund at most ${rewardsMoney(Math.max(0, booking.paid_minor - rewardsPaid))} by this method, the rest with the method Rewards.`,
      )
    }
    return
  }
  if (booking.customer_id === null) throw new Conflict(`${booking.reference} has no customer any more, so no rewards can be used on it.`)
  const settings = await getSettings({ db })
  if (booking.currency !== settings.currency) {
    throw ValidationFailed.field(
      `${money.fieldPrefix}method`,
      `Rewards are kept in ${settings.currency}; ${booking.reference} is in ${booking.currency}, so it cannot be paid with rewards. Choose another method.`,
    )
  }
  if (money.kind === 'payment') {
    const customer = await requireRewardsCustomer(db, booking.customer_id)
    if (customer.rewards_balance_minor <= 0) {
      throw ValidationFailed.field(amountField, `${customer.display_name} has no rewards to spend. Choose another method.`)
    }
    if (money.amountMinor > customer.rewards_balance_minor) {
      throw ValidationFailed.field(
        amountField,
        `That is more than the ${formatMoney(customer.rewards_balance_minor, settings.currency)} of rewards ${customer.display_name} has.`,
      )
    }
  } else if (money.amountMinor > rewardsPaid) {
    throw ValidationFailed.field(
      amountField,
      rewardsPaid <= 0
        ? `Nothing on ${booking.reference} was paid with rewards, so nothing goes back as rewards. Choose the method the money was paid with.`
        : `Only ${rewardsMoney(rewardsPaid)} of ${booking.reference} was paid with rewards, so at most that goes back as rewards.`,
    )
  }
}

/**
 * Takes a rewards payment from the customer's balance, or puts a rewards
 * refund back, as a ledger entry beside the payment. Answers the balance's
 * change for the payment's log entry (none for other methods).
 */
export async function moveRewards(
  trx: Knex,
  ctx: ServiceContext,
  booking: TenderBooking,
  paymentId: number,
  money: Omit<TenderMovement, 'fieldPrefix'>,
): Promise<FieldChange[]> {
  if (money.method !== 'rewards' || booking.customer_id === null) return []
  const { beforeMinor, afterMinor } = await writeRewardEntry(trx, ctx, {
    customerId: booking.customer_id,
    kind: money.kind === 'payment' ? 'spent' : 'returned',
    amountMinor: money.kind === 'payment' ? -money.amountMinor : money.amountMinor,
    currency: booking.currency,
    bookingId: booking.id,
    paymentId,
  })
  return [{ field: 'Rewards balance', before: formatMoney(beforeMinor, booking.currency), after: formatMoney(afterMinor, booking.currency) }]
}
