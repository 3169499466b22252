import type { Knex } from 'knex'
import type { RewardKind } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { NotFound } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'

export interface RewardEntryRecord {
  customerId: number
  kind: RewardKind
  /** Signed: earned, returned and additions above zero; spent and deductions below. */
  amountMinor: number
  currency: string
  referredCustomerId?: number | null
  bookingId?: number | null
  paymentId?: number | null
  note?: string
}

/** The customer row the rewards rules read. */
export interface RewardsCustomer {
  id: number
  display_name: string
  status: string
  referred_by_id: number | null
  rewards_balance_minor: number
}

export async function requireRewardsCustomer(db: Knex, id: number): Promise<RewardsCustomer> {
  const row = (await db('customers').where({ id }).first('id', 'display_name', 'status', 'referred_by_id', 'rewards_balance_minor')) as
    | RewardsCustomer
    | undefined
  if (!row) throw new NotFound(`Customer ${formatCustomerNumber(id)} does not exist.`)
  return row
}

/** "Ann Smith (C-000012)". */
export function customerName(row: { id: number; display_name: string }): string {
  return `${row.display_name} (${formatCustomerNumber(row.id)})`
}

/**
 * Adds one ledger entry and moves the customer's balance by the same amount,
 * so the balance is always the sum of the entries. Call in the transaction
 * that made the movement; answers the balance before and after.
 */
export async function writeRewardEntry(trx: Knex, ctx: ServiceContext, entry: RewardEntryRecord): Promise<{ beforeMinor: number; afterMinor: number }> {
  const customer = await requireRewardsCustomer(trx, entry.customerId)
  const beforeMinor = customer.rewards_balance_minor
  const afterMinor = beforeMinor + entry.amountMinor
  const now = ctx.clock().toISOString()
  await trx('reward_entries').insert({
    customer_id: entry.customerId,
    kind: entry.kind,
    amount_minor: entry.amountMinor,
    currency: entry.currency,
    referred_customer_id: entry.referredCustomerId ?? null,
    booking_id: entry.bookingId ?? null,
    payment_id: entry.paymentId ?? null,
    note: entry.note ?? '',
    staff_name: ctx.staff.name,
    created_at: now,
  })
  await trx('customers').where({ id: entry.customerId }).update({ rewards_balance_minor: afterMinor, updated_at: now })
  return { beforeMinor, afterMinor }
}
