import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { writeInBulk } from '../../db/bulk'
import { ChangeLogAppender } from '../../db/changeChain'
import { verifyChangeChainOf } from '../../db/changeChainCheck'

/*
 * The writers of thousands of rows (imports, sample data) on either engine:
 * one transaction, all or nothing; rows held back to go several in one
 * statement are there for every read that follows; ids the writer chose are
 * never given again; the change log stays one chain.
 */

let app: TestCore | undefined

afterEach(async () => {
  await app?.cleanup()
  app = undefined
})

const tagCount = async (core: TestCore) => Number(((await core.db('tags').count({ n: '*' })) as Array<{ n: number }>)[0]!.n)

describe('bulk writes', () => {
  it('read what they wrote, and leave nothing behind when they fail', async () => {
    app = await openTestCore()
    const core = app
    const seen = await writeInBulk(core.db, async (conn) => {
      const insert = conn.prepare(`INSERT INTO tags (name, name_normalized, color, created_at) VALUES (?, ?, NULL, ?)`)
      for (let i = 0; i < 2500; i++) await insert.run(`Tag ${i}`, `tag ${i}`, '2026-12-02T10:00:00.000Z')
      return (await conn.prepare('SELECT count(*) AS n FROM tags').get<{ n: number }>())!.n
    })
    expect(Number(seen)).toBe(2500)
    expect(await tagCount(core)).toBe(2500)

    await expect(
      writeInBulk(core.db, async (conn) => {
        const insert = conn.prepare(`INSERT INTO tags (name, name_normalized, color, created_at) VALUES (?, ?, NULL, ?)`)
        for (let i = 0; i < 1500; i++) await insert.run(`Other ${i}`, `other ${i}`, '2026-12-02T10:00:00.000Z')
        throw new Error('Stopped part-way')
      }),
    ).rejects.toThrow('Stopped part-way')
    expect(await tagCount(core)).toBe(2500)
  })

  it('reserve ids nobody is given afterwards, and keep the change log one chain', async () => {
    app = await openTestCore()
    const core = app
    await core.invoke('customers:create', { firstName: 'Before', lastName: 'Bulk' })
    const first = await writeInBulk(core.db, async (conn) => {
      const id = await conn.reserveIds('customers', 3)
      const insert = conn.prepare(`INSERT INTO customers (id, first_name, last_name, display_name, display_name_is_custom, sort_name, status, created_at, updated_at)
        VALUES (?, ?, 'Bulk', ?, FALSE, ?, 'active', '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z')`)
      const log = new ChangeLogAppender(conn)
      for (let i = 0; i < 3; i++) {
        await insert.run(id + i, `Made ${i}`, `Made ${i} Bulk`, `made ${i} bulk`)
        await log.append({ at: '2026-12-02T10:00:00.000Z', staff_id: 1, staff_name: 'Test', entity_type: 'customer', entity_id: id + i, customer_id: id + i, action: 'customer.created', summary: `Made ${i}`, changes: '[]' })
      }
      await conn.indexCustomers(id, id + 3)
      return id
    })
    expect(first).toBe(2)
    const after = await core.invoke('customers:create', { firstName: 'After', lastName: 'Bulk' })
    expect(after.id).toBe(5)
    expect((await core.invoke('customers:list', { search: 'made' })).rows.map((r) => r.id)).toEqual([2, 3, 4])
    expect(await verifyChangeChainOf(core.db)).toMatchObject({ intact: true, entries: 5 })
  })
})
