import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { channels, type Channel } from '../../preload/contract'
import { createRouter } from '../../main/ipc/router'
import { createHandlers } from '../../main/ipc/handlers'
import { BUILT_IN_ADMIN } from '../../main/services/context'

let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
  await app.invoke('customers:create', { firstName: 'Router', lastName: 'Test', email: 'router@example.com' })
  await app.invoke('customers:create', { firstName: 'Blocked', lastName: 'One' })
  await app.invoke('customers:block', { id: 2, reason: 'Test' })
})
afterAll(async () => {
  await app.cleanup()
})

/** A valid input and several invalid ones for every channel of the contract. */
const cases: Record<Channel, { valid: unknown; invalid: unknown[] }> = {
  'app:info': { valid: undefined, invalid: [{ x: 1 }, 'str', 5] },
  'customers:list': {
    valid: { tab: 'active', search: 'rou', sort: 'email', direction: 'desc', pageSize: 10 },
    invalid: [{ tab: 'deleted' }, { search: 'x'.repeat(201) }, { pageSize: 0 }, { pageSize: 201 }, { sort: 'password' }, { tagIds: [-1] }, { extra: true }, null],
  },
  'customers:counts': { valid: { search: 'router' }, invalid: [{ search: 5 }, { groupIds: ['1'] }, { tab: 'active' }] },
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
  'customers:findByPhone': { valid: { phone: '07700 900123' }, invalid: [{ phone: '' }, { phone: 'x'.repeat(41) }, {}] },
  'customers:changes': { valid: { id: 1 }, invalid: [{ id: 1, limit: 1000 }, { id: 0 }] },
  'tags:list': { valid: undefined, invalid: [{ q: 1 }] },
  'groups:list': { valid: {}, invalid: [[]] },
  'settings:get': { valid: undefined, invalid: [{ key: 'x' }] },
  'settings:update': { valid: { businessName: 'Studio' }, invalid: [{ businessName: '' }, { defaultCountry: 'GBR' }, { theme: 'dark' }] },
  'demo:seed': { valid: { count: 3 }, invalid: [{ count: 0 }, { count: 1_000_001 }, { count: 2.5 }] },
}

describe('the IPC router', () => {
  it('has a valid and an invalid case for every channel', () => {
    expect(Object.keys(cases).sort()).toEqual([...channels].sort())
  })

  it.each(Object.entries(cases))('%s accepts valid input', async (channel, { valid }) => {
    const result = await app.call(channel as Channel, valid as never)
    expect(result).toMatchObject({ ok: true })
  })

  it.each(Object.entries(cases).flatMap(([channel, { invalid }]) => invalid.map((input) => [channel, input] as const)))(
    '%s refuses %j with a structured validation error and changes nothing',
    async (channel, input) => {
      const before = await app.db('change_log').count({ n: '*' })
      const result = await app.call(channel as Channel, input as never)
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.error.code).toBe('VALIDATION')
      expect(result.error.message.length).toBeGreaterThan(3)
      expect(result.error.field).toEqual(expect.any(String))
      expect(await app.db('change_log').count({ n: '*' })).toEqual(before)
    },
  )

  it('refuses unknown channels and untrusted senders', async () => {
    expect(await app.dispatch('customers:drop', {}, { url: 'app://test', isTopFrame: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    const guarded = createRouter({
      handlers: createHandlers({ dataFile: app.dataFile }),
      context: app.context,
      isTrustedSender: (s) => s.isTopFrame && s.url.startsWith('file:///app/'),
    })
    expect(await guarded('customers:get', { id: 1 }, { url: 'https://evil.example', isTopFrame: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    expect(await guarded('customers:get', { id: 1 }, { url: 'file:///app/index.html', isTopFrame: false })).toMatchObject({ ok: false })
    expect(await guarded('customers:get', { id: 1 }, { url: 'file:///app/index.html', isTopFrame: true })).toMatchObject({ ok: true })
  })

  it('turns unexpected failures into a readable error without a stack', async () => {
    const seen: string[] = []
    const broken = createRouter({
      handlers: { ...createHandlers({ dataFile: app.dataFile }), 'customers:get': () => Promise.reject(new Error('SQLITE_CORRUPT at foo.ts:12')) },
      context: () => ({ db: app.db, staff: BUILT_IN_ADMIN, clock: () => new Date() }),
      isTrustedSender: () => true,
      onUnexpectedError: (channel) => seen.push(channel),
    })
    const result = await broken('customers:get', { id: 1 }, { url: '', isTopFrame: true })
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/nothing was changed/) } })
    expect(seen).toEqual(['customers:get'])
  })
})
