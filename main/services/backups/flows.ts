import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { ClosedFileSwap, RestartDataLayer } from '../../backupHooks'
import type { SecretStore } from '../../secrets'
import type { BackupInfo, BackupMade, RecoveryInfo, RecoveryOutcome, RestoreOutcome } from '../../../preload/contract/schemas/backups'
import type { CopyReport } from '../../../preload/contract/schemas/database'
import { announceEverythingChanged } from '../../../db/dialects/postgresNotify'
import { isServerDatabase } from '../../../db/location'
import type { CopyOptions } from '../database/copy'
import { getSettings } from '../app/settings'
import type { ServiceContext } from '../context'
import { Conflict, DomainError, ValidationFailed } from '../errors'
import { backupFolderFor, findBackup, folderProblem, listBackups, parseBackupName } from './folder'
import { discardRestoreCopy, PASSPHRASE_NEEDED, replaceDamagedFile, restoreCopyName, serverRestoreCopyName, swapInRestoredFile, type RestoreCopy } from './restore'
import { isEncryptedBackup } from './encryption'
import { readStoredSettings } from './storedSettings'

/** Runs a step as a job in the worker and answers with its result; its failure is the caller's. */
export type RunStep = {
  (kind: 'restoreCheck', input: { backupFile: string; copyFile: string; passphrase: string | null; upToDate?: boolean }, label: string): Promise<RestoreCopy>
  (kind: 'backup', input: { kind: 'before-restore' }, label: string): Promise<BackupMade>
  (kind: 'databaseCopy', input: CopyOptions, label: string): Promise<CopyReport>
}

/**
 * Restore from a listed backup: the backup is copied and the copy checked
 * first (integrity, Frontdesk's id, a schema this version knows); the
 * current data is then kept as a backup; then the copy takes the data's
 * place and the data layer opens on it (everyone signs in again). A file
 * desk closes the data layer and renames the copy into place; a server desk
 * copies it onto the server (replacing its data in one transaction, checked
 * table by table) and tells the server's other desks that everything
 * changed. Any refusal leaves the data as it was.
 */
export async function restoreFromBackup(
  ctx: ServiceContext,
  env: { dataFile: string; secrets: SecretStore; run: RunStep; restart?: RestartDataLayer },
  input: { name: string; passphrase?: string },
): Promise<RestoreOutcome> {
  const onServer = isServerDatabase(env.dataFile)
  if (!env.restart) {
    throw new Conflict(
      onServer
        ? 'Restoring replaces the server’s data and reopens the desk, so it is done from the Frontdesk app (or with frontdesk copy --from the backup --to the server --force).'
        : 'Restoring replaces the open customer file, so it is done from the Frontdesk app, or with `frontdesk restore` while the app is closed.',
    )
  }
  const settings = await getSettings(ctx)
  const { folder } = backupFolderFor(env.dataFile, settings.backupFolder)
  const backup = findBackup(folder, input.name)
  const passphrase = input.passphrase ?? (await env.secrets.get('backupPassphrase'))
  if (backup.encrypted && !passphrase) throw ValidationFailed.field('passphrase', PASSPHRASE_NEEDED)
  const copyFile = onServer ? serverRestoreCopyName() : restoreCopyName(env.dataFile)
  try {
    const checked = await env.run('restoreCheck', { backupFile: backup.file, copyFile, passphrase, upToDate: onServer }, `Checking the backup ${backup.name}`)
    if (!onServer) {
      const kept = await env.run('backup', { kind: 'before-restore' }, 'Keeping the current customer file as a backup')
      await env.restart(async (): Promise<ClosedFileSwap> => swapInRestoredFile(copyFile, env.dataFile))
      return { restored: backup.name, keptAs: kept.name, customers: checked.customers }
    }
    const kept = await env.run('backup', { kind: 'before-restore' }, 'Keeping the server’s current data as a backup')
    await env.run('databaseCopy', { from: copyFile, to: env.dataFile, force: true }, `Restoring the backup ${backup.name} onto the server`)
    // The copy writes with the server's change notices paused: the other desks are told once, after it committed (a notice lost does not undo the restore).
    await announceEverythingChanged(ctx.db).catch(() => {})
    await env.restart(async (): Promise<ClosedFileSwap> => ({ commit() {}, undo() {} }))
    return { restored: backup.name, keptAs: kept.name, customers: checked.customers }
  } finally {
    discardRestoreCopy(copyFile)
  }
}

/** Where recovery looks: the folder set in the file (read, never written), and the Backups folder beside it. */
function recoveryFolders(dataFile: string): Array<{ folder: string; isDefault: boolean }> {
  const stored = readStoredSettings(dataFile)
  const chosen = backupFolderFor(dataFile, stored.backupFolder)
  const beside = backupFolderFor(dataFile, '')
  return chosen.folder === beside.folder ? [beside] : [chosen, beside]
}

/** What the recovery screen lists: good backups first by date, newest first. */
export function recoveryInfo(dataFile: string, problem: string): RecoveryInfo {
  const folders = recoveryFolders(dataFile)
  const seen = new Set<string>()
  const backups: BackupInfo[] = []
  for (const { folder } of folders) {
    for (const backup of listBackups(folder)) {
      if (seen.has(backup.name)) continue
      seen.add(backup.name)
      backups.push(backup)
    }
  }
  backups.sort((a, b) => b.at.localeCompare(a.at))
  const first = folders[0]!
  return { dataFile, problem, folder: first.folder, folderProblem: folderProblem(first.folder, first.isDefault), backups }
}

/**
 * Recovery at start, from a listed backup or a file chosen in a dialog: the
 * backup is checked on a copy, then the damaged file is renamed aside (never
 * written to) and the copy takes its place.
 */
export async function recoverFromBackup(
  env: { dataFile: string; run: RunStep; now: () => Date },
  choice: { name: string; passphrase?: string | undefined } | { file: string; passphrase?: string | undefined },
): Promise<RecoveryOutcome> {
  let file: string
  let name: string
  if ('name' in choice) {
    const folder = recoveryFolders(env.dataFile).find(({ folder }) => existsSync(join(folder, choice.name)) && listBackups(folder).some((b) => b.name === choice.name))
    if (!folder) throw new DomainError('NOT_FOUND', `The backup ${choice.name} is no longer there. Choose another from the list.`)
    file = findBackup(folder.folder, choice.name).file
    name = choice.name
  } else {
    file = choice.file
    name = basename(choice.file)
  }
  const encrypted = 'name' in choice ? Boolean(parseBackupName(name)?.encrypted) : isEncryptedBackup(file)
  if (encrypted && !choice.passphrase) throw ValidationFailed.field('passphrase', PASSPHRASE_NEEDED)
  const copyFile = restoreCopyName(env.dataFile)
  try {
    await env.run('restoreCheck', { backupFile: file, copyFile, passphrase: choice.passphrase ?? null }, `Checking the backup ${name}`)
    const aside = replaceDamagedFile(copyFile, env.dataFile, env.now())
    return { restored: name, damagedKeptAs: basename(aside) }
  } finally {
    discardRestoreCopy(copyFile)
  }
}
