import type { TestCore } from '../../helpers/core'
import { prepared, type RouterCase } from './types'

/** A customer with an email and one message written to them, left in `status`. */
let made = 0
async function messageIn(app: TestCore, status: 'failed' | 'queued'): Promise<{ customerId: number; id: number }> {
  made += 1
  const customer = await app.invoke('customers:create', { firstName: 'Rhoda', lastName: `Outbox ${made}`, email: `rhoda.outbox${made}@example.org` })
  const sent = await app.invoke('messages:send', { customerId: customer.id, subject: 'Hello', body: 'Hello {{firstName}}' })
  await app.db('messages').where({ id: sent.id }).update({ status })
  return { customerId: customer.id, id: sent.id }
}

/** The outbox, sending and each customer's messages. */
export const messagesCases: Record<string, RouterCase> = {
  'messages:outboxCounts': { valid: undefined, invalid: [{ status: 'queued' }] },
  'messages:send': {
    valid: prepared(async (app) => ({ customerId: (await messageIn(app, 'queued')).customerId, subject: 'Opening hours', body: 'We open at **nine**.' })),
    invalid: [{ customerId: 1 }, { customerId: 1, subject: 'Hi', body: 'x', kind: 'letter' }, { customerId: 0, templateId: 1 }],
  },
  'messages:forCustomer': { valid: { customerId: 1, pageSize: 20 }, invalid: [{ customerId: 1, after: 'abc' }, { customerId: 1, pageSize: 0 }] },
  'messages:get': { valid: prepared(async (app) => ({ id: (await messageIn(app, 'queued')).id })), invalid: [{ id: 'x' }, {}] },
  'messages:outbox': { valid: { status: 'failed', pageSize: 50 }, invalid: [{ status: 'lost' }, { pageSize: 1000 }] },
  'messages:retry': { valid: prepared(async (app) => ({ ids: [(await messageIn(app, 'failed')).id] })), invalid: [{ ids: [] }, { id: 1 }] },
  'messages:cancel': { valid: prepared(async (app) => ({ ids: [(await messageIn(app, 'queued')).id] })), invalid: [{ ids: [0] }, {}] },
  'messages:sendNow': { valid: undefined, invalid: [{ now: true }] },
}
