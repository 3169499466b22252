import type { RouterCase } from './types'

/** Referral rewards, on customer 1 of the router's fixtures. */
export const rewardCases: Record<string, RouterCase> = {
  'rewards:balance': {
    valid: { customerId: 1 },
    invalid: [{}, { customerId: 0 }, { customerId: 1, extra: true }],
  },
  'rewards:ledger': {
    valid: { customerId: 1 },
    invalid: [{ customerId: 1, before: 0 }, { customerId: 1, limit: 0 }, { customerId: 1, limit: 201 }, { customerId: 'one' }],
  },
  'rewards:referred': {
    valid: { customerId: 1, after: { sortName: 'smith ann', id: 3 } },
    invalid: [{ customerId: 1, after: { sortName: 'x' } }, { customerId: 1, limit: 1.5 }, {}],
  },
  'rewards:adjust': {
    valid: { customerId: 1, amountMinor: 250, reason: 'Welcome gift' },
    invalid: [
      { customerId: 1, amountMinor: 0, reason: 'Nothing' },
      { customerId: 1, amountMinor: 250, reason: '  ' },
      { customerId: 1, amountMinor: 2.5, reason: 'Half' },
      { customerId: 1, amountMinor: -1000, reason: 'Below zero' },
      { customerId: 1, amountMinor: 100 },
    ],
  },
}
