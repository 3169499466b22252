import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore } from '../helpers/core'
import { emptyServerDatabase } from '../helpers/testDatabase'
import { copyDatabase } from '../../main/services/database/copy'
import { NO_PROGRESS, type Progress } from '../../main/services/progress'
import { openDatabase, closeDatabase } from '../../db/connection'

/*
 * A copy between a customer file and a PostgreSQL server keeps every row of
 * every table (ids included), verifies each table, refuses a target that
 * holds data, and leaves nothing half-written. The round trip through a
 * server runs when a test server is given (FRONTDESK_TEST_POSTGRES).
 */

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-copy-'))
const source = join(dir, 'source.sqlite3')
const withServer = Boolean(process.env.FRONTDESK_TEST_POSTGRES)

beforeAll(async () => {
  const core = await openTestCore({ dataFile: source })
  try {
    await core.runJob('demo:seed', { count: 400, seed: 11 })
    const [first] = await core.db('customers').orderBy('id').limit(1).select('id')
    // Bytes (a photo), a pinned note and accented text travel as they are.
    await core.db('customer_photos').insert({ customer_id: first.id, mime: 'image/png', bytes: Buffer.from([0, 1, 2, 250, 255]), width: 1, height: 1, updated_at: '2026-12-01T10:00:00.000Z' })
    await core.invoke('notes:add', { customerId: first.id, body: 'Prefers Zoë’s Tuesday class — café après', pinned: true })
  } finally {
    await core.close()
  }
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Every row of every table that holds data (search index and migration times aside), in a fixed order. */
function contents(file: string): Record<string, unknown[]> {
  const conn = new Database(file, { readonly: true })
  try {
    const tables = conn
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_search%' AND name NOT LIKE 'knex_%' ORDER BY name`)
      .all() as Array<{ name: string }>
    const all: Record<string, unknown[]> = {}
    for (const { name } of tables) {
      const columns = (conn.prepare(`SELECT count(*) AS n FROM pragma_table_info('${name}')`).get() as { n: number }).n
      const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ')
      all[name] = conn.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).all()
    }
    return all
  } finally {
    conn.close()
  }
}

function searchCount(file: string, word: string): number {
  const conn = new Database(file, { readonly: true })
  try {
    return (conn.prepare(`SELECT count(*) AS n FROM customer_search_tri WHERE customer_search_tri MATCH ?`).get(`"${word}"`) as { n: number }).n
  } finally {
    conn.close()
  }
}

const recording = (): Progress & { phases: Set<string>; last: [number, number] } => {
  const phases = new Set<string>()
  const self = {
    phases,
    last: [0, 0] as [number, number],
    report(done: number, total: number, phase = '') {
      phases.add(phase.split(' ')[0] ?? '')
      self.last = [done, total]
    },
    checkCancelled() {},
    waitForWriteTurn: () => Promise.resolve(),
  }
  return self
}

describe('copying a desk’s data', () => {
  it('copies a file into a new file: every table and row the same, verified, search rebuilt, with progress', async () => {
    const target = join(dir, 'copy.sqlite3')
    const progress = recording()
    const report = await copyDatabase({ from: source, to: target }, progress)
    expect(contents(target)).toEqual(contents(source))
    expect(contents(source).customer_photos).toHaveLength(1)
    expect(report.tables.find((t) => t.name === 'customers')?.rows).toBe(400)
    expect(report.tables.find((t) => t.name === 'bookings')?.rows).toBeGreaterThan(0)
    expect(report.tables.every((t) => /^[0-9a-f]{16}$/.test(t.checksum))).toBe(true)
    expect([...progress.phases]).toEqual(expect.arrayContaining(['Copying', 'Checking', 'Rebuilding']))
    expect(progress.last[0]).toBe(progress.last[1])
    const someone = (contents(source).customers as Array<{ last_name: string }>)[0]!.last_name
    expect(searchCount(target, someone.slice(0, 3).toLowerCase())).toBe(searchCount(source, someone.slice(0, 3).toLowerCase()))
    // Only the copy is left: no temporary file beside it.
    expect(readdirSync(dir).filter((f) => f.includes('.copying-'))).toEqual([])
  }, 120_000)

  it('refuses a target that holds data unless asked to replace it, and changes nothing', async () => {
    const target = join(dir, 'full.sqlite3')
    await copyDatabase({ from: source, to: target }, NO_PROGRESS)
    const before = contents(target)
    await expect(copyDatabase({ from: source, to: target }, NO_PROGRESS)).rejects.toThrow(/already holds customer data/)
    expect(contents(target)).toEqual(before)
    await copyDatabase({ from: source, to: target, force: true }, NO_PROGRESS)
    expect(contents(target)).toEqual(contents(source))
  }, 120_000)

  it('cancelled midway, leaves no file behind', async () => {
    const target = join(dir, 'cancelled.sqlite3')
    let calls = 0
    const cancelling: Progress = {
      report() {},
      checkCancelled() {
        if (++calls > 3) throw new Error('Cancelled: nothing was changed.')
      },
      waitForWriteTurn: () => Promise.resolve(),
    }
    await expect(copyDatabase({ from: source, to: target }, cancelling)).rejects.toThrow(/Cancelled/)
    expect(existsSync(target)).toBe(false)
    expect(readdirSync(dir).filter((f) => f.includes('.copying-'))).toEqual([])
  }, 120_000)

  it.runIf(withServer)('round trip: file → PostgreSQL → file gives identical data, ids and sequences', async () => {
    const server = await emptyServerDatabase()
    try {
      const up = await copyDatabase({ from: source, to: server.url }, NO_PROGRESS)
      expect(up.rows).toBeGreaterThan(400)
      const back = join(dir, 'back.sqlite3')
      const down = await copyDatabase({ from: server.url, to: back }, NO_PROGRESS)
      const byName = (tables: typeof up.tables) => [...tables].sort((a, b) => a.name.localeCompare(b.name))
      expect(byName(down.tables)).toEqual(byName(up.tables))
      expect(contents(back)).toEqual(contents(source))
      // The server's next customer gets the next id, not one already used.
      const db = openDatabase(server.url)
      try {
        const max = Number(((await db('customers').max({ max: 'id' })) as Array<{ max: number }>)[0]?.max)
        const next = (await db.raw(`SELECT nextval(pg_get_serial_sequence('customers', 'id')) AS id`)) as { rows: Array<{ id: number }> }
        expect(next.rows[0]!.id).toBe(max + 1)
        const counts = (await db('customer_counts').sum({ n: 'count' })) as Array<{ n: number }>
        expect(Number(counts[0]!.n)).toBe(400)
      } finally {
        await closeDatabase(db)
      }
      // A server that holds data is refused, as a file is.
      await expect(copyDatabase({ from: source, to: server.url }, NO_PROGRESS)).rejects.toThrow(/already holds customer data/)
    } finally {
      await server.drop()
    }
  }, 300_000)
})
