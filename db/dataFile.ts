import { closeSync, constants, copyFileSync, existsSync, mkdtempSync, openSync, readSync, realpathSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * The customer file's identity, checked before anything is written to it.
 * Frontdesk files carry SQLite's application id 'FDSK' (set when the file is
 * created, before it switches to WAL, so it is always in the file itself) and
 * their schema version in user_version. Another program's database, a file
 * from a newer Frontdesk, or a damaged one is refused and left byte-identical.
 */
export const FRONTDESK_APPLICATION_ID = 0x4644534b

export type DataFileReason =
  | 'foreign'
  | 'not-a-database'
  | 'newer'
  | 'damaged'
  | 'in-use'
  | 'linked'
  | 'read-only'
  | 'unreadable'
  | 'server-unreachable'
  | 'server-login'
  | 'server-foreign'
  | 'server-newer'
  | 'server-setup'

const MESSAGES: Record<DataFileReason, string> = {
  foreign:
    'This file belongs to another program: it is not a Frontdesk customer file. Frontdesk has not changed it. Open your Frontdesk file, or start a new one.',
  'not-a-database':
    'This file is not a Frontdesk customer file, or its first page is damaged. Frontdesk has not changed it. Open another file, or start a new one.',
  newer:
    'This customer file was last used by a newer version of Frontdesk. Install the latest Frontdesk to open it; this version has not changed it.',
  damaged:
    'This customer file is damaged: the check Frontdesk runs when it opens a file found errors in it. Frontdesk has not changed it. Open another file (a copy or a backup), or start a new one.',
  'in-use':
    'Frontdesk is already open with this file, in another window or program (or sample data is being added to it). Switch to that copy of Frontdesk, or close it and try again.',
  linked:
    'This customer file has a second name on the disk (a hard link): two copies of Frontdesk could open it by its two names and save over each other. Frontdesk has not changed it. Remove the other name, or open a copy of the file.',
  'read-only':
    'Frontdesk cannot save to this file: the file or its folder is read-only, or the disk is. Check the file’s permissions, or open another file.',
  unreadable: 'Frontdesk cannot read this file: it has no permission to, or the disk is not available. Check the file’s permissions, or open another file.',
  'server-unreachable':
    'Frontdesk cannot reach the PostgreSQL server: it is not running, the address or port is wrong, or the network is down. Check the server, or use the local customer file meanwhile.',
  'server-login':
    'The PostgreSQL server refused the user name or password, or the database does not exist. Check them in Settings → Database (or with your server’s administrator).',
  'server-foreign':
    'This PostgreSQL database holds another program’s tables: it is not a Frontdesk database. Frontdesk has not changed it. Create an empty database for Frontdesk and point the desks at it.',
  'server-newer':
    'This PostgreSQL database was last upgraded by a newer version of Frontdesk. Install the latest Frontdesk on this desk; this version has not changed the database.',
  'server-setup':
    'The PostgreSQL database could not be set up for Frontdesk: the user needs the right to create tables and the pg_trgm and unaccent extensions (PostgreSQL’s contrib package). Frontdesk has not changed it.',
}

/** Why a customer file cannot be used, in words a receptionist can act on. */
export class DataFileProblem extends Error {
  constructor(
    readonly reason: DataFileReason,
    readonly file: string,
    readonly detail?: string,
  ) {
    super(MESSAGES[reason])
    this.name = 'DataFileProblem'
  }
}

export type DataFileState =
  /** Nothing there yet (or an empty file): a new customer file is made. */
  | { kind: 'new' }
  /** A Frontdesk file; `version` is the schema version its header records. */
  | { kind: 'frontdesk'; version: number; bytes: number }
  /** Made by a Frontdesk from before files carried an application id: adopted once its schema is checked. */
  | { kind: 'legacy'; bytes: number }

const HEADER_BYTES = 100
const SQLITE_MAGIC = 'SQLite format 3\u0000'

interface Header {
  applicationId: number
  userVersion: number
  wal: boolean
}

