import type { Knex } from 'knex'
import type { z } from 'zod'
import type {
  referredCustomersInput,
  ReferredCustomersPage,
  RewardEntry,
  RewardKind,
  RewardsBalance,
  RewardsLedgerPage,
  rewardsLedgerInput,
} from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app'
import { formatCustomerNumber } from '../customers/normalize'
import { requireRewardsCustomer } from './ledger'

async function balanceOf(db: Knex, customerId: number): Promise<RewardsBalance> {
  const [customer, settings] = await Promise.all([requireRewardsCustomer(db, customerId), getSettings({ db })])
  return { customerId, balanceMinor: customer.rewards_balance_minor, currency: settings.currency, earningOn: settings.referralRewardsEnabled }
}

/** The customer's rewards balance, as payment dialogs show it. */
export function getRewardsBalance(ctx: ServiceContext, customerId: number): Promise<RewardsBalance> {
  return balanceOf(ctx.db, customerId)
}

interface EntryRow {
  id: number
  kind: RewardKind
  amount_minor: number
  currency: string
  note: string
  staff_name: string
  created_at: string
  referred_id: number | null
  referred_name: string | null
  booking_id: number | null
  booking_reference: string | null
}

function describe(row: EntryRow): string {
  const booking = row.booking_reference ?? 'a booking'
  switch (row.kind) {
    case 'earned':
      return `Referral reward: ${row.referred_name ?? 'a referred customer'} paid ${booking} in full`
    case 'spent':
      return `Paid towards ${booking}`
    case 'returned':
      return `Refunded from ${booking}`
    case 'adjusted':
      return row.note ? `Adjusted: ${row.note}` : 'Adjusted'
  }
}

/** One page of the customer's rewards ledger, newest first, each entry with the balance after it. */
export async function listRewardEntries(ctx: ServiceContext, input: z.output<typeof rewardsLedgerInput>): Promise<RewardsLedgerPage> {
  const db = ctx.db
  const balance = await balanceOf(db, input.customerId)
  const query = db('reward_entries as e')
    .leftJoin('customers as r', 'r.id', 'e.referred_customer_id')
    .leftJoin('bookings as b', 'b.id', 'e.booking_id')
    .where('e.customer_id', input.customerId)
    .orderBy('e.id', 'desc')
    .limit(input.limit + 1)
    .select(
      'e.id',
      'e.kind',
      'e.amount_minor',
      'e.currency',
      'e.note',
      'e.staff_name',
      'e.created_at',
      'r.id as referred_id',
      'r.display_name as referred_name',
      'b.id as booking_id',
      'b.reference as booking_reference',
    )
  if (input.before !== null) query.where('e.id', '<', input.before)
  const rows = (await query) as EntryRow[]
  const page = rows.slice(0, input.limit)
  // The balance after the newest entry on this page: today's balance less everything newer.
  let after = balance.balanceMinor
  if (input.before !== null) {
    const [newer] = (await db('reward_entries')
      .where({ customer_id: input.customerId })
      .where('id', '>=', input.before)
      .sum({ amount: 'amount_minor' })) as Array<{ amount: number | string | null }>
    after -= Number(newer?.amount ?? 0)
  }
  const entries: RewardEntry[] = page.map((row) => {
    const entry: RewardEntry = {
      id: row.id,
      at: row.created_at,
      kind: row.kind,
      amountMinor: row.amount_minor,
      currency: row.currency,
      balanceAfterMinor: after,
      description: describe(row),
      referred: row.referred_id !== null ? { id: row.referred_id, displayName: row.referred_name ?? '' } : null,
      booking: row.booking_id !== null ? { id: row.booking_id, reference: row.booking_reference ?? '' } : null,
      staffName: row.staff_name,
    }
    after -= row.amount_minor
    return entry
  })
  return { ...balance, entries, nextBefore: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null }
}

/** The customers this person referred, in name order, a page at a time; those in the recycle bin left out. */
export async function listReferredCustomers(ctx: ServiceContext, input: z.output<typeof referredCustomersInput>): Promise<ReferredCustomersPage> {
  const db = ctx.db
  await requireRewardsCustomer(db, input.customerId)
  const query = db('customers as c')
    .leftJoin('reward_entries as e', (join) => {
      join.on('e.referred_customer_id', '=', 'c.id').andOnVal('e.kind', '=', 'earned').andOnVal('e.customer_id', '=', input.customerId)
    })
    .where('c.referred_by_id', input.customerId)
    .whereNot('c.status', 'deleted')
    .orderBy('c.sort_name')
    .orderBy('c.id')
    .limit(input.limit + 1)
    .select('c.id', 'c.display_name', 'c.sort_name', 'c.status', 'c.created_at', 'e.amount_minor as earned_minor')
  if (input.after !== null) {
    const { sortName, id } = input.after
    query.where((q) => q.where('c.sort_name', '>', sortName).orWhere((q2) => q2.where('c.sort_name', sortName).andWhere('c.id', '>', id)))
  }
  const [rows, [count]] = await Promise.all([
    query as unknown as Promise<
      Array<{ id: number; display_name: string; sort_name: string; status: string; created_at: string; earned_minor: number | null }>
    >,
    db('customers').where({ referred_by_id: input.customerId }).whereNot({ status: 'deleted' }).count({ n: '*' }) as unknown as Promise<
      Array<{ n: number | string }>
    >,
  ])
  const page = rows.slice(0, input.limit)
  const last = page.at(-1)
  return {
    customers: page.map((row) => ({
      id: row.id,
      number: formatCustomerNumber(row.id),
      displayName: row.display_name,
      status: row.status,
      createdAt: row.created_at,
      earnedMinor: row.earned_minor,
    })),
    total: Number(count?.n ?? 0),
    nextAfter: rows.length > input.limit && last ? { sortName: last.sort_name, id: last.id } : null,
  }
}
