import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import type { WriteGate } from '../writeGate'

/*
 * Knex's PostgreSQL client with the same transaction rules as the SQLite one
 * (sqliteClient.ts), so the services behave alike on both engines:
 * - a write transaction first takes the database's write lock (an advisory
 *   lock held to the end of the transaction), so writers on every desk take
 *   turns as SQLite's do, and a read-then-write (a place left in a class, the
 *   next number) cannot interleave with another desk's;
 * - the lock is waited for with timers, never inside the server: a desk that
 *   waits longer than lockWaitMs gets "busy" in words, not a frozen save;
 * - on the main process a transaction first passes the write gate, like SQLite.
 * Knex ships no types for its dialect classes; the small surface used is typed here.
 */

interface TransactionBase {
  client: PostgresClient
  outerTx: unknown
  readOnly?: boolean
  trxClient: { query(conn: unknown, sql: string): Promise<unknown> }
  query(conn: unknown, sql: string): Promise<unknown>
  _evaluateContainer(config: unknown, container: unknown): Promise<unknown>
}
type TransactionClass = new (...args: unknown[]) => TransactionBase

interface PostgresClient {
  writeGate?: WriteGate
  lockWaitMs: number
  transaction(...args: unknown[]): unknown
  _query(connection: object, query: unknown): Promise<unknown>
  acquireRawConnection(): Promise<unknown>
  destroyRawConnection(connection: unknown): Promise<void>
}
type ClientClass = new (config: Knex.Config) => PostgresClient

// eslint-disable-next-line @typescript-eslint/no-require-imports
const PgClient = require('knex/lib/dialects/postgres') as ClientClass
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PgTransaction = require('knex/lib/dialects/postgres/execution/pg-transaction') as TransactionClass

/** The advisory lock keys of the database (two int4 keys: Frontdesk's, then which lock). */
export const FRONTDESK_LOCK_SPACE = 0x46444b
export const WRITE_LOCK = 1
export const MIGRATION_LOCK = 2

const RETRY_MS = 25

/** The error a write gets when the write lock stayed taken: the same words as SQLite's busy file. */
export class DatabaseBusyError extends Error {
  readonly code = 'FRONTDESK_BUSY'
  constructor() {
    super('Another desk or task kept the database busy')
  }
}

/**
 * The rows of a query run through the client (its answer is the query object, the driver's result in
 * `response`); of its last statement when it held several (the driver then answers a list of results).
 */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  let response = (result as { response?: unknown } | null)?.response ?? result
  if (Array.isArray(response)) response = response[response.length - 1]
  const rows = (response as { rows?: unknown } | null)?.rows
  return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : []
}

const TRY_WRITE_LOCK = `SELECT pg_try_advisory_xact_lock(${FRONTDESK_LOCK_SPACE}, ${WRITE_LOCK}) AS taken;`

class FrontdeskPostgresTransaction extends PgTransaction {
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
    if (this.readOnly) return this.query(conn, 'BEGIN TRANSACTION READ ONLY;')
    const deadline = Date.now() + this.client.lockWaitMs
    // The transaction and the first try for the lock in one round trip (no bindings: one simple query may hold both).
    const begun = await this.trxClient.query(conn, `BEGIN; ${TRY_WRITE_LOCK}`)
    let result = begun
    for (;;) {
      if (rowsOf(result)[0]?.taken === true) return begun
      if (Date.now() >= deadline) {
        await this.trxClient.query(conn, 'ROLLBACK;').catch(() => {})
        throw new DatabaseBusyError()
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      result = await this.trxClient.query(conn, TRY_WRITE_LOCK)
    }
  }
}

/** Each connection's queries in flight, so the next one waits its turn. */
const inFlight = new WeakMap<object, Promise<unknown>>()

/*
 * A desk's own queries built by Knex (record loads, saves, look-ups) are kept prepared on each
 * connection: the server parses one once, and after a few runs plans it once (a generic plan), where
 * it would otherwise parse and plan it every time: 0.1–0.2 ms a query, a tenth to a fifth of most.
 * Written SQL (the list and search queries) is left out: its plans depend on the values searched for.
 * Written SQL whose plan does not (a save's search row) asks to be kept the same way with KEEP_PREPARED.
 */
/** The statements each connection keeps at most; the least lately used goes first. */
const PREPARED_PER_CONNECTION = 300
/** The server's answer to a kept statement whose columns changed under it (another desk upgraded the database). */
export function isStaleStatement(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '0A000' && /cached plan must not change result type/i.test(error instanceof Error ? error.message : '')
}

interface PreparedOnConnection {
  /** The pool's generation the statements were made in: an older one's are all dropped before the next query. */
  generation: number
  /** Statement text → its name, least lately used first. */
  names: Map<string, string>
}
const preparedOn = new WeakMap<object, PreparedOnConnection>()

/** Whether a pool keeps statements, and its generation: one object per pool, reached from each connection. */
interface StatementPolicy {
  keep: boolean
  generation: number
}
// A transaction's queries run on a copy of the client without its fields (Knex's transaction client): the connection carries the pool's policy.
const policyOf = new WeakMap<object, StatementPolicy>()

interface KnexQuery {
  sql?: string
  method?: string
  options?: Record<string, unknown>
}

