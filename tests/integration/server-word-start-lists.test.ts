import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finishJob, openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { allRows } from '../../db/queries/customerList'
import { refreshCustomerSearch } from '../../db/search'
import { dialectOf } from '../../db/dialects'
import { planSearch } from '../../db/search'
import { INITIAL_MARK } from '../../db/search/initials'

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  Plans?: PlanNode[]
}
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)]

/** The mark of an initial, as SQL. */
const MARK = `chr(${INITIAL_MARK.codePointAt(0)})`

/*
 * On a server, a search of word starts alone ("jo", "a", "j s") is read from
 * a B-tree list per start, not from the search rows: those lists must hold
 * exactly each customer's starts through every kind of change, or a search
 * would find people by letters they no longer have.
 */
describe.skipIf(!onPostgres)('word start lists on a server', () => {
  let app: TestCore

  beforeAll(async () => {
    app = await openTestCore()
  })
  afterAll(async () => {
    await app.cleanup()
  })

  const names = async (search: string, tab: 'active' | 'archived' = 'active') =>
    (await app.invoke('customers:list', { search, tab, pageSize: 50 })).rows.map((r) => r.displayName).sort()

  /** Every start of each search row, and every two of its different initials as one (as the lists hold them). */
  const rowStarts = `SELECT start, id FROM (SELECT x AS start, s.id FROM customer_search s, unnest(s.starts) AS x
    UNION ALL SELECT ${MARK} || substr(a, 2, 1) || substr(b, 2, 1) || ${MARK}, s.id FROM customer_search s, unnest(s.starts) AS a, unnest(s.starts) AS b
    WHERE left(a, 1) = ${MARK} AND left(b, 1) = ${MARK} AND substr(a, 2, 1) COLLATE "C" < substr(b, 2, 1) COLLATE "C") AS listed`
  /** Starts in the lists that no search row has, and starts of search rows missing from the lists. */
  const drift = async () => ({
    extra: allRows(await app.db.raw(`SELECT start, id FROM customer_search_by_start EXCEPT ${rowStarts}`)),
    missing: allRows(await app.db.raw(`${rowStarts} EXCEPT SELECT start, id FROM customer_search_by_start`)),
  })

  /** A customer's pairs of initials in the lists, unmarked. */
  const pairsOf = async (id: number) =>
    allRows<{ start: string }>(
      await app.db.raw(`SELECT start FROM customer_search_by_start WHERE id = ? AND left(start, 1) = ${MARK} AND char_length(start) = 4 ORDER BY start`, [id]),
    ).map((r) => r.start.slice(1, -1))

  it('follows creates, edits, archiving and removal for good', async () => {
    const jo = await app.invoke('customers:create', { firstName: 'Jo', lastName: 'Smith', company: 'Acme', email: '', phones: [], addresses: [] })
    const anna = await app.invoke('customers:create', { firstName: 'Anna', lastName: 'Svensson', company: '', email: '', phones: [], addresses: [] })
    expect(await names('jo')).toEqual(['Jo Smith'])
    expect(await names('a')).toEqual(['Anna Svensson', 'Jo Smith'])
    expect(await names('j s')).toEqual(['Jo Smith'])
    expect(await pairsOf(jo.id)).toEqual(['aj', 'as', 'js'])
    expect(await drift()).toEqual({ extra: [], missing: [] })

    // A changed name and company: the old starts go, the new ones come, the unchanged stay.
    await app.invoke('customers:update', { id: jo.id, customer: { firstName: 'Jo', lastName: 'Bloggs', company: '', email: '', phones: [], addresses: [] } })
    expect(await names('sm')).toEqual([])
    expect(await names('j s')).toEqual([])
    expect(await names('j b')).toEqual(['Jo Bloggs'])
    expect(await pairsOf(jo.id)).toEqual(['bj'])
    expect(await names('a')).toEqual(['Anna Svensson'])
    expect(await names('jo')).toEqual(['Jo Bloggs'])
    expect(await drift()).toEqual({ extra: [], missing: [] })

    await app.invoke('customers:archive', { id: anna.id })
    expect(await names('an')).toEqual([])
    expect(await names('an', 'archived')).toEqual(['Anna Svensson'])
    expect(await app.invoke('customers:counts', { search: 'a s' })).toMatchObject({ active: 0, archived: 1 })

    await app.invoke('customers:delete', { id: anna.id })
    expect((await finishJob(app.call, await app.invoke('recycleBin:purge', { id: anna.id }))).state).toBe('done')
    expect(allRows(await app.db.raw('SELECT start FROM customer_search_by_start WHERE id = ?', [anna.id]))).toEqual([])
    expect(await drift()).toEqual({ extra: [], missing: [] })
  })

  it('rewrites many customers’ lists at once, and reads the lowest ids first', async () => {
    const ids: number[] = []
    for (let i = 0; i < 12; i++) {
      ids.push((await app.invoke('customers:create', { firstName: `Quinn${i}`, lastName: 'Yates', email: '', phones: [], addresses: [] })).id)
    }
    // Names changed behind the service's back, then refreshed together: the many-customer path.
    await app.db.raw(`UPDATE customers SET first_name = 'Xena', display_name = 'Xena Yates', sort_name = 'xena yates' WHERE id = ANY(?::integer[])`, [
      `{${ids.join(',')}}`,
    ])
    await app.db.transaction((trx) => refreshCustomerSearch(trx, ids))
    expect(await names('qu')).toEqual([])
    expect((await names('xe')).length).toBe(12)
    expect(await drift()).toEqual({ extra: [], missing: [] })

    const first = await dialectOf(app.db).firstMatches(app.db, planSearch('x y')!, 5)
    expect(first.ids).toEqual(ids.slice(0, 5))
  })

  it('reads a word start beside an initial on through the search rows when few enough, finding what the lists find', async () => {
    const people = [['Joanna', 'Smith'], ['John', 'Stone'], ['Jo', 'Sanders'], ['Joseph', 'Brown'], ['Anna', 'Smith'], ['Jolene', 'Sato']]
    const ids: number[] = []
    for (const [firstName, lastName] of people) ids.push((await app.invoke('customers:create', { firstName, lastName, email: '', phones: [], addresses: [] })).id)
    // One archived: its status comes with it either way.
    await app.invoke('customers:archive', { id: ids[5]! })
    const dialect = dialectOf(app.db)
    const plan = planSearch('jo s')!
    const fromLists = await dialect.firstMatches(app.db, plan, 1000)
    expect(fromLists.sortNames).toBeUndefined()
    // Foreseen as few enough to read them all: the search rows', with their sort names, in one read.
    const readOn = await dialect.firstMatches(app.db, plan, 2, 1000, true)
    expect(readOn.every).toBe(true)
    expect(readOn.ids).toEqual(fromLists.ids)
    expect(readOn.statuses).toEqual(fromLists.statuses)
    expect(readOn.sortNames).toHaveLength(fromLists.ids.length)
    // Inside a caller's transaction: the lists' first matches, as before.
    const inside = await app.db.transaction((trx) => dialect.firstMatches(trx, plan, 2, 1000, true))
    expect(inside.ids).toEqual(fromLists.ids.slice(0, 2))
    expect(inside.sortNames).toBeUndefined()
    expect(await names('jo s')).toEqual(['Jo Sanders', 'Joanna Smith', 'John Stone'])
  })

  it('looks up a saved customer’s old starts by key, however long the lists have grown', async () => {
    const jo = await app.invoke('customers:create', { firstName: 'Jo', lastName: 'Keyes', email: '', phones: [], addresses: [] })
    // Search rows and lists as a book of some thousands of customers has, for ids no customer has (removed again below).
    await app.db.raw(`INSERT INTO customer_search (id, status, doc, starts, pieces, runs)
      SELECT 900000 + g, 'archived', '', ARRAY['w' || (g % 500)], '{}', '' FROM generate_series(1, 5000) AS g`)
    await app.db.raw(`INSERT INTO customer_search_by_start (start, id) SELECT 'w' || (g % 500), 900000 + g FROM generate_series(1, 100000) AS g`)
    await app.db.raw('ANALYZE customer_search')
    await app.db.raw('ANALYZE customer_search_by_start')
    try {
      const statements: Array<{ sql: string; bindings: unknown[] }> = []
      const seen = (query: { sql: string; bindings?: unknown[] }) => {
        if (/DELETE FROM customer_search_by_start/.test(query.sql)) statements.push({ sql: query.sql, bindings: query.bindings ?? [] })
      }
      app.db.on('query', seen)
      try {
        await app.invoke('customers:update', { id: jo.id, customer: { firstName: 'Jo', lastName: 'Keynes', email: '', phones: [], addresses: [] } })
      } finally {
        app.db.off('query', seen)
      }
      expect(statements).toHaveLength(1)
      // The save's own statement, planned again for its values: reading the whole list table took 14 ms a save at 5,000 customers.
      const { sql, bindings } = statements[0]!
      const [explained] = allRows<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        await app.db.raw(`EXPLAIN (FORMAT JSON) ${sql.replace(/\$\d+/g, '?')}`, bindings as never[]),
      )
      const lists = nodesOf(explained!['QUERY PLAN'][0]!.Plan).filter((node) => node['Relation Name'] === 'customer_search_by_start')
      expect(lists.map((node) => node['Node Type'])).toEqual(['ModifyTable', 'ModifyTable', 'Index Scan'])
      expect(await names('keyn')).toEqual(['Jo Keynes'])
      expect(await names('keye')).toEqual([])
    } finally {
      await app.db.raw('DELETE FROM customer_search_by_start WHERE id > 900000')
      await app.db.raw('DELETE FROM customer_search WHERE id > 900000')
    }
    expect(await drift()).toEqual({ extra: [], missing: [] })
  })

  it('writes a saved customer’s search row from the rows the save wrote, as reading them back would', async () => {
    const created = await app.invoke('customers:create', {
      firstName: 'Ida',
      lastName: 'Rowe',
      company: 'Rowe & Co',
      email: 'ida@example.com',
      phones: [
        { label: 'work', number: '020 7946 0018' },
        { label: 'mobile', number: '07700 900456' },
      ],
      addresses: [
        { label: 'work', line1: '9 Market Street', city: 'Bath', postcode: 'BA1 1AA' },
        { label: 'home', line1: '1 High Street', city: 'London', postcode: 'SW1A 1AA' },
      ],
    })
    const stored = async () => allRows(await app.db.raw('SELECT status, doc, starts, pieces, runs FROM customer_search WHERE id = ?', [created.id]))[0]
    const readBack = async () => {
      await app.db.transaction((trx) => refreshCustomerSearch(trx, [created.id]))
      return stored()
    }
    const afterCreate = await stored()
    expect(await readBack()).toEqual(afterCreate)

    // Contacts in another order (their ids stay), one postcode and one number changed, one phone gone, a name written by hand.
    const [, mobile] = created.phones
    const [office, home] = created.addresses
    await app.invoke('customers:update', {
      id: created.id,
      customer: {
        firstName: 'Ida',
        lastName: 'Rowe',
        displayName: 'Dr I. Rowe',
        company: 'Rowe & Co',
        email: 'ida@example.com',
        phones: [{ id: mobile!.id, label: 'mobile', number: '07700 900999' }],
        addresses: [
          { id: home!.id, label: 'home', line1: '1 High Street', city: 'London', postcode: 'SW1A 2AA' },
          { id: office!.id, label: 'work', line1: '9 Market Street', city: 'Bath', postcode: 'BA1 1AA' },
        ],
      },
    })
    const afterUpdate = await stored()
    expect(afterUpdate).not.toEqual(afterCreate)
    expect(await readBack()).toEqual(afterUpdate)
    expect(await names('900999')).toEqual(['Dr I. Rowe'])
    expect(await names('sw1a 2aa')).toEqual(['Dr I. Rowe'])
    expect(await names('7946')).toEqual([])
    expect(await drift()).toEqual({ extra: [], missing: [] })
  })
})
