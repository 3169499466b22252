import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { dialectOf } from '../../db/dialects'
import { planSearch } from '../../db/search'
import { allRows, alreadyFound, rowWalkAhead, selectSortedPage, type ListFilters, type ListQuery, type PageKey, type SearchWalk } from '../../db/queries/customerList'

/*
 * A broad search's page is found by testing rows with the search itself
 * (db/search/rowMatch.ts) or by walking the sort index against the index's
 * matches. Both must answer exactly what the search index answers.
 */
let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
  await app.runJob('demo:seed', { count: 900, seed: 11 })
  const people = [
    { firstName: 'Łukasz', lastName: 'Ørsted', company: 'Đorđe & Søren Ltd' },
    { firstName: 'Mary-Jane', lastName: "O'Brien", company: '' },
    { firstName: '', lastName: '', company: '1881', email: 'desk@1881.example' },
    { firstName: 'Ζωή', lastName: 'Παπαδοπούλου', company: 'Κέντρο' },
    { firstName: 'Анна', lastName: 'Смирнова', company: '' },
    { firstName: 'Zoë', lastName: 'Müller', company: 'Strauß GmbH', displayName: 'Dr Z. Müller' },
    { firstName: 'José', lastName: 'Ångström', company: 'Anna Schmidt Associates', phones: [{ number: '+44 20 7946 0018' }] },
    // Digits of a London number: a run holding only its last five digits, and the whole run in an email.
    { firstName: 'Near', lastName: 'Miss', company: 'Unit 307946 Ltd' },
    { firstName: 'Inbox', lastName: 'Number', email: 'desk02079461@example.com' },
    // Digits written in groups: found joined ("2020", "8118").
    { firstName: '', lastName: '', company: '20 20 Vision & 118 118' },
  ]
  for (const person of people) await app.invoke('customers:create', { email: '', phones: [], addresses: [{ line1: '1 High St', postcode: 'SW1A 1AA' }], ...person })
  // With statistics PostgreSQL plans small walks as hash joins, which keep no order of their own.
  if (onPostgres) await app.db.raw('ANALYZE')
})
afterAll(async () => {
  await app.cleanup()
})

const searches = [
  'a', 'z', 'j s', 'm j', 'ζ', 'а', 'anna s', 'son', 'an', 'jo', 'mar smi', '@example', 'example.org', 'lukasz', 'orsted', 'ørsted', 'dorde',
  'soren', "o'b", 'obrien', 'mary-jane', '1881', '7700', '7700 900', '020 7946', '44', '4', 'sw1a', 'sw1a 1aa', 'c-000012', 'zoe', 'muller',
  'strauss', 'dr z', 'παπα', 'смир', 'angstrom', 'gmbh', 'x', 'q', '0207946', '307946', '79461', '020 7946 1',
  'j a s', 'm j o', 'a s', 's a', 'd z', 'ζ π', '1 d', 'z z', 'a a', 'j j s', 'an a a', 'son s s', '2020', '20 20', '8118', '118 118',
]

async function ids(sql: string, bindings: unknown[]): Promise<number[]> {
  return allRows<{ id: number }>(await app.db.raw(sql, bindings as never)).map((r) => Number(r.id)).sort((a, b) => a - b)
}

