import type { FrontdeskCore } from '../../main/app-core'
import { countCustomers, countMatchingExactly, createCustomer, listCustomers, updateCustomer, loadCustomer } from '../../main/services/customers'
import { listCustomersInput, countCustomersInput, customerFilter, customerInput } from '../../preload/contract'
import { firstRow } from '../../db/queries/customerList'
import { suggestTags } from '../../main/services/organise/tags'
import { customerInputOf } from '../helpers/customerInput'
import { currentEngine, measure } from './measure'

/**
 * Runs enough that a p95 is one: of 20 samples (two searches run ten times) it is the slowest, one
 * collection of garbage or one slice of the idle upkeep; of 60, the slowest three lie past it.
 */
const P95_SAMPLES = 60

function sampled(label: string, target: number, runs: Array<() => Promise<unknown>>): Promise<void> {
  return measure(label, target, runs, Math.max(10, Math.ceil(P95_SAMPLES / runs.length)))
}

/** One keystroke's whole answer: SQLite's target, and PostgreSQL's (a server round trip or two more). */
const SEARCH_TARGET = () => (currentEngine() === 'PostgreSQL' ? 20 : 16)

/**
 * The address book's figures on an open core of the customers database, the
 * same on either engine: every kind of search, list pages at any depth,
 * tab counts, "select all", and customer writes.
 */
