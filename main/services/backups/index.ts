import { basename } from 'node:path'
import { describeLocation, isServerDatabase } from '../../../db/location'
import { readStoredSettings } from './storedSettings'
import type { BackupKind, BackupMade, BackupsStatus } from '../../../preload/contract/schemas/backups'
import { MemorySecretStore, type SecretStore } from '../../secrets'
import { getSettings, updateSettings } from '../app/settings'
import type { ServiceContext } from '../context'
import { DomainError, INTERNAL_ERROR, ValidationFailed } from '../errors'
import type { ErrorCode } from '../../../preload/contract/schemas/common'
import type { Progress } from '../progress'
import { backupFolderFor, folderProblem, listBackups } from './folder'
import { makeBackup, withConnectionOf } from './make'
import { locationOf } from '../../../db/connection'

export { backupFolderFor, findBackup, folderProblem, listBackups, parseBackupName, backupName, useServerBackupsHome, currentServerBackupsHome } from './folder'
export { backupsToRemove, hasDailyBackupOn, KEEP } from './retention'
export { makeBackup, pruneBackups, withConnectionOf, type BackupTarget } from './make'
export { prepareRestoreCopy, restoreCopyName, discardRestoreCopy, swapInRestoredFile, replaceDamagedFile, PASSPHRASE_NEEDED, type RestoreCopy } from './restore'
export { restoreFromBackup, recoveryInfo, recoverFromBackup, type RunStep } from './flows'
export { encryptFile, decryptFile, isEncryptedBackup, WRONG_PASSPHRASE } from './encryption'

/** What the jobs list calls a backup of this desk's data: a server's data or the customer file. */
export function backupJobLabel(dataFile: string): string {
  return isServerDatabase(dataFile) ? 'Backing up the server’s data' : 'Backing up the customer file'
}

/** Imports and merges of more records than this are preceded by a backup. */
export const BULK_CHANGE_BACKUP_ABOVE = 100

export const NEEDS_PASSPHRASE = 'Backups are set to be encrypted, but no passphrase is set on this computer. Set the passphrase in Settings → Backups (or turn encryption off); no backup was made.'

/** What the backup settings panel shows. */
export async function backupsStatus(ctx: ServiceContext, dataFile: string, secrets: SecretStore): Promise<BackupsStatus> {
  const settings = await getSettings(ctx)
  const { folder, isDefault } = backupFolderFor(dataFile, settings.backupFolder)
  return {
    folder,
    folderIsDefault: isDefault,
    folderProblem: folderProblem(folder, isDefault),
    daily: settings.backupDaily,
    encrypted: settings.backupEncrypted,
    passphraseSet: (await secrets.get('backupPassphrase')) !== null,
    onServer: isServerDatabase(dataFile),
    dataFileName: isServerDatabase(dataFile) ? describeLocation(dataFile) : basename(dataFile),
    backups: listBackups(folder),
  }
}

/** Daily backups on or off; encryption on only once a passphrase is set, so no backup is ever left unmade for want of one. */
export async function setBackupOptions(ctx: ServiceContext, secrets: SecretStore, options: { daily?: boolean; encrypted?: boolean }): Promise<void> {
  if (options.encrypted && (await secrets.get('backupPassphrase')) === null) {
    throw ValidationFailed.field('encrypted', 'Set a passphrase first: encrypted backups need one to be made and restored.')
  }
  await updateSettings(ctx, {
    ...(options.daily === undefined ? {} : { backupDaily: options.daily }),
    ...(options.encrypted === undefined ? {} : { backupEncrypted: options.encrypted }),
  })
}

/** Sets or forgets the passphrase (kept by the computer, never in the customer file). */
export async function setBackupPassphrase(ctx: ServiceContext, secrets: SecretStore, passphrase: string | null): Promise<void> {
  if (passphrase === null && (await getSettings(ctx)).backupEncrypted) {
    throw ValidationFailed.field('passphrase', 'Turn encryption off before removing the passphrase: encrypted backups need one.')
  }
  await secrets.set('backupPassphrase', passphrase === null ? null : passphrase.normalize('NFC'))
}

/** A folder chosen in the dialog is used only when backups can be written there ('' is the default folder). */
export async function setBackupFolder(ctx: ServiceContext, folder: string): Promise<void> {
  const problem = folder ? folderProblem(folder, false) : null
  if (problem) throw new DomainError('STORAGE', problem)
  await updateSettings(ctx, { backupFolder: folder })
}