describe('testing a row with the search', () => {
  it.each(searches)('finds exactly what the index finds: %s', async (search) => {
    const plan = planSearch(search)!
    const dialect = dialectOf(app.db)
    const match = dialect.matchSql(plan)
    const fromIndex = match ? await ids(`SELECT id FROM (${match.sql}) m`, match.bindings) : []
    const test = dialect.rowMatchSql(plan)
    const fromRows = await ids(`SELECT c.id FROM customers c WHERE ${test.sql}`, test.bindings)
    expect(fromRows).toEqual(fromIndex)
    if (['a', 'j s', 'lukasz', 'obrien', '1881', 'ζ', 'dr z', 'j a s', 'm j o', 'ζ π', 'd z', '2020', '8118', 'z z'].includes(search)) expect(fromIndex.length).toBeGreaterThan(0)
  })

  it.skipIf(!onPostgres)('looks each row up on a server, never reading every match into a join first', async () => {
    // The planner foresees far too few matches for a run of digits, and would hash them all before the walk's first row.
    for (const search of ['4420794', 'anna s', 'j s']) {
      const test = dialectOf(app.db).rowMatchSql(planSearch(search)!)
      const [explained] = allRows<{ 'QUERY PLAN': Array<{ Plan: unknown }> }>(
        await app.db.raw(`EXPLAIN (FORMAT JSON) SELECT c.id FROM customers c WHERE c.status = 'active' AND ${test.sql} ORDER BY c.sort_name LIMIT 50`, test.bindings),
      )
      const plan = JSON.stringify(explained!['QUERY PLAN'][0]!.Plan)
      expect(plan, search).toContain('"Parent Relationship":"SubPlan"')
      expect(plan, search).not.toMatch(/"Join Type":"(Semi|Inner)"/)
    }
  })

  it('finds a one-letter search at the start of any word of the first name, last name or company', async () => {
    const byInitial = async (search: string) => {
      const page = await app.invoke('customers:list', { search, pageSize: 200 })
      return page.rows.map((r) => r.displayName)
    }
    // Apostrophes fold away ("obrien"), as everywhere in the search.
    expect(await byInitial('m j o')).toContain("Mary-Jane O'Brien")
    expect(await byInitial('j o')).toContain("Mary-Jane O'Brien")
    expect(await byInitial('j a')).toContain('José Ångström')
    expect(await byInitial('s j')).toContain('José Ångström')
    expect(await byInitial('j a s')).toContain('José Ångström')
    expect(await byInitial('j q')).not.toContain('José Ångström')
    expect(await byInitial('d m z')).toContain('Dr Z. Müller')
    expect(await byInitial('1')).toContain('1881')
  })
})

