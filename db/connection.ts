import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import knex, { type Knex } from 'knex'
import type { Database } from 'better-sqlite3'
import { FrontdeskSqliteClient } from './dialects/sqliteClient'
import { FrontdeskPostgresClient } from './dialects/postgresClient'
import { isServerDatabase } from './location'
import pg from 'pg'
import type { WriteGate } from './writeGate'
import { registerSearchFunctions } from './search/sqliteFunctions'

export interface OpenOptions {
  readonly?: boolean
  /**
   * The app's main process never waits inside SQLite (that would freeze the
   * window): its transactions pass this gate and wait for a lock with timers.
   * Workers and command-line tools leave it out and may wait in SQLite.
   */
  writeGate?: WriteGate
}

/** The main thread waits at most this long inside SQLite for a lock; workers and tools wait longer. */
const MAIN_BUSY_MS = 20
const WORKER_BUSY_MS = 5000

/**
 * Opens the customer data at `location`: a SQLite file, or a PostgreSQL
 * server given as a postgres:// URL (db/location.ts).
 *
 * SQLite: one connection per thread: SQLite serialises writers anyway, and a
 * single connection keeps each Knex transaction exclusive within the thread.
 */
export function openDatabase(location: string, options: OpenOptions = {}): Knex {
  if (isServerDatabase(location)) return openServerDatabase(location, options)
  const file = location
  if (!options.readonly && file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const mainThread = options.writeGate !== undefined
  const db = knex({
    client: FrontdeskSqliteClient as unknown as typeof Knex.Client,
    connection: { filename: file, options: { readonly: options.readonly ?? false } },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: Database, done: (error: Error | null, conn: Database) => void) {
        try {
          configureConnection(conn, { readonly: options.readonly ?? false, mainThread })
          done(null, conn)
        } catch (error) {
          done(error as Error, conn)
        }
      },
    },
  })
  ;(db.client as FrontdeskSqliteClient).writeGate = options.writeGate
  return db
}

// Counts and sums come back from PostgreSQL as bigint and numeric, which the driver gives as strings;
// every such value here is a whole number well within 2^53 (counts, minor units of money).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value))

const DESK_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

/** The main thread's pool is small: its work is short; a worker holds one connection at a time. */
const MAIN_POOL = 6
const WORKER_POOL = 2

function openServerDatabase(url: string, options: OpenOptions): Knex {
  const mainThread = options.writeGate !== undefined
  const db = knex({
    client: FrontdeskPostgresClient as unknown as typeof Knex.Client,
    connection: {
      connectionString: url,
      application_name: mainThread ? 'Frontdesk desk' : 'Frontdesk worker',
      // A server that does not answer is said in seconds, not after the system's minutes-long timeout.
      connectionTimeoutMillis: 5000,
      // An index look-up costs little more than a sequential read on the SSDs and warm caches desks
      // share a server from (the server's default assumes spinning disks, and then prefers reading all
      // of customers to a few thousand look-ups by id). Read-only connections (reports, statements)
      // see the same data; they only never write. A full read of a table starts at its start, not where
      // another read happens to be: a broad search's first matches are the lowest ids, every time (their
      // spread then tells the share of the book that matches).
      // A broad search's page walks the list's index against a look-up set of its matches: one the planner
      // thinks too large to hash in work_mem is probed by a scan of every match for each row instead (a
      // minute and more for 280,000 matches at a million customers). 32 MB hashes a set of every customer.
      options: ['-c random_page_cost=1.1', '-c synchronize_seqscans=off', '-c work_mem=32MB', options.readonly ? '-c default_transaction_read_only=on' : '']
        .join(' ')
        .trim(),
    },
    pool: {
      min: 0,
      max: mainThread ? MAIN_POOL : WORKER_POOL,
      idleTimeoutMillis: 30_000,
      // The desk's calendar: the report totals count days in the session's time zone, as SQLite's
      // 'localtime' is the desk's. A zone the server does not know leaves the server's own.
      afterCreate(conn: pg.Client, done: (error: Error | null, conn: pg.Client) => void) {
        conn.query(`SELECT set_config('TimeZone', $1, false)`, [DESK_TIME_ZONE], () => done(null, conn))
      },
    },
    acquireConnectionTimeout: 10_000,
  })
  const client = db.client as FrontdeskPostgresClient
  client.writeGate = options.writeGate
  // A desk's own pool: its tables do not change under it (migrations run before, on a pool of their own).
  client.statements.keep = mainThread && !options.readonly
  return db
}

/** SQLite-only settings live here and nowhere else. */
export function configureConnection(conn: Database, { readonly, mainThread }: { readonly: boolean; mainThread: boolean }): void {
  registerSearchFunctions(conn)
  if (!readonly) conn.pragma('journal_mode = WAL')
  conn.pragma('foreign_keys = ON')
  conn.pragma('synchronous = NORMAL')
  conn.pragma(`busy_timeout = ${mainThread ? MAIN_BUSY_MS : WORKER_BUSY_MS}`)
  // Checkpoints happen in idle time in the job worker (db/maintenance.ts). Other connections keep a
  // safety net (~40 MB of WAL); the main thread's never checkpoints, which could take it seconds.
  if (!readonly) conn.pragma(`wal_autocheckpoint = ${mainThread ? 0 : 10000}`)
  // Deleted personal data must not linger in free pages.
  conn.pragma('secure_delete = ON')
  conn.pragma('cache_size = -65536')
  conn.pragma('temp_store = MEMORY')
}

/** Where a connection's data is: a customer file's path, or a server's address (with its password: never shown). */
export function locationOf(db: Knex): string {
  const connection = (db.client.config as { connection?: { connectionString?: unknown; filename?: unknown } }).connection
  return typeof connection?.connectionString === 'string' ? connection.connectionString : String(connection?.filename)
}

export async function closeDatabase(db: Knex): Promise<void> {
  await db.destroy()
}

/**
 * The raw better-sqlite3 handle, for the few hot paths (search, bulk seeding)
 * where Knex's per-query overhead matters. Callers must not keep it beyond the
 * current call.
 */
export async function withRawConnection<T>(db: Knex, fn: (conn: Database) => T): Promise<T> {
  if (String((db.client as { dialect?: unknown }).dialect) !== 'sqlite3') throw new Error('withRawConnection is for SQLite connections only')
  const conn = (await db.client.acquireConnection()) as Database
  try {
    return await fn(conn)
  } finally {
    await db.client.releaseConnection(conn)
  }
}
