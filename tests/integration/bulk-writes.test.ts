import { statSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { writeInBulk } from '../../db/bulk'
import { closeDatabase, openDatabase } from '../../db/connection'
import { checkpointDatabase } from '../../db/maintenance'
import { ChangeLogAppender } from '../../db/changeChain'
import { verifyChangeChainOf } from '../../db/changeChainCheck'
import { onPostgres } from '../helpers/testDatabase'
import { SEARCH_TABLES, searchIndexContents } from '../helpers/fileChecks'
import { dialectOf } from '../../db/dialects'
import { seedDemoCustomers } from '../../main/demo/generate'

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

  it('reserve ids past every id given, even to a customer since removed', async () => {
    app = await openTestCore()
    const core = app
    await core.invoke('customers:create', { firstName: 'Stays', lastName: 'Here' })
    const gone = await core.invoke('customers:create', { firstName: 'Removed', lastName: 'Since' })
    await core.db('customers').where({ id: gone.id }).delete()
    const first = await writeInBulk(core.db, (conn) => conn.reserveIds('customers', 1))
    expect(first).toBe(gone.id + 1)
  })

  it('never give sample bookings, plan orders or sessions the id of one removed, whose history is in the change log', async () => {
    app = await openTestCore()
    const core = app
    const now = new Date('2026-12-02T10:00:00Z')
    await seedDemoCustomers(core.db, { count: 60, seed: 5, now })
    const highest = async (table: string) => Number(((await core.db(table).max({ id: 'id' })) as Array<{ id: number }>)[0]!.id)
    // The last booking (a plan's order: they come last) and the last session, removed with what hangs on them.
    const booking = await highest('bookings')
    for (const table of ['payments', 'booking_lines', 'pass_uses']) await core.db(table).where({ booking_id: booking }).delete()
    await core.db('bookings').where({ id: booking }).delete()
    const session = await highest('catalogue_sessions')
    await core.db('booking_lines').where({ session_id: session }).delete()
    await core.db('catalogue_sessions').where({ id: session }).delete()
    // Another business's worth on top, which needs sessions of its own.
    await seedDemoCustomers(core.db, { count: 4000, seed: 6, now })
    expect(await highest('bookings')).toBeGreaterThan(booking)
    expect(await highest('catalogue_sessions')).toBeGreaterThan(session)
    expect(await core.db('bookings').where({ id: booking }).first('id')).toBeUndefined()
    expect(await core.db('catalogue_sessions').where({ id: session }).first('id')).toBeUndefined()
  })

  it('write rows held back in the order their statements were prepared, parents first, and skip rows already there', async () => {
    app = await openTestCore()
    const core = app
    const existing = await core.invoke('customers:create', { firstName: 'Existing', lastName: 'One' })
    const tag = await core.invoke('tags:create', { name: 'Regular' })
    await core.db('customer_tags').insert({ customer_id: existing.id, tag_id: tag.id, created_at: '2026-12-02T10:00:00.000Z' })
    const made = await writeInBulk(core.db, async (conn) => {
      const insertCustomer = conn.prepare(`INSERT INTO customers (id, first_name, last_name, display_name, display_name_is_custom, sort_name, status, created_at, updated_at)
        VALUES (?, ?, 'Held', ?, FALSE, ?, 'active', '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z')`)
      const tagCustomer = conn.prepare(`INSERT INTO customer_tags (customer_id, tag_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, { changesUnread: true })
      // The child rows' statement is used first, for a customer already there, then for one made in the same write.
      await tagCustomer.run(existing.id, tag.id, '2026-12-02T10:00:00.000Z')
      const id = await conn.reserveIds('customers', 1)
      await insertCustomer.run(id, 'Made', 'Made Held', 'made held')
      await tagCustomer.run(id, tag.id, '2026-12-02T10:00:00.000Z')
      await tagCustomer.run(id, tag.id, '2026-12-02T10:00:00.000Z')
      return id
    })
    const tagged = (await core.db('customer_tags').where({ tag_id: tag.id }).orderBy('customer_id').pluck('customer_id')) as number[]
    expect(tagged.map(Number)).toEqual([existing.id, made])
  })

  it('keep every column of the change log in its place, entries written a batch at a time or one by one', async () => {
    app = await openTestCore()
    const core = app
    // A full batch of the appender's (200) and a few more.
    const entries = Array.from({ length: 205 }, (_, i) => ({
      at: `2026-12-02T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
      staff_id: 1,
      staff_name: `Staff ${i}`,
      entity_type: 'tag',
      entity_id: 1000 + i,
      customer_id: null,
      action: `tag.made.${i}`,
      summary: `Entry ${i}`,
      changes: JSON.stringify([{ field: 'Name', before: null, after: `Tag ${i}` }]),
    }))
    await writeInBulk(core.db, async (conn) => {
      const log = new ChangeLogAppender(conn)
      for (const entry of entries) await log.append(entry)
    })
    const stored = (await core.db('change_log').orderBy('id').select(Object.keys(entries[0]!))) as Array<Record<string, unknown>>
    expect(stored.map((row) => ({ ...row, staff_id: Number(row['staff_id']), entity_id: Number(row['entity_id']) }))).toEqual(entries)
    expect(await verifyChangeChainOf(core.db)).toMatchObject({ intact: true, entries: 205 })
  })
})

