import { describe, expect, it } from 'vitest'
import type { Knex } from 'knex'
import { chooseSearchWalk } from '../../db/queries/customerList'
import { planSearch } from '../../db/search'

/** A database of a million customers, as far as the choice asks (the highest id). */
const millionCustomers = { client: { dialect: 'sqlite3' }, raw: async () => [{ n: 1_000_000 }] } as unknown as Knex

/**
 * The same on a server whose planner estimates `estimate` matches of any search: the choice asks for
 * the highest id, the search table's rows, and the estimate.
 */
const millionOnServer = (estimate: number) =>
  ({
    client: { dialect: 'postgresql' },
    // The highest id and the search table's rows are both a million.
    raw: async (sql: string) => (sql.startsWith('EXPLAIN') ? { rows: [{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': estimate } }] }] } : { rows: [{ n: 1_000_000 }] }),
  }) as unknown as Knex

/** The first `count` matches of a search one row in `every` matches, as the capped read returns them. */
const firstMatches = (count: number, every: number) => Array.from({ length: count }, (_, i) => (i + 1) * every)

describe('the way to a broad search’s page', () => {
  it('tests rows when a phone number’s pieces are in most of the book: reading the digit index would read every list whole', async () => {
    // "7700 9001" in a book where every mobile starts 07700 900: one customer in eleven, but four lists of a million entries.
    const walk = await chooseSearchWalk(millionCustomers, planSearch('7700 9001')!, firstMatches(2001, 11), 2000, false, 51)
    expect(walk.kind).toBe('rows')
  })

  it('reads the index for a phone number a few customers in a hundred have', async () => {
    const walk = await chooseSearchWalk(millionCustomers, planSearch('020 7946 1')!, firstMatches(2001, 40), 2000, false, 51)
    expect(walk.kind).not.toBe('rows')
  })

  it('sorts the matches of a name a few thousand customers have', async () => {
    const walk = await chooseSearchWalk(millionCustomers, planSearch('smith')!, firstMatches(2001, 320), 2000, false, 51)
    expect(walk.kind).toBe('sort')
  })

  it('walks the index for a word start about one customer in forty-five has: a window of the list may hold less than a page and cost both', async () => {
    // "el" at a million: the window was the cheaper guess by a hair, and took 21 ms against the index walk's 10.
    const walk = await chooseSearchWalk(millionCustomers, planSearch('el')!, firstMatches(2001, 45), 2000, false, 51)
    expect(walk.kind).toBe('index')
  })

  it('streams a window of the list for a word start one customer in fifteen has: a page lies within its first rows', async () => {
    const walk = await chooseSearchWalk(millionCustomers, planSearch('an')!, firstMatches(2001, 15), 2000, false, 51)
    expect(walk.kind).toBe('window')
  })

  it('takes the matches as they are when they are few', async () => {
    const ids = firstMatches(12, 1000)
    expect(await chooseSearchWalk(millionCustomers, planSearch('7700 9001')!, ids, 2000, false, 51)).toEqual({ kind: 'ids', ids })
  })
})

describe('the way to a broad search’s page on PostgreSQL', () => {
  it('tests rows in the list’s order when a word start is in many rows: reading every match costs more', async () => {
    // "an": one customer in twenty; the matches found are not the lowest ids, so the estimate tells the share.
    const walk = await chooseSearchWalk(millionOnServer(50_000), planSearch('an')!, firstMatches(2001, 30), 2000, false, 51)
    expect(walk.kind).toBe('rows')
  })

  it('walks the index for a name a few thousand customers have: never a sort of every match, nor a window', async () => {
    const walk = await chooseSearchWalk(millionOnServer(3_000), planSearch('smith')!, firstMatches(2001, 320), 2000, false, 51)
    expect(walk.kind).toBe('index')
  })

  it('believes the matches found over an estimate that is too low (runs of digits)', async () => {
    // The planner takes a phone number's pieces as independent and expects a handful; 2,001 were found among the first 22,000 ids.
    const walk = await chooseSearchWalk(millionOnServer(3), planSearch('07700 9001')!, firstMatches(2001, 11), 2000, false, 51)
    expect(walk.kind).toBe('rows')
  })
})
