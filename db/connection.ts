import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import knex, { type Knex } from 'knex'
import type { Database } from 'better-sqlite3'

export interface OpenOptions {
  readonly?: boolean
}

/**
 * One connection per process: SQLite serialises writers anyway, and a single
 * connection makes every Knex transaction exclusive without busy retries.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Knex {
  if (!options.readonly && file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  return knex({
    client: 'better-sqlite3',
    connection: { filename: file, options: { readonly: options.readonly ?? false } },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: Database, done: (error: Error | null, conn: Database) => void) {
        try {
          applyPragmas(conn, options.readonly ?? false)
          done(null, conn)
        } catch (error) {
          done(error as Error, conn)
        }
      },
    },
  })
}

/** SQLite-only settings live here and nowhere else. */
export function applyPragmas(conn: Database, readonly: boolean): void {
  if (!readonly) conn.pragma('journal_mode = WAL')
  conn.pragma('foreign_keys = ON')
  conn.pragma('synchronous = NORMAL')
  conn.pragma('busy_timeout = 5000')
  // Checkpoints happen in idle time (db/maintenance.ts); this is only the safety net (~40 MB of WAL).
  if (!readonly) conn.pragma('wal_autocheckpoint = 10000')
  // Deleted personal data must not linger in free pages.
  conn.pragma('secure_delete = ON')
  conn.pragma('cache_size = -65536')
  conn.pragma('temp_store = MEMORY')
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
  const conn = (await db.client.acquireConnection()) as Database
  try {
    return fn(conn)
  } finally {
    await db.client.releaseConnection(conn)
  }
}
