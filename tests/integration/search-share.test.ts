import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { dialectOf } from '../../db/dialects'
import { planSearch } from '../../db/search'
import { allRows } from '../../db/queries/customerList'

/*
 * A broad search's share of the book picks how its sorted page is found. Its first matches are the
 * lowest ids; matches that lie thick among those and thin beyond (the customers of one early import,
 * customer numbers sharing their first digits) must not be taken for the whole book's share. A server
 * estimates the share from its own statistics instead.
 */
let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
  // The first forty customers all work at Quorum, and nobody after them does.
  for (let i = 0; i < 40; i++) await app.invoke('customers:create', { firstName: 'Ada', lastName: `Lee ${i}`, company: 'Quorum', email: '', phones: [], addresses: [] })
  await app.runJob('demo:seed', { count: 2500, seed: 5 })
})
afterAll(async () => {
  await app.cleanup()
})

async function matches(search: string): Promise<number[]> {
  const match = dialectOf(app.db).matchSql(planSearch(search)!)!
  return allRows<{ id: number }>(await app.db.raw(`SELECT id FROM (${match.sql}) m`, match.bindings))
    .map((r) => Number(r.id))
    .sort((a, b) => a - b)
}

const customers = async () => Number(allRows<{ n: number }>(await app.db.raw('SELECT count(*) AS n FROM customers'))[0]!.n)
const highestId = async () => Number(allRows<{ n: number }>(await app.db.raw('SELECT max(id) AS n FROM customers'))[0]!.n)

describe.skipIf(onPostgres)('a broad search’s share of the book', () => {
  it('is not taken from its first matches alone when they lie among the first customers', async () => {
    const all = await matches('qu')
    const first = all.slice(0, 30)
    // The first matches alone make it most of the book.
    expect(first.length / first[first.length - 1]!).toBeGreaterThan(0.5)
    const share = await dialectOf(app.db).matchShare(app.db, planSearch('qu')!, first, await highestId())
    expect(share).toBeCloseTo(all.length / (await customers()), 3)
  })

  it('stays close to the true share for matches spread over the book', async () => {
    for (const search of ['an', 'a', 'example', '0']) {
      const all = await matches(search)
      const first = all.slice(0, Math.floor(all.length / 10))
      const share = await dialectOf(app.db).matchShare(app.db, planSearch(search)!, first, await highestId())
      const truth = all.length / (await customers())
      expect(share, search).toBeGreaterThan(truth / 2)
      expect(share, search).toBeLessThanOrEqual(Math.min(1, truth * 2))
    }
  })
})
