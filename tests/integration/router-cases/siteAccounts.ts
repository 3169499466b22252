import type { RouterCase } from './types'

/** The online booking site's account emails and their tokens. */
export const siteAccountsCases: Record<string, RouterCase> = {
  'siteAccounts:forCustomer': { valid: { customerId: 1 }, invalid: [{}, { customerId: 0 }, { customerId: '1' }, { customerId: 1, token: 'x' }] },
}
