import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openFrontdesk } from '../../main/app-core'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateUpTo } from '../../db/migrations'
import { openTestCore, type TestCore } from '../helpers/core'
import { testWorker } from '../helpers/worker'
import type { CustomerInput } from '../../preload/contract'

let app: TestCore
const ids: Record<string, number> = {}

// No email or other field that would give the search away: only the names are found.
const people: Array<[key: string, input: CustomerInput]> = [
  ['lukasz', { firstName: 'Łukasz', lastName: 'Wróbel' }],
  ['orsted', { firstName: 'Anders', lastName: 'Ørsted' }],
  ['soren', { firstName: 'Søren', lastName: 'Dahl' }],
  ['dorde', { firstName: 'Đorđe', lastName: 'Petrović' }],
  ['strauss', { firstName: 'Johann', lastName: 'Strauß' }],
  ['aesir', { firstName: 'Ægir', lastName: 'Þórsson' }],
  ['obrien', { firstName: 'Siobhán', lastName: "O'Brien" }],
  ['oneill', { firstName: 'Pat', lastName: 'O’Neill' }],
  ['company1881', { company: '1881' }],
  ['odysseas', { firstName: 'Οδυσσέας', lastName: 'Παππάς' }],
  ['plain', { firstName: 'Plain', lastName: 'Person' }],
]

beforeAll(async () => {
  app = await openTestCore()
  for (const [key, input] of people) ids[key] = (await app.invoke('customers:create', input)).id
})
afterAll(async () => {
  await app.cleanup()
})

async function found(search: string): Promise<string[]> {
  const page = await app.invoke('customers:list', { search })
  const counts = await app.invoke('customers:counts', { search })
  expect(counts.active).toBe(page.total)
  return page.rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id)!).sort()
}

describe('letters Unicode does not decompose', () => {
  it.each([
    ['lukasz', ['lukasz']],
    ['LUKASZ', ['lukasz']],
    ['Łukasz', ['lukasz']],
    ['łukasz wrobel', ['lukasz']],
    ['orsted', ['orsted']],
    ['ØRSTED', ['orsted']],
    ['soren', ['soren']],
    ['dorde', ['dorde']],
    ['petrovic', ['dorde']],
    ['strauss', ['strauss']],
    ['STRAUSS', ['strauss']],
    ['strauß', ['strauss']],
    ['aegir', ['aesir']],
    ['thorsson', ['aesir']],
    // A word's final sigma is a sigma, typed or stored.
    ['ΟΔΥΣ', ['odysseas']],
    ['οδυς', ['odysseas']],
    ['ΠΑΠΠΑΣ', ['odysseas']],
    ['παππας', ['odysseas']],
  ])('%j finds %j', async (search, expected) => {
    expect(await found(search)).toEqual(expected)
  })

  it('a one-letter search starts with the folded letter', async () => {
    expect(await found('ł')).toEqual(['lukasz'])
    expect(await found('l')).toEqual(['lukasz'])
  })
})

describe('apostrophes, digits and punctuation', () => {
  it.each([
    ["o'b", ['obrien']],
    ["o'brien", ['obrien']],
    ['obrien', ['obrien']],
    ['O’Brien', ['obrien']],
    ['oneill', ['oneill']],
    ["o'neill", ['oneill']],
    // Surname first, as a caller gives it.
    ['Wróbel, Łukasz', ['lukasz']],
    ['(Ørsted)', ['orsted']],
  ])('%j finds %j', async (search, expected) => {
    expect(await found(search)).toEqual(expected)
  })

  it('a company called 1881 is found by typing it', async () => {
    expect(await found('1881')).toEqual(['company1881'])
    expect(await found('188')).toEqual(['company1881'])
  })

  it.each(["'", '"', '*', '"*"', '***', '-', '( )'])('punctuation alone (%j) matches nobody', async (search) => {
    const page = await app.invoke('customers:list', { search })
    expect(page.rows).toEqual([])
    expect(page.total).toBe(0)
    expect(await app.invoke('customers:counts', { search })).toMatchObject({ active: 0, archived: 0, blocked: 0 })
  })

  it('a NUL or an invisible character in a search is dropped, never an error', async () => {
    expect(await found('plain\u0000')).toEqual(['plain'])
    expect(await found('pl\u200bain')).toEqual(['plain'])
  })
})

describe('text stored in another normal form, from before', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-nfd-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('is rewritten as NFC and found by what is typed, in either form, after the upgrade', async () => {
    const file = join(dir, 'frontdesk.sqlite3')
    // A file as the previous release left it: every migration up to this release's text changes.
    const db = openDatabase(file)
    await migrateUpTo(db, '20261123000007_bookings')
    // An Arabic name typed with its marks in keyboard order (shadda before fatha), and a decomposed é.
    const arabic = 'مُحَمَّد'
    const keyboardOrder = 'م\u064F\u062D\u064E\u0645\u0651\u064E\u062F'
    const decomposed = 'Rene\u0301e'
    expect(keyboardOrder.normalize('NFC')).not.toBe(keyboardOrder)
    await db('customers').insert({
      first_name: keyboardOrder,
      last_name: decomposed,
      display_name: `${keyboardOrder} ${decomposed}`,
      sort_name: 'x',
      email: `${decomposed}@example.com`,
      email_normalized: `${decomposed}@example.com`.toLowerCase(),
      status: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    await closeDatabase(db)

    const core = await openFrontdesk({ dataFile: file, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN })
    try {
      const call = (search: string) => core.dispatch('customers:list', { search }, { url: 'app://test', isTopFrame: true })
      const row = (await core.db('customers').first('first_name', 'last_name', 'email_normalized')) as Record<string, string>
      expect(row.first_name).toBe(keyboardOrder.normalize('NFC'))
      expect(row.last_name).toBe('Renée')
      expect(row.email_normalized).toBe('renée@example.com')
      for (const search of [arabic, keyboardOrder, keyboardOrder.normalize('NFC'), 'Renée', decomposed, 'renee']) {
        const result = await call(search)
        expect(result, search).toMatchObject({ ok: true, data: { total: 1 } })
      }
    } finally {
      await core.close()
    }
  })
})
