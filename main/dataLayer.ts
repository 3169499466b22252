import { openFrontdesk, type FrontdeskCore, type FrontdeskOptions } from './app-core'
import type { ClosedFileSwap } from './backupHooks'
import type { Dispatch } from './ipc/router'
import { backupFolderFor, hasDailyBackupOn, listBackups } from './services/backups'
import { getSettings } from './services/app/settings'
import { lastCheckedAt } from './services/quality'

/** The data-quality queue is checked again once it is this old (and when the file opens). */
const QUALITY_CHECK_EVERY_MS = 24 * 3_600_000

export interface DataLayerOptions extends FrontdeskOptions {
  /** Look for today's daily backup this often (the app: hourly; default: never), and once when the file opens. */
  dailyBackupCheckEveryMs?: number
  /** Told when the data layer has reopened (after a restore) on its new core. */
  onReopened?: (core: FrontdeskCore) => void
}

/**
 * The customer file's core, replaceable while the app runs: a restore
 * closes the core and opens a new one on the restored file without
 * restarting the app. `dispatch` stays the same function throughout, so the
 * IPC registration and the test bridge never change; calls that arrive
 * during a restart wait for the new core.
 */
export interface DataLayer {
  /** The core open now (a new one after each restore). */
  readonly core: FrontdeskCore
  readonly dataFile: string
  dispatch: Dispatch
  /** Looks for today's daily backup and starts one when it is missing and due. */
  checkDailyBackup(): Promise<void>
  close(): Promise<void>
}

export async function openDataLayer(options: DataLayerOptions): Promise<DataLayer> {
  let core: FrontdeskCore
  let restarting: Promise<void> | null = null
  let closed = false
  /** The file or server open now (Settings → Database may change it). */
  let location = options.dataFile

  const open = () => openFrontdesk({ ...options, dataFile: location, restart, switchDatabase })

  /**
   * Closes the core, makes a change while nothing is open (a restored file put
   * in place, another database chosen), and opens again; when that cannot be
   * opened, the change is undone, the one before opens again and the error is
   * the caller's.
   */
  async function reopen(change: () => Promise<ClosedFileSwap>): Promise<void> {
    if (restarting) throw new Error('The customer file is already being reopened')
    let done!: () => void
    restarting = new Promise<void>((resolve) => (done = resolve))
    try {
      await core.close()
      const changed = await change()
      try {
        core = await open()
        changed.commit()
      } catch (error) {
        changed.undo()
        core = await open()
        throw error
      }
      options.onReopened?.(core)
    } finally {
      restarting = null
      done()
    }
  }

  /** Reopens on a restored file (the swap puts it in place). */
  const restart = (swap: () => Promise<ClosedFileSwap>) => reopen(swap)

  /** Reopens on another file or server. */
  const switchDatabase = (next: string) =>
    reopen(async () => {
      const previous = location
      location = next
      return { commit: () => {}, undo: () => (location = previous) }
    })

  const checkDailyBackup = async () => {
    if (closed || restarting) return
    const current = core
    const ctx = current.context()
    const settings = await getSettings(ctx)
    if (!settings.backupDaily) return
    const { folder } = backupFolderFor(current.dataFile, settings.backupFolder)
    if (hasDailyBackupOn(listBackups(folder), ctx.clock())) return
    if (current.jobs.list().some((job) => job.kind === 'backup' && (job.state === 'queued' || job.state === 'running'))) return
    const started = current.jobs.start('backup', { kind: 'daily' }, { staff: ctx.staff, now: ctx.clock(), label: 'Daily backup', cancellable: false, writes: 'never' })
    const finished = await current.jobs.whenFinished(started.id)
    // A drive not plugged in, no passphrase: tried again next hour; the Backups panel says why.
    if (finished.state === 'failed') options.onUnexpectedError?.('backups:daily', new Error(finished.error?.message ?? 'The daily backup failed'))
  }

  /** Checks every customer for the data-quality queue when the last check is a day old (in the worker, behind any job). */
  const checkDataQuality = async () => {
    if (closed || restarting) return
    const current = core
    const ctx = current.context()
    const last = await lastCheckedAt(ctx.db)
    if (last && ctx.clock().getTime() - Date.parse(last) < QUALITY_CHECK_EVERY_MS) return
    if (current.jobs.list().some((job) => job.kind === 'qualityScan' && (job.state === 'queued' || job.state === 'running'))) return
    const started = current.jobs.start('qualityScan', {}, { staff: ctx.staff, now: ctx.clock(), label: 'Checking the quality of customer records', writes: 'onRequest' })
    const finished = await current.jobs.whenFinished(started.id)
    if (finished.state === 'failed') options.onUnexpectedError?.('quality:check', new Error(finished.error?.message ?? 'The data-quality check failed'))
  }

  core = await open()
  let timer: NodeJS.Timeout | undefined
  if (options.dailyBackupCheckEveryMs) {
    const check = () => {
      void checkDailyBackup().catch((error: unknown) => options.onUnexpectedError?.('backups:daily', error))
      void checkDataQuality().catch((error: unknown) => options.onUnexpectedError?.('quality:check', error))
    }
    // After the background check of a large file, never on a file found damaged.
    void (core.check ?? Promise.resolve(null)).then((status) => (status === null || status.state === 'done' ? check() : undefined))
    timer = setInterval(check, options.dailyBackupCheckEveryMs)
    timer.unref()
  }

  return {
    get core() {
      return core
    },
    get dataFile() {
      return location
    },
    async dispatch(channel, input, sender) {
      while (restarting) await restarting
      return core.dispatch(channel, input, sender)
    },
    checkDailyBackup,
    async close() {
      closed = true
      clearInterval(timer)
      while (restarting) await restarting
      await core.close()
    },
  }
}
