import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Knex } from 'knex'
import type { Database, Statement } from 'better-sqlite3'
import type { PoolClient } from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { dialectOf } from './dialects'
import { quoteName, valueForEngine } from './dialects/tables'
import { allRows } from './queries/customerList'
import { COUNT_ALL_CUSTOMERS_SQL, COUNT_INSERT_TRIGGER, indexCustomersInIdRangeSql, mergeSearchSql, refreshCustomersSearchSql } from './dialects/sqlite'
import { addCustomerTotalsSql, CUSTOMER_TOTALS_INSERT_TRIGGERS } from './dialects/sqliteReportTotals'

/*
 * One way for the writers of thousands of rows at once (imports, sample
 * data) to run their prepared statements on either engine, inside one
 * transaction: on SQLite the raw driver's statements (no query builder per
 * row), on PostgreSQL the transaction's own connection. Statements take `?`
 * placeholders, or `@name` ones with one object of values.
 */

export type { BulkConnection, BulkParams, BulkStatement, PrepareOptions, SearchBuildHost } from './bulkConnection'
import type { BulkConnection, BulkParams, BulkStatement, PrepareOptions, SearchBuildHost } from './bulkConnection'
import { readSearchSources, searchBuildSetupOf, takeSearchBuild } from './searchBuild'

/** Whether this connection is to a PostgreSQL server (otherwise a SQLite file). */
export function isServerConnection(db: Knex): boolean {
  return String((db.client as { dialect?: unknown }).dialect) === 'postgresql'
}

