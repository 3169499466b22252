import { accessSync, constants } from 'node:fs'
import type { Knex } from 'knex'
import { closeDatabase, openDatabase } from './connection'
import { createDataFile, DataFileProblem, FRONTDESK_APPLICATION_ID, quickCheck, type DataFileState } from './dataFile'
import { migrateToLatest, migrations, migrationStatus } from './migrations'
import { allRows } from './queries/customerList'

export interface PrepareResult {
  /** Migrations applied now. */
  applied: string[]
  /** Time spent in the quick check (0 when it was left to run in the background) and in migrations (ms). */
  checkMs: number
  migrateMs: number
  /** The quick check still has to run: the file may be used for reading, and written only once it passes. */
  checkDeferred: boolean
}

/** Refuses a file whose quick check finds problems (see quickCheck); read-only. `alone`: nothing else has it open. */
export function assertUndamaged(file: string, onProgress?: (done: number, total: number) => void, alone = false): void {
  const problems = quickCheck(file, onProgress, { alone })
  if (problems.length) throw new DataFileProblem('damaged', file, problems.slice(0, 5).join('; '))
}

/**
 * Everything done to a customer file before the desk uses it, in order:
 * make it if new; check it (read-only) if not; refuse a newer schema before
 * a byte is written; adopt an earlier Frontdesk file; migrate; record the
 * schema version. Runs in the job worker for large files, so the window stays
 * responsive; the caller holds the file's lock throughout.
 *
 * The quick check reads every page: 2 s for a million customers, 9 s with
 * five million bookings, and minutes from a cold disk. With `deferCheck`, a
 * file that needs no migration opens without it, and the caller runs it in
 * the background with every write held until it passes; a file about to be
 * migrated is always checked first.
 */
export async function prepareDataFile(
  file: string,
  state: DataFileState,
  options: {
    deferCheck?: boolean
    /** Runs before the first write to an existing file that is about to be migrated or adopted, once it passed its check (a backup). */
    beforeMigrate?: (file: string) => Promise<void>
  } = {},
): Promise<PrepareResult> {
  let checkMs = 0
  let checked = state.kind === 'new'
  const check = (alone: boolean) => {
    const started = performance.now()
    assertUndamaged(file, undefined, alone)
    checkMs = performance.now() - started
    checked = true
  }
  if (state.kind === 'new') createDataFile(file)
  else if (!options.deferCheck) check(true)
  const db = openDatabase(file)
  try {
    await assertKnownMigrations(db, file)
    // Migrating and adopting write (Knex's migrator writes its lock row even with nothing to do): check first.
    const pending = (await migrationStatus(db)).pending.length > 0
    if (!checked && (state.kind === 'legacy' || pending)) check(false)
    await assertWritable(db, file)
    if (state.kind !== 'new' && (state.kind === 'legacy' || pending)) await options.beforeMigrate?.(file)
    if (state.kind === 'legacy') await db.raw(`PRAGMA application_id = ${FRONTDESK_APPLICATION_ID}`)
    const started = performance.now()
    const applied = pending ? await migrateToLatest(db) : []
    const migrateMs = performance.now() - started
    // Only when it changes: an unchecked file is not written to at all.
    const [version] = allRows<{ user_version: number }>(await db.raw('PRAGMA user_version'))
    if (Number(version?.user_version) !== migrations.length) await db.raw(`PRAGMA user_version = ${migrations.length}`)
    return { applied, checkMs, migrateMs, checkDeferred: !checked }
  } finally {
    await closeDatabase(db)
  }
}

/**
 * A file that opened but cannot be written (read-only file, folder or disk) is refused up front, in words. An empty
 * write transaction alone does not tell: on a file in WAL mode it takes its locks in the log and the shared memory
 * beside the file, and succeeds on a file its own permissions keep from being written.
 */
async function assertWritable(db: Knex, file: string): Promise<void> {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      accessSync(path, constants.W_OK)
    } catch (error) {
      const code = String((error as NodeJS.ErrnoException).code ?? '')
      if (code === 'ENOENT' && path !== file) continue
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new DataFileProblem('read-only', file, code)
    }
  }
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
