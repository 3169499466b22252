import type { Knex } from 'knex'
import type { Database, Statement } from 'better-sqlite3'
import { dialectOf } from './dialects'
import { indexCustomersInIdRangeSql, refreshCustomersSearchSql } from './dialects/sqlite'

/*
 * One way for the writers of thousands of rows at once (imports, sample
 * data) to run their prepared statements on either engine, inside one
 * transaction: on SQLite the raw driver's statements (no query builder per
 * row), on PostgreSQL the transaction's own connection. Statements take `?`
 * placeholders, or `@name` ones with one object of values.
 */

export type { BulkConnection, BulkParams, BulkStatement } from './bulkConnection'
import type { BulkConnection, BulkParams, BulkStatement } from './bulkConnection'

/** Whether this connection is to a PostgreSQL server (otherwise a SQLite file). */
export function isServerConnection(db: Knex): boolean {
  return String((db.client as { dialect?: unknown }).dialect) === 'postgresql'
}

class SqliteBulk implements BulkConnection {
  readonly onServer = false
  readonly hooks: Array<() => Promise<void>> = []
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly conn: Database) {}

  prepare(sql: string): BulkStatement {
    let statement = this.statements.get(sql)
    if (!statement) this.statements.set(sql, (statement = this.conn.prepare(sql)))
    const s = statement
    const reads = s.reader
    return {
      run: async (...params) => ({ changes: reads ? (s.all(...params), 0) : s.run(...params).changes }),
      get: async <T>(...params: BulkParams) => s.get(...params) as T | undefined,
      all: async <T>(...params: BulkParams) => s.all(...params) as T[],
    }
  }

  beforeCommit(hook: () => Promise<void>): void {
    this.hooks.push(hook)
  }

  listOf(): string {
    return 'SELECT value FROM json_each(?)'
  }

  async reserveIds(table: string): Promise<number> {
    // The write lock is held: nobody else inserts until commit.
    return Number((await this.prepare(`SELECT coalesce(max(id), 0) + 1 AS id FROM ${table}`).get<{ id: number }>())!.id)
  }

  async indexCustomers(from: number, to: number): Promise<void> {
    for (const sql of indexCustomersInIdRangeSql) await this.prepare(sql).run(from, to)
  }

  async refreshSearch(ids: readonly number[]): Promise<void> {
    if (!ids.length) return
    const list = JSON.stringify(ids)
    for (const { remove, add } of refreshCustomersSearchSql) {
      await this.prepare(remove).run(list)
      await this.prepare(add).run(list)
    }
  }
}

/** `@name` placeholders as Knex's `:name`; SQL with `?` is left as it is. */
function knexSql(sql: string, params: BulkParams): { sql: string; bindings: readonly Knex.RawBinding[] | Knex.ValueDict } {
  const [first] = params
  if (params.length === 1 && first !== null && typeof first === 'object' && !Array.isArray(first) && !Buffer.isBuffer(first)) {
    return { sql: sql.replace(/@(\w+)/g, ':$1'), bindings: first as Knex.ValueDict }
  }
  return { sql, bindings: params as Knex.RawBinding[] }
}

