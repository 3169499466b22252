import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finishJob, jobResult, openTestCore, type TestCore } from '../helpers/core'
import { chooseImportFile, fakeDialogs } from '../helpers/importDialogs'
import { onPostgres } from '../helpers/testDatabase'
import { dialectOf } from '../../db/dialects'
import { planSearch } from '../../db/search'
import { migrateDownThrough, migrationSource } from '../../db/migrations'
import { allRows, compareInC, idsWalk, matchIdsCapped, selectSortedPage, type ListQuery, type ReadMatches } from '../../db/queries/customerList'

/*
 * A search of a few thousand matches is sorted by name from what its first
 * read brought: on a server, each search row carries its customer's status and
 * sort name. The page must be the one the list's own index gives, in every
 * direction, from any keyset position and on every tab, and the rows must
 * keep their customer's sort name whatever writes the customer.
 */
let app: TestCore
let dir: string
const { next, dialogs } = fakeDialogs()

const people = [
  { firstName: 'Anna', lastName: 'Smith', company: '' },
  { firstName: 'anna', lastName: 'Åberg', company: '' },
  { firstName: 'Ánna', lastName: 'Zed', company: '' },
  { firstName: 'Annabel', lastName: 'Lee', company: 'Anna & Co' },
  // Past U+FFFF, and in the last block before it: JavaScript's own order puts these the other way round.
  { firstName: 'Anna', lastName: '😀 Smile', company: '' },
  { firstName: 'Anna', lastName: 'Ａ Wide', company: '' },
  { firstName: 'Hanna', lastName: 'Berg', company: '' },
  { firstName: 'Joanna', lastName: 'Banks', company: '' },
  { firstName: 'Anna', lastName: 'Smith', company: 'Twin' },
]

