import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { allRows } from '../../db/queries/customerList'
import { dialectOf } from '../../db/dialects'
import { migrateDownThrough, migrationSource } from '../../db/migrations'
import { planSearch } from '../../db/search/plan'

/*
 * On a server, the search rows' trigrams, word starts and digit pieces are one GIN index, so a
 * fragment beside an initial or a run of digits is one scan of it: on a new database, on one made
 * before (by its migration, which rolls back to an index per column), and after a full rewrite.
 */
describe.skipIf(!onPostgres)('the search terms in one index', () => {
  let app: TestCore
  const people = [
    { firstName: 'Anna', lastName: 'Svensson', company: '', phones: [{ number: '020 7946 0123' }] },
    { firstName: 'Joanna', lastName: 'Smith', company: 'Annex Partners', phones: [] },
    { firstName: 'Hanna', lastName: 'Berg', company: '', phones: [{ number: '020 7946 0999' }] },
    { firstName: 'Mark', lastName: 'Jones', company: '', phones: [] },
    { firstName: 'Marta', lastName: 'Jansen', company: 'Mar & Co', phones: [{ number: '07700 900123' }] },
  ]
  const searches = ['anna s', 'mar j', 'anna 79460', 'nna', 'jo s', '79460']

  beforeAll(async () => {
    app = await openTestCore()
    for (const person of people) await app.invoke('customers:create', { email: '', addresses: [], ...person })
  })
  afterAll(async () => {
    await app.cleanup()
  })

  const names = async (search: string) => (await app.invoke('customers:list', { search, pageSize: 50 })).rows.map((r) => r.displayName).sort()
  const answers = async () => Object.fromEntries(await Promise.all(searches.map(async (s) => [s, await names(s)] as const)))
  const ginIndexes = async () =>
    allRows<{ definition: string }>(
      await app.db.raw(
        `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
         WHERE i.indrelid = 'customer_search'::regclass AND a.amname = 'gin' ORDER BY c.relname`,
      ),
    ).map((row) => row.definition.replace(/^.* INDEX (\S+) ON \S+ USING gin \((.*?)\)(?: WITH \(.*\))?$/, '$1: $2'))
  const joined = ['customer_search_terms: doc gin_trgm_ops, starts, pieces']

  /** The index scans of the server's plan of a search's first matches, with no table scan allowed so a few rows plan as many would. */
  const scansOf = async (search: string) => {
    const match = dialectOf(app.db).matchSql(planSearch(search)!)!
    return app.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off')
      const [row] = allRows<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(await trx.raw(`EXPLAIN (FORMAT JSON) ${match.sql}`, match.bindings))
      const scans: string[] = []
      const walk = (node: PlanNode) => {
        if (node['Node Type'] === 'BitmapAnd') scans.push('BitmapAnd')
        if (node['Index Name']) scans.push(node['Index Name'])
        for (const child of node.Plans ?? []) walk(child)
      }
      walk(row!['QUERY PLAN'][0]!.Plan)
      return scans
    })
  }

  it('answers a fragment beside an initial, or beside a run of digits, with one scan of one index', async () => {
    expect(await ginIndexes()).toEqual(joined)
    expect(await scansOf('anna s')).toEqual(['customer_search_terms'])
    expect(await scansOf('anna 79460')).toEqual(['customer_search_terms'])
    expect(await names('anna s')).toEqual(['Anna Svensson', 'Joanna Smith'])
    expect(await names('anna 79460')).toEqual(['Anna Svensson', 'Hanna Berg'])
  })

  it('is made from the indexes apart on a database made before, finding the same, and back', async () => {
    const found = await answers()
    await migrateDownThrough(app.db, '20261222000001_search_terms_in_one_index')
    expect(await ginIndexes()).toEqual([
      'customer_search_doc: doc gin_trgm_ops',
      'customer_search_pieces: pieces',
      'customer_search_starts: starts',
    ])
    expect(await answers()).toEqual(found)
    // A desk of the version before saves meanwhile: its entries are in the indexes made again.
    await app.invoke('customers:create', { firstName: 'Annabel', lastName: 'Stone', email: '', phones: [], addresses: [] })
    const apart = await answers()
    expect(apart['anna s']).toEqual(['Anna Svensson', 'Annabel Stone', 'Joanna Smith'])
    await app.db.migrate.latest({ migrationSource, tableName: 'knex_migrations' })
    expect(await ginIndexes()).toEqual(joined)
    expect(await answers()).toEqual(apart)
  })

  it('stays one when the search rows are rewritten whole', async () => {
    const found = await answers()
    await dialectOf(app.db).rebuildSearch(app.db)
    expect(await ginIndexes()).toEqual(joined)
    expect(await answers()).toEqual(found)
  })
})

interface PlanNode {
  'Node Type': string
  'Index Name'?: string
  Plans?: PlanNode[]
}
