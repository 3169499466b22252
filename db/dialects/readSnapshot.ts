import type { Knex } from 'knex'
import type { Database, Statement } from 'better-sqlite3'

/**
 * Many small reads in one consistent view of the data, on either engine: a
 * walk that looks up one row after another (a report's best customers)
 * without the data changing under it midway.
 */
export interface SnapshotReader {
  /** The rows of a query with `?` bindings. */
  all<T>(sql: string, bindings?: readonly unknown[]): Promise<T[]>
  /** The first row of a query, if any. */
  first<T>(sql: string, bindings?: readonly unknown[]): Promise<T | undefined>
  /** Names the index a query reads (SQLite's INDEXED BY, after the table); nothing on PostgreSQL, whose planner picks by itself. */
  indexedBy(index: string): string
}

/**
 * Runs `read` in one read-only snapshot. On SQLite the reads are synchronous
 * on the thread's one connection, held for the whole walk (statements
 * prepared once each): `read` must make its queries through the reader only.
 * On PostgreSQL they run in a read-only, repeatable-read transaction.
 */
export async function withReadSnapshot<T>(db: Knex, read: (reader: SnapshotReader) => Promise<T>): Promise<T> {
  const dialect = String((db.client as { dialect?: unknown }).dialect)
  if (dialect === 'sqlite3') return sqliteSnapshot(db, read)
  if (dialect === 'postgresql') return postgresSnapshot(db, read)
  throw new Error(`Database dialect ${dialect} is not supported`)
}

async function sqliteSnapshot<T>(db: Knex, read: (reader: SnapshotReader) => Promise<T>): Promise<T> {
  const conn = (await db.client.acquireConnection()) as Database
  try {
    const statements = new Map<string, Statement>()
    const statement = (sql: string) => {
      let prepared = statements.get(sql)
      if (!prepared) {
        prepared = conn.prepare(sql)
        statements.set(sql, prepared)
      }
      return prepared
    }
    const reader: SnapshotReader = {
      all: async <R>(sql: string, bindings: readonly unknown[] = []) => statement(sql).all(...bindings) as R[],
      first: async <R>(sql: string, bindings: readonly unknown[] = []) => statement(sql).get(...bindings) as R | undefined,
      indexedBy: (index) => `INDEXED BY ${index}`,
    }
    conn.prepare('BEGIN').run()
    try {
      return await read(reader)
    } finally {
      conn.prepare('COMMIT').run()
    }
  } finally {
    await db.client.releaseConnection(conn)
  }
}

async function postgresSnapshot<T>(db: Knex, read: (reader: SnapshotReader) => Promise<T>): Promise<T> {
  return db.transaction(
    async (trx) => {
      await trx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
      const all = async <R>(sql: string, bindings: readonly unknown[] = []) =>
        ((await trx.raw(sql, bindings as Knex.ValueDict[keyof Knex.ValueDict][])) as { rows: R[] }).rows
      const reader: SnapshotReader = {
        all,
        first: async <R>(sql: string, bindings?: readonly unknown[]) => (await all<R>(sql, bindings))[0],
        indexedBy: () => '',
      }
      return read(reader)
    },
    { readOnly: true },
  )
}