beforeAll(async () => {
  app = await openTestCore({ dialogs })
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-sort-names-'))
  await app.runJob('demo:seed', { count: 300, seed: 5 })
  for (const person of people) await app.invoke('customers:create', { email: '', phones: [], addresses: [], ...person })
  const archived = await app.invoke('customers:list', { search: 'hanna berg' })
  await app.invoke('customers:archive', { id: archived.rows[0]!.id })
})
afterAll(async () => {
  await app.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

const query = (over: Partial<ListQuery> = {}): ListQuery => ({
  status: 'active', search: null, tagIds: [], groupIds: [], marketingConsent: 'any', createdFrom: null, createdTo: null, customFields: [], owing: false,
  sort: 'name', direction: 'asc', from: { kind: 'start' }, limit: 4, ...over,
})

/** Every match of a search, with each one's status and sort name as the customers hold them. */
async function readMatches(search: string): Promise<{ ids: number[]; read: ReadMatches }> {
  const match = dialectOf(app.db).matchSql(planSearch(search)!)!
  const rows = allRows<{ id: number; status: string; sort_name: string }>(
    await app.db.raw(`SELECT c.id, c.status, c.sort_name FROM customers c WHERE c.id IN (SELECT id FROM (${match.sql}) m) ORDER BY c.id`, match.bindings),
  )
  return { ids: rows.map((r) => Number(r.id)), read: { statuses: rows.map((r) => r.status), sortNames: rows.map((r) => r.sort_name) } }
}

/** Every page of a list, walked to its end (or its start, backwards), as ids. */
async function walk(over: Partial<ListQuery>, backwards: boolean): Promise<number[]> {
  const seen: number[] = []
  let q = query({ ...over, from: backwards ? { kind: 'end' } : { kind: 'start' } })
  for (;;) {
    const rows = await selectSortedPage(app.db, q)
    if (!rows.length) return seen
    if (backwards) seen.unshift(...rows.map((r) => r.id))
    else seen.push(...rows.map((r) => r.id))
    const edge = backwards ? rows[0]! : rows[rows.length - 1]!
    q = { ...q, from: { kind: backwards ? 'before' : 'after', key: { value: edge.sort_value, id: edge.id } } }
  }
}

describe('a search sorted from the matches its first read brought', () => {
  it('gives the pages the list’s index gives, both ways, in both directions and on every tab', async () => {
    const { ids, read } = await readMatches('anna')
    expect(ids.length).toBeGreaterThan(people.length - 2)
    for (const direction of ['asc', 'desc'] as const) {
      for (const status of ['active', 'archived'] as const) {
        const expected = await walk({ search: { kind: 'ids', ids }, direction, status }, false)
        for (const backwards of [false, true]) {
          expect(await walk({ search: { kind: 'ids', ids, read }, direction, status }, backwards), `${direction} ${status}`).toEqual(expected)
        }
      }
    }
    // Sorted in the server's "C" order: the code point past U+FFFF after the wide letter.
    const names = (await selectSortedPage(app.db, query({ search: { kind: 'ids', ids, read }, limit: 50 }))).map((r) => String(r.sort_value))
    expect(names.indexOf('anna ａ wide')).toBeLessThan(names.indexOf('anna 😀 smile'))
    expect(names.filter((n) => n === 'anna smith')).toHaveLength(2)
  })

  it('leaves another sort, or filters, to the list’s own index', async () => {
    const { ids, read } = await readMatches('anna')
    // A status no match has: taken from the matches read, that page would be empty.
    const misleading: ReadMatches = { statuses: read.statuses.map(() => 'blocked'), sortNames: read.sortNames }
    const tagged = Number((await app.db('customer_tags').first('tag_id')).tag_id)
    for (const over of [{ sort: 'email' as const }, { tagIds: [tagged] }]) {
      const expected = await selectSortedPage(app.db, query({ ...over, search: { kind: 'ids', ids } }))
      expect(await selectSortedPage(app.db, query({ ...over, search: { kind: 'ids', ids, read: misleading } }))).toEqual(expected)
    }
    expect(await selectSortedPage(app.db, query({ search: { kind: 'ids', ids, read: misleading } }))).toEqual([])
  })

  it('is what a keystroke reads on a server, where the search rows hold the sort names; SQLite sorts through its index', async () => {
    const matches = await matchIdsCapped(app.db, planSearch('anna')!, 2000, { forPage: true })
    const walkOf = idsWalk(matches)
    if (!onPostgres) return expect(walkOf).toEqual({ kind: 'ids', ids: matches.ids })
    const { ids, read } = await readMatches('anna')
    expect(walkOf).toEqual({ kind: 'ids', ids, read })
    // Counting reads no sort names.
    expect((await matchIdsCapped(app.db, planSearch('anna')!, 2000)).sortNames ?? null).toBeNull()
  })

  it('orders text by code point, as the server’s "C" order and SQLite’s own do', () => {
    expect(compareInC('😀', 'Ａ')).toBe(1)
    expect('😀' < 'Ａ').toBe(true)
    expect(compareInC('abc', 'abd')).toBe(-1)
    expect(compareInC('ab', 'abc')).toBe(-1)
    expect(compareInC('anna', 'anna')).toBe(0)
    expect(compareInC('Z', 'a')).toBe(-1)
  })
})

describe.skipIf(!onPostgres)('a server’s search rows keep their customer’s sort name and status', () => {
  const outOfStep = async () =>
    allRows<{ id: number }>(
      await app.db.raw('SELECT s.id FROM customer_search s JOIN customers c ON c.id = s.id WHERE s.sort_name <> c.sort_name OR s.status <> c.status'),
    )
  const sortNamesById = async () => allRows<{ id: number; sort_name: string }>(await app.db.raw('SELECT id, sort_name FROM customer_search ORDER BY id'))

  it('whatever writes the customer: a save, a rename, an import, a merge, an erasure', async () => {
    expect(await outOfStep()).toEqual([])
    const [first, second] = (await app.invoke('customers:list', { search: 'joanna banks' })).rows
    expect(second).toBeUndefined()
    const record = await app.invoke('customers:get', { id: first!.id })
    await app.invoke('customers:update', {
      id: record.id,
      customer: { firstName: 'Joanna', lastName: 'Zimmer', email: record.email, company: record.company, phones: [], addresses: [] },
    })
    const file = join(dir, 'people.csv')
    writeFileSync(file, Papa.unparse([['First name', 'Last name', 'Email'], ['Ivo', 'Import', 'ivo.import@example.com'], ['Anna', 'Imported', 'anna.imported@example.com']]))
    const preview = await chooseImportFile(app, next, file)
    jobResult(await finishJob(app.call, await app.invoke('imports:run', { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' })))
    const twins = (await app.invoke('customers:list', { search: 'anna smith' })).rows.map((r) => r.id)
    expect(twins).toHaveLength(2)
    await app.runJob('merges:merge', { customerIds: twins, survivorId: twins[0]!, choices: {} })
    const erased = (await app.invoke('customers:list', { search: 'annabel' })).rows[0]!
    jobResult(await finishJob(app.call, await app.invoke('privacy:erase', { customerId: erased.id, confirm: erased.number })))
    expect(await outOfStep()).toEqual([])
    expect((await sortNamesById()).find((r) => Number(r.id) === record.id)?.sort_name).toBe('joanna zimmer')
    expect((await app.invoke('customers:list', { search: 'zimmer' })).rows.map((r) => r.displayName)).toEqual(['Joanna Zimmer'])
  })

  it('from a database made before they carried it, as a save writes them, and back', async () => {
    const written = await sortNamesById()
    const hasColumn = async () =>
      allRows(await app.db.raw(`SELECT 1 FROM information_schema.columns WHERE table_name = 'customer_search' AND column_name = 'sort_name'`)).length > 0
    await migrateDownThrough(app.db, '20261220000001_search_sort_names')
    expect(await hasColumn()).toBe(false)
    // Renamed meanwhile, as a desk of the version before would.
    await app.db('customers').where({ id: written[0]!.id }).update({ sort_name: 'aaron first' })
    await app.db.migrate.latest({ migrationSource, tableName: 'knex_migrations' })
    expect(await hasColumn()).toBe(true)
    expect(await outOfStep()).toEqual([])
    expect(await sortNamesById()).toEqual([{ ...written[0]!, sort_name: 'aaron first' }, ...written.slice(1)])
    const indexes = allRows<{ indexname: string }>(await app.db.raw(`SELECT indexname FROM pg_indexes WHERE tablename = 'customer_search' ORDER BY 1`)).map((r) => r.indexname)
    expect(indexes).toEqual(['customer_search_name', 'customer_search_pkey', 'customer_search_terms'])
  })
})