/** Where a backup of this kind goes and how, from the settings; refuses when encryption is on without a passphrase. */
export async function backupTargetFor(ctx: Pick<ServiceContext, 'db' | 'clock'>, dataFile: string, kind: BackupKind, passphrase: string | null) {
  const settings = await getSettings(ctx)
  const { folder, isDefault } = backupFolderFor(dataFile, settings.backupFolder)
  if (settings.backupEncrypted && passphrase === null) throw new DomainError('STORAGE', NEEDS_PASSPHRASE)
  return { folder, isDefault, kind, passphrase: settings.backupEncrypted ? passphrase : null, now: ctx.clock() }
}

/*
 * The job worker's copy of the passphrase: the main process hands it over
 * when the worker starts and whenever it changes, so backups made inside
 * other jobs (before a large import) can be encrypted too.
 */
let threadPassphrase: string | null = null
export function useBackupPassphrase(passphrase: string | null): void {
  threadPassphrase = passphrase
}

/**
 * A backup made in the job worker, with progress: of a customer file on the
 * worker's own connection; of a server, by copying its data into a file.
 */
export async function backupNow(ctx: ServiceContext, kind: BackupKind, progress: Pick<Progress, 'report'>): Promise<BackupMade> {
  const location = locationOf(ctx.db)
  // Settings are read before the connection is taken for the copy: there is one per thread.
  const target = await backupTargetFor(ctx, location, kind, threadPassphrase)
  if (isServerDatabase(location)) return makeBackup(location, target, progress)
  return withConnectionOf(ctx.db, (conn) => makeBackup(conn, target, progress))
}

/**
 * Before an import (or a merge) changes more than 100 records: a backup,
 * copied from one moment of the file (a read snapshot, which saves made
 * meanwhile do not disturb) before the change asks for its turn to write.
 * Restoring it takes back the change and whatever was saved between the
 * copy and the change. A backup that cannot be made stops the change, in words.
 */
export async function backupBeforeBulkChange(ctx: ServiceContext, what: 'import' | 'merge', records: number, progress: Progress): Promise<BackupMade | null> {
  if (records <= BULK_CHANGE_BACKUP_ABOVE) return null
  try {
    return await backupNow(ctx, what === 'import' ? 'before-import' : 'before-merge', progress)
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.code, `Nothing was ${what === 'import' ? 'imported' : 'merged'}: Frontdesk makes a backup first, and it could not. ${error.message}`)
    throw error
  }
}

/**
 * Before a schema change: a backup of the checked file, read through the
 * online backup API (a read-only connection; nothing is written to the file).
 * The settings are read from the file itself as it is; one too old to have
 * them uses the Backups folder beside it. With encryption set and no
 * passphrase available, the copy goes unencrypted into the Backups folder
 * beside the customer file (the same disk that already holds the file).
 */
export async function backupBeforeMigration(file: string, passphrase: string | null, now: Date = new Date()): Promise<BackupMade> {
  const stored = readStoredSettings(file)
  let { folder, isDefault } = backupFolderFor(file, stored.backupFolder)
  const secret = stored.backupEncrypted ? passphrase : null
  if (stored.backupEncrypted && passphrase === null) ({ folder, isDefault } = backupFolderFor(file, ''))
  if (folderProblem(folder, isDefault, true)) ({ folder, isDefault } = backupFolderFor(file, ''))
  try {
    return await makeBackup(file, { folder, isDefault, kind: 'before-migration', passphrase: secret, now })
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.code, `This customer file needs updating for this version of Frontdesk, which makes a backup first, and the backup could not be made; the file was not changed. ${error.message}`)
    throw error
  }
}

/** "Back up now" is refused at once, in words, when it could not be made (no folder, no passphrase), rather than as a failed task. */
export async function assertCanBackUp(ctx: ServiceContext, dataFile: string, secrets: SecretStore): Promise<void> {
  const target = await backupTargetFor(ctx, dataFile, 'manual', await secrets.get('backupPassphrase'))
  const problem = folderProblem(target.folder, target.isDefault, true)
  if (problem) throw new DomainError('STORAGE', problem)
}

export const NOT_IN_RECOVERY = 'The customer file opened normally, so there is nothing to recover. To go back to a backup, use Restore in Settings → Backups.'

export function notInRecovery(): never {
  throw new DomainError('CONFLICT', NOT_IN_RECOVERY)
}

export { NO_BACKUP_DIALOGS } from '../../backupHooks'

/** Where no store was given (tests, the router's own checks): the passphrase is held for this session only. */
export const sessionSecrets = (): SecretStore => new MemorySecretStore()

/** A finished step's result; a step that failed throws its error, in words. */
export async function finishedResult(finished: { state: string; result: unknown; error: { code: ErrorCode; message: string } | null }): Promise<unknown> {
  if (finished.state === 'done') return finished.result
  const { code, message, ...extra } = finished.error ?? INTERNAL_ERROR
  throw new DomainError(code, message, extra)
}
