import type { ApiError, JobKind } from '../../preload/contract'
import type { StaffMember } from '../services/context'
import type { PrepareResult } from '../../db/open'
import type { DataFileState } from '../../db/dataFile'

/** Messages between the main process and its job worker (structured-clone safe). */
export type ToWorker =
  | { type: 'prepare'; state: DataFileState; deferCheck: boolean; backupBeforeMigrate: boolean }
  /** The backup passphrase changed (or the worker started): backups made in jobs use it. */
  | { type: 'backupPassphrase'; value: string | null }
  | { type: 'run'; id: number; kind: JobKind; input: unknown; staff: StaffMember; now: string }
  /** The write gate is the running job's now (answers its `wantGate`). */
  | { type: 'gateHeld'; id: number }
  | { type: 'tidy'; step: 'merge' | 'checkpoint' }
  | { type: 'close' }

export type FromWorker =
  | { type: 'progress'; id: number; done: number; total: number; phase: string }
  /** A job that reads first asks for the write gate before it starts writing. */
  | { type: 'wantGate'; id: number }
  /** The job holding the write gate lets the saves waiting for it go first (answered with `gateHeld`). */
  | { type: 'passGate'; id: number }
  | { type: 'finished'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: ApiError; unexpected?: string }
  | { type: 'prepared'; result: PrepareResult }
  | { type: 'prepareFailed'; reason: string | null; message: string; detail?: string }
  | { type: 'tidied'; ms: number; more: boolean }
  | { type: 'tidyFailed'; message: string }
  | { type: 'closed' }

/** Index in the shared cancel flag: set to 1 to stop the running job at its next check. */
export const CANCEL_SLOT = 0
