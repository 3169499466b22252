import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mergeSearchSlice, tidyDatabase } from '../../db/maintenance'
import { SEARCH_TABLES } from '../helpers/fileChecks'
import { onPostgres } from '../helpers/testDatabase'
import { openTestCore, type TestCore } from '../helpers/core'

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
})
afterEach(async () => {
  await app.cleanup()
})

describe('idle-time upkeep', () => {
  it('leaves merging to tidy() and keeps every customer findable through many writes and tidies', async () => {
    const config = (await app.db.raw(`SELECT k, v FROM customer_search_tri_config WHERE k IN ('automerge', 'crisismerge')`)) as Array<{
      k: string
      v: number
    }>
    expect(Object.fromEntries(config.map((r) => [r.k, Number(r.v)]))).toEqual({ automerge: 0, crisismerge: 64 })
    const ids: number[] = []
    for (let i = 0; i < 120; i++) {
      ids.push((await app.invoke('customers:create', { firstName: `Tidy${i}`, lastName: 'Person', phones: [{ number: `07700 900${String(i).padStart(3, '0')}` }] })).id)
      if (i % 25 === 0) await tidyDatabase(app.db)
    }
    await app.invoke('customers:update', { id: ids[7]!, customer: { firstName: 'Renamed', lastName: 'Person' } })
    await tidyDatabase(app.db)
    expect((await app.invoke('customers:list', { search: 'tidy4', pageSize: 200 })).rows).toHaveLength(11)
    expect((await app.invoke('customers:list', { search: 'renamed' })).rows.map((r) => r.id)).toEqual([ids[7]])
    expect((await app.invoke('customers:list', { search: 'tidy7 ' })).rows.map((r) => r.displayName)).not.toContain('Tidy7 Person')
    expect((await app.invoke('customers:list', { search: '900119' })).rows.map((r) => r.id)).toEqual([ids[119]])
    // FTS5's own integrity check raises an error when the index disagrees with itself.
    await expect(app.db.raw(`INSERT INTO customer_search_tri(customer_search_tri, rank) VALUES ('integrity-check', 0)`)).resolves.toBeDefined()
  })

  // On PostgreSQL the server keeps its own indexes: there is never a slice to merge.
  it.skipIf(onPostgres)('says when the search indexes are merged, so a round of upkeep stops there', async () => {
    // Saved one by one, each customer leaves a segment in every index.
    for (let i = 0; i < 12; i++) await app.invoke('customers:create', { firstName: `Slice${i}`, lastName: 'Person', phones: [{ number: `07700 900${String(i).padStart(3, '0')}` }] })
    let slices = 0
    while (await mergeSearchSlice(app.db)) if (++slices > 1000) break
    expect(slices).toBeGreaterThan(0)
    expect(slices).toBeLessThan(1000)
    // Merged, every index is one segment, and the next slice finds nothing to do.
    for (const table of SEARCH_TABLES) {
      expect(await app.db.raw(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`)).toEqual([{ n: 1 }])
    }
    expect(await mergeSearchSlice(app.db)).toBe(false)
    expect((await app.invoke('customers:list', { search: 'slice1' })).rows.map((r) => r.displayName).sort()).toEqual(['Slice1 Person', 'Slice10 Person', 'Slice11 Person'])
  })
})
