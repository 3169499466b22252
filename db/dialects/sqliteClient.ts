import type { Knex } from 'knex'
import type { WriteGate } from '../writeGate'

/*
 * Knex's better-sqlite3 client with its statements kept for reuse (below) and two changes to how
 * transactions start:
 * - writes begin IMMEDIATE, taking the write lock first: a deferred transaction
 *   that reads and then writes gets SQLITE_BUSY at once from a second writer,
 *   whatever busy_timeout says;
 * - on the main process, a transaction first passes the write gate (waiting
 *   asynchronously while a background job writes), and a lock held by someone
 *   else is waited for with timers, never in SQLite's blocking busy wait.
 * Knex ships no types for its dialect classes; the small surface used is typed here.
 */

interface TransactionBase {
  client: SqliteClient
  outerTx: unknown
  readOnly?: boolean
  /** Set before begin() runs; its query rejects on error (the transaction's own query() swallows it). */
  trxClient: { query(conn: unknown, sql: string): Promise<unknown> }
  query(conn: unknown, sql: string): Promise<unknown>
  _evaluateContainer(config: unknown, container: unknown): Promise<unknown>
}
type TransactionClass = new (...args: unknown[]) => TransactionBase

/** The little of better-sqlite3's Statement and Database this client uses. */
interface Statement {
  reader: boolean
  all(bindings: unknown[]): unknown[]
  run(bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint }
}
interface Connection {
  prepare(sql: string): Statement
}
interface QueryObject {
  sql?: string
  bindings?: unknown[]
  options?: unknown
  response?: unknown
  context?: { lastID: number | bigint; changes: number }
}

interface SqliteClient {
  writeGate?: WriteGate
  /** How long a write waits for a lock held outside this process before it fails as busy. */
  lockWaitMs: number
  transaction(...args: unknown[]): unknown
}
type ClientClass = new (config: Knex.Config) => SqliteClient & {
  _query(connection: unknown, obj: QueryObject): Promise<QueryObject>
  _optSafeIntegers(options: unknown): boolean | undefined
  _formatBindings(bindings: unknown[] | undefined): unknown[]
}

// Loaded at run time from knex itself (kept outside the bundle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const BetterSqliteClient = require('knex/lib/dialects/better-sqlite3') as ClientClass
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SqliteTransaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as TransactionClass

const RETRY_MS = 25

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
}

class FrontdeskTransaction extends SqliteTransaction {
  override async _evaluateContainer(config: unknown, container: unknown): Promise<unknown> {
    const gate = this.client.writeGate
    if (!gate || this.outerTx || this.readOnly) return super._evaluateContainer(config, container)
    const release = await gate.enterTransaction()
    try {
      return await super._evaluateContainer(config, container)
    } finally {
      release()
    }
  }

  async begin(conn: unknown): Promise<unknown> {
    if (this.readOnly) return this.query(conn, 'BEGIN;')
    const deadline = Date.now() + this.client.lockWaitMs
    for (;;) {
      try {
        return await this.trxClient.query(conn, 'BEGIN IMMEDIATE;')
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      }
    }
  }
}

/*
 * Knex prepares every query afresh: SQLite parses and plans it each time, a quarter of a customer
 * save's 25 statements' time, and each prepared statement is an object for the garbage collector.
 * The statements a connection runs are few and repeat, so each connection keeps its most recent
 * ones. A kept statement is always run to its end (all, run) before it is used again, and SQLite
 * prepares it again by itself after the schema changes.
 */
const KEPT_STATEMENTS = 300
const keptStatements = new WeakMap<Connection, Map<string, Statement>>()

function statementFor(connection: Connection, sql: string): Statement {
  let kept = keptStatements.get(connection)
  if (!kept) keptStatements.set(connection, (kept = new Map()))
  let statement = kept.get(sql)
  if (statement) {
    // Most recently used last: the first is the one to let go.
    kept.delete(sql)
  } else {
    statement = connection.prepare(sql)
    if (kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!)
  }
  kept.set(sql, statement)
  return statement
}

export class FrontdeskSqliteClient extends BetterSqliteClient {
  override writeGate?: WriteGate
  override lockWaitMs = 10_000

  /** Knex's own, with the statement reused. */
  override async _query(connection: unknown, obj: QueryObject): Promise<QueryObject> {
    // A statement's integer mode stays with it: a query asking for one of its own is prepared for it alone.
    if (!obj.sql || !connection || this._optSafeIntegers(obj.options) !== undefined) return super._query(connection, obj)
    const statement = statementFor(connection as Connection, obj.sql)
    const bindings = this._formatBindings(obj.bindings)
    if (statement.reader) {
      obj.response = statement.all(bindings)
      return obj
    }
    const response = statement.run(bindings)
    obj.response = response
    obj.context = { lastID: response.lastInsertRowid, changes: response.changes }
    return obj
  }

  override transaction(...args: unknown[]): unknown {
    return new FrontdeskTransaction(this, ...args)
  }
}
