import { randomBytes } from 'node:crypto'
import { accessSync, constants, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { isServerDatabase } from '../../../db/location'
import { BACKUP_NAME_PATTERN, backupKinds, type BackupInfo, type BackupKind } from '../../../preload/contract/schemas/backups'
import { DomainError } from '../errors'

/*
 * Where backups live and what is in there. Frontdesk only ever reads, writes
 * and removes files with its own backup names in that folder (and its own
 * temporary ones, dot-named); anything else there is left alone.
 */

export const DEFAULT_FOLDER_NAME = 'Backups'

/*
 * A desk on a PostgreSQL server has no customer file to keep backups beside:
 * they go to this computer's own folder for Frontdesk (the app's user-data
 * folder), under backups/<the server>. Set by the app at start and passed to
 * the job worker, which makes the backups.
 */
let serverBackupsHome: string | null = null

export function useServerBackupsHome(folder: string | null): void {
  serverBackupsHome = folder
}

/** This computer's folder for Frontdesk's own files (without one set, e.g. the command line: ~/.frontdesk). */
export function currentServerBackupsHome(): string {
  return serverBackupsHome ?? join(homedir(), '.frontdesk')
}

/** A server as a folder name: user@host-port-database, with anything a file system may refuse replaced. */
export function serverFolderName(location: string): string {
  const url = new URL(location)
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres'
  const name = `${decodeURIComponent(url.username) || 'postgres'}@${url.hostname}-${url.port || '5432'}-${database}`
  return name.replace(/[^A-Za-z0-9@._-]+/g, '_')
}

/**
 * The folder setting, resolved: '' means a Backups folder beside the
 * customer file, or for a server desk this computer's backups/<server>
 * folder (the setting itself is kept with the data, so a chosen folder is
 * shared by the server's desks).
 */
export function backupFolderFor(location: string, setting: string): { folder: string; isDefault: boolean } {
  if (setting.trim()) return { folder: resolve(setting.trim()), isDefault: false }
  if (isServerDatabase(location)) return { folder: join(currentServerBackupsHome(), 'backups', serverFolderName(location)), isDefault: true }
  return { folder: join(dirname(location), DEFAULT_FOLDER_NAME), isDefault: true }
}

/**
 * Refuses, in words, a folder backups cannot be written to. The default
 * folder is made when missing; a chosen folder (a
 * USB drive, a network share) is not: missing means not plugged in.
 */
export function assertUsableFolder(folder: string, isDefault: boolean): void {
  const problem = folderProblem(folder, isDefault, true)
  if (problem) throw new DomainError('STORAGE', problem)
}

export function folderProblem(folder: string, isDefault: boolean, create = false): string | null {
  let isFolder: boolean
  try {
    isFolder = statSync(folder).isDirectory()
  } catch {
    if (!isDefault) {
      return `The backup folder ${folder} is not available: the drive may not be plugged in or the network share not connected. Connect it, or choose another folder in Settings → Backups.`
    }
    if (!create) return null
    try {
      mkdirSync(folder, { recursive: true })
      isFolder = true
    } catch {
      return `Frontdesk cannot make the backup folder ${folder}. Check that the disk is available and not read-only, or choose another folder in Settings → Backups.`
    }
  }
  if (!isFolder) return `${folder} is a file, not a folder. Choose a folder for backups in Settings → Backups.`
  // A probe, because permission bits do not tell the whole story on network shares and read-only drives.
  const probe = join(folder, `.frontdesk-write-test-${randomBytes(6).toString('hex')}`)
  try {
    accessSync(folder, constants.W_OK)
    writeFileSync(probe, 'frontdesk', { flag: 'wx' })
    rmSync(probe, { force: true })
  } catch {
    return `Frontdesk cannot write to the backup folder ${folder}: it, or its drive, is read-only or Frontdesk has no permission there. Choose another folder in Settings → Backups.`
  }
  return null
}

/** frontdesk-2026-12-02T093015Z-daily.sqlite3 (.enc when encrypted); the time is UTC. */
export function backupName(at: Date, kind: BackupKind, encrypted: boolean): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const date = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`
  return `frontdesk-${date}${stamp.slice(8)}-${kind}.sqlite3${encrypted ? '.enc' : ''}`
}

export function parseBackupName(name: string): { at: Date; kind: BackupKind; encrypted: boolean } | null {
  const match = BACKUP_NAME_PATTERN.exec(name)
  if (!match) return null
  const [, y, mo, d, h, mi, s, kind, enc] = match
  if (!(backupKinds as readonly string[]).includes(kind!)) return null
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)))
  if (Number.isNaN(at.getTime())) return null
  return { at, kind: kind as BackupKind, encrypted: Boolean(enc) }
}

/** Frontdesk's backups in the folder, newest first; an unavailable folder has none. */
export function listBackups(folder: string): BackupInfo[] {
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  const found: BackupInfo[] = []
  for (const name of names) {
    const parsed = parseBackupName(name)
    if (!parsed) continue
    try {
      const stat = statSync(join(folder, name))
      if (!stat.isFile()) continue
      found.push({ name, kind: parsed.kind, at: parsed.at.toISOString(), bytes: stat.size, encrypted: parsed.encrypted, verified: true })
    } catch {
      // Removed meanwhile.
    }
  }
  return found.sort((a, b) => (a.at === b.at ? b.name.localeCompare(a.name) : b.at.localeCompare(a.at)))
}

/** A listed backup by name; the renderer can name nothing else. */
export function findBackup(folder: string, name: string): BackupInfo & { file: string } {
  const backup = listBackups(folder).find((b) => b.name === name)
  if (!backup) throw new DomainError('NOT_FOUND', `The backup ${name} is no longer in ${folder}. Choose another from the list.`)
  return { ...backup, file: join(folder, name) }
}

/** Temporary names Frontdesk writes in the backup folder before a backup gets its real name. */
export const partialName = (name: string) => `.${name}.${randomBytes(4).toString('hex')}.partial`
const PARTIAL = /^\.frontdesk-.*\.partial$/

/** Leftovers of a backup interrupted by a crash or a pulled drive, more than an hour old (a server's copy is a folder). */
export function removeStalePartials(folder: string, now: Date): void {
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return
  }
  for (const name of names.filter((n) => PARTIAL.test(n))) {
    const file = join(folder, name)
    try {
      if (now.getTime() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { recursive: true, force: true })
    } catch {
      // Gone already.
    }
  }
}