describe('every way to a sorted page', () => {
  async function walkAll(
    search: SearchWalk | null,
    sort: ListQuery['sort'],
    direction: ListQuery['direction'],
    backwards: boolean,
    filters: Partial<ListFilters> = {},
  ): Promise<number[]> {
    const base: ListQuery = {
      status: 'active',
      search,
      tagIds: [],
      groupIds: [],
      marketingConsent: 'any',
      createdFrom: null,
      createdTo: null,
      customFields: [],
      owing: false,
      ...filters,
      sort,
      direction,
      from: backwards ? { kind: 'end' } : { kind: 'start' },
      limit: 23,
    }
    const seen: number[] = []
    let query = base
    for (;;) {
      const rows = await selectSortedPage(app.db, query)
      if (!rows.length) break
      if (backwards) seen.unshift(...rows.map((r) => r.id))
      else seen.push(...rows.map((r) => r.id))
      const edge = backwards ? rows[0]! : rows[rows.length - 1]!
      query = { ...base, from: { kind: backwards ? 'before' : 'after', key: { value: edge.sort_value, id: edge.id } } }
    }
    return seen
  }

  it.each([
    ['son', 'name', 'asc'],
    ['an', 'email', 'desc'],
    ['a', 'createdAt', 'asc'],
    ['7700', 'number', 'desc'],
    ['j s', 'name', 'desc'],
    ['020 7946', 'name', 'asc'],
    ['07700 900', 'email', 'desc'],
  ] as const)('%s by %s %s: sorting the matches (read or not), a window of the sort index, walking the index, testing rows — the same list, both ways', async (search, sort, direction) => {
    const plan = planSearch(search)!
    const match = dialectOf(app.db).matchSql(plan)!
    const matchIds = await ids(`SELECT id FROM (${match.sql}) m`, match.bindings)
    const expected = await walkAll({ kind: 'ids', ids: matchIds }, sort, direction, false)
    expect(expected.length).toBeGreaterThan(10)
    // A window too small for a page falls back to the index walk; a roomy one answers alone.
    for (const walk of [
      { kind: 'sort', plan },
      { kind: 'index', plan },
      { kind: 'index', plan, wider: true },
      { kind: 'rows', plan },
      { kind: 'window', plan, rows: 30 },
      { kind: 'window', plan, rows: 5000 },
    ] as const) {
      expect(await walkAll(walk, sort, direction, false), JSON.stringify(walk)).toEqual(expected)
      expect(await walkAll(walk, sort, direction, true), JSON.stringify(walk)).toEqual(expected)
    }
  })

  it.each([
    ['son', 'asc'],
    ['j s', 'desc'],
    ['020 7946', 'asc'],
    ['a s', 'desc'],
  ] as const)('%s by name %s, filtered: testing rows gives the list the matches sorted give, both ways', async (search, direction) => {
    const plan = planSearch(search)!
    const match = dialectOf(app.db).matchSql(plan)!
    const matchIds = await ids(`SELECT id FROM (${match.sql}) m`, match.bindings)
    const tagged = Number((await app.db('customer_tags').first('tag_id')).tag_id)
    // A tag is looked up by key on the rows that match; consent is the customer's own column, read with the customer.
    const filterSets: Array<Partial<ListFilters>> = [{ tagIds: [tagged] }, { tagIds: [tagged], marketingConsent: 'yes' }, { marketingConsent: 'no' }]
    for (const filters of filterSets) {
      for (const backwards of [false, true]) {
        const expected = await walkAll({ kind: 'ids', ids: matchIds }, 'name', direction, backwards, filters)
        expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0)
        expect(await walkAll({ kind: 'rows', plan }, 'name', direction, backwards, filters), JSON.stringify(filters)).toEqual(expected)
      }
    }
  })

  it('tests rows by name as a renamed, archived or new customer now sorts', async () => {
    const plan = planSearch('son')!
    const page = async () => walkAll({ kind: 'rows', plan }, 'name', 'asc', false)
    const before = await page()
    const [moved, archived] = [before[before.length - 1]!, before[0]!]
    const record = await app.invoke('customers:get', { id: moved })
    await app.invoke('customers:update', {
      id: moved,
      customer: { firstName: 'Aaaron', lastName: 'Sonnet', email: record.email, company: record.company, phones: [], addresses: [] },
    })
    await app.invoke('customers:archive', { id: archived })
    const created = (await app.invoke('customers:create', { firstName: 'Aaab', lastName: 'Sonder', email: '', phones: [], addresses: [] })).id
    const after = await page()
    expect(after.slice(0, 2)).toEqual([created, moved])
    expect(after).not.toContain(archived)
    const match = dialectOf(app.db).matchSql(plan)!
    expect(after).toEqual(await walkAll({ kind: 'ids', ids: await ids(`SELECT id FROM (${match.sql}) m`, match.bindings) }, 'name', 'asc', false))
  })

  it.skipIf(!onPostgres)('tests a server\'s own search rows by name, reading no customer, unless a filter reads the customer', async () => {
    const statements: string[] = []
    const record = (query: { sql: string }) => statements.push(query.sql)
    const walk = (query: Partial<ListQuery>) =>
      selectSortedPage(app.db, {
        status: 'active', search: { kind: 'rows', plan: planSearch('son')! }, tagIds: [], groupIds: [], marketingConsent: 'any', createdFrom: null, createdTo: null,
        customFields: [], owing: false, sort: 'name', direction: 'asc', from: { kind: 'start' }, limit: 23, ...query,
      })
    app.db.on('query', record)
    try {
      const walked = (sql: string) => sql.includes('c.sort_value FROM (')
      await walk({ tagIds: [Number((await app.db('customer_tags').first('tag_id')).tag_id)] })
      expect(statements.filter(walked)).toEqual([expect.stringMatching(/FROM customer_search c WHERE/)])
      statements.length = 0
      await walk({ marketingConsent: 'yes' })
      expect(statements.filter(walked)).toEqual([expect.stringMatching(/FROM customers c WHERE/)])
      statements.length = 0
      await walk({ sort: 'email' })
      expect(statements.filter(walked)).toEqual([expect.stringMatching(/FROM customers c WHERE/)])
    } finally {
      app.db.off('query', record)
    }
    // Rewritten whole, the rows keep their order by name.
    await dialectOf(app.db).rebuildSearch(app.db)
    const plan = allRows<{ 'QUERY PLAN': string }>(
      await app.db.raw(`EXPLAIN SELECT id FROM customer_search c WHERE c.status = 'active' ORDER BY c.sort_name, c.id LIMIT 5`),
    )
    expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain('customer_search_name')
  })

  it('walks on past the newest customers a broad search does not match when reading every match would cost more, else reads them', async () => {
    // Most customers have an email at example.org or example.com; the 30 made below have none.
    const plan = planSearch('example')!
    const match = dialectOf(app.db).matchSql(plan)!
    const matchIds = await ids(`SELECT id FROM (${match.sql}) m`, match.bindings)
    const total = allRows<{ n: number }>(await app.db.raw(`SELECT count(*) AS n FROM customers WHERE status = 'active'`))[0]!.n
    // A search most customers match, whose page the longer walk reaches past the customers below.
    expect(matchIds.length / Number(total)).toBeGreaterThan(0.5)
    for (let i = 0; i < 30; i++) await app.invoke('customers:create', { firstName: 'Quinn', lastName: `Tuck ${i}`, email: '', phones: [], addresses: [] })
    const query: ListQuery = {
      status: 'active', search: null, tagIds: [], groupIds: [], marketingConsent: 'any', createdFrom: null, createdTo: null, customFields: [], owing: false,
      sort: 'createdAt', direction: 'desc', from: { kind: 'start' }, limit: 23,
    }
    const expected = (await selectSortedPage(app.db, { ...query, search: { kind: 'ids', ids: matchIds } })).map((r) => r.id)
    expect(expected).toHaveLength(23)
    const costs = dialectOf(app.db).searchWalkCosts
    const rowTest = costs.rowTest
    const statements: string[] = []
    const record = (query: { sql: string }) => statements.push(query.sql)
    app.db.on('query', record)
    try {
      // Row tests priced so the first walk takes one page's worth of rows, which the 30 newest fill.
      costs.rowTest = { name: 40 / 23, postcodes: 40 / 23, phones: 40 / 23 }
      for (const [readAllMs, walkedOn] of [[1000, true], [10, false]] as const) {
        statements.length = 0
        const page = (await selectSortedPage(app.db, { ...query, search: { kind: 'rows', plan, readAllMs } })).map((r) => r.id)
        expect(page, `read all ${readAllMs} ms`).toEqual(expected)
        expect(statements.filter((sql) => sql.includes('c.sort_value FROM (')), `read all ${readAllMs} ms`).toHaveLength(walkedOn ? 2 : 1)
        // The index walk reads the search's matches as the index gives them (up to the first placeholder).
        expect(statements.some((sql) => sql.includes(match.sql.split('?')[0]!)), `read all ${readAllMs} ms`).toBe(!walkedOn)
      }
    } finally {
      costs.rowTest = rowTest
      app.db.off('query', record)
    }
  })

  it('reads a run of digits through its last piece alone, and tests out those who have only that piece', async () => {
    const plan = planSearch('020 7946')!
    const dialect = dialectOf(app.db)
    const wider = dialect.widerMatchSql?.(plan)
    // SQLite reads every piece's list whole for a run; a server reads a run's rarest piece itself (no wider match).
    if (onPostgres) return expect(wider ?? null).toBeNull()
    const match = dialect.matchSql(plan)!
    const [matchIds, widerIds] = [await ids(`SELECT id FROM (${match.sql}) m`, match.bindings), await ids(`SELECT id FROM (${wider!.sql}) m`, wider!.bindings)]
    const nearMiss = await ids(`SELECT id FROM customers WHERE company = 'Unit 307946 Ltd'`, [])
    expect(widerIds).toEqual(expect.arrayContaining([...matchIds, ...nearMiss]))
    expect(matchIds).not.toContain(nearMiss[0])
    expect(await walkAll({ kind: 'index', plan, wider: true }, 'name', 'asc', false)).toEqual(await walkAll({ kind: 'ids', ids: matchIds }, 'name', 'asc', false))
    // With a filter too, both ways.
    const tagged = Number((await app.db('customer_tags').first('tag_id')).tag_id)
    for (const backwards of [false, true]) {
      const expected = await walkAll({ kind: 'ids', ids: matchIds }, 'email', 'desc', backwards, { tagIds: [tagged] })
      expect(expected.length).toBeGreaterThan(0)
      expect(await walkAll({ kind: 'index', plan, wider: true }, 'email', 'desc', backwards, { tagIds: [tagged] })).toEqual(expected)
    }
    // Words beside the digits, or a run of a single piece, have no wider match: the walk reads the search itself.
    for (const search of ['anna 0207946', '07946', '7946']) expect(dialect.widerMatchSql!(planSearch(search)!)).toBeNull()
  })
})

