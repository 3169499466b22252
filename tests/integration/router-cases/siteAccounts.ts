import type { RouterCase } from './types'

const token = 'A'.repeat(43)

/** The online booking site's account emails and their tokens. */
export const siteAccountsCases: Record<string, RouterCase> = {
  'siteAccounts:forCustomer': { valid: { customerId: 1 }, invalid: [{}, { customerId: 0 }, { customerId: '1' }, { customerId: 1, token: 'x' }] },
  // The router's file has no site address set: the input is fine, the email is refused for that.
  'siteAccounts:sendEmail': {
    valid: { customerId: 1, purpose: 'reset' },
    refusedFor: 'CONFLICT',
    invalid: [{}, { customerId: 1 }, { customerId: 1, purpose: 'login' }, { customerId: 0, purpose: 'confirm' }, { customerId: 1, purpose: 'reset', token }],
  },
  'siteAccounts:redeem': {
    valid: { token, purpose: 'confirm' },
    refusedFor: 'NOT_FOUND',
    invalid: [
      {},
      { token },
      { token, purpose: 'other' },
      { token: 'short', purpose: 'confirm' },
      { token: 'A'.repeat(129), purpose: 'confirm' },
      { token: `${'A'.repeat(40)}+/=`, purpose: 'reset' },
      { token: `${'A'.repeat(40)} ; `, purpose: 'reset' },
      { token, purpose: 'reset', customerId: 1 },
    ],
  },
}