describe.skipIf(onPostgres)('a bulk write on SQLite', () => {
  it('leaves copying its pages back into the file to the idle upkeep, not to its commit', async () => {
    app = await openTestCore()
    // A job worker's connection: it checkpoints by itself once the log passes 10,000 pages.
    const worker = openDatabase(app.dataFile)
    try {
      await worker.raw('CREATE TABLE bulk_probe (bytes BLOB NOT NULL)')
      const fileSize = () => statSync(app!.dataFile).size
      const before = fileSize()
      await writeInBulk(worker, async (conn) => {
        const insert = conn.prepare('INSERT INTO bulk_probe (bytes) VALUES (zeroblob(1048576))')
        for (let i = 0; i < 48; i++) await insert.run()
      })
      // 48 MB in the log, none of it in the file yet; the connection still checkpoints by itself afterwards.
      expect(fileSize() - before).toBeLessThan(1 << 20)
      expect(statSync(`${app.dataFile}-wal`).size).toBeGreaterThan(48 << 20)
      expect(Number(((await worker.raw('PRAGMA wal_autocheckpoint')) as Array<{ wal_autocheckpoint: number }>)[0]!.wal_autocheckpoint)).toBe(10000)
      expect(Number(((await worker.raw('SELECT count(*) AS n FROM bulk_probe')) as Array<{ n: number }>)[0]!.n)).toBe(48)
      await checkpointDatabase(worker)
      expect(fileSize() - before).toBeGreaterThan(48 << 20)
    } finally {
      await closeDatabase(worker)
    }
  })
})

