import type { Knex } from 'knex'
import { closeDatabase, openDatabase } from './connection'
import { createDataFile, DataFileProblem, FRONTDESK_APPLICATION_ID, quickCheck, type DataFileState } from './dataFile'
import { migrateToLatest, migrations } from './migrations'
import { allRows } from './queries/customerList'

export interface PrepareResult {
  /** Migrations applied now. */
  applied: string[]
  /** Time spent in the quick check and in migrations (ms). */
  checkMs: number
  migrateMs: number
}

/**
 * Everything done to a customer file before the desk uses it, in order:
 * make it if new; check it (read-only) if not; refuse a newer schema before
 * a byte is written; adopt an earlier Frontdesk file; migrate; record the
 * schema version. Runs in the job worker for large files, so the window stays
 * responsive; the caller holds the file's lock throughout.
 */
export async function prepareDataFile(file: string, state: DataFileState): Promise<PrepareResult> {
  let checkMs = 0
  if (state.kind === 'new') {
    createDataFile(file)
  } else {
    const started = performance.now()
    const problems = quickCheck(file)
    checkMs = performance.now() - started
    if (problems.length) throw new DataFileProblem('damaged', file, problems.slice(0, 5).join('; '))
  }
  const db = openDatabase(file)
  try {
    await assertWritable(db, file)
    await assertKnownMigrations(db, file)
    if (state.kind === 'legacy') await db.raw(`PRAGMA application_id = ${FRONTDESK_APPLICATION_ID}`)
    const started = performance.now()
    const applied = await migrateToLatest(db)
    const migrateMs = performance.now() - started
    await db.raw(`PRAGMA user_version = ${migrations.length}`)
    return { applied, checkMs, migrateMs }
  } finally {
    await closeDatabase(db)
  }
}

/** A file that opened but cannot be written (read-only file, folder or disk) is refused up front, in words. */
async function assertWritable(db: Knex, file: string): Promise<void> {
  try {
    await db.transaction(async () => {})
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '')
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) throw new DataFileProblem('read-only', file, code)
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new DataFileProblem('in-use', file, code)
    throw error
  }
}

/** Migrations this version does not know were made by a newer Frontdesk: refuse rather than guess. */
async function assertKnownMigrations(db: Knex, file: string): Promise<void> {
  if (!(await db.schema.hasTable('knex_migrations'))) return
  const known = new Set(migrations.map(([name]) => name))
  const applied = allRows<{ name: string }>(await db.raw('SELECT name FROM knex_migrations'))
  const unknown = applied.filter((row) => !known.has(String(row.name)))
  if (unknown.length) throw new DataFileProblem('newer', file, unknown.map((row) => row.name).join(', '))
}
