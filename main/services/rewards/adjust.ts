import type { z } from 'zod'
import { REWARDS_PAGE_SIZE, type adjustRewardsInput, type RewardsLedgerPage } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app'
import { recordChange } from '../changeLog'
import { Conflict, ValidationFailed } from '../errors'
import { formatMoney } from '../money'
import { customerName, requireRewardsCustomer, writeRewardEntry } from './ledger'
import { listRewardEntries } from './read'

/** An administrator's correction of a rewards balance, with the reason, as an `adjusted` entry; never below zero. */
export async function adjustRewards(ctx: ServiceContext, input: z.output<typeof adjustRewardsInput>): Promise<RewardsLedgerPage> {
  await ctx.db.transaction(async (trx) => {
    const customer = await requireRewardsCustomer(trx, input.customerId)
    if (customer.status === 'deleted') throw new Conflict(`${customerName(customer)} is in the recycle bin. Restore them first.`)
    const { currency } = await getSettings({ db: trx })
    const money = (minor: number) => formatMoney(minor, currency)
    if (customer.rewards_balance_minor + input.amountMinor < 0) {
      throw ValidationFailed.field(
        'amountMinor',
        `That would take the balance below zero: ${customer.display_name} has ${money(customer.rewards_balance_minor)}, so take away at most that.`,
      )
    }
    const { beforeMinor, afterMinor } = await writeRewardEntry(trx, ctx, {
      customerId: customer.id,
      kind: 'adjusted',
      amountMinor: input.amountMinor,
      currency,
      note: input.reason,
    })
    await recordChange(trx, ctx, {
      customerId: customer.id,
      entityType: 'customer',
      entityId: customer.id,
      action: 'reward.adjusted',
      summary: `${input.amountMinor > 0 ? 'Added' : 'Took away'} ${money(Math.abs(input.amountMinor))} of rewards: ${input.reason}`,
      changes: [{ field: 'Rewards balance', before: money(beforeMinor), after: money(afterMinor) }],
    })
  })
  return listRewardEntries(ctx, { customerId: input.customerId, before: null, limit: REWARDS_PAGE_SIZE })
}
