import { createHash } from 'node:crypto'
import { createReadStream, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Knex } from 'knex'
import { checkCopy, copyDatabase, makeSingleFile } from '../../../db/backup'
import { isServerDatabase } from '../../../db/location'
import { migrations } from '../../../db/migrations'
import type { BackupKind, BackupMade } from '../../../preload/contract/schemas/backups'
import { copyDatabase as copyBetweenDatabases } from '../database/copy'
import { DomainError } from '../errors'
import type { Progress } from '../progress'
import { decryptFile, encryptFile } from './encryption'
import { assertUsableFolder, backupName, listBackups, partialName, removeStalePartials } from './folder'
import { backupsToRemove } from './retention'

const migrationNames = migrations.map(([name]) => name)

export interface BackupTarget {
  folder: string
  /** The default folder (beside the customer file, or this computer's for a server): made when missing. */
  isDefault: boolean
  kind: BackupKind
  /** Encrypt with this passphrase; null: a plain copy. */
  passphrase: string | null
  now: Date
}

const noProgress: Pick<Progress, 'report'> = { report: () => {} }

/**
 * Makes one backup: the online backup API copies the file (from `source`,
 * an open connection or the file itself, read-only) to a temporary name, or
 * a server's data (`source` its address) is copied into a new file the way
 * Settings → Database copies it (every table from one moment, each checked
 * by its row count and checksum); the copy passes the integrity check and is recognised as a Frontdesk file this
 * version can open, is encrypted and decrypted back when asked, and only
 * then gets its name. Older backups are then thinned by the keeping rules.
 */
export async function makeBackup(source: Database.Database | string, target: BackupTarget, progress: Pick<Progress, 'report'> = noProgress): Promise<BackupMade> {
  const started = performance.now()
  assertUsableFolder(target.folder, target.isDefault)
  removeStalePartials(target.folder, target.now)
  const encrypted = target.passphrase !== null
  let at = target.now
  let name = backupName(at, target.kind, encrypted)
  const taken = new Set(listBackups(target.folder).map((b) => b.name))
  // Two in the same second (Back up now pressed twice): the second is named a second later.
  while (taken.has(name)) {
    at = new Date(at.getTime() + 1000)
    name = backupName(at, target.kind, encrypted)
  }
  const server = typeof source === 'string' && isServerDatabase(source) ? source : null
  const partial = join(target.folder, partialName(name))
  // Unencrypted, the copy is made in the folder itself (a server's in a folder of its own there, with its lock); encrypted, the plain copy stays on this computer's own disk.
  const work = encrypted ? mkdtempSync(join(tmpdir(), 'frontdesk-backup-')) : server ? (mkdirSync(partial), partial) : null
  const copy = work ? join(work, 'copy.sqlite3') : partial
  const named = encrypted ? partial : copy
  try {
    if (server) await copyServerData(server, copy, progress)
    else await copyDatabase(source, copy, (done, total) => progress.report(done, total, 'Copying the customer file'))
    makeSingleFile(copy)
    progress.report(0, 1, 'Checking the copy')
    const checked = checkCopy(copy, migrationNames)
    if (checked.reason) {
      throw new DomainError(
        'STORAGE',
        checked.reason === 'damaged'
          ? 'The backup was not made: the copy did not pass its check, which usually means the customer file itself is damaged or the disk failed while copying. Your previous backups are untouched.'
          : 'The backup was not made: the file being backed up is not one this Frontdesk can open.',
      )
    }
    if (work && target.passphrase !== null) {
      progress.report(0, 1, 'Encrypting')
      await encryptFile(copy, partial, target.passphrase)
      progress.report(0, 1, 'Checking the encrypted backup')
      const back = join(work, 'decrypted.sqlite3')
      await decryptFile(partial, back, target.passphrase)
      // The checked copy, byte for byte: no second integrity check needed (it took minutes on a million customers).
      if ((await sha256(back)) !== (await sha256(copy))) throw new DomainError('STORAGE', 'The backup was not made: the encrypted copy did not decrypt to what was written. Check the backup drive and try again.')
    }
    renameSync(named, join(target.folder, name))
    const removed = pruneBackups(target.folder)
    progress.report(1, 1, 'Done')
    return {
      name,
      kind: target.kind,
      at: at.toISOString(),
      bytes: statSync(join(target.folder, name)).size,
      encrypted,
      verified: true,
      customers: checked.customers ?? 0,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      removed,
    }
  } catch (error) {
    rmSync(partial, { recursive: true, force: true })
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOSPC' || code === 'SQLITE_FULL') throw new DomainError('STORAGE', `The backup was not made: the disk with the backup folder ${target.folder} is full. Free some space there, or choose another folder.`)
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new DomainError('STORAGE', `The backup was not made: Frontdesk cannot write to ${target.folder}. Choose another folder in Settings → Backups.`)
    throw error
  } finally {
    if (work) rmSync(work, { recursive: true, force: true })
  }
}

/** A server's data into a new SQLite file, all or nothing; a backup cannot be cancelled (it is not offered). */
async function copyServerData(server: string, file: string, progress: Pick<Progress, 'report'>): Promise<void> {
  await copyBetweenDatabases({ from: server, to: file }, { report: (done, total, phase) => progress.report(done, total, phase), checkCancelled: () => {}, waitForWriteTurn: () => Promise.resolve() })
}

/** Removes what the keeping rules let go; returns how many. */
export function pruneBackups(folder: string): number {
  const remove = backupsToRemove(listBackups(folder))
  for (const name of remove) rmSync(join(folder, name), { force: true })
  return remove.length
}

/** The job worker's own connection under Knex, held for the copy (nothing else runs on it meanwhile). */
export async function withConnectionOf<T>(db: Knex, work: (conn: Database.Database) => Promise<T>): Promise<T> {
  const conn = (await db.client.acquireConnection()) as Database.Database
  try {
    return await work(conn)
  } finally {
    await db.client.releaseConnection(conn)
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
