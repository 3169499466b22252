/** Referral rewards: earned by referrers, spent and given back as a payment method, adjusted by administrators, kept as a ledger. */
export { earnReferralReward, percentOfMinor, rewardFor } from './earn'
export { checkTender, moveRewards, type TenderBooking, type TenderMovement } from './tender'
export { getRewardsBalance, listRewardEntries, listReferredCustomers } from './read'
export { adjustRewards } from './adjust'
