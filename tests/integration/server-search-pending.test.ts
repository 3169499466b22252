import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { allRows } from '../../db/queries/customerList'
import { dialectOf } from '../../db/dialects'
import { migrationSource } from '../../db/migrations'

/*
 * On a server, the search indexes keep the entries of new and changed customers in a list not yet
 * merged in, which every search reads whole: it is bounded to a quarter of a megabyte, on a new
 * database, on one made before (by a migration), and after the search rows are rebuilt.
 */
describe.skipIf(!onPostgres)('the search indexes’ lists of entries not yet merged in', () => {
  let app: TestCore

  beforeAll(async () => {
    app = await openTestCore()
    await app.invoke('customers:create', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phones: [], addresses: [] })
  })
  afterAll(async () => {
    await app.cleanup()
  })

  // The search rows' GIN indexes, whichever the database has (one, or one per column before they were joined).
  const limits = async () =>
    allRows<{ name: string; options: string[] | null }>(
      await app.db.raw(
        `SELECT c.relname AS name, c.reloptions AS options FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
         WHERE i.indrelid = 'customer_search'::regclass AND a.amname = 'gin' ORDER BY c.relname`,
      ),
    ).map((row) => [row.name, row.options ?? []])

  const bounded = [['customer_search_terms', ['gin_pending_list_limit=256']]]
  const PENDING_LISTS = '20261213000001_search_pending_lists'

  it('are bounded on a new database', async () => {
    expect(await limits()).toEqual(bounded)
  })

  it('are bounded on a database made before, by its migration, and back to the server’s limit when it is rolled back', async () => {
    // Rolled back newest first, through the one that bounds them.
    for (let undone = ''; undone !== PENDING_LISTS; ) {
      undone = ((await app.db('knex_migrations').orderBy('id', 'desc').first('name')) as { name: string }).name
      await app.db.migrate.down({ migrationSource })
    }
    expect(await limits()).toEqual(['customer_search_doc', 'customer_search_pieces', 'customer_search_starts'].map((name) => [name, []]))
    await app.db.migrate.latest({ migrationSource })
    expect(await limits()).toEqual(bounded)
  })

  it('stay bounded when the search rows are rebuilt, and the search finds what was there', async () => {
    await dialectOf(app.db).rebuildSearch(app.db)
    expect(await limits()).toEqual(bounded)
    const found = await app.invoke('customers:list', { search: 'hopper', pageSize: 50 })
    expect(found.rows.map((row) => row.displayName)).toEqual(['Grace Hopper'])
  })
})
