import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'

/*
 * The tab counters are kept by the database itself, whatever the statement:
 * bulk loads insert, move and delete thousands of customers in one statement.
 */

let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
})
afterAll(async () => {
  await app.cleanup()
})

async function countedByHand(): Promise<Record<string, number>> {
  const rows = (await app.db('customers').select('status').count({ n: '*' }).groupBy('status')) as Array<{ status: string; n: number | string }>
  const counts: Record<string, number> = { active: 0, archived: 0, blocked: 0 }
  for (const row of rows) if (row.status in counts) counts[row.status] = Number(row.n)
  return counts
}

describe('tab counters', () => {
  it('follow customers inserted, moved between tabs and deleted many at a time in one statement', async () => {
    const stamp = '2026-01-01T00:00:00.000Z'
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      first_name: 'Bulk',
      last_name: `Customer ${i}`,
      display_name: `Bulk Customer ${i}`,
      sort_name: `bulk customer ${i}`,
      status: i % 10 === 0 ? 'archived' : i % 25 === 0 ? 'blocked' : 'active',
      created_at: stamp,
      updated_at: stamp,
    }))
    await app.db.transaction(async (trx) => {
      for (let from = 0; from < rows.length; from += 500) await trx('customers').insert(rows.slice(from, from + 500))
    })
    const { capped: _, ...afterInsert } = await app.invoke('customers:counts', {})
    expect(afterInsert).toEqual(await countedByHand())
    expect(afterInsert.archived).toBe(300)

    // One statement moves customers both ways and leaves others' status as it was (a no-op change of status).
    await app.db('customers').whereRaw('id % 7 = 0').update({ status: app.db.raw(`CASE WHEN status = 'active' THEN 'archived' ELSE 'active' END`) })
    await app.db('customers').whereRaw('id % 11 = 0').update({ status: app.db.raw('status'), updated_at: stamp })
    const { capped: __, ...afterMove } = await app.invoke('customers:counts', {})
    expect(afterMove).toEqual(await countedByHand())

    await app.db('customers').whereRaw('id % 3 = 0').delete()
    const { capped: ___, ...afterDelete } = await app.invoke('customers:counts', {})
    expect(afterDelete).toEqual(await countedByHand())
    expect(afterDelete.active + afterDelete.archived + afterDelete.blocked).toBe(2000)
  }, 120_000)

  it("a search's counts by tab follow customers moved between tabs, in one statement or one at a time", async () => {
    const ids: number[] = []
    for (let i = 0; i < 12; i++) ids.push((await app.invoke('customers:create', { firstName: 'Quillon', lastName: `Tab ${i}` })).id)
    const byHand = async () => {
      const rows = (await app.db('customers').whereIn('id', ids).select('status').count({ n: '*' }).groupBy('status')) as Array<{ status: string; n: number | string }>
      const counts: Record<string, number> = { active: 0, archived: 0, blocked: 0 }
      for (const row of rows) if (row.status in counts) counts[row.status] = Number(row.n)
      return counts
    }
    const searched = async () => {
      const { capped, ...counts } = await app.invoke('customers:counts', { search: 'quillon' })
      expect(capped).toBe(false)
      const listed = await app.invoke('customers:list', { search: 'quillon', tab: 'archived' })
      expect(listed.total).toBe(counts.archived)
      return counts
    }
    expect(await searched()).toEqual({ active: 12, archived: 0, blocked: 0 })

    await app.db('customers').whereIn('id', ids.filter((_, i) => i % 3 === 0)).update({ status: 'archived' })
    await app.db('customers').whereIn('id', ids.filter((_, i) => i % 4 === 1)).update({ status: 'blocked' })
    await app.db('customers').where({ id: ids[2] }).update({ status: 'deleted' })
    expect(await searched()).toEqual(await byHand())
    expect(await searched()).toEqual({ active: 5, archived: 3, blocked: 3 })

    await app.invoke('customers:unarchive', { id: ids[0]! })
    await app.invoke('customers:block', { id: ids[4]!, reason: 'Test' })
    await app.invoke('customers:delete', { id: ids[5]! })
    await app.invoke('recycleBin:restore', { id: ids[2]! })
    expect(await searched()).toEqual(await byHand())
    expect(await searched()).toEqual({ active: 6, archived: 2, blocked: 3 })
  })
})
