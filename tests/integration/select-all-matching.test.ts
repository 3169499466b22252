import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import type { MatchingCount } from '../../preload/contract'
import { customerFilter } from '../../preload/contract'
import { SORTABLE_MATCHES, COUNT_CAP, countAllMatching, firstRow, type ListFilters } from '../../db/queries/customerList'
import { countMatchingExactly } from '../../main/services/customers'
import { Cancelled, NO_PROGRESS } from '../../main/services/progress'

/*
 * "Select all N matching" at any size: the list's own counts stop at their
 * caps, so the exact count is a job; the bulk action then acts on exactly that many.
 */
let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
  await app.runJob('demo:seed', { count: SORTABLE_MATCHES + 900, seed: 5 })
})
afterAll(async () => {
  await app.cleanup()
})

const NO_LIST_FILTERS: ListFilters = { tagIds: [], groupIds: [], marketingConsent: 'any', createdFrom: null, createdTo: null, customFields: [], owing: false }

async function sqlCount(where: string, bindings: unknown[] = []): Promise<number> {
  return Number(firstRow<{ n: number }>(await app.db.raw(`SELECT count(*) AS n FROM customers c WHERE ${where}`, bindings as never))!.n)
}

describe('counting every match exactly', () => {
  it('counts a search broader than the list counts, in each tab, with progress to the end', async () => {
    const phoneMatch = "c.id IN (SELECT customer_id FROM phones WHERE search_digits LIKE '%7700%')"
    for (const tab of ['active', 'archived', 'blocked'] as const) {
      const status = await app.callJob('customers:countMatching', { tab, filter: { search: '7700' } })
      expect(status.state).toBe('done')
      expect(status.done).toBe(status.total)
      expect((status.result as MatchingCount).count).toBe(await sqlCount(`c.status = ? AND ${phoneMatch}`, [tab]))
    }
    const page = await app.invoke('customers:list', { search: '7700' })
    expect(page.totalCapped).toBe(true)
  })

  it('counts filters alone past their cap, and with a search', async () => {
    const regular = ((await app.db('tags').where({ name: 'Regular' }).first('id')) as { id: number }).id
    const tagged = await sqlCount(`c.status = 'active' AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag_id = ?)`, [regular])
    expect(tagged).toBeGreaterThan(COUNT_CAP)
    expect((await app.runJob<MatchingCount>('customers:countMatching', { tab: 'active', filter: { tagIds: [regular] } })).count).toBe(tagged)
    const everyone = await sqlCount(`c.status = 'active'`)
    expect((await app.runJob<MatchingCount>('customers:countMatching', { tab: 'active', filter: {} })).count).toBe(everyone)
    const consenting = await sqlCount(`c.status = 'active' AND c.marketing_consent = TRUE AND c.id IN (SELECT customer_id FROM phones WHERE search_digits LIKE '%7700%')`)
    expect((await app.runJob<MatchingCount>('customers:countMatching', { tab: 'active', filter: { search: '7700', marketingConsent: 'yes' } })).count).toBe(consenting)
  })

  it('counts tags and groups range by range, every customer once at the ranges’ edges', async () => {
    const regular = ((await app.db('tags').where({ name: 'Regular' }).first('id')) as { id: number }).id
    const group = await app.invoke('groups:create', { name: 'Range edges' })
    await app.db.raw(`INSERT INTO customer_group_members (customer_id, group_id, created_at) SELECT id, ?, ? FROM customers WHERE id % 3 = 0`, [
      group.id,
      '2026-12-01T10:00:00.000Z',
    ])
    const filters = { ...NO_LIST_FILTERS, tagIds: [regular], groupIds: [group.id] }
    const expected = await sqlCount(
      `c.status = 'active' AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag_id = ?)
         AND EXISTS (SELECT 1 FROM customer_group_members g WHERE g.customer_id = c.id AND g.group_id = ?)`,
      [regular, group.id],
    )
    expect(expected).toBeGreaterThan(100)
    // Ranges of 7 ids, one of 50,000: the same count.
    for (const idsPerRange of [7, 50_000]) expect(await countAllMatching(app.db, 'active', null, filters, () => {}, idsPerRange), `${idsPerRange}`).toBe(expected)
    expect(await countAllMatching(app.db, 'active', null, { ...NO_LIST_FILTERS, groupIds: [group.id] }, () => {}, 7)).toBe(await sqlCount(`c.status = 'active' AND c.id % 3 = 0`))
  })

  it('then acts on every match, and refuses when the count no longer holds', async () => {
    const filter = { search: '7700' }
    const { count } = await app.runJob<MatchingCount>('customers:countMatching', { tab: 'active', filter })
    expect(count).toBeGreaterThan(SORTABLE_MATCHES)
    const stale = await app.callJob('customers:bulk', { selection: { kind: 'filter', tab: 'active', filter, expectedCount: count + 1 }, action: { kind: 'tag', tagName: 'Everyone' } })
    expect(stale).toMatchObject({ state: 'failed', error: { code: 'CONFLICT' } })
    const result = await app.runJob<{ selected: number; changed: number }>('customers:bulk', {
      selection: { kind: 'filter', tab: 'active', filter, expectedCount: count },
      action: { kind: 'tag', tagName: 'Everyone' },
    })
    expect(result).toEqual({ selected: count, changed: count })
    const everyone = ((await app.db('tags').where({ name: 'Everyone' }).first('id')) as { id: number }).id
    expect(await sqlCount(`EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag_id = ?)`, [everyone])).toBe(count)
  })

  it('reports progress as it goes and stops at Cancel', async () => {
    for (const filter of [{}, { search: '7700' }]) {
      const reports: Array<[number, number]> = []
      let asked = 0
      const progress = {
        ...NO_PROGRESS,
        report: (done: number, total: number) => void reports.push([done, total]),
        checkCancelled: () => {
          if (++asked > 1) throw new Cancelled()
        },
      }
      await expect(countMatchingExactly(app.context(), { tab: 'active', filter: customerFilter.parse(filter) }, progress)).rejects.toBeInstanceOf(Cancelled)
      expect(reports.length).toBe(1)
      expect(reports[0]![1]).toBeGreaterThan(0)
    }
  })
})