/** Knex's `.options()` for written SQL to be kept prepared like a built query (see above). */
export const KEEP_PREPARED = { keepPrepared: true } as const

/** Whether a query is kept: one Knex built (not a transaction's own BEGIN or COMMIT), or written SQL that asks to be. */
function isKept(query: KnexQuery): query is KnexQuery & { sql: string } {
  if (!query.sql || query.options?.['name'] !== undefined) return false
  if (query.options?.['keepPrepared'] === true) return true
  return typeof query.method === 'string' && query.method !== 'raw'
}

/** A statement's name: the same text has the same name on every connection. */
function statementName(sql: string): string {
  return `fd_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`
}

/** The driver's record of the statements it parsed on a connection. */
function parsedStatementsOf(connection: object): Record<string, unknown> | undefined {
  return (connection as { connection?: { parsedStatements?: Record<string, unknown> } }).connection?.parsedStatements
}

/** A closed connection's notices may still be on their way: its process id counts as this desk's a while longer. */
const FORGET_CLOSED_AFTER_MS = 10_000

export class FrontdeskPostgresClient extends PgClient {
  override writeGate?: WriteGate
  override lockWaitMs = 10_000
  /** Whether built queries are kept prepared (a desk's pool; not the tools that change the tables). */
  readonly statements: StatementPolicy = { keep: false, generation: 0 }
  /** The server process ids of this pool's open connections, and of those closed lately (until when they count). */
  private readonly openPids = new Set<number>()
  private readonly closedPids = new Map<number, number>()

  /**
   * Whether a server process is one of this pool's connections: the server
   * names the process that sent each change notice, so the desk can tell its
   * own writes (already on its screens) from other desks'.
   */
  isOwnBackend(pid: number): boolean {
    return this.openPids.has(pid) || (this.closedPids.get(pid) ?? 0) > Date.now()
  }

  override async acquireRawConnection(): Promise<unknown> {
    const connection = await super.acquireRawConnection()
    const pid = (connection as { processID?: unknown }).processID
    if (typeof pid === 'number') this.openPids.add(pid)
    policyOf.set(connection as object, this.statements)
    return connection
  }

  override async destroyRawConnection(connection: unknown): Promise<void> {
    const pid = (connection as { processID?: unknown }).processID
    try {
      await super.destroyRawConnection(connection)
    } finally {
      if (typeof pid === 'number' && this.openPids.delete(pid)) {
        const now = Date.now()
        for (const [old, until] of this.closedPids) if (until <= now) this.closedPids.delete(old)
        this.closedPids.set(pid, now + FORGET_CLOSED_AFTER_MS)
      }
    }
  }

  /**
   * One query at a time per connection: a transaction's queries started together
   * (Promise.all) run one after another, as they do on SQLite, rather than being
   * left to the driver's queue, which pg 9 drops.
   */
  override _query(connection: object, query: unknown): Promise<unknown> {
    const previous = inFlight.get(connection)
    const policy = policyOf.get(connection)
    const send = () => (policy?.keep ? this.sendPrepared(connection, query as KnexQuery, policy) : super._query(connection, query))
    const run = previous ? previous.then(send) : send()
    const settled = run.catch(() => undefined)
    inFlight.set(connection, settled)
    return run
  }

  private async sendPrepared(connection: object, query: KnexQuery, policy: StatementPolicy, retried = false): Promise<unknown> {
    if (!isKept(query)) return super._query(connection, query)
    let kept = preparedOn.get(connection)
    if (!kept) preparedOn.set(connection, (kept = { generation: policy.generation, names: new Map() }))
    if (kept.generation !== policy.generation) {
      await super._query(connection, { sql: 'DEALLOCATE ALL', bindings: [] })
      for (const name of kept.names.values()) delete parsedStatementsOf(connection)?.[name]
      kept.names.clear()
      kept.generation = policy.generation
    }
    let name = kept.names.get(query.sql)
    if (name !== undefined) kept.names.delete(query.sql)
    else {
      name = statementName(query.sql)
      if (kept.names.size >= PREPARED_PER_CONNECTION) {
        const [oldest, oldName] = kept.names.entries().next().value as [string, string]
        await super._query(connection, { sql: `DEALLOCATE "${oldName}"`, bindings: [] })
        delete parsedStatementsOf(connection)?.[oldName]
        kept.names.delete(oldest)
      }
    }
    kept.names.set(query.sql, name)
    try {
      return await super._query(connection, { ...query, options: { ...query.options, name } })
    } catch (error) {
      if (!isStaleStatement(error)) throw error
      // Raised once for the stale statements, whichever connection met them first.
      if (kept.generation === policy.generation) policy.generation++
      // Outside a transaction the query is simply asked again; inside one, the transaction has failed and
      // the save is refused once: the next is made with fresh statements.
      if (retried || (connection as { __knexTxId?: unknown }).__knexTxId !== undefined) throw error
      return this.sendPrepared(connection, query, policy, true)
    }
  }

  override transaction(...args: unknown[]): unknown {
    return new FrontdeskPostgresTransaction(this, ...args)
  }
}

/** Whether a server process is one of this database's own pool connections (false for anything not on a server). */
export function isOwnBackendOf(knex: Knex): (pid: number) => boolean {
  const client = knex.client as unknown
  return client instanceof FrontdeskPostgresClient ? (pid) => client.isOwnBackend(pid) : () => false
}
