import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { allRows } from '../../db/queries/customerList'

/*
 * A broad search's page walks the list's index and looks each row up in a set of the search's
 * matches, read once. On a server the set must be hashed: one the planner thinks too large for
 * its working memory is instead scanned whole for every row walked, which took over a minute for
 * 280,000 matches in a million-customer book. A desk's connections hash a set of a million.
 */
describe.skipIf(!onPostgres)('a look-up set of matches on the server', () => {
  let app: TestCore
  beforeAll(async () => {
    app = await openTestCore()
  })
  afterAll(async () => {
    await app.cleanup()
  })

  const plan = async (rows: number) =>
    allRows<{ 'QUERY PLAN': string }>(
      await app.db.raw(
        `EXPLAIN SELECT c.id FROM customers c WHERE c.status = 'active'
           AND COALESCE(c.id IN (SELECT g FROM generate_series(1, ?) AS g OFFSET 0), FALSE) ORDER BY c.sort_name, c.id LIMIT 51`,
        [rows],
      ),
    )
      .map((row) => row['QUERY PLAN'])
      .join('\n')

  it('is hashed for every customer of a million-customer book, on the desk’s own connections', async () => {
    expect(await plan(1_000_000)).toMatch(/hashed SubPlan/)
  })
})