function readHeader(file: string): Header | null {
  const fd = openSync(file, 'r')
  try {
    const header = Buffer.alloc(HEADER_BYTES)
    const read = readSync(fd, header, 0, HEADER_BYTES, 0)
    if (read < HEADER_BYTES || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null
    return {
      userVersion: header.readInt32BE(60),
      applicationId: header.readInt32BE(68),
      // Bytes 18 and 19 are 2 for a database in WAL mode.
      wal: header[18] === 2 && header[19] === 2,
    }
  } finally {
    closeSync(fd)
  }
}

function fileSize(file: string): number | null {
  try {
    return statSync(file).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/**
 * Says what the file is, reading it without writing anything (not even a
 * journal): `knownMigrations` are this version's migration names, in order.
 */
export function inspectDataFile(file: string, knownMigrations: readonly string[]): DataFileState {
  let size: number | null
  let header: Header | null
  try {
    size = fileSize(file)
    if (size === null || size === 0) {
      // An empty main file beside a WAL with content is not something Frontdesk makes.
      if ((fileSize(`${file}-wal`) ?? 0) > 0) throw new DataFileProblem('damaged', file, 'empty file beside a WAL')
      return { kind: 'new' }
    }
    header = readHeader(file)
  } catch (error) {
    if (error instanceof DataFileProblem) throw error
    throw new DataFileProblem('unreadable', file, (error as Error).message)
  }
  if (!header) throw new DataFileProblem('not-a-database', file)
  if (header.applicationId === FRONTDESK_APPLICATION_ID) {
    if (header.userVersion > knownMigrations.length) throw new DataFileProblem('newer', file, `schema version ${header.userVersion}`)
    return { kind: 'frontdesk', version: header.userVersion, bytes: size }
  }
  // Earlier Frontdesk files have no application id and were always in WAL mode; anything else is another program's.
  if (header.applicationId !== 0 || !header.wal) throw new DataFileProblem('foreign', file)
  return inspectLegacyCopy(file, size, knownMigrations)
}

/**
 * Opening a WAL database, even read-only, leaves -wal and -shm files beside
 * it; so a file that may be another program's is looked at through a copy.
 * Only files without an application id in WAL mode come this way, and each
 * Frontdesk file only once (it gets the id when adopted).
 */
function inspectLegacyCopy(file: string, size: number, knownMigrations: readonly string[]): DataFileState {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-inspect-'))
  try {
    const copy = join(dir, basename(file))
    try {
      // A copy-on-write clone where the file system offers one, a plain copy elsewhere.
      copyFileSync(file, copy, constants.COPYFILE_FICLONE)
      if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`, constants.COPYFILE_FICLONE)
    } catch (error) {
      throw new DataFileProblem('unreadable', file, (error as Error).message)
    }
    let names: string[]
    let tables: Set<string>
    const conn = openReadOnly(copy, file)
    try {
      tables = new Set((conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name))
      names = tables.has('knex_migrations')
        ? (conn.prepare('SELECT name FROM knex_migrations ORDER BY id').all() as Array<{ name: unknown }>).map((r) => String(r.name))
        : []
    } catch (error) {
      throw new DataFileProblem('damaged', file, (error as Error).message)
    } finally {
      conn.close()
    }
    const ours = names.length > 0 && names[0] === knownMigrations[0] && tables.has('customers') && tables.has('customer_counts')
    if (!ours) throw new DataFileProblem('foreign', file)
    if (names.some((name) => !knownMigrations.includes(name))) throw new DataFileProblem('newer', file)
    return { kind: 'legacy', bytes: size }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function openReadOnly(path: string, reportedFile: string): Database.Database {
  try {
    return new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 })
  } catch (error) {
    throw new DataFileProblem('unreadable', reportedFile, (error as Error).message)
  }
}

/**
 * Makes a new, empty Frontdesk file: the application id goes in while the
 * file is still in rollback mode, so its own header always says whose it is.
 */
export function createDataFile(file: string): void {
  const conn = new Database(file)
  try {
    conn.pragma(`application_id = ${FRONTDESK_APPLICATION_ID}`)
    conn.pragma('user_version = 0')
    conn.pragma('journal_mode = WAL')
  } finally {
    conn.close()
  }
}

/**
 * SQLite's quick check (every page's structure, not the contents of each
 * index against its table), table by table: it catches truncated files and
 * zeroed pages. The search index's own semantic check is left out (it was
 * two thirds of the time, 5 of 7.7 s at a million customers, and the index
 * can always be rebuilt from the tables); its pages are checked like any
 * table's. Read-only; returns the problems found.
 */
export function quickCheck(file: string, onProgress?: (done: number, total: number) => void, { alone = false } = {}): string[] {
  // Reading a file in WAL mode, even read-only, makes the log's index (and an empty log) beside it. A check that is
  // the file's only reader (before the desk opens it) removes the ones it made, so a file refused as damaged is left
  // with nothing new beside it; beside an open connection they are that connection's, and stay.
  const made = alone ? [`${file}-wal`, `${file}-shm`].filter((path) => !existsSync(path)) : []
  const conn = openReadOnly(file, file)
  try {
    const tables = conn
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'`)
      .all() as Array<{ name: string }>
    const problems: string[] = []
    for (const [index, { name }] of tables.entries()) {
      onProgress?.(index, tables.length)
      const rows = conn.prepare(`PRAGMA quick_check("${name.replace(/"/g, '""')}")`).all() as Array<{ quick_check: string }>
      problems.push(...rows.map((r) => r.quick_check).filter((line) => line !== 'ok'))
      if (problems.length >= 20) break
    }
    onProgress?.(tables.length, tables.length)
    return problems
  } catch (error) {
    // A file too damaged to read at all.
    return [(error as Error).message]
  } finally {
    conn.close()
    for (const path of made) if (path.endsWith('-shm') || fileSize(path) === 0) rmSync(path, { force: true })
  }
}

/** The file a path names, its symbolic links followed (for a file not made yet, its folder's). */
function realFile(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    try {
      return join(realpathSync(dirname(file)), basename(file))
    } catch {
      return file
    }
  }
}

/** Holds the customer file for this process alone until released. */
export interface DataFileLock {
  readonly path: string
  release(): void
}

/**
 * One program at a time: a small lock file beside the customer file, held
 * with an exclusive SQLite lock. The operating system drops the lock when the
 * holder exits, however it exits, so a crash never leaves the file locked.
 * The lock is the file's own, whatever name it is opened by: a symbolic
 * link leads to the file it names (SQLite keeps its log beside that file
 * too); a file with a second name (a hard link) is refused, since each name
 * would get a lock and a log of its own.
 */
export function lockDataFile(file: string): DataFileLock {
  const real = realFile(file)
  if (existsSync(real) && statSync(real).nlink > 1) throw new DataFileProblem('linked', file)
  const path = `${real}.lock`
  let conn: Database.Database
  try {
    conn = new Database(path, { timeout: 0 })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new DataFileProblem(code === 'SQLITE_CANTOPEN' ? 'read-only' : 'unreadable', file, (error as Error).message)
  }
  try {
    conn.pragma('locking_mode = EXCLUSIVE')
    // The lock is taken by this write and, in exclusive locking mode, kept after it.
    conn.exec(`BEGIN EXCLUSIVE;
      CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL);
      DELETE FROM holder;
      INSERT INTO holder VALUES (${process.pid}, '${new Date().toISOString()}');
      COMMIT;`)
  } catch (error) {
    conn.close()
    const code = (error as { code?: string }).code
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new DataFileProblem('in-use', file)
    if (code === 'SQLITE_READONLY') throw new DataFileProblem('read-only', file)
    throw new DataFileProblem('unreadable', file, (error as Error).message)
  }
  let released = false
  return {
    path,
    release() {
      if (released) return
      released = true
      conn.close()
    },
  }
}
