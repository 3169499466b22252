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
 * person's own account may read it (mode 600).
 */
export async function writeWhole<T>(file: string, write: (out: Writable) => Promise<T>): Promise<{ result: T; bytes: number }> {
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
    default:
      return error
  }
}
