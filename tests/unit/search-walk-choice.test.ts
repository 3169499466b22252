import { describe, expect, it } from 'vitest'
import type { Knex } from 'knex'
import { chooseSearchWalk, type PagePosition } from '../../db/queries/customerList'
import { planSearch } from '../../db/search'
import { digitRead } from '../../db/dialects/postgresSearch'

/** A search's last matches, the highest ids, where one row in `every` matches up to id `last`. */
const lastMatches = (every: number, last = 1_000_000) => Array.from({ length: 50 }, (_, i) => ({ id: last - i * every }))

/**
 * A database of a million customers, as far as the choice asks: the highest id, and the last matches
 * of a search that one row in `every` matches up to id `last` (all through the book unless told).
 */
const millionCustomers = (every: number, last?: number) =>
  ({ client: { dialect: 'sqlite3' }, raw: async (sql: string) => (sql.includes('DESC') ? lastMatches(every, last) : [{ n: 1_000_000 }]) }) as unknown as Knex

/**
 * The same on a server whose planner estimates `estimate` matches of any search: the choice asks for
 * the highest id, the search table's rows, and the estimate.
 */
const millionOnServer = (estimate: number) =>
  ({
    client: { dialect: 'postgresql' },
    // The highest id (n) and the search table's rows (read with the digit statistics) are both a million.
    raw: async (sql: string) =>
      sql.startsWith('EXPLAIN') ? { rows: [{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': estimate } }] }] } : { rows: [{ n: 1_000_000, rows: 1_000_000 }] },
  }) as unknown as Knex

/** The same, where the digit index's last piece of a number (read on its own) gives these first ids. */
const withLastPiece = (ids: number[], every: number) =>
  ({
    client: { dialect: 'sqlite3' },
    raw: async (sql: string) =>
      sql.includes('DESC') ? lastMatches(every) : sql.includes('customer_search_digits') ? ids.map((id) => ({ id })) : [{ n: 1_000_000 }],
  }) as unknown as Knex

/** The first `count` matches of a search one row in `every` matches, as the capped read returns them. */
const firstMatches = (count: number, every: number) => Array.from({ length: count }, (_, i) => (i + 1) * every)

describe('the way to a broad search’s page', () => {
  it('tests rows on a server for a phone number a quarter of the book has, though a customer saved since sits among its first matches', async () => {
    // "4420794": the planner takes its three pieces as independent (3,613 matches foreseen of 250,000). A customer
    // saved after the others, its row written into space freed near the table's start, is read among the first.
    const ids = [...firstMatches(2000, 4), 500_000]
    expect(await chooseSearchWalk(millionOnServer(3613), planSearch('4420794')!, ids, 2000, false, 51)).toEqual({ kind: 'rows', plan: planSearch('4420794'), readAllMs: expect.any(Number) })
  })

  it('tests rows when a phone number’s pieces are in most of the book: reading the digit index would read every list whole', async () => {
    // "7700 9001" in a book where every mobile starts 07700 900: one customer in eleven, but four lists of a million entries.
    const walk = await chooseSearchWalk(millionCustomers(11), planSearch('7700 9001')!, firstMatches(2001, 11), 2000, false, 51)
    expect(walk.kind).toBe('rows')
  })

  it('reads the index for a phone number a few customers in a hundred have', async () => {
    const walk = await chooseSearchWalk(millionCustomers(40), planSearch('020 7946 1')!, firstMatches(2001, 40), 2000, false, 51)
    expect(walk.kind).not.toBe('rows')
  })

  it('reads a phone number’s index walk through its last piece when that piece’s list is hardly longer than the number’s matches', async () => {
    // "020 7946 1": one customer in forty; "79461" alone, about as many. The number's first pieces are in a quarter of the book.
    const walk = await chooseSearchWalk(withLastPiece(firstMatches(2001, 41), 40), planSearch('020 7946 1')!, firstMatches(2001, 40), 2000, false, 51)
    expect(walk).toEqual({ kind: 'index', plan: planSearch('020 7946 1'), wider: true })
  })

  it('reads the whole number when its last piece is in many more rows: each of them met on the walk would be tested', async () => {
    const walk = await chooseSearchWalk(withLastPiece(firstMatches(2001, 5), 40), planSearch('020 7946 1')!, firstMatches(2001, 40), 2000, false, 51)
    expect(walk).toEqual({ kind: 'index', plan: planSearch('020 7946 1') })
  })

  it('sorts the matches of a name a few thousand customers have', async () => {
    const walk = await chooseSearchWalk(millionCustomers(320), planSearch('smith')!, firstMatches(2001, 320), 2000, false, 51)
    expect(walk.kind).toBe('sort')
  })

  it('walks the index for a word start about one customer in forty-five has: a window of the list may hold less than a page and cost both', async () => {
    // "el" at a million: the window was the cheaper guess by a hair, and took 21 ms against the index walk's 10.
    const walk = await chooseSearchWalk(millionCustomers(45), planSearch('el')!, firstMatches(2001, 45), 2000, false, 51)
    expect(walk.kind).toBe('index')
  })

  it('streams a window of the list for a word start one customer in fifteen has: a page lies within its first rows', async () => {
    const walk = await chooseSearchWalk(millionCustomers(15), planSearch('an')!, firstMatches(2001, 15), 2000, false, 51)
    expect(walk.kind).toBe('window')
  })

  it('walks the index for a short run of digits whose matches all lie among a few thousand ids: the first read alone made it a sixth of the book', async () => {
    // "01" at a million: C-010000 to C-019999, and nobody after them.
    const clustered = millionCustomers(1, 19_999)
    const first = Array.from({ length: 2001 }, (_, i) => 10_000 + i)
    expect((await chooseSearchWalk(clustered, planSearch('01')!, first, 2000, false, 51)).kind).toBe('index')
    // Spread as thickly all through the book, its page lies within the list's first rows.
    expect((await chooseSearchWalk(millionCustomers(1), planSearch('01')!, first, 2000, false, 51)).kind).toBe('rows')
  })

  it('tests rows by name for a digit typed alone, whose matches lie all along the list, where the full margin chose a window', async () => {
    // "7" at a million: 170,000 matches, the first 2,001 among the first 25,000 ids and as thick at the end.
    const byName = { status: 'active', sort: 'name', direction: 'asc', from: { kind: 'start' } } as const
    const seven = async (page?: PagePosition) =>
      (await chooseSearchWalk(millionCustomers(13), planSearch('7')!, firstMatches(2001, 12), 2000, false, 51, page)).kind
    expect(await seven(byName)).toBe('rows')
    // By number the customer numbers among them (C-700000 to C-799999) lie together: the margin stands.
    expect(await seven({ ...byName, sort: 'number' })).toBe('window')
    expect(await seven()).toBe('window')
  })

  it('takes the matches as they are when they are few', async () => {
    const ids = firstMatches(12, 1000)
    expect(await chooseSearchWalk(millionCustomers(1000), planSearch('7700 9001')!, ids, 2000, false, 51)).toEqual({ kind: 'ids', ids })
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

  it('tests rows for a common piece of names with a filter: each of its matches would be confirmed in a row scattered over the search table', async () => {
    // "son" with a tag held by 40 %: 71,000 matches took 300–380 ms to read (the estimate said 40,000); 3,800 rows tested, 37 ms.
    const walk = await chooseSearchWalk(millionOnServer(40_000), planSearch('son')!, firstMatches(2001, 25), 2000, true, 51)
    expect(walk.kind).toBe('rows')
  })

  it('walks the index for as many word starts with a filter: their lists answer without reading the rows', async () => {
    const walk = await chooseSearchWalk(millionOnServer(40_000), planSearch('j s')!, firstMatches(2001, 25), 2000, true, 51)
    expect(walk.kind).toBe('index')
  })

  it('believes the matches found over an estimate that is too low (runs of digits)', async () => {
    // The planner takes a phone number's pieces as independent and expects a handful; 2,001 were found among the first 22,000 ids.
    const walk = await chooseSearchWalk(millionOnServer(3), planSearch('07700 9001')!, firstMatches(2001, 11), 2000, false, 51)
    expect(walk.kind).toBe('rows')
  })
})

/**
 * A server that answers where matches lie: each sampled match's sort value, and the planner's count
 * of the tab's rows up to a value (`rank`). Every search is estimated at `estimate` matches.
 */
const millionOnServerSorted = (estimate: number, sortValueOf: (id: number) => string, rank: (value: string) => number) =>
  ({
    client: { dialect: 'postgresql' },
    raw: async (sql: string, bindings: unknown[] = []) => {
      if (sql.startsWith('EXPLAIN')) {
        const rows = sql.includes('FROM customers c') ? rank(String(bindings[bindings.length - 1])) : estimate
        return { rows: [{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': rows } }] }] }
      }
      if (sql.includes(' AS v FROM customers c')) {
        const ids = String(bindings[0]).replace(/[{}]/g, '').split(',').map(Number)
        return { rows: ids.map((id) => ({ v: sortValueOf(id) })) }
      }
      return { rows: [{ n: 1_000_000, rows: 1_000_000 }] }
    },
  }) as unknown as Knex

const firstPageByName = { status: 'active', sort: 'name', direction: 'asc', from: { kind: 'start' } } as const
/** By email, a row-test walk reads the customers (by name, a server's walk reads its search rows, at about a third of the cost a row). */
const firstPageByEmail = { ...firstPageByName, sort: 'email' } as const

describe('the way to a broad search’s page on PostgreSQL, from where its matches lie in the list', () => {
  // Names spread evenly over a million rows, "aa…" to "zz…": a value's rank is its place in the alphabet.
  const rankOf = (value: string) => Math.round(((value.charCodeAt(0) - 97) / 26 + (value.charCodeAt(1) - 97) / 676) * 1_000_000)

  it('sorts every match of a name that bunches far down the list (everyone called José sorts together)', async () => {
    // 5,800 matches, one in 170 of the first ids, all sorting under "jose …", some 40 % down the list.
    const db = millionOnServerSorted(5_800, (id) => `jose ${String(id).padStart(7, '0')}`, rankOf)
    const walk = await chooseSearchWalk(db, planSearch('jose')!, firstMatches(2001, 170), 2000, false, 51, firstPageByName)
    expect(walk.kind).toBe('sort')
  })

  it('takes the share of a piece of text from its first matches, not from the planner\'s estimate', async () => {
    // The planner's estimate for "jose" was 20,199 after one analysis of the table (the pattern tried on a
    // hundred sampled documents): priced for as many, the sort lost to a walk of 465,000 rows (60–130 ms).
    const db = millionOnServerSorted(20_199, (id) => `jose ${String(id).padStart(7, '0')}`, rankOf)
    const walk = await chooseSearchWalk(db, planSearch('jose')!, firstMatches(2001, 170), 2000, false, 51, firstPageByName)
    expect(walk.kind).toBe('sort')
  })

  it('walks the index for matches as many that lie all along the list, testing rows only where they are cheap to test', async () => {
    const spread = (id: number) => `${String.fromCharCode(97 + (id % 26))}${String.fromCharCode(97 + ((id >> 5) % 26))} ${id}`
    const db = millionOnServerSorted(5_800, spread, rankOf)
    const walk = await chooseSearchWalk(db, planSearch('jose')!, firstMatches(2001, 170), 2000, false, 51, firstPageByEmail)
    expect(walk.kind).toBe('index')
    // By name, the search rows walked in that order are tested without reading the customers.
    expect((await chooseSearchWalk(db, planSearch('jose')!, firstMatches(2001, 170), 2000, false, 51, firstPageByName)).kind).toBe('rows')
    // Unless a filter reads the customer's own columns: then the walk reads the customers again.
    const consenting = { ...firstPageByName, marketingConsent: 'yes' } as const
    expect((await chooseSearchWalk(db, planSearch('jose')!, firstMatches(2001, 170), 2000, true, 51, consenting)).kind).toBe('index')
  })

  it('tests rows from the start of the list when a word start is in many rows all along it', async () => {
    const spread = (id: number) => `${String.fromCharCode(97 + (id % 26))}${String.fromCharCode(97 + ((id >> 5) % 26))} ${id}`
    const db = millionOnServerSorted(65_000, spread, rankOf)
    const walk = await chooseSearchWalk(db, planSearch('an')!, firstMatches(2001, 15), 2000, false, 51, firstPageByName)
    expect(walk.kind).toBe('rows')
  })

  it('walks the index, not the rows, when the first read showed the matches quicker to read than priced', async () => {
    // "ander" at a million: 6,200 matches in names in the first third of the list; its first 2,001 read in
    // 7 ms, where the prices say 35 ms for all of them (they were fitted to a cold cache).
    const place = (id: number) => String(500 + ((id / 160 - 1) * 6_133) % 300_000).padStart(7, '0')
    const db = millionOnServerSorted(6_200, place, Number)
    const ids = firstMatches(2001, 160)
    expect((await chooseSearchWalk(db, planSearch('ander')!, ids, 2000, false, 51, firstPageByEmail)).kind).toBe('rows')
    expect((await chooseSearchWalk(db, planSearch('ander')!, ids, 2000, false, 51, firstPageByEmail, 7)).kind).toBe('index')
    // A first read as slow as the prices changes nothing.
    expect((await chooseSearchWalk(db, planSearch('ander')!, ids, 2000, false, 51, firstPageByEmail, 12)).kind).toBe('rows')
  })

  it('walks the index, not the rows, when the first match sampled lies far ahead of the others', async () => {
    // "ander" at a million: 6,200 matches all along the list, one in 160 rows; the first of the hundred sampled
    // was its very first match (row 1,835), the next ones ten thousand rows apart. Its 51st match was at row
    // 17,685: priced from the first sample value alone, the rows walk ran out of time and the index walked anyway.
    const place = (id: number) => String(id === 160 ? 1_835 : 496 * (id / 160 - 1)).padStart(7, '0')
    const db = millionOnServerSorted(6_200, place, Number)
    const walk = await chooseSearchWalk(db, planSearch('ander')!, firstMatches(2001, 160), 2000, false, 51, firstPageByEmail)
    expect(walk.kind).toBe('index')
  })

  it('walks the index, not the rows, for a word start whose matches lie a quarter of the way down', async () => {
    // "el" at a million: 22,000 matches; the row test meets too few in its first rows and must give way to the index anyway.
    const db = millionOnServerSorted(22_000, (id) => `el${String.fromCharCode(97 + (id % 26))} ${id}`, rankOf)
    const walk = await chooseSearchWalk(db, planSearch('el')!, firstMatches(2001, 45), 2000, false, 51, firstPageByName)
    expect(walk.kind).toBe('index')
  })
})

describe('the way to a broad search’s page on PostgreSQL, in the sorts that follow the ids', () => {
  it('tests rows from the newest for a common piece of names, newest first (the first matches, the oldest, say nothing of it)', async () => {
    // Dates added rise with the ids: the lowest ids, the first matches read, sort last when newest come first.
    const added = (id: number) => new Date(Date.UTC(2015, 0, 1) + id * 300_000).toISOString()
    const rankNewestFirst = (value: string) => Math.round(1_000_000 - (Date.parse(value) - Date.UTC(2015, 0, 1)) / 300_000)
    const db = millionOnServerSorted(29_000, added, rankNewestFirst)
    const newestFirst = { status: 'active', sort: 'createdAt', direction: 'desc', from: { kind: 'start' } } as const
    const walk = await chooseSearchWalk(db, planSearch('son')!, firstMatches(2001, 35), 2000, false, 51, newestFirst)
    expect(walk.kind).toBe('rows')
  })
})

describe('reading a run of digits’ first matches on PostgreSQL', () => {
  const statistics = (rows: number, shares: Array<[number, number]>) => ({ rows, shares: new Map(shares), rarest: Math.min(...shares.map(([, s]) => s)) })

  it('goes through the rarest piece when it is rare', () => {
    // "07700 9001": the mobile prefix's pieces are everywhere, "09001" is in a few hundred rows.
    const stats = statistics(1_000_000, [[7700, 0.6], [77009, 0.5], [70090, 0.5], [900, 0.55], [9001, 0.0004]])
    expect(digitRead([7700, 77009, 70090, 900, 9001], stats, 2001)).toEqual({ kind: 'piece', piece: 9001 })
    // A piece the statistics do not list is rarer than any they do.
    expect(digitRead([7700, 12345], stats, 2001)).toEqual({ kind: 'piece', piece: 12345 })
  })

  it('reads the table from its start when even the rarest piece is in tens of thousands of rows', () => {
    const stats = statistics(1_000_000, [[44207, 0.09], [42079, 0.08], [20794, 0.08]])
    expect(digitRead([44207, 42079, 20794], stats, 2001)).toEqual({ kind: 'scan' })
  })

  it('goes through a piece when nothing is known of them (no statistics yet)', () => {
    expect(digitRead([7700, 77009], { rows: 0, shares: new Map(), rarest: 0 }, 2001)).toEqual({ kind: 'piece', piece: 7700 })
  })
})
