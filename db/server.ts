import type { Knex } from 'knex'
import { closeDatabase, openDatabase } from './connection'
import { DataFileProblem, type DataFileReason } from './dataFile'
import { FRONTDESK_LOCK_SPACE, MIGRATION_LOCK } from './dialects/postgresClient'
import { describeLocation } from './location'
import { migrateToLatest, migrations, migrationStatus } from './migrations'
import { allRows } from './queries/customerList'
import type { PrepareResult } from './open'

/** How long a desk waits for another desk's migrations before it gives up. */
const MIGRATION_WAIT_MS = 10 * 60_000
const RETRY_MS = 200

/** What a failed connection or set-up means, as one of the reasons the desk can say in words. */
export function serverProblemReason(error: unknown): DataFileReason | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  // Connection refused, unknown host, timeouts, the server shutting down or starting up.
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P03'].includes(code)) return 'server-unreachable'
  if (code.startsWith('08')) return 'server-unreachable'
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(String((error as Error | null)?.message ?? ''))) return 'server-unreachable'
  // Wrong password, no such user, no such database, not allowed to connect.
  if (['28P01', '28000', '3D000', '42501'].includes(code)) return 'server-login'
  return null
}

/**
 * Everything done to a PostgreSQL database before a desk uses it: refuse
 * another program's database or a newer Frontdesk's before a byte is
 * written; add the extensions search needs; run the app's migrations. Desks
 * starting at once take turns on a server-wide lock, so a migration never
 * runs twice; the one that waited finds nothing left to do.
 */
export async function prepareServerDatabase(url: string): Promise<PrepareResult> {
  const db = openDatabase(url)
  const where = describeLocation(url)
  try {
    const lock = await db.client.acquireConnection()
    try {
      await assertReachable(db, where)
      await takeMigrationLock(db, lock)
      await assertFrontdeskDatabase(db, where)
      const started = performance.now()
      let applied: string[] = []
      if ((await migrationStatus(db)).pending.length) {
        await setUpExtensions(db, where)
        applied = await migrateToLatest(db)
      }
      return { applied, checkMs: 0, migrateMs: performance.now() - started, checkDeferred: false }
    } finally {
      // Closing the session releases its lock too; unlocking first lets a waiting desk go on at once.
      await db.client.query(lock, { sql: `SELECT pg_advisory_unlock(${FRONTDESK_LOCK_SPACE}, ${MIGRATION_LOCK})`, bindings: [] }).catch(() => {})
      await db.client.releaseConnection(lock)
    }
  } catch (error) {
    const reason = serverProblemReason(error)
    if (reason) throw new DataFileProblem(reason, where, String((error as Error).message))
    throw error
  } finally {
    await closeDatabase(db)
  }
}

async function assertReachable(db: Knex, where: string): Promise<void> {
  try {
    await db.raw('SELECT 1')
  } catch (error) {
    throw new DataFileProblem(serverProblemReason(error) ?? 'server-unreachable', where, String((error as Error).message))
  }
}

/** Waits (with timers) for the session lock that only one desk's migrations hold at a time. */
async function takeMigrationLock(db: Knex, conn: unknown): Promise<void> {
  const deadline = Date.now() + MIGRATION_WAIT_MS
  for (;;) {
    const result = (await db.client.query(conn, { sql: `SELECT pg_try_advisory_lock(${FRONTDESK_LOCK_SPACE}, ${MIGRATION_LOCK}) AS taken`, bindings: [] })) as {
      response?: { rows?: Array<{ taken: boolean }> }
    }
    if (result.response?.rows?.[0]?.taken) return
    if (Date.now() > deadline) throw new Error('Another desk has been upgrading the database for over ten minutes')
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
  }
}

/** A database with tables but no Frontdesk migrations is another program's; one with migrations this version does not know, a newer Frontdesk's. */
async function assertFrontdeskDatabase(db: Knex, where: string): Promise<void> {
  const tables = allRows<{ name: string }>(
    await db.raw(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`),
  ).map((row) => row.name)
  if (!tables.length) return
  if (!tables.includes('knex_migrations')) throw new DataFileProblem('server-foreign', where, tables.slice(0, 5).join(', '))
  const known = new Set(migrations.map(([name]) => name))
  const applied = allRows<{ name: string }>(await db.raw('SELECT name FROM knex_migrations'))
  if (!applied.length && tables.some((name) => !name.startsWith('knex_'))) throw new DataFileProblem('server-foreign', where, tables.slice(0, 5).join(', '))
  const unknown = applied.filter((row) => !known.has(String(row.name)))
  if (unknown.length) throw new DataFileProblem('server-newer', where, unknown.map((row) => row.name).join(', '))
}

async function setUpExtensions(db: Knex, where: string): Promise<void> {
  try {
    await db.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    await db.raw('CREATE EXTENSION IF NOT EXISTS unaccent')
  } catch (error) {
    throw new DataFileProblem('server-setup', where, String((error as Error).message))
  }
}
