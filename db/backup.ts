import { closeSync, openSync, readSync } from 'node:fs'
import Database from 'better-sqlite3'
import { FRONTDESK_APPLICATION_ID } from './dataFile'

/*
 * Copies of a customer file made with SQLite's online backup API, and the
 * check every copy passes before it is trusted. Nothing here knows why a copy
 * is made or where it goes; that is the caller's.
 */

/** Pages copied per step: ~16 MB at SQLite's default 4 KiB page, a few tens of milliseconds each. */
const PAGES_PER_STEP = 4096

/**
 * Copies `source` (an open connection, or a file opened read-only for the
 * purpose) page by page into `destination`, a new file. Reading never writes
 * to the source: committed changes still in its write-ahead log are included.
 * The copy is made inside one read transaction, so it is the file as it was
 * at the start, and writes from other connections meanwhile (the desk goes on
 * saving) neither wait for it nor make it start over, as they otherwise would.
 */
export async function copyDatabase(
  source: Database.Database | string,
  destination: string,
  onProgress?: (copiedPages: number, totalPages: number) => void,
): Promise<{ pages: number }> {
  const conn = typeof source === 'string' ? new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 }) : source
  const snapshot = !conn.inTransaction
  try {
    if (snapshot) {
      conn.exec('BEGIN')
      conn.prepare('SELECT count(*) FROM sqlite_master').get()
    }
    let pages = 0
    await conn.backup(destination, {
      progress({ totalPages, remainingPages }) {
        pages = totalPages
        onProgress?.(totalPages - remainingPages, totalPages)
        return PAGES_PER_STEP
      },
    })
    onProgress?.(pages, pages)
    return { pages }
  } finally {
    if (snapshot && conn.inTransaction) conn.exec('COMMIT')
    if (typeof source === 'string') conn.close()
  }
}

export interface CopyCheck {
  /** Empty when the copy is sound and a Frontdesk file this version can open. */
  problems: string[]
  /** Why it cannot be used, when it cannot: what the refusal says. */
  reason: 'damaged' | 'foreign' | 'newer' | null
  /** Schema version recorded in the copy (migrations applied). */
  schemaVersion: number
  customers: number | null
}

/**
 * The full integrity check (every page and every index against its table),
 * then the copy's identity: Frontdesk's application id and only migrations
 * this version knows. Opens read-only; a copy in WAL mode is never left so.
 */
export function checkCopy(file: string, knownMigrations: readonly string[]): CopyCheck {
  if (!isSqliteFile(file)) return { problems: ['not an SQLite database'], reason: 'foreign', schemaVersion: 0, customers: null }
  let conn: Database.Database
  try {
    conn = new Database(file, { readonly: true, fileMustExist: true })
  } catch (error) {
    return { problems: [(error as Error).message], reason: 'damaged', schemaVersion: 0, customers: null }
  }
  try {
    const applicationId = Number(conn.pragma('application_id', { simple: true }))
    const tables = new Set((conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name))
    if (applicationId !== FRONTDESK_APPLICATION_ID && applicationId !== 0) return { problems: ['not a Frontdesk file'], reason: 'foreign', schemaVersion: 0, customers: null }
    if (!tables.has('knex_migrations') || !tables.has('customers')) return { problems: ['not a Frontdesk file'], reason: 'foreign', schemaVersion: 0, customers: null }
    const applied = (conn.prepare('SELECT name FROM knex_migrations ORDER BY id').all() as Array<{ name: unknown }>).map((r) => String(r.name))
    if (applied[0] !== knownMigrations[0]) return { problems: ['not a Frontdesk file'], reason: 'foreign', schemaVersion: 0, customers: null }
    const unknown = applied.filter((name) => !knownMigrations.includes(name))
    if (unknown.length) return { problems: [`made by a newer Frontdesk (${unknown.join(', ')})`], reason: 'newer', schemaVersion: applied.length, customers: null }
    const problems = (conn.prepare('PRAGMA integrity_check(20)').all() as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .filter((line) => line !== 'ok')
    if (problems.length) return { problems, reason: 'damaged', schemaVersion: applied.length, customers: null }
    const customers = Number((conn.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n)
    return { problems: [], reason: null, schemaVersion: applied.length, customers }
  } catch (error) {
    return { problems: [(error as Error).message], reason: 'damaged', schemaVersion: 0, customers: null }
  } finally {
    conn.close()
  }
}

/** A copy leaves the backup API in the source's journal mode; backups are single files, so it goes back to a rollback journal. */
export function makeSingleFile(file: string): void {
  const conn = new Database(file, { fileMustExist: true })
  try {
    conn.pragma('journal_mode = DELETE')
  } finally {
    conn.close()
  }
}

/** Whether the file starts as every SQLite database does (a file that does not is someone else's, not a damaged backup). */
function isSqliteFile(file: string): boolean {
  try {
    const fd = openSync(file, 'r')
    try {
      const head = Buffer.alloc(16)
      return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\u0000'
    } finally {
      closeSync(fd)
    }
  } catch {
    return false
  }
}