const EXPLICIT_ID = /^\s*INSERT\s+INTO\s+(\w+)\s*\(\s*id\s*,/i
/** A one-row INSERT whose answer nobody needs (no RETURNING, no ON CONFLICT): its rows can wait and go several in one statement. */
const PLAIN_INSERT = /^(\s*INSERT\s+INTO\s+\w+\s*\([^()]*\)\s*VALUES\s*)(\([^()]*\))\s*$/i
/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000
const MAX_ROWS = 1000

/** Rows of one plain INSERT held back to go in one statement. */
interface HeldRows {
  head: string
  tuple: string
  rows: BulkParams[]
  limit: number
}

class ServerBulk implements BulkConnection {
  readonly onServer = true
  readonly hooks: Array<() => Promise<void>> = []
  /** Tables given rows with ids chosen by the writer: their id sequences are moved past them before commit. */
  readonly explicitIds = new Set<string>()
  /**
   * Plain inserts waiting, by statement, in the order each statement was
   * first used (parents before the rows that refer to them). Every other
   * statement writes them first, so what is read is always what was written.
   */
  private readonly held = new Map<string, HeldRows>()
  private heldRows = 0

  constructor(private readonly trx: Knex) {}

  prepare(sql: string): BulkStatement {
    const table = EXPLICIT_ID.exec(sql)?.[1]
    if (table) this.explicitIds.add(table)
    const query = async (params: BulkParams) => {
      await this.flush()
      const q = knexSql(sql, params)
      return (await this.trx.raw(q.sql, q.bindings)) as { rows: unknown[]; rowCount: number | null }
    }
    const plain = PLAIN_INSERT.exec(sql)
    return {
      run: async (...params) => {
        if (!plain || (params.length === 1 && typeof params[0] === 'object' && params[0] !== null && !Buffer.isBuffer(params[0]))) {
          return { changes: Number((await query(params)).rowCount ?? 0) }
        }
        let held = this.held.get(sql)
        if (!held) {
          const perRow = Math.max(1, params.length)
          held = { head: plain[1]!, tuple: plain[2]!, rows: [], limit: Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / perRow)) }
          this.held.set(sql, held)
        }
        held.rows.push(params)
        if (++this.heldRows >= MAX_ROWS) await this.flush()
        return { changes: 1 }
      },
      get: async <T>(...params: BulkParams) => (await query(params)).rows[0] as T | undefined,
      all: async <T>(...params: BulkParams) => (await query(params)).rows as T[],
    }
  }

  /** Writes every held row, statement by statement in the order they were first used. */
  async flush(): Promise<void> {
    if (!this.heldRows) return
    this.heldRows = 0
    for (const held of this.held.values()) {
      while (held.rows.length) {
        const rows = held.rows.splice(0, held.limit)
        await this.trx.raw(`${held.head}${rows.map(() => held.tuple).join(', ')}`, rows.flat() as Knex.RawBinding[])
      }
    }
  }

  beforeCommit(hook: () => Promise<void>): void {
    this.hooks.push(hook)
  }

  listOf(type: 'int' | 'text'): string {
    return type === 'int' ? 'SELECT (json_array_elements_text(?::json))::integer AS value' : 'SELECT json_array_elements_text(?::json) AS value'
  }

  async reserveIds(table: string, count: number): Promise<number> {
    await this.flush()
    const rows = async <T>(sql: string, bindings: Knex.RawBinding[] = []) => ((await this.trx.raw(sql, bindings)) as { rows: T[] }).rows
    const [{ sequence }] = (await rows<{ sequence: string }>(`SELECT pg_get_serial_sequence(?, 'id') AS sequence`, [table])) as [{ sequence: string }]
    // The sequence's name comes from the catalogue, quoted by pg_get_serial_sequence.
    const [given] = await rows<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM ${sequence}`)
    const [highest] = await rows<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM ${table}`)
    const first = Math.max(Number(highest?.id ?? 0), given?.is_called ? Number(given.last_value) : 0) + 1
    // The sequence moves past the block at once, so an id it gives meanwhile (another desk's) is never one of them.
    await this.trx.raw(`SELECT setval(?, ?)`, [sequence, first + count - 1])
    return first
  }

  async indexCustomers(from: number, to: number): Promise<void> {
    await this.flush()
    const ids = (await this.trx('customers').where('id', '>=', from).andWhere('id', '<', to).pluck('id')) as number[]
    await dialectOf(this.trx).refreshSearch(this.trx, ids.map(Number))
  }

  async refreshSearch(ids: readonly number[]): Promise<void> {
    await this.flush()
    if (ids.length) await dialectOf(this.trx).refreshSearch(this.trx, ids)
  }

  async catchUpSequences(): Promise<void> {
    for (const table of this.explicitIds) {
      const { rows } = (await this.trx.raw(`SELECT pg_get_serial_sequence(?, 'id') AS sequence`, [table])) as { rows: Array<{ sequence: string | null }> }
      const sequence = rows[0]?.sequence
      // Only ever forward: an id the sequence gave out stays given.
      if (sequence) await this.trx.raw(`SELECT setval(?, greatest((SELECT max(id) FROM ${table}), (SELECT last_value FROM ${sequence}), 1))`, [sequence])
    }
  }
}

/**
 * Runs `write` in one write transaction that holds the write lock from its
 * first statement (IMMEDIATE on SQLite, the advisory lock on PostgreSQL):
 * everything or nothing. Keep all reads and writes on the connection given;
 * on SQLite the Knex instance waits until this returns.
 */
export async function writeInBulk<T>(db: Knex, write: (conn: BulkConnection) => Promise<T>): Promise<T> {
  if (isServerConnection(db)) {
    return db.transaction(async (trx) => {
      const bulk = new ServerBulk(trx)
      const result = await write(bulk)
      for (const hook of bulk.hooks) await hook()
      await bulk.flush()
      await bulk.catchUpSequences()
      return result
    })
  }
  const conn = (await db.client.acquireConnection()) as Database
  try {
    conn.exec('BEGIN IMMEDIATE')
    try {
      const bulk = new SqliteBulk(conn)
      const result = await write(bulk)
      for (const hook of bulk.hooks) await hook()
      conn.exec('COMMIT')
      return result
    } catch (error) {
      if (conn.inTransaction) conn.exec('ROLLBACK')
      throw error
    }
  } finally {
    await db.client.releaseConnection(conn)
  }
}

/**
 * A bulk connection over a raw SQLite connection whose transaction the caller
 * holds (tools that build files); `finish` writes what writers still hold.
 */
export function sqliteBulkOn(conn: Database): { bulk: BulkConnection; finish: () => Promise<void> } {
  const bulk = new SqliteBulk(conn)
  return {
    bulk,
    finish: async () => {
      for (const hook of bulk.hooks) await hook()
    },
  }
}

/** Runs `read` with a bulk connection outside any write transaction (a dry run's look-ups). */
export async function readInBulk<T>(db: Knex, read: (conn: BulkConnection) => Promise<T>): Promise<T> {
  if (isServerConnection(db)) {
    return db.transaction(async (trx) => read(new ServerBulk(trx)), { readOnly: true })
  }
  const conn = (await db.client.acquireConnection()) as Database
  try {
    return await read(new SqliteBulk(conn))
  } finally {
    await db.client.releaseConnection(conn)
  }
}
