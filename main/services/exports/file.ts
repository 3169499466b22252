import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import { DomainError } from '../errors'

/**
 * Writes a file so that it appears under its name only when whole: into a
 * hidden temporary file beside it (same folder, so the rename cannot cross
 * disks), flushed to disk, then renamed over the chosen name. On Cancel or
 * failure the temporary file is removed and a file already under the chosen
 * name is left exactly as it was. Customers' personal data: only the
 * person's own account may read it (mode 600). A database (a customer file,
 * a backup) or a file SQLite keeps beside one is never written over: an
 * export given such a name by mistake would destroy every customer in it.
 */
export async function writeWhole<T>(file: string, write: (out: Writable) => Promise<T>): Promise<{ result: T; bytes: number }> {
  if (await isDatabaseFile(file)) {
    throw new DomainError('VALIDATION', `${basename(file)} is a database (a customer file or a backup of one), not a file to save over: choose another name.`)
  }
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  const out = createWriteStream(temp, { flags: 'wx', mode: 0o600 })
  // Write failures surface where the writers wait (drain, end); this keeps one from going unheard.
  out.on('error', () => {})
  try {
    await once(out, 'ready')
    const result = await write(out)
    if (!out.closed) await once(out, 'close')
    await flushToDisk(temp)
    const { size } = await stat(temp)
    await rename(temp, file)
    return { result, bytes: size }
  } catch (error) {
    out.destroy()
    if (!out.closed) await once(out, 'close').catch(() => {})
    await rm(temp, { force: true })
    throw storageProblem(error, file)
  }
}

/** What every SQLite database file starts with. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')
/** The files SQLite (and the app's lock) keep beside a database, by the suffix added to its name. */
const BESIDE_DATABASE = ['-wal', '-shm', '-journal', '.lock']

/** Whether a path is an SQLite database (read from its first bytes), or one of the files kept beside one. */
async function isDatabaseFile(path: string): Promise<boolean> {
  if (await startsLikeSqlite(path)) return true
  const suffix = BESIDE_DATABASE.find((s) => path.endsWith(s))
  return suffix !== undefined && (await startsLikeSqlite(path.slice(0, -suffix.length)))
}

async function startsLikeSqlite(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null)
  if (!handle) return false
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    return bytesRead === head.length && head.equals(SQLITE_HEADER)
  } catch {
    // A folder, or a file that cannot be read: not a database this could harm (the write reports why it fails).
    return false
  } finally {
    await handle.close()
  }
}

/** Makes sure the bytes are on the disk, not only in its cache, before the file takes the chosen name. */
async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** A file-system failure as the desk reads it; anything else (Cancel, a rule) passes through. */
function storageProblem(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code
  const name = basename(file)
  switch (code) {
    case 'ENOSPC':
      return new DomainError('STORAGE', `The disk is full: ${name} was not saved.`)
    case 'EACCES':
    case 'EPERM':
    case 'EBUSY':
      return new DomainError('STORAGE', `${name} could not be saved there: it may be open in another program, or the folder is read-only.`)
    case 'EROFS':
      return new DomainError('STORAGE', `${name} could not be saved: the disk is read-only.`)
    case 'ENOENT':
      return new DomainError('STORAGE', `${name} could not be saved: the folder no longer exists.`)
    case 'EISDIR':
      return new DomainError('STORAGE', `${name} is a folder: choose a file name inside it.`)
    default:
      return error
  }
}