describe('a first load into an address book without customers', () => {
  /** What a file keeps besides its rows: the schema's indexes and triggers, each tab's count and the customers' report totals. */
  const upkeepOf = async (core: TestCore) => ({
    schema: await core.db.raw(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY type, name`),
    counts: await core.db('customer_counts').orderBy('status').select('status', 'count'),
    totals: await core.db('report_totals').whereIn('measure', ['customers', 'tag', 'group']).orderBy(['measure', 'day', 'key']).select('measure', 'day', 'key', 'n'),
  })

  /** 300 customers over several days and statuses, with tags and lists; through the set-aside upkeep when `firstLoad`. */
  const load = (core: TestCore, options: { firstLoad: boolean; fail?: boolean }) =>
    writeInBulk(core.db, async (conn) => {
      const rebuild = options.firstLoad ? await conn.setAsideForFirstLoad() : null
      if (options.firstLoad) expect(rebuild).not.toBeNull()
      const tag = conn.prepare(`INSERT INTO tags (name, name_normalized, color, created_at) VALUES (?, ?, NULL, '2026-12-01T09:00:00.000Z') RETURNING id`)
      const group = conn.prepare(`INSERT INTO customer_groups (name, name_normalized, description, created_at) VALUES (?, ?, '', '2026-12-01T09:00:00.000Z') RETURNING id`)
      const tags = [(await tag.get<{ id: number }>('Yoga', 'yoga'))!.id, (await tag.get<{ id: number }>('Swim', 'swim'))!.id]
      const list = (await group.get<{ id: number }>('Newsletter', 'newsletter'))!.id
      const insert = conn.prepare(`INSERT INTO customers (first_name, last_name, display_name, display_name_is_custom, sort_name, email, email_normalized, status,
        marketing_consent, created_at, updated_at) VALUES (?, 'Load', ?, FALSE, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
      const tagged = conn.prepare(`INSERT INTO customer_tags (customer_id, tag_id, created_at) VALUES (?, ?, '2026-12-01T09:00:00.000Z')`)
      const member = conn.prepare(`INSERT INTO customer_group_members (customer_id, group_id, created_at) VALUES (?, ?, '2026-12-01T09:00:00.000Z')`)
      const phone = conn.prepare(`INSERT INTO phones (customer_id, label, number, e164, search_digits, is_primary, position) VALUES (?, 'mobile', ?, ?, ?, 1, 0)`)
      for (let i = 0; i < 300; i++) {
        // Late in the evening (UTC) as well as by day: the desk's calendar day decides the total's day.
        const at = `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T${i % 2 ? '23:30' : '10:15'}:00.000Z`
        const status = ['active', 'active', 'archived', 'blocked'][i % 4]!
        const id = (await insert.get<{ id: number }>(`P${i}`, `P${i} Load`, `p${i} load`, `p${i}@example.com`, `p${i}@example.com`, status, i % 3 ? 0 : 1, at, at))!.id
        if (i % 2) await tagged.run(id, tags[0])
        if (i % 5 === 0) await tagged.run(id, tags[1])
        if (i % 7 === 0) await member.run(id, list)
        await phone.run(id, `07700 900${String(i).padStart(3, '0')}`, `+447700900${String(i).padStart(3, '0')}`, `07700900${String(i).padStart(3, '0')}`)
      }
      if (options.fail) throw new Error('Stopped part-way')
      await rebuild?.()
    })

  // A server keeps its indexes and triggers (the other desks read and write meanwhile): SQLite's alone.
  it.skipIf(onPostgres)('leaves the same indexes, triggers, counts and report totals as writing row by row', async () => {
    app = await openTestCore()
    const rowByRow = app
    await load(rowByRow, { firstLoad: false })
    const expected = await upkeepOf(rowByRow)
    await rowByRow.cleanup()

    app = await openTestCore()
    const core = app
    const before = await upkeepOf(core)
    await expect(load(core, { firstLoad: true, fail: true })).rejects.toThrow('Stopped part-way')
    expect(await upkeepOf(core)).toEqual(before)
    const cacheSize = async () => JSON.stringify(await core.db.raw('PRAGMA cache_size'))
    const cacheBefore = await cacheSize()
    await load(core, { firstLoad: true })
    // The indexes are built with a small page cache; the connection has its own back afterwards.
    expect(await cacheSize()).toBe(cacheBefore)
    expect(cacheBefore).toContain('-65536')
    const after = await upkeepOf(core)
    expect(after).toEqual(expected)
    expect(after.schema).toEqual(before.schema)
    expect(after.totals.length).toBeGreaterThan(20)
    // The rebuilt phone index is the one a caller look-up reads.
    const plan = (await core.db.raw(`EXPLAIN QUERY PLAN SELECT customer_id FROM phones WHERE e164 = '+447700900123'`)) as Array<{ detail: string }>
    expect(plan.map((r) => r.detail).join(' ')).toContain('phones_e164')
  })

  it.skipIf(onPostgres)('still refuses two live customers with one email: the whole load, when its unique index is made again', async () => {
    app = await openTestCore()
    const core = app
    const twice = writeInBulk(core.db, async (conn) => {
      const rebuild = await conn.setAsideForFirstLoad()
      const insert = conn.prepare(`INSERT INTO customers (first_name, last_name, display_name, display_name_is_custom, sort_name, email, email_normalized, status,
        created_at, updated_at) VALUES (?, 'Twin', ?, FALSE, ?, 'twin@example.com', 'twin@example.com', 'active', '2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z')`)
      await insert.run('Ann', 'Ann Twin', 'ann twin')
      // Set aside, the index lets the second in for now…
      await insert.run('Bea', 'Bea Twin', 'bea twin')
      await rebuild?.()
    })
    // …and refuses the load when it is made again.
    await expect(twice).rejects.toThrow(/UNIQUE constraint failed: customers\.email_normalized/)
    expect(await core.db('customers').count({ n: '*' }).first()).toEqual({ n: 0 })
    const indexes = (await core.db.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'customers_live_email'`)) as unknown[]
    expect(indexes).toHaveLength(1)
  })

  it('is declined once the book has a customer, and on a server', async () => {
    app = await openTestCore()
    const core = app
    const setAside = () =>
      writeInBulk(core.db, async (conn) => {
        const rebuild = await conn.setAsideForFirstLoad()
        await rebuild?.()
        return rebuild !== null
      })
    expect(await setAside()).toBe(!onPostgres)
    await core.invoke('customers:create', { firstName: 'Already', lastName: 'Here' })
    expect(await setAside()).toBe(false)
  })
})

describe('indexing customers in bulk', () => {
  it.skipIf(onPostgres)('gives every search index what indexing each customer as it is saved gives it', async () => {
    app = await openTestCore()
    const core = app
    // Sample data is written in bulk: its customers are indexed a slice at a time.
    await seedDemoCustomers(core.db, { count: 400, seed: 7, bookings: false, now: new Date('2026-12-02T10:00:00Z') })
    const inBulk = await searchIndexContents(core.db)
    expect(inBulk['customer_search_tri']!.length).toBeGreaterThan(10_000)
    const ids = ((await core.db('customers').pluck('id')) as number[]).sort((a, b) => a - b)
    await core.db.transaction(async (trx) => {
      for (const table of SEARCH_TABLES) {
        await trx.raw(`INSERT INTO ${table}(${table}) VALUES('delete-all')`)
      }
      await dialectOf(trx).refreshSearch(trx, ids)
    })
    expect(await searchIndexContents(core.db)).toEqual(inBulk)
    // Nothing of the slices is left behind on the connection.
    const left = (await core.db.raw(`SELECT count(*) AS n FROM temp.sqlite_master WHERE name = 'search_slice_documents'`)) as Array<{ n: number }>
    if (left[0]!.n) expect((await core.db.raw('SELECT count(*) AS n FROM temp.search_slice_documents')) as Array<{ n: number }>).toEqual([{ n: 0 }])
  })
})

describe('a bulk writer committing in turns', () => {
  it.skipIf(onPostgres)('merges a slice of the segments its turns left in the search index, and every customer is still found', async () => {
    app = await openTestCore()
    const core = app
    const segments = async () => Number(((await core.db.raw('SELECT count(DISTINCT segid) AS n FROM customer_search_word_idx')) as Array<{ n: number }>)[0]!.n)
    // Twelve turns of fifty customers, each committed with its customers indexed: a segment each.
    for (let turn = 0; turn < 12; turn++) {
      await writeInBulk(core.db, async (conn) => {
        const insert = conn.prepare(`INSERT INTO customers (first_name, last_name, display_name, display_name_is_custom, sort_name, status, created_at, updated_at)
          VALUES (?, 'Turner', ?, FALSE, ?, 'active', '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z')`)
        let first = 0
        let last = 0
        for (let i = 0; i < 50; i++) {
          last = await insert.insert(`Turn${turn}x${i}`, `Turn${turn}x${i} Turner`, `turn${turn}x${i} turner`)
          first ||= last
        }
        await conn.indexCustomers(first, last + 1)
      })
    }
    const before = await segments()
    expect(before).toBeGreaterThanOrEqual(12)
    await writeInBulk(core.db, (conn) => conn.mergeSearch(1000))
    expect(await segments()).toBeLessThan(before)
    expect((await core.invoke('customers:list', { search: 'Turner', pageSize: 100 })).total).toBe(600)
    expect((await core.invoke('customers:list', { search: 'Turn11x49' })).rows.map((r) => r.displayName)).toEqual(['Turn11x49 Turner'])
  })
})
