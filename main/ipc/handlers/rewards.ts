import type { rewardsInputs } from '../../../preload/contract/schemas/rewards'
import * as rewards from '../../services/rewards'
import type { DomainHandlers } from './domain'

/** Referral rewards: a customer's balance and ledger, whom they referred, and an administrator's adjustment. */
export function rewardsHandlers(): DomainHandlers<typeof rewardsInputs> {
  return {
    'rewards:balance': (ctx, input) => rewards.getRewardsBalance(ctx, input.customerId),
    'rewards:ledger': (ctx, input) => rewards.listRewardEntries(ctx, input),
    'rewards:referred': (ctx, input) => rewards.listReferredCustomers(ctx, input),
    'rewards:adjust': (ctx, input) => rewards.adjustRewards(ctx, input),
  }
}
