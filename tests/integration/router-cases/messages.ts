import type { TestCore } from '../../helpers/core'
import { prepared, type RouterCase } from './types'
import { unsubscribeKey, unsubscribeToken } from '../../../main/services/messages/unsubscribe'

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
  'messages:marketingPreview': {
    valid: prepared(async (app) => marketingTo(app)),
    invalid: [{ templateId: 1 }, { selection: { kind: 'ids', ids: [] }, templateId: 1 }, { selection: { kind: 'ids', ids: [1] }, templateId: 0 }],
  },
  'messages:sendMarketing': {
    valid: prepared(async (app) => marketingTo(app)),
    invalid: [{ selection: { kind: 'filter', tab: 'active', filter: {}, expectedCount: 0 }, templateId: 1 }, { selection: { kind: 'ids', ids: [1] } }],
  },
  'messages:unsubscribe': {
    valid: prepared(async (app) => {
      const customer = await app.invoke('customers:create', { firstName: 'Una', lastName: 'Subscribe', email: 'una@example.org' })
      return { token: unsubscribeToken(await unsubscribeKey(app.db), customer.id) }
    }),
    invalid: [{ token: '' }, { token: 'x'.repeat(301) }, {}],
  },
}

/** A marketing email to one new customer, with the ready-made marketing template. */
async function marketingTo(app: TestCore): Promise<unknown> {
  made += 1
  const customer = await app.invoke('customers:create', { firstName: 'Mark', lastName: `Eting ${made}`, email: `mark${made}@example.org` })
  const template = (await app.db('email_templates').where({ purpose: 'marketing' }).first('id')) as { id: number }
  return { selection: { kind: 'ids', ids: [customer.id] }, templateId: template.id }
}
