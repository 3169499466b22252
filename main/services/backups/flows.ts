import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { ClosedFileSwap, RestartDataLayer } from '../../backupHooks'
import type { SecretStore } from '../../secrets'
import type { BackupInfo, BackupMade, RecoveryInfo, RecoveryOutcome, RestoreOutcome } from '../../../preload/contract/schemas/backups'
import { getSettings } from '../app/settings'
import type { ServiceContext } from '../context'
import { Conflict, DomainError, ValidationFailed } from '../errors'
import { backupFolderFor, findBackup, folderProblem, listBackups, parseBackupName } from './folder'
import { discardRestoreCopy, PASSPHRASE_NEEDED, replaceDamagedFile, restoreCopyName, swapInRestoredFile, type RestoreCopy } from './restore'
import { isEncryptedBackup } from './encryption'
import { readStoredSettings } from './storedSettings'

/** Runs a step as a job in the worker and answers with its result; its failure is the caller's. */
export type RunStep = {
  (kind: 'restoreCheck', input: { backupFile: string; copyFile: string; passphrase: string | null }, label: string): Promise<RestoreCopy>
  (kind: 'backup', input: { kind: 'before-restore' }, label: string): Promise<BackupMade>
}

/**
 * Restore from a listed backup: the backup is copied and the copy checked
 * first (integrity, Frontdesk's id, a schema this version knows); the
 * current file is then kept as a backup; the data layer closes, the copy
 * takes the file's place by rename, and the data layer opens on it (everyone
 * signs in again). Any refusal leaves the customer file as it was.
 */
/** A server desk's backups are copies into files: restoring one is copying it back. */
const SERVER_RESTORE =
  'This desk’s data is on a PostgreSQL server: a backup of it is a copy in a file, and restoring is copying that file back (frontdesk copy --from the file --to the server --force), or the server’s own restore.'

export async function restoreFromBackup(
  ctx: ServiceContext,
  env: { dataFile: string; secrets: SecretStore; run: RunStep; restart?: RestartDataLayer },
  input: { name: string; passphrase?: string },
): Promise<RestoreOutcome> {
  if (/^postgres(ql)?:\/\//i.test(env.dataFile)) throw new DomainError('STORAGE', SERVER_RESTORE)
  if (!env.restart) throw new Conflict('Restoring replaces the open customer file, so it is done from the Frontdesk app, or with `frontdesk restore` while the app is closed.')
  const settings = await getSettings(ctx)
  const { folder } = backupFolderFor(env.dataFile, settings.backupFolder)
  const backup = findBackup(folder, input.name)
  const passphrase = input.passphrase ?? (await env.secrets.get('backupPassphrase'))
  if (backup.encrypted && !passphrase) throw ValidationFailed.field('passphrase', PASSPHRASE_NEEDED)
  const copyFile = restoreCopyName(env.dataFile)
  try {
    const checked = await env.run('restoreCheck', { backupFile: backup.file, copyFile, passphrase }, `Checking the backup ${backup.name}`)
    const kept = await env.run('backup', { kind: 'before-restore' }, 'Keeping the current customer file as a backup')
    await env.restart(async (): Promise<ClosedFileSwap> => swapInRestoredFile(copyFile, env.dataFile))
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
