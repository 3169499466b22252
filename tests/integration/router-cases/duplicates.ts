import type { RouterCase } from './types'

/** Likely duplicates. Customers 1 and 2 are made by the router test's setup. */
export const duplicateCases: Record<string, RouterCase> = {
  'duplicates:check': {
    valid: { firstName: 'Router', lastName: 'Test', email: 'router@example.com', phones: ['07700 900123'], postcode: 'BA1 1AA', country: 'gb' },
    invalid: [
      { email: 'x'.repeat(255) },
      { phones: '07700 900123' },
      { phones: Array.from({ length: 11 }, () => '07700 900123') },
      { country: 'GBR' },
      { excludeCustomerId: 0 },
      { nickname: 'Bob' },
    ],
  },
  'duplicates:dismiss': {
    valid: { customerId: 1, otherIds: [2] },
    invalid: [{ customerId: 1 }, { customerId: 1, otherIds: [] }, { customerId: 0, otherIds: [2] }, { customerId: 1, otherIds: [2], why: 'x' }],
  },
  'duplicates:forCustomer': { valid: { customerId: 1 }, invalid: [{}, { customerId: '1' }] },
  'duplicates:groups': { valid: { page: 0, pageSize: 20 }, invalid: [{ page: -1 }, { pageSize: 500 }, { sort: 'name' }] },
  'duplicates:scan': { valid: undefined, invalid: [{ all: true }] },
}