export async function measureAddressBook(core: FrontdeskCore): Promise<void> {
  const ctx = core.context()
  const list = (input: Record<string, unknown>) => () => listCustomers(ctx, listCustomersInput.parse(input))
  // One keystroke's whole answer: the first page and every tab's count, from one call.
  const searches = (queries: string[]) => queries.map((search) => list({ search }))

  await sampled('keystroke (page + counts), 2 characters (jo, an, ma, el, sa)', SEARCH_TARGET(), searches(['jo', 'an', 'ma', 'el', 'sa']))
  await sampled('keystroke, 3 characters (son, mar, ell, ber, ann)', SEARCH_TARGET(), searches(['son', 'mar', 'ell', 'ber', 'ann']))
  await sampled('keystroke, 5 characters (smith, mille, ander, schmi, jones)', SEARCH_TARGET(), searches(['smith', 'mille', 'ander', 'schmi', 'jones']))
  await sampled('keystroke, accents (muller, zoe, jose, soren, lukasz)', SEARCH_TARGET(), searches(['muller', 'zoe', 'jose', 'soren', 'lukasz']))
  await sampled('keystroke, folded letters (łukasz, orsted, strauss, dorde)', SEARCH_TARGET(), searches(['łukasz', 'orsted', 'strauss', 'dorde', "o'b"]))
  await sampled('keystroke, two words (anna sch, mar smi)', SEARCH_TARGET(), searches(['anna sch', 'mar smi', 'jo mill']))
  await sampled('keystroke, phone digits (7700 900, 900123, 020 7946 12)', SEARCH_TARGET(), searches(['7700 900', '900123', '020 7946 12', '07700 9001', '4420794']))
  await sampled('keystroke, customer number (C-000123, C-999999, 123456)', SEARCH_TARGET(), searches(['C-000123', 'C-999999', 'C-42', '123456']))
  await sampled('keystroke, email fragment (@example.org, anna.s)', SEARCH_TARGET(), searches(['@example.org', 'anna.s', 'smith12']))
  await sampled('keystroke, 1 character (a, z)', SEARCH_TARGET(), searches(['a', 'z']))
  // The first keys of a phone number: "01" is also every customer number from C-010000 to C-019999, and nobody after.
  await sampled('keystroke, first digits of a phone number (0, 7, 01, 02)', SEARCH_TARGET(), searches(['0', '7', '01', '02']))

  // Deep keyset positions (looked up once, not timed).
  const deep = async (column: string, offset: number) => {
    const row = firstRow<{ value: string; id: number }>(
      await core.db.raw(`SELECT ${column} AS value, id FROM customers WHERE status = 'active' ORDER BY ${column}, id LIMIT 1 OFFSET ?`, [offset]),
    )!
    return Buffer.from(JSON.stringify([row.value, row.id])).toString('base64url')
  }
  const activeCount = (await countCustomers(ctx, countCustomersInput.parse({}))).active
  const deepName = await deep('sort_name', Math.floor(activeCount * 0.9))
  const midEmail = await deep('email_normalized', Math.floor(activeCount * 0.5))
  const regular = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'Regular'`))!.id
  const vip = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'VIP'`))!.id

  await sampled('list, first page by name', 16, [list({ sort: 'name' })])
  await sampled('list, page at depth 90% by name', 16, [list({ sort: 'name', after: deepName })])
  await sampled('list, previous page at depth 90% by name', 16, [list({ sort: 'name', before: deepName })])
  await sampled('list, last page by name', 16, [list({ sort: 'name', last: true })])
  await sampled('list, page at depth 50% by email', 16, [list({ sort: 'email', after: midEmail })])
  await sampled('list, by number / created desc', 16, [list({ sort: 'number', direction: 'desc' }), list({ sort: 'createdAt', direction: 'desc' })])
  await sampled('list, tag held by 40% (first + deep page)', 16, [list({ tagIds: [regular] }), list({ tagIds: [regular], after: deepName })])
  await sampled('list, rare tag (3%) by name', 16, [list({ tagIds: [vip] })])
  await sampled('list, archived and blocked tabs', 16, [list({ tab: 'archived' }), list({ tab: 'blocked' })])
  // Three searches, so the p95 of 30 runs is a p95 and not the slowest of ten.
  await sampled('list, search + tag filter (son, mar, ell + Regular)', 16, ['son', 'mar', 'ell'].map((search) => list({ search, tagIds: [regular] })))
  // Broad searches stay in the chosen sort at any number of matches: first, next and last pages in several sorts.
  const broad = ['son', 'an', 'a', 'j s', '@example.org', '7700 900']
  const nextPages = await Promise.all(
    broad.map(async (search) => {
      const first = await listCustomers(ctx, listCustomersInput.parse({ search, sort: 'name' }))
      return list({ search, sort: 'name', after: first.nextCursor ?? undefined })
    }),
  )
  await sampled('list, broad search sorted by name: next page (son, an, a, j s, @example.org)', 16, nextPages)
  await sampled(
    'list, broad search: last page by email, newest first',
    16,
    broad.flatMap((search) => [list({ search, sort: 'email', last: true }), list({ search, sort: 'createdAt', direction: 'desc' })]),
  )
  await sampled('keystroke, initials beside a word (anna s, mar j)', SEARCH_TARGET(), searches(['anna s', 'mar j', 'jo s']))
  await sampled('keystroke, an initial twice (j j, a a, mar j j)', SEARCH_TARGET(), searches(['j j', 'a a', 'mar j j']))
  // "Select all matching" past the list's caps: the exact count, a job off the main thread (n of N progress).
  const countAll = (filter: Record<string, unknown>) => () =>
    countMatchingExactly(ctx, { tab: 'active', filter: customerFilter.parse(filter) })
  await measure('select all: exact count (son, a, @example.org; job)', 2000, [countAll({ search: 'son' }), countAll({ search: 'a' }), countAll({ search: '@example.org' })], 3)
  await measure('select all: exact count (tag held by 40%, everyone; job)', 2000, [countAll({ tagIds: [regular] }), countAll({})], 3)

  await measure('tab counts', 5, [() => countCustomers(ctx, countCustomersInput.parse({}))], 50)
  await sampled('tab counts, searching (smith, 7700 900)', 16, [
    () => countCustomers(ctx, countCustomersInput.parse({ search: 'smith' })),
    () => countCustomers(ctx, countCustomersInput.parse({ search: '7700 900' })),
  ])
  // The tag box suggests at every keystroke, most used tags first: a tag on 40% of the book must not be counted whole.
  await sampled('tag suggestions (empty, a, ne, vip)', 16, ['', 'a', 'ne', 'vip'].map((typed) => () => suggestTags(ctx, typed, 8)))

  let n = 0
  const create = () =>
    createCustomer(
      ctx,
      customerInput.parse({
        firstName: 'Bench',
        lastName: `Person ${++n}`,
        email: `bench.person.${n}.${Date.now()}@example.com`,
        phones: [{ number: `07700 900${String(n % 1000).padStart(3, '0')}` }],
        addresses: [{ line1: `${n} Bench Street`, postcode: 'SW1A 1AA' }],
      }),
    )
  await measure('write: create customer (+ index, log)', 10, [create], 100)
  const target = await loadCustomer(core.db, 500_000 > activeCount ? 1 : 500_000)
  let toggle = 0
  const update = () =>
    updateCustomer(
      ctx,
      target.id,
      // The whole record, as the profile's form sends it: each kept phone and address with its id.
      customerInput.parse(customerInputOf(target, { lastName: `${target.lastName}${++toggle % 2 ? '-Smythe' : ''}` })),
    )
  await measure('write: update customer (+ index, log)', 10, [update], 100)

}
