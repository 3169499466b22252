import type { RouterCase } from './types'

/** The smallest picture there is, for the letterhead logo's case. */
const ONE_PIXEL_PNG = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'))

/** The address book's first channels: the app, its settings and sample data, customer records, the tag and list pickers. Fixtures: customer 1 active, customer 2 blocked, customer 3 created by the valid create case. */
export const addressBookCases: Record<string, RouterCase> = {
  'app:info': { valid: undefined, invalid: [{ x: 1 }, 'str', 5] },
  'customers:list': {
    valid: { tab: 'active', search: 'rou', sort: 'email', direction: 'desc', pageSize: 10 },
    invalid: [{ tab: 'deleted' }, { search: 'x'.repeat(201) }, { pageSize: 0 }, { pageSize: 201 }, { sort: 'password' }, { tagIds: [-1] }, { extra: true }, null],
  },
  'customers:counts': { valid: { search: 'router' }, invalid: [{ search: 5 }, { groupIds: ['1'] }, { tab: 'active' }] },
  'customers:countMatching': {
    valid: { tab: 'active', filter: { search: 'router' } },
    invalid: [{}, { tab: 'deleted', filter: {} }, { tab: 'active' }, { tab: 'active', filter: { search: 5 } }, { tab: 'active', filter: {}, more: 1 }],
  },
  'customers:get': { valid: { id: 1 }, invalid: [{}, { id: 0 }, { id: 1.5 }, { id: '1' }, { id: 1, more: 1 }] },
  'customers:create': {
    valid: { firstName: 'New', lastName: 'Person', email: 'new.person@example.com' },
    invalid: [{}, { firstName: 'A', email: 'nope' }, { firstName: 'A', phones: 'x' }, { firstName: 'A', status: 'blocked' }, { firstName: 'A', phones: new Array(11).fill({ number: '07700 900123' }) }],
  },
  'customers:update': {
    valid: { id: 1, customer: { firstName: 'Router', lastName: 'Tested', email: 'router@example.com' } },
    invalid: [{ id: 1 }, { customer: { firstName: 'A' } }, { id: 1, customer: { firstName: 'A', email: 'bad@' } }, { id: 1, customer: { firstName: 'A', id: 3 } }],
  },
  'customers:archive': { valid: { id: 3 }, invalid: [{ id: -3 }, {}] },
  'customers:unarchive': { valid: { id: 3 }, invalid: [{ id: 'x' }] },
  'customers:block': { valid: { id: 1, reason: 'No-shows' }, invalid: [{ id: 1 }, { id: 1, reason: '' }, { id: 1, reason: 'x'.repeat(501) }] },
  'customers:unblock': { valid: { id: 2 }, invalid: [{ id: null }] },
  'customers:changes': { valid: { id: 1 }, invalid: [{ id: 1, limit: 1000 }, { id: 0 }] },
  'customers:contact': { valid: { id: 1 }, invalid: [{ id: 0 }, {}, { id: 1, notes: true }] },
  'tags:list': { valid: undefined, invalid: [{ q: 1 }] },
  'groups:list': { valid: {}, invalid: [[]] },
  'settings:get': { valid: undefined, invalid: [{ key: 'x' }] },
  'settings:update': { valid: { businessName: 'Studio' }, invalid: [{ businessName: '' }, { defaultCountry: 'GBR' }, { theme: 'dark' }] },
  'settings:logo': { valid: undefined, invalid: [{ size: 1 }] },
  'settings:setLogo': { valid: { image: ONE_PIXEL_PNG }, invalid: [{ image: new Uint8Array(0) }, { image: 'logo.png' }, {}, { image: new Uint8Array([1, 2, 3]) }] },
  'settings:removeLogo': { valid: {}, invalid: [{ id: 1 }] },
  'demo:seed': { valid: { count: 3 }, invalid: [{ count: 0 }, { count: 1_000_001 }, { count: 2.5 }] },
  'app:checkChangeLog': { valid: undefined, invalid: [{ all: true }] },
}

