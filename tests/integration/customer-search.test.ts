import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import type { CustomerInput, ListCustomersInput } from '../../preload/contract'

let app: TestCore
const ids: Record<string, number> = {}

const people: Array<[key: string, input: CustomerInput]> = [
  ['zoe', { firstName: 'Zoë', lastName: 'Müller', email: 'zoe@example.com', phones: [{ number: '+44 7700 900123' }] }],
  ['jose', { firstName: 'José', lastName: 'Núñez', company: 'Acme Catering Ltd', phones: [{ number: '020 7946 0018' }] }],
  ['soren', { firstName: 'Søren', lastName: 'Kierkegaard', email: 'soren.k@example.dk', addresses: [{ line1: '1 Nyhavn', postcode: 'DK-1051' }] }],
  ['ann', { firstName: 'Ann', lastName: 'Lee', email: 'ann.lee@example.org', addresses: [{ line1: '10 Downing St', postcode: 'SW1A 2AA' }] }],
  ['anna', { firstName: 'Anna', lastName: 'Smith', phones: [{ number: '07700 900456' }] }],
  ['bo', { firstName: 'Bo', lastName: 'Li' }],
]

beforeAll(async () => {
  app = await openTestCore()
  for (const [key, input] of people) ids[key] = (await app.invoke('customers:create', input)).id
})
afterAll(async () => {
  await app.cleanup()
})

async function found(search: string, extra: Partial<ListCustomersInput> = {}): Promise<string[]> {
  const page = await app.invoke('customers:list', { search, ...extra })
  return page.rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id)!).sort()
}

describe('live search', () => {
  it.each([
    ['7700 900', ['anna', 'zoe']],
    ['7700900123', ['zoe']],
    ['+44 7700', ['anna', 'zoe']],
    ['07700 900 123', ['zoe']],
    ['(020) 7946', ['jose']],
    ['900', ['anna', 'zoe']],
  ])('finds phone digits %j whatever the formatting', async (search, expected) => {
    expect(await found(search)).toEqual(expected)
  })

  it.each([
    ['zoe', ['zoe']],
    ['ZOË', ['zoe']],
    ['muller', ['zoe']],
    ['Nunez', ['jose']],
    ['jose nunez', ['jose']],
    ['soren', ['soren']],
    ['kierke', ['soren']],
  ])('is accent- and case-insensitive: %j', async (search, expected) => {
    expect(await found(search)).toEqual(expected)
  })

  it.each([
    ['acme', ['jose']],
    ['catering', ['jose']],
    ['example.org', ['ann']],
    ['ann.lee@', ['ann']],
    ['sw1a', ['ann']],
    ['SW1A 2AA', ['ann']],
    ['dk-1051', ['soren']],
  ])('searches company, email and postcode: %j', async (search, expected) => {
    expect(await found(search)).toEqual(expected)
  })

  it('answers one- and two-character searches by word start', async () => {
    expect(await found('bo')).toEqual(['bo'])
    expect(await found('li')).toEqual(['bo'])
    expect(await found('an')).toEqual(['ann', 'anna'])
    expect(await found('z')).toEqual(['zoe'])
    expect(await found('an sm')).toEqual(['anna'])
  })

  it('finds customer numbers', async () => {
    expect(await found('C-000003')).toEqual(['soren'])
    expect(await found('c-3')).toEqual(['soren'])
    expect(await found('C3')).toEqual(['soren'])
    expect(await found('000005')).toEqual(['anna'])
  })

  it('treats search syntax as plain text', async () => {
    for (const search of ['"', 'a"b', 'NOT', 'zoe OR', '*', 'col:zoe', '(', ')', 'NEAR(a b)', '%', '_', "'; DROP TABLE customers;--"]) {
      const result = await app.call('customers:list', { search })
      expect(result.ok, search).toBe(true)
    }
    // Punctuation alone has nothing to look for, so it matches nobody; inside a word it is matched literally.
    expect(await found('%')).toEqual([])
    expect(await found('zo%')).toEqual([])
  })

  it('combines with the tab', async () => {
    expect(await found('zoe', { tab: 'archived' })).toEqual([])
  })

  it('counts matches per tab', async () => {
    expect(await app.invoke('customers:counts', { search: '7700' })).toEqual({ active: 2, archived: 0, blocked: 0, capped: false })
  })

  it('puts each match of a word start in its own tab, the recycle bin in none', async () => {
    const made: Record<string, number> = {}
    for (const name of ['Quentin', 'Quinn', 'Quill', 'Quade', 'Quincy']) made[name] = (await app.invoke('customers:create', { firstName: name, lastName: 'Start' })).id
    await app.invoke('customers:archive', { id: made['Quinn']! })
    await app.invoke('customers:block', { id: made['Quill']!, reason: 'Unpaid bills' })
    await app.invoke('customers:delete', { id: made['Quade']! })
    const names = async (tab: ListCustomersInput['tab'], search: string) =>
      (await app.invoke('customers:list', { search, tab })).rows.map((r) => r.displayName).sort()
    for (const search of ['qu', 'q s', 'qu st']) {
      expect(await names('active', search), search).toEqual(['Quentin Start', 'Quincy Start'])
      expect(await names('archived', search), search).toEqual(['Quinn Start'])
      expect(await names('blocked', search), search).toEqual(['Quill Start'])
      expect(await app.invoke('customers:counts', { search }), search).toEqual({ active: 2, archived: 1, blocked: 1, capped: false })
      const page = await app.invoke('customers:list', { search })
      expect(page.counts, search).toEqual({ active: 2, archived: 1, blocked: 1, capped: false })
    }
  })
})