/** The tables a customer's own rows go to: their indexes are built once after a first load. */
const FIRST_LOAD_TABLES = ['customers', 'phones', 'addresses', 'customer_tags', 'customer_group_members', 'change_log']

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
      insert: async (...params) => Number(s.run(...params).lastInsertRowid),
    }
  }

  beforeCommit(hook: () => Promise<void>): void {
    this.hooks.push(hook)
  }

  listOf(): string {
    return 'SELECT value FROM json_each(?)'
  }

  async setAsideForFirstLoad(): Promise<(() => Promise<void>) | null> {
    // The totals are then counted from every customer there: right only when all of them are the load's.
    if (await this.prepare('SELECT 1 FROM customers LIMIT 1').get()) return null
    const upkeep = await this.prepare(
      `SELECT m.type, m.name, m.sql FROM sqlite_master m
      WHERE m.sql IS NOT NULL AND (
        (m.type = 'index' AND m.tbl_name IN (SELECT value FROM json_each(?)))
        OR (m.type = 'trigger' AND m.name IN (SELECT value FROM json_each(?))))
      ORDER BY m.type, m.name`,
    ).all<{ type: 'index' | 'trigger'; name: string; sql: string }>(JSON.stringify(FIRST_LOAD_TABLES), JSON.stringify([COUNT_INSERT_TRIGGER, ...CUSTOMER_TOTALS_INSERT_TRIGGERS]))
    for (const { type, name } of upkeep) this.conn.exec(`DROP ${type === 'index' ? 'INDEX' : 'TRIGGER'} ${quoteName(name)}`)
    return async () => {
      // Each index's sort is held in memory (temporary storage is memory) in runs as large as the page
      // cache, beside the cache itself: a small cache meanwhile keeps a million-customer load's peak lower.
      const cacheSize = Number(this.conn.pragma('cache_size', { simple: true }))
      this.conn.pragma(`cache_size = ${INDEX_BUILD_CACHE_KIB}`)
      try {
        // A unique index made again still refuses the load if two of its rows share a key (nothing is then kept).
        for (const { sql } of upkeep) this.conn.exec(sql)
        this.conn.exec(COUNT_ALL_CUSTOMERS_SQL)
        for (const sql of addCustomerTotalsSql) this.conn.exec(sql)
      } finally {
        this.conn.pragma(`cache_size = ${cacheSize}`)
      }
    }
  }

  searchBuildHere(): SearchBuildHost {
    const conn = this.conn
    const setup = searchBuildSetupOf(conn)
    return {
      setup,
      sources: (after, upTo) => readSearchSources(conn, after, upTo),
      take: (chunks) => takeSearchBuild(conn, setup, chunks),
    }
  }

  async reserveIds(table: string): Promise<number> {
    // The write lock is held: nobody else inserts until commit. Past every id given, even to a row since removed
    // (an AUTOINCREMENT table's sqlite_sequence keeps the highest): a purged customer's number is never anyone else's.
    const given = await this.prepare(`SELECT max(coalesce((SELECT max(id) FROM ${table}), 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)) + 1 AS id`).get<{ id: number }>(table)
    return Number(given!.id)
  }

  async indexCustomers(from: number, to: number): Promise<void> {
    for (const { sql, inRange } of indexCustomersInIdRangeSql) await this.prepare(sql).run(...(inRange ? [from, to] : []))
  }

  async mergeSearch(pages: number): Promise<void> {
    for (const sql of mergeSearchSql(pages)) this.conn.exec(sql)
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

/** The page cache while a first load builds its indexes (negative: KiB, as PRAGMA cache_size takes it). */
const INDEX_BUILD_CACHE_KIB = -8192

const EXPLICIT_ID = /^\s*INSERT\s+INTO\s+(\w+)\s*\(\s*id\s*,/i
/** A one-row INSERT whose answer nobody needs (no RETURNING, no ON CONFLICT): its rows can wait and go several in one statement. */
const PLAIN_INSERT = /^(\s*INSERT\s+INTO\s+\w+\s*\([^()]*\)\s*VALUES\s*)(\([^()]*\))\s*$/i
/** The same, skipping rows already there: several can go in one statement too when nobody reads how many went in. */
const INSERT_UNLESS_THERE = /^(\s*INSERT\s+INTO\s+\w+\s*\([^()]*\)\s*VALUES\s*)(\([^()]*\))(\s*ON\s+CONFLICT\s*(?:\([^()]*\))?\s*DO\s+NOTHING)\s*$/i
/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000
const MAX_ROWS = 1000

/** Rows of one plain INSERT held back to go in one statement. */
interface HeldRows {
  head: string
  tuple: string
  /** What follows the rows (ON CONFLICT DO NOTHING), or nothing. */
  tail: string
  rows: BulkParams[]
  limit: number
}

class ServerBulk implements BulkConnection {
  readonly onServer = true
  readonly hooks: Array<() => Promise<void>> = []
  /** Tables given rows with ids chosen by the writer: their id sequences are moved past them before commit. */
  readonly explicitIds = new Set<string>()
  /**
   * Plain inserts waiting, by statement, in the order the statements were
   * first prepared: a writer prepares a parent table's insert before those of
   * the rows that refer to it. Every other statement writes them first, so
   * what is read is always what was written.
   */
  private readonly held = new Map<string, HeldRows>()
  private heldRows = 0

  constructor(private readonly trx: Knex) {}

  prepare(sql: string, options?: PrepareOptions): BulkStatement {
    const table = EXPLICIT_ID.exec(sql)?.[1]
    if (table) this.explicitIds.add(table)
    const queryOf = (text: string) => async (params: BulkParams) => {
      await this.flush()
      const q = knexSql(text, params)
      return (await this.trx.raw(q.sql, q.bindings)) as { rows: unknown[]; rowCount: number | null }
    }
    const query = queryOf(sql)
    const inserting = queryOf(`${sql} RETURNING id`)
    const plain = PLAIN_INSERT.exec(sql) ?? (options?.changesUnread ? INSERT_UNLESS_THERE.exec(sql) : null)
    if (plain && !this.held.has(sql)) {
      const perRow = Math.max(1, plain[2]!.split('?').length - 1)
      this.held.set(sql, { head: plain[1]!, tuple: plain[2]!, tail: plain[3] ?? '', rows: [], limit: Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / perRow)) })
    }
    return {
      run: async (...params) => {
        const held = plain ? this.held.get(sql) : undefined
        if (!held || (params.length === 1 && typeof params[0] === 'object' && params[0] !== null && !Buffer.isBuffer(params[0]))) {
          return { changes: Number((await query(params)).rowCount ?? 0) }
        }
        held.rows.push(params)
        if (++this.heldRows >= MAX_ROWS) await this.flush()
        return { changes: 1 }
      },
      get: async <T>(...params: BulkParams) => (await query(params)).rows[0] as T | undefined,
      all: async <T>(...params: BulkParams) => (await query(params)).rows as T[],
      insert: async (...params) => Number(((await inserting(params)).rows[0] as { id: number | string }).id),
    }
  }

  /** Writes every held row, statement by statement in the order they were prepared. */
  async flush(): Promise<void> {
    if (!this.heldRows) return
    this.heldRows = 0
    for (const held of this.held.values()) {
      while (held.rows.length) {
        const rows = held.rows.splice(0, held.limit)
        await this.trx.raw(`${held.head}${rows.map(() => held.tuple).join(', ')}${held.tail}`, rows.flat() as Knex.RawBinding[])
      }
    }
  }

  beforeCommit(hook: () => Promise<void>): void {
    this.hooks.push(hook)
  }

  listOf(type: 'int' | 'text'): string {
    return type === 'int' ? 'SELECT (json_array_elements_text(?::json))::integer AS value' : 'SELECT json_array_elements_text(?::json) AS value'
  }

  async setAsideForFirstLoad(): Promise<null> {
    return null
  }

  searchBuildHere(): null {
    return null
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

  async mergeSearch(): Promise<void> {
    // A server's word-start lists have their own upkeep; nothing piles up per commit.
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
      commitLeavingCheckpoint(conn)
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

/**
 * Commits without the checkpoint SQLite would run at once after a commit this
 * large: copying every page the bulk write made back into the file took as
 * long again as writing them to the log (0.9 s of an import's 1.2 s commit at
 * 100,000 customers). The idle upkeep checkpoints (db/maintenance.ts), and
 * closing the file does too; readers meanwhile read the pages from the log.
 */
function commitLeavingCheckpoint(conn: Database): void {
  const every = Number(conn.pragma('wal_autocheckpoint', { simple: true }))
  conn.pragma('wal_autocheckpoint = 0')
  try {
    conn.exec('COMMIT')
  } finally {
    conn.pragma(`wal_autocheckpoint = ${every}`)
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

/** A table's rows as a bulk load takes them, a batch at a time, each row its values in the load's column order. */
export type RowBatches = AsyncIterable<ReadonlyArray<readonly unknown[]>>

/** Loads one table's rows, in `columns`, as the batches arrive. */
export type TableLoader = (table: string, columns: readonly string[], batches: RowBatches) => Promise<void>

/**
 * Whole tables loaded inside the transaction `trx` (a copy of a desk's
 * data): on PostgreSQL one COPY … FROM STDIN a table over the transaction's
 * connection, rows streamed as they come (no statement text, no parameters);
 * on SQLite one prepared INSERT run row by row on the raw connection.
 */
export async function tableLoader(trx: Knex.Transaction): Promise<TableLoader> {
  const connection: unknown = await trx.client.acquireConnection()
  const quoted = (columns: readonly string[]) => columns.map(quoteName).join(', ')
  if (isServerConnection(trx)) {
    const client = connection as PoolClient
    return async (table, columns, batches) => {
      async function* lines(): AsyncGenerator<string> {
        for await (const rows of batches) {
          let chunk = ''
          for (const row of rows) {
            let line = copyText(row[0])
            for (let i = 1; i < columns.length; i++) line += `\t${copyText(row[i])}`
            chunk += `${line}\n`
          }
          yield chunk
        }
      }
      await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY ${quoteName(table)} (${quoted(columns)}) FROM STDIN`)))
    }
  }
  const conn = connection as Database
  const store = valueForEngine(trx)
  return async (table, columns, batches) => {
    const insert = conn.prepare(`INSERT INTO ${quoteName(table)} (${quoted(columns)}) VALUES (${columns.map(() => '?').join(', ')})`)
    const values: unknown[] = new Array(columns.length)
    for await (const rows of batches) {
      for (const row of rows) {
        for (let i = 0; i < columns.length; i++) values[i] = store(row[i])
        insert.run(values)
      }
    }
  }
}

/**
 * Reads rows inside the transaction `trx` as arrays of values in the
 * query's column order (no object a row): on PostgreSQL over the
 * transaction's connection, on SQLite with the raw connection's statements.
 * The SQL takes `?` placeholders.
 */
export async function rowReader(trx: Knex.Transaction): Promise<(sql: string, params: readonly unknown[]) => Promise<unknown[][]>> {
  const connection: unknown = await trx.client.acquireConnection()
  if (isServerConnection(trx)) {
    const client = connection as PoolClient
    return async (sql, params) => {
      let n = 0
      const result = await client.query<unknown[]>({ text: sql.replace(/\?/g, () => `$${++n}`), values: [...params], rowMode: 'array' })
      return result.rows
    }
  }
  const conn = connection as Database
  const statements = new Map<string, Statement>()
  return async (sql, params) => {
    let statement = statements.get(sql)
    if (!statement) statements.set(sql, (statement = conn.prepare(sql).raw(true)))
    return statement.all(...params) as unknown[][]
  }
}

/** A value in COPY's text format: \N for null, backslash escapes for the characters that part fields and rows. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 't' : 'f'
  let text: string
  if (typeof value === 'string') text = value
  else if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`
  else if (value instanceof Date) text = value.toISOString()
  else if (Array.isArray(value)) text = `{${value.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`
  else text = JSON.stringify(value)
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text
}
const SPECIAL = /[\\\n\r\t]/
const SPECIAL_ALL = /[\\\n\r\t]/g
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Drops what a bulk load into `tables` would otherwise keep row by row, and
 * answers the statements that make it again, to run once after the load: the
 * secondary indexes (those no constraint stands on; each is then built in one
 * pass) and, on PostgreSQL, the foreign keys (each then checked in one join
 * instead of one look-up per row). Both engines' DDL is transactional, so
 * inside the load's transaction a failed load leaves them as they were.
 */
export async function setAsideForLoad(trx: Knex.Transaction, tables: readonly string[]): Promise<Array<{ table: string; create: string }>> {
  if (!tables.length) return []
  let indexes: Array<{ name: string; table: string; create: string }>
  const keys: Array<{ table: string; create: string }> = []
  if (isServerConnection(trx)) {
    const foreignKeys = allRows<{ table: string; name: string; definition: string }>(
      await trx.raw(
        `SELECT c.conrelid::regclass::text AS "table", quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS definition
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY(?::text[]) ORDER BY 1, 2`,
        [[...tables]],
      ),
    )
    for (const key of foreignKeys) {
      await trx.raw(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`)
      keys.push({ table: key.table, create: `ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}` })
    }
    indexes = allRows(
      await trx.raw(
        `SELECT quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS name, tc.relname AS "table", pg_get_indexdef(i.indexrelid) AS "create"
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = tc.relnamespace
        WHERE n.nspname = current_schema() AND tc.relname = ANY(?::text[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY tc.relname, ic.relname`,
        [[...tables]],
      ),
    )
  } else {
    // Indexes a table's constraints made have no SQL of their own.
    indexes = allRows<{ name: string; table: string; create: string }>(
      await trx.raw(`SELECT name, tbl_name AS "table", sql AS "create" FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY tbl_name, name`, [
        JSON.stringify(tables),
      ]),
    ).map((index) => ({ ...index, name: quoteName(index.name) }))
  }
  for (const index of indexes) await trx.raw(`DROP INDEX ${index.name}`)
  // The keys after the indexes: a key's check may use them.
  return [...indexes.map(({ table, create }) => ({ table, create })), ...keys]
}
