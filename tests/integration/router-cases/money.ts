import type { TestCore } from '../../helpers/core'
import { prepared, type RouterCase } from './types'

/** A customer of these cases' own with one unpaid booking tomorrow, made once per database. */
const customers = new WeakMap<TestCore, Promise<number>>()
const moneyCustomer = (app: TestCore): Promise<number> => {
  let made = customers.get(app)
  if (!made) {
    made = (async () => {
      const { id } = await app.invoke('customers:create', { firstName: 'Router', lastName: 'Money' })
      const item = await app.invoke('catalogue:saveItem', {
        kind: 'class',
        name: 'Router money class',
        priceOptions: [{ name: 'Adult', amountMinor: 900, currency: 'GBP' }],
      })
      const startsAt = new Date(Date.now() + 86_400_000)
      const session = await app.invoke('catalogue:saveSession', {
        itemId: item.id,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        capacity: 5,
      })
      await app.invoke('bookings:create', {
        customer: { kind: 'existing', id },
        lines: [{ sessionId: session.id, priceOptionId: item.priceOptions[0]!.id, quantity: 1 }],
      })
      return id
    })()
    customers.set(app, made)
  }
  return made
}

/** What the profile reads about a customer's bookings and money. */
export const moneyCases: Record<string, RouterCase> = {
  'bookings:listForCustomer': {
    valid: prepared(async (app) => ({ customerId: await moneyCustomer(app), filter: 'upcoming', limit: 50 })),
    invalid: [
      {},
      { customerId: 0 },
      { customerId: 1, filter: 'soon' },
      { customerId: 1, limit: 0 },
      { customerId: 1, limit: 5001 },
      { customerId: 1, limit: 2.5 },
      { customerId: 1, from: '2026-01-01' },
    ],
  },
  'bookings:list': {
    valid: { status: 'pending', source: 'phone', owing: true, from: '2026-01-01', to: '2026-12-31', order: 'oldest', limit: 20 },
    invalid: [
      { status: 'paid' },
      { source: 'email' },
      { itemId: 0 },
      { from: '1 Jan 2026' },
      { limit: 0 },
      { limit: 201 },
      { owing: 'yes' },
      { after: 'x'.repeat(201) },
      { customerId: 1 },
    ],
  },
  'bookings:warnings': {
    valid: prepared(async (app) => ({ customerId: await moneyCustomer(app) })),
    invalid: [{}, { customerId: 'C-000001' }, { customerId: -3 }, { customerId: 1, future: true }],
  },
  'customers:invoices': {
    valid: prepared(async (app) => ({ customerId: await moneyCustomer(app) })),
    invalid: [{ customerId: null }, { customerId: 1.5 }, { id: 1 }],
  },
  'customers:activity': {
    valid: prepared(async (app) => ({ customerId: await moneyCustomer(app), months: 24 })),
    invalid: [{ customerId: 1, months: 0 }, { customerId: 1, months: 37 }, { customerId: 1, months: '12' }, { months: 12 }, { customerId: 1, currency: 'GBP' }],
  },
}
