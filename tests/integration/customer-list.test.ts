import Cursor from 'pg-cursor'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import type { CustomerPage, ListCustomersInput } from '../../preload/contract'
import { SORTABLE_MATCHES, allRows } from '../../db/queries/customerList'
import { dialectOf } from '../../db/dialects'
import { planSearch } from '../../db/search'
import { onPostgres } from '../helpers/testDatabase'

let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
  await app.runJob('demo:seed', { count: 600, seed: 7 })
})
afterAll(async () => {
  await app.cleanup()
})

/** Walks every page forwards and returns the ids in order. */
async function walk(input: ListCustomersInput): Promise<number[]> {
  const seen: number[] = []
  let page: CustomerPage = await app.invoke('customers:list', input)
  seen.push(...page.rows.map((r) => r.id))
  while (page.nextCursor) {
    page = await app.invoke('customers:list', { ...input, after: page.nextCursor })
    seen.push(...page.rows.map((r) => r.id))
  }
  return seen
}

async function expected(orderBy: string, where = "status = 'active'"): Promise<number[]> {
  return allRows<{ id: number }>(await app.db.raw(`SELECT id FROM customers c WHERE ${where} ORDER BY ${orderBy}`)).map((r) => r.id)
}

describe('the customer list', () => {
  it.each([
    ['name', 'asc', 'sort_name ASC, id ASC'],
    ['name', 'desc', 'sort_name DESC, id DESC'],
    ['email', 'asc', 'email_normalized ASC, id ASC'],
    ['createdAt', 'desc', 'created_at DESC, id DESC'],
    ['number', 'asc', 'id ASC'],
  ] as const)('pages by %s %s through every customer exactly once', async (sort, direction, orderBy) => {
    expect(await walk({ sort, direction, pageSize: 37 })).toEqual(await expected(orderBy))
  })

  it('pages backwards and opens the last page', async () => {
    const all = await expected('sort_name, id')
    const first = await app.invoke('customers:list', { pageSize: 50 })
    expect(first.prevCursor).toBeNull()
    const second = await app.invoke('customers:list', { pageSize: 50, after: first.nextCursor! })
    const back = await app.invoke('customers:list', { pageSize: 50, before: second.prevCursor! })
    expect(back.rows.map((r) => r.id)).toEqual(all.slice(0, 50))
    expect(back.prevCursor).toBeNull()
    const last = await app.invoke('customers:list', { pageSize: 50, last: true })
    expect(last.rows.map((r) => r.id)).toEqual(all.slice(-50))
    expect(last.nextCursor).toBeNull()
    expect(last.prevCursor).not.toBeNull()
    expect(first.total).toBe(all.length)
  })

  it('filters by tag and group, combined with each other and with search', async () => {
    const tag = (await app.invoke('tags:list', undefined)).find((t) => t.name === 'VIP')!
    const group = (await app.invoke('groups:list', undefined)).find((g) => g.name === 'Members')!
    const byTag = await walk({ tagIds: [tag.id] })
    expect(byTag).toEqual(
      await expected('sort_name, id', `status = 'active' AND id IN (SELECT customer_id FROM customer_tags WHERE tag_id = ${tag.id})`),
    )
    expect(byTag.length).toBeGreaterThan(0)
    const both = await walk({ tagIds: [tag.id], groupIds: [group.id] })
    expect(both).toEqual(
      await expected(
        'sort_name, id',
        `status = 'active' AND id IN (SELECT customer_id FROM customer_tags WHERE tag_id = ${tag.id}) AND id IN (SELECT customer_id FROM customer_group_members WHERE group_id = ${group.id})`,
      ),
    )
    const counts = await app.invoke('customers:counts', { tagIds: [tag.id] })
    expect(counts.active).toBe(byTag.length)
  })

  it('rejects a forged cursor with a readable error', async () => {
    expect(await app.call('customers:list', { after: 'bm90LWpzb24' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'after' } })
    expect(await app.call('customers:list', { after: 'a b' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('shows a very broad search in the chosen sort, complete and without repeats', async () => {
    // A fragment every seeded phone shares.
    const ids = await walk({ search: '7700', sort: 'name', pageSize: 100 })
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(await expected('sort_name ASC, id ASC', "status = 'active' AND id IN (SELECT customer_id FROM phones WHERE search_digits LIKE '%7700%')"))
  })
})

describe('a search broader than can be sorted from its matches', () => {
  let big: TestCore
  beforeAll(async () => {
    big = await openTestCore()
    await big.runJob('demo:seed', { count: SORTABLE_MATCHES + 800, seed: 3 })
  })
  afterAll(async () => {
    await big.cleanup()
  })

  const sorts = [
    ['name', 'asc', 'c.sort_name ASC, c.id ASC'],
    ['name', 'desc', 'c.sort_name DESC, c.id DESC'],
    ['email', 'asc', 'c.email_normalized ASC, c.id ASC'],
    ['createdAt', 'desc', 'c.created_at DESC, c.id DESC'],
    ['number', 'asc', 'c.id ASC'],
  ] as const

  it.each(sorts)('is shown sorted by %s %s, every match exactly once, forwards and backwards, in every tab', async (sort, direction, orderBy) => {
    for (const tab of ['active', 'archived', 'blocked'] as const) {
      const expected = allRows<{ id: number }>(
        await big.db.raw(
          `SELECT c.id FROM customers c WHERE c.status = ? AND c.id IN (SELECT customer_id FROM phones WHERE search_digits LIKE '%7700%') ORDER BY ${orderBy}`,
          [tab],
        ),
      ).map((r) => r.id)
      const input = { tab, search: '7700', sort, direction, pageSize: 200 } as const
      const first = await big.invoke('customers:list', input)
      if (tab === 'active') expect(first).toMatchObject({ totalCapped: true })
      const seen = first.rows.map((r) => r.id)
      let page = first
      while (page.nextCursor) {
        page = await big.invoke('customers:list', { ...input, after: page.nextCursor })
        seen.push(...page.rows.map((r) => r.id))
      }
      expect(seen).toEqual(expected)
      const last = await big.invoke('customers:list', { ...input, last: true })
      expect(last.rows.map((r) => r.id)).toEqual(expected.slice(-200))
      if (last.prevCursor) {
        const before = await big.invoke('customers:list', { ...input, before: last.prevCursor })
        expect(before.rows.map((r) => r.id)).toEqual(expected.slice(-400, -200))
      }
    }
  })

  it('gives the exact total of a tab whose matches all fit on the first page, though the search is broad in the book', async () => {
    for (const tab of ['archived', 'blocked'] as const) {
      const expected = allRows<{ n: number }>(
        await big.db.raw(`SELECT count(*) AS n FROM customers c WHERE c.status = ? AND c.id IN (SELECT customer_id FROM phones WHERE search_digits LIKE '%7700%')`, [tab]),
      )[0]!.n
      expect(expected).toBeGreaterThan(0)
      expect(expected).toBeLessThan(200)
      const page = await big.invoke('customers:list', { tab, search: '7700', pageSize: 200 })
      expect([tab, page.rows.length, page.total, page.totalCapped, page.nextCursor]).toEqual([tab, Number(expected), Number(expected), false, null])
      expect(page.counts).toMatchObject({ capped: true })
    }
  })

  it('sorts a name search of a few thousand matches on every page, from one read of the index on SQLite, its counts still capped', async () => {
    // PostgreSQL reads its matches by its own plans; the pages must be the same.
    const readsPerPage = onPostgres ? expect.any(Number) : 1
    const expectedIds = allRows<{ id: number }>(
      await big.db.raw(`SELECT id FROM customers c WHERE c.status = 'active' AND lower(c.email) LIKE '%example%' ORDER BY c.sort_name, c.id`),
    ).map((r) => r.id)
    expect(expectedIds.length).toBeGreaterThan(SORTABLE_MATCHES)
    const input = { search: 'example', sort: 'name', pageSize: 200 } as const
    const matchSql = vi.spyOn(dialectOf(big.db), 'matchSql')
    try {
      let page = await big.invoke('customers:list', input)
      expect(matchSql.mock.calls.length).toEqual(readsPerPage)
      expect(page).toMatchObject({ total: SORTABLE_MATCHES, totalCapped: true })
      expect(page.counts).toMatchObject({ capped: true })
      const seen = page.rows.map((r) => r.id)
      while (page.nextCursor) {
        matchSql.mockClear()
        page = await big.invoke('customers:list', { ...input, after: page.nextCursor })
        expect(matchSql.mock.calls.length).toEqual(readsPerPage)
        seen.push(...page.rows.map((r) => r.id))
      }
      expect(seen).toEqual(expectedIds)
      const last = await big.invoke('customers:list', { ...input, last: true })
      expect(last.rows.map((r) => r.id)).toEqual(expectedIds.slice(-200))
    } finally {
      matchSql.mockRestore()
    }
  })

  it.skipIf(onPostgres)('reads on past the first matches only when they foretell few enough, and says when it has them all', async () => {
    const dialect = dialectOf(big.db)
    const plan = planSearch('example')!
    const all = await dialect.firstMatches(big.db, plan, 1_000_000)
    // Foretold to be more than 300: the read stops at the first 100.
    expect(await dialect.firstMatches(big.db, plan, 100, 300)).toEqual({ ids: all.ids.slice(0, 100), statuses: null, every: false })
    // Foretold to be few enough (their spread is an estimate: room to spare): every match, in one pass.
    expect(await dialect.firstMatches(big.db, plan, 100, 2 * all.ids.length)).toEqual({ ids: all.ids, statuses: null, every: true })
    // Foretold wrongly (the matches thicken past the first ones): the read stops one past the limit it was given.
    const late = allRows<{ id: number }>(await big.db.raw('SELECT max(id) AS id FROM customers'))[0]!.id
    for (let i = 0; i < 6; i++) await big.invoke('customers:create', { firstName: 'Quillon', lastName: `Late${i}` })
    const thick = await dialect.firstMatches(big.db, planSearch('quillon')!, 2, 4)
    expect(thick.every).toBe(false)
    expect(thick.ids).toHaveLength(5)
    expect(thick.ids.every((id) => id > late)).toBe(true)
  })

  it.runIf(onPostgres)('on a server, reads on through one cursor unless the planner foresees far more matches, and says when it has them all', async () => {
    const dialect = dialectOf(big.db)
    const plan = planSearch('example')!
    await big.db.raw('ANALYZE customer_search')
    const all = await dialect.firstMatches(big.db, plan, 1_000_000)
    expect(all.ids.length).toBeGreaterThan(1000)
    // Foreseen and foretold to be few enough: every match, with its status, from the one read.
    expect(await dialect.firstMatches(big.db, plan, 100, 2 * all.ids.length)).toEqual({ ...all, every: true })
    // Foreseen to be far more than the read may go on to (more than three times): the first matches alone.
    const foreseen = await dialect.firstMatches(big.db, plan, 100, 300)
    expect(foreseen.every).toBeFalsy()
    expect(foreseen.ids).toHaveLength(100)
    // Foreseen to be few enough, but the first hundred foretell more (they reach a few hundred ids of thousands).
    const foretold = await dialect.firstMatches(big.db, plan, 100, Math.floor(all.ids.length / 2))
    expect(foretold.every).toBeFalsy()
    expect(foretold.ids).toHaveLength(100)
    expect(foretold.ids.every((id) => all.ids.includes(id))).toBe(true)
    // Foreseen in fewer rows than the first read takes (the statistics predate them): the cursor's first read tells.
    for (let i = 0; i < 30; i++) await big.invoke('customers:create', { firstName: 'Zquorbel', lastName: `Late${i}` })
    const unforeseen = planSearch('zquorbel')!
    const match = dialect.matchSql(unforeseen)!
    expect(await dialect.estimateRows(big.db, match.sql, match.bindings)).toBeLessThan(10)
    const late = await dialect.firstMatches(big.db, unforeseen, 10, 100)
    expect(late.every).toBe(true)
    expect(late.ids).toHaveLength(30)
    // Each read gives its connection back, read on or not: more reads than the pool holds connections.
    for (let i = 0; i < 30; i++) {
      expect((await dialect.firstMatches(big.db, i % 2 ? unforeseen : plan, 10, 100)).ids.length).toBeGreaterThan(0)
    }
    // Inside a caller's transaction the first matches alone are read, and the transaction stays the caller's.
    const before = allRows<{ n: number }>(await big.db.raw('SELECT count(*)::int AS n FROM tags'))[0]!.n
    await big.db
      .transaction(async (trx) => {
        await trx('tags').insert({ name: 'Rolled back', name_normalized: 'rolled back', color: '#000000', created_at: new Date().toISOString() })
        const inside = await dialect.firstMatches(trx, plan, 100, 2 * all.ids.length)
        expect(inside.every).toBeFalsy()
        expect(inside.ids).toHaveLength(100)
        throw new Error('roll back')
      })
      .catch((error: unknown) => expect(String(error)).toContain('roll back'))
    expect(allRows<{ n: number }>(await big.db.raw('SELECT count(*)::int AS n FROM tags'))[0]!.n).toBe(before)
  })

  it.runIf(onPostgres)('on a server, a read whose connection is lost while it reads on fails, gives the connection back, and the next search is answered', async () => {
    const dialect = dialectOf(big.db)
    const plan = planSearch('example')!
    const all = await dialect.firstMatches(big.db, plan, 1_000_000)
    const read = Cursor.prototype.read
    let reads = 0
    // Before the read goes on, the server ends the reading connection, as a restart or a network cut would.
    Cursor.prototype.read = function (this: Cursor, ...args: Parameters<Cursor['read']>) {
      if (++reads !== 2) return read.apply(this, args)
      return big.db
        .raw(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND query LIKE 'SELECT s.id, s.status%customer_search s WHERE%'`,
        )
        .then(() => read.apply(this, args))
    } as Cursor['read']
    try {
      await expect(dialect.firstMatches(big.db, plan, 100, 2 * all.ids.length)).rejects.toThrow()
    } finally {
      Cursor.prototype.read = read
    }
    expect(reads).toBe(2)
    expect(await dialect.firstMatches(big.db, plan, 100, 2 * all.ids.length)).toEqual({ ...all, every: true })
    expect((await big.invoke('customers:list', { search: 'example', pageSize: 10 })).rows).toHaveLength(10)
  })

  it('reports capped tab counts', async () => {
    expect(await big.invoke('customers:counts', { search: '7700' })).toMatchObject({ capped: true })
  })

  it('reads the matches once: a later page goes the way the first was found, and another search’s cursor is not trusted for it', async () => {
    const after = async (digits: string, key: { sortName: string; id: number }) =>
      allRows<{ id: number }>(
        await big.db.raw(
          `SELECT c.id FROM customers c WHERE c.status = 'active' AND c.id IN (SELECT customer_id FROM phones WHERE search_digits LIKE ?)
           AND (c.sort_name > ? OR (c.sort_name = ? AND c.id > ?)) ORDER BY c.sort_name, c.id LIMIT 200`,
          [`%${digits}%`, key.sortName, key.sortName, key.id],
        ),
      ).map((r) => r.id)
    const input = { search: '7700', sort: 'name', pageSize: 200 } as const
    const first = await big.invoke('customers:list', input)
    const last = first.rows[first.rows.length - 1]!
    const key = { sortName: String((await big.db('customers').where({ id: last.id }).first('sort_name')).sort_name), id: last.id }
    const read = vi.spyOn(dialectOf(big.db), 'firstMatches')
    try {
      const second = await big.invoke('customers:list', { ...input, after: first.nextCursor! })
      expect(read).not.toHaveBeenCalled()
      expect(second.rows.map((r) => r.id)).toEqual(await after('7700', key))
      expect(second).toMatchObject({ total: SORTABLE_MATCHES, totalCapped: true })
      const back = await big.invoke('customers:list', { ...input, before: second.prevCursor! })
      expect(read).not.toHaveBeenCalled()
      expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id))

      // The same position in another search: its own matches are read, its own rows shown.
      const other = await big.invoke('customers:list', { ...input, search: '77009', after: first.nextCursor! })
      expect(read).toHaveBeenCalled()
      expect(other.rows.map((r) => r.id)).toEqual(await after('77009', key))
    } finally {
      read.mockRestore()
    }
  })
})

describe('one keystroke, one answer', () => {
  it.each([
    {},
    { search: 'son' },
    { search: '7700 9' },
    { search: "'" },
    { tab: 'archived' as const, search: 'an' },
    { search: 'son', tagIds: [1] },
  ])('a first page brings every tab count, the same as customers:counts (%j)', async (input) => {
    const page = await app.invoke('customers:list', input)
    const { tab: _tab, ...filter } = input as { tab?: string }
    expect(page.counts).toEqual(await app.invoke('customers:counts', filter))
    expect(page.total).toBe(page.counts![(input as { tab?: 'active' | 'archived' }).tab ?? 'active'])
    const last = await app.invoke('customers:list', { ...input, last: true })
    expect(last.counts).toEqual(page.counts)
  })

  it.each([{ tagIds: [1] }, { marketingConsent: 'yes' as const }])(
    'filters without a search leave the counts to customers:counts, so the rows do not wait (%j)',
    async (input) => {
      const page = await app.invoke('customers:list', input)
      expect(page.counts).toBeNull()
      expect(page.total).toBe((await app.invoke('customers:counts', input)).active)
    },
  )

  it.each([{ search: 'a' }, { marketingConsent: 'yes' as const, search: 'e' }])('a one-letter search counts every tab with its page (%j)', async (input) => {
    const page = await app.invoke('customers:list', input)
    const { capped, ...counts } = await app.invoke('customers:counts', input)
    expect(page.counts).toEqual({ ...counts, capped })
    expect(page.total).toBe(counts.active)
  })

  it('a page further on does not count again', async () => {
    const first = await app.invoke('customers:list', { pageSize: 20 })
    const next = await app.invoke('customers:list', { pageSize: 20, after: first.nextCursor! })
    expect(next.counts).toBeNull()
    expect(next.total).toBe(first.total)
  })
})

describe('counts of a search', () => {
  it('count each tab exactly, customers in the recycle bin in none', async () => {
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push((await app.invoke('customers:create', { firstName: 'Countme', lastName: `Person${i}` })).id)
    for (const id of ids.slice(1)) await app.invoke('customers:addTag', { customerId: id, name: 'Counted' })
    const counted = ((await app.db('tags').where({ name: 'Counted' }).first('id')) as { id: number }).id
    await app.invoke('customers:archive', { id: ids[0]! })
    await app.invoke('customers:block', { id: ids[1]!, reason: 'Test' })
    await app.invoke('customers:delete', { id: ids[2]! })
    const expected = { active: 2, archived: 1, blocked: 1, capped: false }
    expect(await app.invoke('customers:counts', { search: 'countme' })).toEqual(expected)
    expect((await app.invoke('customers:list', { search: 'countme' })).counts).toEqual(expected)
    // A filter on the customer's own columns reads the rows; one on tags does not: the same answers.
    expect(await app.invoke('customers:counts', { search: 'countme', marketingConsent: 'no' })).toEqual(expected)
    // The archived one is not tagged, the one in the recycle bin is: neither counts as active.
    expect(await app.invoke('customers:counts', { search: 'countme', tagIds: [counted] })).toEqual({ active: 2, archived: 0, blocked: 1, capped: false })
  })
})
