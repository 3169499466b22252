import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore } from '../helpers/core'
import { freshServerDatabase } from '../helpers/testDatabase'
import { copyDatabase } from '../../main/services/database/copy'
import { NO_PROGRESS, type Progress } from '../../main/services/progress'
import { openDatabase, closeDatabase } from '../../db/connection'

/*
 * A copy loads each table in bulk: the target's indexes, foreign keys and
 * trigger-kept tables are set aside during the load and made again after it.
 * Whatever happens, the target ends with all of them (or as it was), and a
 * copy that differs from what was read is still caught by its checksum.
 */

const dir = mkdtempSync(join(tmpdir(), 'frontdesk-copy-bulk-'))
const source = join(dir, 'source.sqlite3')
const withServer = Boolean(process.env.FRONTDESK_TEST_POSTGRES)

beforeAll(async () => {
  const core = await openTestCore({ dataFile: source })
  try {
    await core.runJob('demo:seed', { count: 120, seed: 5 })
    const [first] = await core.db('customers').orderBy('id').limit(1).select('id')
    // Text with the characters COPY's text format escapes, and bytes.
    await core.invoke('notes:add', { customerId: first.id, body: 'Line one\nline\ttwo \\ back\\slash\r\nend', pinned: false })
    await core.db('customer_photos').insert({ customer_id: first.id, mime: 'image/png', bytes: Buffer.from([0, 9, 10, 13, 92, 255]), width: 1, height: 1, updated_at: '2026-12-01T10:00:00.000Z' })
  } finally {
    await core.close()
  }
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function schemaOf(file: string): unknown[] {
  const conn = new Database(file, { readonly: true })
  try {
    return conn.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name`).all()
  } finally {
    conn.close()
  }
}

const rowsOf = async (db: Knex, sql: string) => ((await db.raw(sql)) as { rows: Array<Record<string, unknown>> }).rows

/**
 * The server's indexes, foreign keys and triggers, by name and definition (an
 * index's without casts and brackets: PostgreSQL words a condition it read
 * back from its own wording differently, meaning the same).
 */
async function serverSchema(db: Knex): Promise<unknown[]> {
  const indexes = await rowsOf(db, `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1`)
  return [
    ...indexes.map((index) => ({ ...index, definition: String(index.definition).replace(/::[\w ]+(\[\])?/g, '').replace(/[()\s]/g, '') })),
    ...(await rowsOf(
      db,
      `SELECT conname AS name, pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE n.nspname = current_schema() AND contype = 'f' ORDER BY 1`,
    )),
    ...(await rowsOf(db, `SELECT tgname AS name, tgenabled AS definition FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`)),
  ]
}

const cancellingAfter = (checks: number): Progress => {
  let calls = 0
  return {
    report() {},
    checkCancelled() {
      if (++calls > checks) throw new Error('Cancelled: nothing was changed.')
    },
    waitForWriteTurn: () => Promise.resolve(),
  }
}

describe('a copy’s bulk load', () => {
  it('leaves a new file with every index and trigger its schema has, and the rows as they were (escaped characters, bytes)', async () => {
    const target = join(dir, 'copy.sqlite3')
    await copyDatabase({ from: source, to: target }, NO_PROGRESS)
    expect(schemaOf(target)).toEqual(schemaOf(source))
    const read = (file: string) => {
      const conn = new Database(file, { readonly: true })
      try {
        return [conn.prepare(`SELECT body FROM notes ORDER BY id`).all(), conn.prepare(`SELECT bytes FROM customer_photos`).all(), conn.prepare(`SELECT * FROM booking_list_items ORDER BY 1, 2`).all()]
      } finally {
        conn.close()
      }
    }
    expect(read(target)).toEqual(read(source))
  }, 120_000)

  it.runIf(withServer)('into a server: the same indexes, keys and triggers after as before, rows escaped and back unchanged', async () => {
    const server = await freshServerDatabase()
    const db = openDatabase(server.url)
    try {
      const before = await serverSchema(db)
      await copyDatabase({ from: source, to: server.url }, NO_PROGRESS)
      expect(await serverSchema(db)).toEqual(before)
      const bodies = (await rowsOf(db, `SELECT body FROM notes ORDER BY id`)).map((r) => r.body)
      const conn = new Database(source, { readonly: true })
      const written = (conn.prepare(`SELECT body FROM notes ORDER BY id`).all() as Array<{ body: string }>).map((r) => r.body)
      conn.close()
      expect(written.some((body) => /\\.*\t|\t.*\\/s.test(body))).toBe(true)
      expect(bodies).toEqual(written)
      const [photo] = await rowsOf(db, `SELECT bytes FROM customer_photos`)
      expect(Buffer.from(photo!.bytes as Buffer)).toEqual(Buffer.from([0, 9, 10, 13, 92, 255]))
      // The statistics are there: the planner knows the tables were filled.
      const [stats] = await rowsOf(db, `SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'bookings'`)
      expect(stats!.n).toBeGreaterThan(0)
      // The copy was vacuumed (rows marked committed, pages visible to all, as far as no reader then held them back).
      const vacuumed = await rowsOf(
        db,
        `SELECT relname FROM pg_stat_user_tables WHERE relname IN ('customers', 'customer_search_by_start') AND last_vacuum IS NOT NULL ORDER BY relname`,
      )
      expect(vacuumed.map((r) => r.relname)).toEqual(['customer_search_by_start', 'customers'])
    } finally {
      await closeDatabase(db)
      await server.drop()
    }
  }, 300_000)

  it.runIf(withServer)('cancelled while a table streams into a server, leaves the server as it was: no rows, every index, key and trigger', async () => {
    const server = await freshServerDatabase()
    const db = openDatabase(server.url)
    try {
      const before = await serverSchema(db)
      await expect(copyDatabase({ from: source, to: server.url }, cancellingAfter(5))).rejects.toThrow(/Cancelled/)
      expect(await serverSchema(db)).toEqual(before)
      const [customers] = await rowsOf(db, `SELECT count(*)::int AS n FROM customers`)
      expect(customers!.n).toBe(0)
      // The connection the copy streamed over was given back whole: the server takes the copy after.
      await copyDatabase({ from: source, to: server.url }, NO_PROGRESS)
      const [after] = await rowsOf(db, `SELECT count(*)::int AS n FROM customers`)
      expect(after!.n).toBe(120)
    } finally {
      await closeDatabase(db)
      await server.drop()
    }
  }, 300_000)

  it.runIf(withServer)('a server whose copy of a row differs from what was read (a column that pads its text) is caught and left as it was', async () => {
    const server = await freshServerDatabase()
    const db = openDatabase(server.url)
    try {
      // Padded to 2,000 characters as stored: every note reads back other than it was written.
      await db.raw(`ALTER TABLE notes ALTER COLUMN body TYPE character(2000)`)
      await expect(copyDatabase({ from: source, to: server.url }, NO_PROGRESS)).rejects.toThrow(/copy of notes does not match the source/)
      const [customers] = await rowsOf(db, `SELECT count(*)::int AS n FROM customers`)
      expect(customers!.n).toBe(0)
    } finally {
      await closeDatabase(db)
      await server.drop()
    }
  }, 300_000)
})
