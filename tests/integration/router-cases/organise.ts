import type { TestCore } from '../../helpers/core'
import { prepared, type RouterCase } from './types'

/** Organising channels (notes, tags, lists, saved filters, bulk actions, recycle bin). Each case creates what it needs; customer 3 is a live customer of the fixtures. */
const idOf = async (app: TestCore, table: string, where: Record<string, unknown>): Promise<number> =>
  ((await app.db(table).where(where).orderBy('id', 'desc').first('id')) as { id: number }).id

const customerInBin = async (app: TestCore, firstName: string): Promise<number> => {
  const created = await app.invoke('customers:create', { firstName, lastName: 'Bin' })
  await app.invoke('customers:delete', { id: created.id })
  return created.id
}

export const organiseCases: Record<string, RouterCase> = {
  'customers:summary': { valid: { id: 3 }, invalid: [{}, { id: 0 }, { id: 3, notes: 5 }] },
  'notes:add': {
    valid: { customerId: 3, body: 'Router note', reminderOn: '2026-01-01' },
    invalid: [{ customerId: 3, body: '' }, { customerId: 3, body: 'x', reminderOn: '01/02/2026' }, { customerId: 3, body: 'x', reminderOn: '2026-02-30' }, { customerId: 3 }],
  },
  'notes:list': { valid: { customerId: 3 }, invalid: [{ customerId: '3' }, {}] },
  'notes:update': {
    valid: prepared(async (app) => ({ id: await idOf(app, 'notes', { customer_id: 3 }), body: 'Edited note', pinned: true })),
    invalid: [{ id: 1, body: '' }, { id: 1, body: 'x', pinned: 'yes' }, { body: 'x' }],
  },
  'notes:reorder': {
    valid: prepared(async (app) => {
      await app.invoke('notes:add', { customerId: 3, body: 'Second note' })
      const notes = await app.invoke('notes:list', { customerId: 3 })
      return { customerId: 3, orderedIds: notes.map((n) => n.id).reverse() }
    }),
    // The last one is well-formed but names a note the customer does not have: refused by the service.
    invalid: [{ customerId: 3, orderedIds: [] }, { customerId: 3, orderedIds: ['a'] }, { customerId: 3, orderedIds: [999_999] }],
  },
  'notes:reminders': { valid: {}, invalid: [{ dueOn: 'tomorrow' }, { dueOn: '2026-13-01' }] },
  'notes:delete': {
    valid: prepared(async (app) => ({ id: await idOf(app, 'notes', { customer_id: 3 }) })),
    invalid: [{ id: -1 }, {}],
  },
  'tags:suggest': { valid: { query: 're', limit: 5 }, invalid: [{ limit: 0 }, { limit: 51 }, { query: 'x'.repeat(61) }] },
  'tags:usage': { valid: undefined, invalid: [{ x: 1 }] },
  'tags:create': { valid: { name: 'Router tag', color: '#112233' }, invalid: [{ name: '' }, { name: 'x', color: 'red' }, { name: 'x'.repeat(61) }] },
  'tags:update': {
    valid: prepared(async (app) => ({ id: await idOf(app, 'tags', { name: 'Router tag' }), name: 'Router tag 2', color: null })),
    invalid: [{ id: 1, name: '' }, { name: 'x' }],
  },
  'tags:merge': {
    valid: prepared(async (app) => {
      const source = await app.invoke('tags:create', { name: 'Router merge source' })
      return { sourceId: source.id, targetId: await idOf(app, 'tags', { name: 'Router tag 2' }) }
    }),
    invalid: [{ sourceId: 1 }, { sourceId: 1, targetId: 1 }],
  },
  'tags:delete': {
    valid: prepared(async (app) => ({ id: (await app.invoke('tags:create', { name: 'Router delete me' })).id })),
    invalid: [{ id: 'x' }],
  },
  'customers:addTag': { valid: { customerId: 3, name: 'Router customer tag' }, invalid: [{ customerId: 3, name: '' }, { customerId: 3, name: 'x'.repeat(61) }] },
  'customers:removeTag': {
    valid: prepared(async (app) => ({ customerId: 3, tagId: await idOf(app, 'tags', { name: 'Router customer tag' }) })),
    invalid: [{ customerId: 3 }, { customerId: 3, tagId: 1.5 }],
  },
  'groups:usage': { valid: undefined, invalid: [{ a: 1 }] },
  'groups:create': { valid: { name: 'Router list' }, invalid: [{ name: '' }, { name: 'x', description: 'x'.repeat(501) }] },
  'groups:update': {
    valid: prepared(async (app) => ({ id: await idOf(app, 'customer_groups', { name: 'Router list' }), name: 'Router list 2', description: 'd' })),
    invalid: [{ id: 1 }, { id: 1, name: 'x'.repeat(101) }],
  },
  'customers:addToGroup': {
    valid: prepared(async (app) => ({ customerId: 3, groupId: await idOf(app, 'customer_groups', { name: 'Router list 2' }) })),
    invalid: [{ customerId: 3, groupId: 0 }],
  },
  'customers:removeFromGroup': {
    valid: prepared(async (app) => ({ customerId: 3, groupId: await idOf(app, 'customer_groups', { name: 'Router list 2' }) })),
    invalid: [{ customerId: 3 }],
  },
  'groups:delete': {
    valid: prepared(async (app) => ({ id: (await app.invoke('groups:create', { name: 'Router list to delete' })).id })),
    invalid: [{ id: null }],
  },
  'savedFilters:save': {
    valid: { name: 'Router filter', filter: { marketingConsent: 'yes', createdFrom: '2026-01-01', customFields: [{ fieldId: 1, value: '42' }] } },
    invalid: [
      { name: '', filter: {} },
      { name: 'x', filter: { marketingConsent: 'maybe' } },
      { name: 'x', filter: { createdFrom: '2026-02-01', createdTo: '2026-01-01' } },
      { name: 'x', filter: { customFields: [{ fieldId: 1, value: '' }] } },
      { name: 'x' },
    ],
  },
  'savedFilters:list': { valid: undefined, invalid: [{ a: 1 }] },
  'savedFilters:delete': {
    valid: prepared(async (app) => ({ id: await idOf(app, 'saved_filters', { name: 'Router filter' }) })),
    invalid: [{ id: 0 }],
  },
  'customers:bulk': {
    valid: { selection: { kind: 'ids', ids: [3] }, action: { kind: 'tag', tagName: 'Router bulk' } },
    invalid: [
      { selection: { kind: 'ids', ids: [] }, action: { kind: 'archive' } },
      { selection: { kind: 'ids', ids: [3] }, action: { kind: 'explode' } },
      { selection: { kind: 'filter', tab: 'deleted', filter: {}, expectedCount: 1 }, action: { kind: 'archive' } },
      { selection: { kind: 'filter', tab: 'active', filter: {}, expectedCount: 0 }, action: { kind: 'archive' } },
    ],
  },
  'jobs:get': {
    valid: prepared(async (app) => ({ id: (await app.callJob('customers:bulk', { selection: { kind: 'ids', ids: [3] }, action: { kind: 'tag', tagName: 'Router job' } })).id })),
    invalid: [{}, { id: 0 }, { id: 'one' }],
  },
  'jobs:cancel': {
    valid: prepared(async (app) => ({ id: (await app.callJob('customers:bulk', { selection: { kind: 'ids', ids: [3] }, action: { kind: 'tag', tagName: 'Router job' } })).id })),
    invalid: [{ id: -1 }, { id: 1, now: true }],
  },
  'jobs:list': { valid: undefined, invalid: [{ all: true }] },
  'customers:delete': {
    valid: prepared(async (app) => ({ id: (await app.invoke('customers:create', { firstName: 'Router', lastName: 'Delete' })).id })),
    invalid: [{ id: '1' }, {}],
  },
  'recycleBin:list': { valid: undefined, invalid: [{ a: 1 }] },
  'recycleBin:restore': { valid: prepared(async (app) => ({ id: await customerInBin(app, 'Restore') })), invalid: [{}] },
  'recycleBin:purge': { valid: prepared(async (app) => ({ id: await customerInBin(app, 'Purge') })), invalid: [{ id: -1 }] },
}
