import type { Knex } from 'knex'
import type { WriteGate } from '../writeGate'

/*
 * Knex's better-sqlite3 client with two changes to how transactions start:
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

interface SqliteClient {
  writeGate?: WriteGate
  /** How long a write waits for a lock held outside this process before it fails as busy. */
  lockWaitMs: number
  transaction(...args: unknown[]): unknown
}
type ClientClass = new (config: Knex.Config) => SqliteClient

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

export class FrontdeskSqliteClient extends BetterSqliteClient {
  override writeGate?: WriteGate
  override lockWaitMs = 10_000

  override transaction(...args: unknown[]): unknown {
    return new FrontdeskTransaction(this, ...args)
  }
}
