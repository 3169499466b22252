import { dirname } from 'node:path'
import { contract, isChannel, type Result } from '../preload/contract'
import { WriteGate } from '../db/writeGate'
import type { BackupDialogs } from './backupHooks'
import { JobRunner, type WorkerScript } from './jobs/runner'
import type { Dispatch, SenderInfo } from './ipc/router'
import { zodToApiError } from './ipc/router'
import { recoverFromBackup, recoveryInfo, type RunStep } from './services/backups'
import { apiErrorOf, DomainError, INTERNAL_ERROR } from './services/errors'
import { BUILT_IN_ADMIN } from './services/context'

export interface RecoveryOptions {
  /** The damaged customer file: read for its backup settings at most, never written to. */
  dataFile: string
  /** Why it cannot be used, in words. */
  problem: string
  isTrustedSender: (sender: SenderInfo) => boolean
  worker: WorkerScript
  dialogs: BackupDialogs
  clock?: () => Date
  /** The file has been replaced by a checked backup: the caller opens the desk on it. */
  onRecovered: () => Promise<void>
  onUnexpectedError?: (channel: string, error: unknown) => void
}

export interface RecoveryDesk {
  dispatch: Dispatch
  close(): Promise<void>
}

/** What the recovery screen says about a file the open-time check found damaged. */
export const DAMAGED_AT_START =
  'The check Frontdesk runs when it opens the customer file found errors in it. Frontdesk has not changed the file and will not write to it. Restore a backup to carry on.'

const CLOSED = 'Frontdesk is showing the recovery screen: the customer file is damaged. Restore a backup or choose another file first.'

/**
 * What the window can call while the customer file is damaged at start:
 * the recovery screen's three channels and nothing else (no one can sign in
 * to a file that cannot be read). The backup is checked in a job worker with
 * no connection to the damaged file, so the window stays responsive.
 */
export function openRecoveryDesk(options: RecoveryOptions): RecoveryDesk {
  // ':memory:': the worker must never open the damaged file; the check works on explicit paths.
  const jobs = new JobRunner({ dataFile: ':memory:', worker: options.worker, gate: new WriteGate(), onUnexpectedError: options.onUnexpectedError })
  const clock = options.clock ?? (() => new Date())
  const run = (async (kind: 'restoreCheck', input: never, label: string) => {
    const started = jobs.start(kind, input, { staff: BUILT_IN_ADMIN, now: clock(), label, cancellable: false, writes: 'never' })
    const finished = await jobs.whenFinished(started.id)
    if (finished.state === 'done') return finished.result
    const { code, message, ...extra } = finished.error ?? INTERNAL_ERROR
    throw new DomainError(code, message, extra)
  }) as unknown as RunStep
  let recovering = false
  const env = { dataFile: options.dataFile, run, now: clock }

  const handlers = {
    'backups:recovery': async () => recoveryInfo(options.dataFile, options.problem),
    'backups:recover': async (input: { name: string; passphrase?: string }) => guarded(() => recoverFromBackup(env, input)),
    'backups:recoverFromFile': async () => {
      const info = recoveryInfo(options.dataFile, options.problem)
      const file = await options.dialogs.chooseBackupFile(info.backups.length ? info.folder : dirname(options.dataFile))
      if (!file) return null
      return guarded(() => recoverFromBackup(env, { file }))
    },
  } as const

  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    if (recovering) throw new DomainError('CONFLICT', 'A backup is already being restored. Wait for it to finish.')
    recovering = true
    try {
      const outcome = await work()
      await options.onRecovered()
      return outcome
    } finally {
      recovering = false
    }
  }

  const dispatch: Dispatch = async (channel, input, sender): Promise<Result<unknown>> => {
    if (!isChannel(channel)) return { ok: false, error: { code: 'FORBIDDEN', message: 'Unknown request.' } }
    if (!options.isTrustedSender(sender)) return { ok: false, error: { code: 'FORBIDDEN', message: 'Request refused: it did not come from Frontdesk.' } }
    if (!(channel in handlers)) return { ok: false, error: { code: 'STORAGE', message: CLOSED } }
    const parsed = contract[channel].input.safeParse(input)
    if (!parsed.success) return { ok: false, error: zodToApiError(parsed.error) }
    try {
      const handler = handlers[channel as keyof typeof handlers] as (input: unknown) => Promise<unknown>
      return { ok: true, data: await handler(parsed.data) }
    } catch (thrown) {
      const { error, expected } = apiErrorOf(thrown)
      if (!expected) options.onUnexpectedError?.(channel, thrown)
      return { ok: false, error }
    }
  }

  return { dispatch, close: () => jobs.close() }
}
