import { existsSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { lockDataFile, quickCheck } from '../../db/dataFile'
import type { BackupMade } from '../../preload/contract/schemas/backups'
import { environmentSecrets } from '../secrets'
import {
  backupFolderFor,
  backupNow,
  discardRestoreCopy,
  folderProblem,
  makeBackup,
  prepareRestoreCopy,
  replaceDamagedFile,
  restoreCopyName,
  swapInRestoredFile,
  useBackupPassphrase,
} from '../services/backups'
import { readStoredSettings } from '../services/backups/storedSettings'
import { DomainError } from '../services/errors'
import type { Progress } from '../services/progress'
import { openForCommand } from './session'

/*
 * `frontdesk backup` and `frontdesk restore`: the same backups as the app's,
 * in the same folder, with the passphrase from FRONTDESK_BACKUP_PASSPHRASE.
 * A restore needs the app closed (the file's lock says whether it is).
 */

const passphrase = () => environmentSecrets().get('backupPassphrase')

/** A manual backup into the folder the file's settings name (or `folder`). */
export async function backupCommand(dataFile: string, folder: string | undefined, progress: Progress): Promise<BackupMade & { folder: string }> {
  const secret = await passphrase()
  useBackupPassphrase(secret)
  const session = await openForCommand(dataFile)
  try {
    if (folder) {
      const target = resolve(folder)
      const problem = folderProblem(target, false)
      if (problem) throw new DomainError('STORAGE', problem)
      const stored = readStoredSettings(dataFile)
      if (stored.backupEncrypted && !secret) throw new DomainError('STORAGE', 'Backups of this file are set to be encrypted: set FRONTDESK_BACKUP_PASSPHRASE to the passphrase. No backup was made.')
      const made = await makeBackup(dataFile, { folder: target, isDefault: false, kind: 'manual', passphrase: stored.backupEncrypted ? secret : null, now: new Date() }, progress)
      return { ...made, folder: target }
    }
    const made = await backupNow(session.context(), 'manual', progress)
    return { ...made, folder: backupFolderFor(dataFile, readStoredSettings(dataFile).backupFolder).folder }
  } catch (error) {
    if (error instanceof DomainError && error.message.startsWith('Backups are set to be encrypted')) {
      throw new DomainError(error.code, 'Backups of this file are set to be encrypted: set FRONTDESK_BACKUP_PASSPHRASE to the passphrase. No backup was made.')
    }
    throw error
  } finally {
    await session.close()
  }
}

export interface RestoreReport {
  file: string
  restored: string
  /** The backup the replaced file was kept as, or where a damaged file was put aside. */
  keptAs: string
  damaged: boolean
  customers: number
}

/**
 * Restores BACKUP (a path, or a backup's name in the file's backup folder)
 * over the customer file: the backup is checked on a copy first, the current
 * file is kept (as a backup, or renamed aside when it is damaged and must not
 * be read further), the copy is renamed into place, and the file is opened
 * as the app would open it (migrated when the backup is older).
 */
export async function restoreCommand(dataFile: string, backup: string, progress: Progress): Promise<RestoreReport> {
  const stored = existsSync(dataFile) ? readStoredSettings(dataFile) : { backupFolder: '', backupEncrypted: false }
  const { folder } = backupFolderFor(dataFile, stored.backupFolder)
  const backupFile = existsSync(resolve(backup)) ? resolve(backup) : join(folder, basename(backup))
  if (!existsSync(backupFile)) throw new DomainError('NOT_FOUND', `There is no backup ${backup}, neither as a file nor in the backup folder ${folder}. Nothing was changed.`)
  const secret = await passphrase()
  if (stored.backupEncrypted && !secret) throw new DomainError('STORAGE', 'Backups of this file are encrypted, and the file is kept as one before it is replaced: set FRONTDESK_BACKUP_PASSPHRASE to the passphrase. Nothing was changed.')
  // Held throughout: the app (or another command) cannot open the file meanwhile.
  const lock = lockDataFile(dataFile)
  const copyFile = restoreCopyName(dataFile)
  let report: RestoreReport
  try {
    let checked
    try {
      checked = await prepareRestoreCopy({ backupFile, copyFile, passphrase: secret }, progress)
    } catch (error) {
      if (error instanceof DomainError && /passphrase/i.test(error.message) && !secret) {
        throw new DomainError(error.code, 'This backup is encrypted: set FRONTDESK_BACKUP_PASSPHRASE to the passphrase it was made with. Nothing was changed.')
      }
      throw error
    }
    const exists = existsSync(dataFile)
    const damaged = exists && quickCheck(dataFile).length > 0
    let keptAs = ''
    if (damaged) keptAs = replaceDamagedFile(copyFile, dataFile, new Date())
    else {
      if (exists) {
        const { folder: target, isDefault } = backupFolderFor(dataFile, stored.backupFolder)
        const kept = await makeBackup(dataFile, { folder: target, isDefault, kind: 'before-restore', passphrase: stored.backupEncrypted ? secret : null, now: new Date() }, progress)
        keptAs = kept.name
      }
      swapInRestoredFile(copyFile, dataFile).commit()
    }
    report = { file: dataFile, restored: basename(backupFile), keptAs, damaged, customers: checked.customers }
  } finally {
    discardRestoreCopy(copyFile)
    lock.release()
  }
  // Opened as the app opens it: an older backup is brought up to this version's schema now.
  useBackupPassphrase(secret)
  const session = await openForCommand(dataFile)
  await session.close()
  return report
}