describe('a row-test walk started beside the first read', () => {
  const query = (search: SearchWalk | null, filters: Partial<ListQuery> = {}): ListQuery => ({
    status: 'active', search, tagIds: [], groupIds: [], marketingConsent: 'any', createdFrom: null, createdTo: null, customFields: [], owing: false,
    sort: 'name', direction: 'asc', from: { kind: 'start' }, limit: 23, ...filters,
  })
  const matchIdsOf = async (search: string) => {
    const match = dialectOf(app.db).matchSql(planSearch(search)!)!
    return ids(`SELECT id FROM (${match.sql}) m`, match.bindings)
  }
  /** The statements a call runs, and what it returned. */
  async function watched<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const statements: string[] = []
    const record = (q: { sql: string }) => statements.push(q.sql)
    app.db.on('query', record)
    try {
      return { result: await run(), statements }
    } finally {
      app.db.off('query', record)
    }
  }
  const isRowWalk = (sql: string) => sql.includes('c.sort_value FROM (')

  it('gives its page to whatever walk is chosen, and a walk that fell short goes on without testing the same rows again', async () => {
    const plan = planSearch('son')!
    const expected = await selectSortedPage(app.db, query({ kind: 'ids', ids: await matchIdsOf('son') }))
    expect(expected).toHaveLength(23)
    const keys: PageKey[] = expected.map((r) => ({ id: r.id, sort_value: r.sort_value }))
    // Found ahead: the chosen walk, whichever, reads no more than the page's rows.
    for (const search of [{ kind: 'rows', plan }, { kind: 'index', plan }, { kind: 'ids', ids: await matchIdsOf('son') }] as const) {
      const { result, statements } = await watched(() => selectSortedPage(app.db, query(search), Promise.resolve(keys)))
      expect(result, search.kind).toEqual(expected)
      expect(statements, search.kind).toHaveLength(1)
    }
    // Fallen short: the row-test walk chosen goes on to the index walk, without a second first walk.
    const { result, statements } = await watched(() => selectSortedPage(app.db, query({ kind: 'rows', plan }), Promise.resolve(null)))
    expect(result).toEqual(expected)
    expect(statements.filter(isRowWalk)).toHaveLength(0)
    // Still under way when another walk was chosen: that walk does not wait for it.
    const never = new Promise<PageKey[] | null>(() => {})
    expect(await selectSortedPage(app.db, query({ kind: 'index', plan }), never)).toEqual(expected)
    expect(await alreadyFound(never)).toBeNull()
    expect(await alreadyFound(Promise.resolve(keys))).toEqual(keys)
  })

  it('starts on a server when the estimate of the matches prices it below reading them all, and finds the page the other walks find', async () => {
    const dialect = dialectOf(app.db)
    const { estimateRows } = dialect
    const rowTest = dialect.searchWalkCosts.rowTest
    const regular = Number((await app.db('customer_tags').first('tag_id')).tag_id)
    try {
      // The test book is small: the planner is told the search is broad.
      dialect.estimateRows = async () => (onPostgres ? 400_000 : null)
      for (const filters of [{}, { tagIds: [regular] }, { from: { kind: 'end' } as const }]) {
        const plan = planSearch('an')!
        const expected = await selectSortedPage(app.db, query({ kind: 'ids', ids: await matchIdsOf('an') }, filters))
        expect(expected.length).toBeGreaterThan(0)
        const ahead = rowWalkAhead(app.db, plan, query(null, filters), 'tagIds' in filters)
        // One connection answers SQLite's statements in turn: nothing is walked ahead there.
        if (!onPostgres) return expect(ahead).toBeNull()
        const keys = await ahead
        expect(keys?.map((k) => k.id)).toEqual(expected.map((r) => r.id))
      }
      // Priced above reading every match, or not broad, or in a transaction: nothing starts.
      dialect.searchWalkCosts.rowTest = { name: 40, postcodes: 40, phones: 40 }
      expect(rowWalkAhead(app.db, planSearch('an')!, query(null), false)).not.toBeNull()
      expect(await rowWalkAhead(app.db, planSearch('an')!, query(null), false)).toBeNull()
      dialect.searchWalkCosts.rowTest = rowTest
      dialect.estimateRows = async () => 1500
      expect(await rowWalkAhead(app.db, planSearch('an')!, query(null), false)).toBeNull()
      await app.db.transaction(async (trx) => expect(rowWalkAhead(trx, planSearch('an')!, query(null), false)).toBeNull())
    } finally {
      dialect.estimateRows = estimateRows
      dialect.searchWalkCosts.rowTest = rowTest
    }
  })

  it.skipIf(!onPostgres)('asks the server once for an estimate the first read and the walk beside it ask for at once', async () => {
    const dialect = dialectOf(app.db)
    const match = dialect.matchSql(planSearch('ander')!)!
    const explained: string[] = []
    const record = (q: { sql: string }) => q.sql.startsWith('EXPLAIN') && explained.push(q.sql)
    app.db.on('query', record)
    try {
      const [first, second] = await Promise.all([dialect.estimateRows(app.db, match.sql, match.bindings), dialect.estimateRows(app.db, match.sql, match.bindings)])
      expect(first).toBe(second)
      expect(explained).toHaveLength(1)
      // Another search is asked afresh.
      const other = dialect.matchSql(planSearch('son')!)!
      await dialect.estimateRows(app.db, other.sql, other.bindings)
      expect(explained).toHaveLength(2)
    } finally {
      app.db.off('query', record)
    }
  })

  it('leaves the keystroke\'s page and counts as they are without it', async () => {
    const dialect = dialectOf(app.db)
    const { estimateRows } = dialect
    const regular = Number((await app.db('customer_tags').first('tag_id')).tag_id)
    const inputs = [{ search: 'an' }, { search: 'son', sort: 'email' as const }, { search: 'a', tagIds: [regular] }, { search: 'an', last: true }]
    const plain = await Promise.all(inputs.map((input) => app.invoke('customers:list', input)))
    try {
      dialect.estimateRows = async (knex, sql, bindings) => (sql.includes('customer_search') || sql.includes('MATCH') ? 400_000 : estimateRows.call(dialect, knex, sql, bindings))
      for (const [i, input] of inputs.entries()) {
        const { result, statements } = await watched(() => app.invoke('customers:list', input))
        expect(result, JSON.stringify(input)).toEqual(plain[i])
        if (onPostgres) expect(statements.some(isRowWalk), JSON.stringify(input)).toBe(true)
      }
    } finally {
      dialect.estimateRows = estimateRows
    }
  })
})
