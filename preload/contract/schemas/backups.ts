import { z } from 'zod'
import { noInput } from './common'

/**
 * Copies of the customer file, made by Frontdesk in the backup folder: every
 * day, before every schema change, before an import (or merge) of more than
 * 100 records, before a restore, and on "Back up now". The renderer names a
 * backup only by the name main listed; folders and other files are chosen in
 * dialogs main shows.
 */
export const backupKinds = ['daily', 'manual', 'before-migration', 'before-import', 'before-merge', 'before-restore'] as const
export type BackupKind = (typeof backupKinds)[number]

/** frontdesk-2026-12-02T093015Z-daily.sqlite3, with .enc when encrypted. */
export const BACKUP_NAME_PATTERN = /^frontdesk-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z-([a-z-]+)\.sqlite3(\.enc)?$/

const backupName = z
  .string()
  .max(80)
  .regex(BACKUP_NAME_PATTERN, { error: 'Choose one of the backups listed.' })

/** A passphrase: long enough to resist guessing, short enough to type. */
export const backupPassphrase = z
  .string()
  .min(10, { error: 'A passphrase has at least 10 characters.' })
  .max(200, { error: 'A passphrase has at most 200 characters.' })

export interface BackupInfo {
  name: string
  kind: BackupKind
  /** When it was made (ISO-8601 UTC). */
  at: string
  bytes: number
  encrypted: boolean
  /**
   * Checked when made: a backup only gets its name after its copy passed
   * SQLite's integrity check (and, encrypted, decrypted back to it).
   */
  verified: boolean
}

export interface BackupMade extends BackupInfo {
  customers: number
  seconds: number
  /** Older backups removed by the keeping rules. */
  removed: number
}

export interface BackupsStatus {
  /** The folder backups go to, as the person would find it. */
  folder: string
  /** True when it is the default folder (no folder chosen): beside the customer file, or this computer's own for a server desk. */
  folderIsDefault: boolean
  /** Why backups cannot be written there now (a drive not plugged in, no permission), or null. */
  folderProblem: string | null
  daily: boolean
  encrypted: boolean
  passphraseSet: boolean
  /** The desk's data is on a PostgreSQL server: backups are copies of it, a restore copies one back onto the server. */
  onServer: boolean
  /** The customer file's name, or the server's address without its password (what a restore replaces). */
  dataFileName: string
  backups: BackupInfo[]
}

export interface RestoreOutcome {
  restored: string
  /** The backup the replaced file was kept as. */
  keptAs: string
  customers: number
}

/** What the recovery screen shows when the customer file is damaged at start. */
export interface RecoveryInfo {
  dataFile: string
  /** Why the file cannot be used, in words. */
  problem: string
  folder: string
  folderProblem: string | null
  /** Backups found, newest first. */
  backups: BackupInfo[]
}

export interface RecoveryOutcome {
  restored: string
  /** Where the damaged file was put aside (renamed, never written to). */
  damagedKeptAs: string
}

export const restoreInput = z.strictObject({
  name: backupName,
  /** For an encrypted backup made with another passphrase than the one set now. */
  passphrase: backupPassphrase.optional(),
})

export const backupOptionsInput = z.strictObject({ daily: z.boolean().optional(), encrypted: z.boolean().optional() })
export const passphraseInput = z.strictObject({ passphrase: backupPassphrase.nullable() })

export const backupsInputs = {
  'backups:status': noInput,
  'backups:list': noInput,
  'backups:create': noInput,
  'backups:restore': restoreInput,
  'backups:setOptions': backupOptionsInput,
  'backups:setPassphrase': passphraseInput,
  'backups:chooseFolder': noInput,
  'backups:useDefaultFolder': noInput,
  'backups:recovery': noInput,
  'backups:recover': restoreInput,
  'backups:recoverFromFile': noInput,
}
