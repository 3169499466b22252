import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, linkSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { checkCopy } from '../../../db/backup'
import { FRONTDESK_APPLICATION_ID, inspectDataFile } from '../../../db/dataFile'
import { prepareDataFile } from '../../../db/open'
import { migrations } from '../../../db/migrations'
import { DomainError, ValidationFailed } from '../errors'
import type { Progress } from '../progress'
import { decryptFile, isEncryptedBackup } from './encryption'

const migrationNames = migrations.map(([name]) => name)

const REFUSALS = {
  damaged: 'This backup is damaged: it did not pass SQLite’s integrity check. Nothing was changed. Choose another backup.',
  foreign: 'This file is not a Frontdesk backup. Nothing was changed. Choose one of your backups.',
  newer: 'This backup was made by a newer version of Frontdesk. Install the latest Frontdesk to restore it; nothing was changed.',
} as const

export const PASSPHRASE_NEEDED = 'This backup is encrypted. Enter the passphrase it was made with to restore it; nothing was changed.'

export interface RestoreCopy {
  customers: number
}

/** Where the copy a restore puts in place is made: beside the customer file, so the swap is a rename on one disk. */
export function restoreCopyName(dataFile: string): string {
  return join(dirname(dataFile), `.frontdesk-restoring-${randomBytes(6).toString('hex')}.sqlite3`)
}

const SERVER_COPY_FOLDER = 'frontdesk-restoring-'

/** A server desk's restore copy: on this computer's own disk, in a private folder of its own (the copy is plain, decrypted data). */
export function serverRestoreCopyName(): string {
  return join(mkdtempSync(join(tmpdir(), SERVER_COPY_FOLDER)), 'restoring.sqlite3')
}

/**
 * Makes the copy a restore puts in place and checks the copy itself: integrity,
 * Frontdesk's application id, a schema this version knows. The backup is only
 * read; a refused copy is removed. `upToDate`: a copy from an earlier version
 * is brought up to this version's schema (a server is only ever copied onto
 * at exactly this version's schema; a file desk migrates it as it opens).
 */
export async function prepareRestoreCopy(
  input: { backupFile: string; copyFile: string; passphrase: string | null; upToDate?: boolean },
  progress: Pick<Progress, 'report'>,
): Promise<RestoreCopy> {
  const file = input.copyFile
  try {
    if (isEncryptedBackup(input.backupFile)) {
      if (!input.passphrase) throw ValidationFailed.field('passphrase', PASSPHRASE_NEEDED)
      progress.report(0, 1, 'Decrypting the backup')
      try {
        await decryptFile(input.backupFile, file, input.passphrase)
      } catch (error) {
        if (error instanceof DomainError && error.code === 'VALIDATION') throw ValidationFailed.field('passphrase', error.message)
        throw error
      }
    } else {
      progress.report(0, 1, 'Copying the backup')
      copyFileSync(input.backupFile, file)
    }
    progress.report(0, 1, 'Checking the backup')
    const checked = checkCopy(file, migrationNames)
    if (checked.reason) throw new DomainError('VALIDATION', REFUSALS[checked.reason])
    // A copy of a file from before files carried Frontdesk's id gets it here, on the copy.
    const conn = new Database(file, { fileMustExist: true })
    try {
      if (Number(conn.pragma('application_id', { simple: true })) !== FRONTDESK_APPLICATION_ID) conn.pragma(`application_id = ${FRONTDESK_APPLICATION_ID}`)
    } finally {
      conn.close()
    }
    if (input.upToDate) {
      progress.report(0, 1, 'Bringing the backup up to this version')
      // Checked above: checked again only if a migration writes to it.
      await prepareDataFile(file, inspectDataFile(file, migrationNames), { deferCheck: true })
    }
    progress.report(1, 1, 'Checked')
    return { customers: checked.customers ?? 0 }
  } catch (error) {
    discardRestoreCopy(file)
    throw error
  }
}

/** Removes a prepared copy (that was not used, or was copied onto a server), with its private folder if it has one. */
export function discardRestoreCopy(copyFile: string): void {
  for (const extra of ['', '-wal', '-shm', '-journal']) rmSync(`${copyFile}${extra}`, { force: true })
  const folder = dirname(copyFile)
  if (basename(folder).startsWith(SERVER_COPY_FOLDER) && dirname(folder) === tmpdir()) rmSync(folder, { recursive: true, force: true })
}

/**
 * Puts the checked copy in the customer file's place, with the customer
 * file closed. The file being replaced stays reachable under a second name
 * (a hard link, or a copy where the disk has none) until the desk has opened
 * the restored one: `undo` puts it back, `commit` lets it go. A crash at any
 * point leaves either the old file or the restored one in place, never none.
 */
export function swapInRestoredFile(copy: string, dataFile: string): { undo(): void; commit(): void } {
  const aside = `${dataFile}.replaced-${randomBytes(4).toString('hex')}`
  if (existsSync(dataFile)) {
    try {
      linkSync(dataFile, aside)
    } catch {
      copyFileSync(dataFile, aside)
    }
  }
  // The closed file's write-ahead log is empty (closing checkpoints it); a stale one must not be read into the restored file.
  for (const extra of ['-wal', '-shm']) rmSync(`${dataFile}${extra}`, { force: true })
  renameSync(copy, dataFile)
  return {
    undo() {
      for (const extra of ['-wal', '-shm']) rmSync(`${dataFile}${extra}`, { force: true })
      if (existsSync(aside)) renameSync(aside, dataFile)
    },
    commit() {
      rmSync(aside, { force: true })
    },
  }
}

/**
 * Recovery at start: the damaged file is renamed aside, never written to
 * (with its -wal and -shm, which belong to it), and the checked copy takes
 * its place. Returns the name it was put aside as.
 */
export function replaceDamagedFile(copy: string, dataFile: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  let aside = `${dataFile}.damaged-${stamp}`
  for (let n = 2; existsSync(aside); n++) aside = `${dataFile}.damaged-${stamp}-${n}`
  if (existsSync(dataFile)) renameSync(dataFile, aside)
  for (const extra of ['-wal', '-shm']) {
    if (existsSync(`${dataFile}${extra}`) && statSync(`${dataFile}${extra}`).isFile()) renameSync(`${dataFile}${extra}`, `${aside}${extra}`)
  }
  renameSync(copy, dataFile)
  return aside
}
