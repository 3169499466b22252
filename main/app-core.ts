import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Knex } from 'knex'
import { openDatabase, closeDatabase } from '../db/connection'
import { isOwnBackendOf } from '../db/dialects/postgresClient'
import { DataFileProblem, inspectDataFile, lockDataFile, type DataFileLock, type DataFileState } from '../db/dataFile'
import { migrations } from '../db/migrations'
import { prepareDataFile, type PrepareResult } from '../db/open'
import { isServerDatabase } from '../db/location'
import { prepareServerDatabase } from '../db/server'
import { WriteGate } from '../db/writeGate'
import { BUILT_IN_ADMIN, type ServiceContext, type StaffMember } from './services/context'
import { createRouter, type Dispatch, type SenderInfo } from './ipc/router'
import type { JobStatus } from '../preload/contract'
import { createHandlers } from './ipc/handlers'
import { startExpiredPurge } from './ipc/handlers/organise'
import { startInterruptedImportRollBack } from './ipc/handlers/imports'
import { JobRunner, type WorkerScript } from './jobs/runner'
import { DomainError } from './services/errors'
import { NO_FILE_DIALOGS, NO_SYSTEM_VIEWER, type FileDialogs, type SystemViewer } from './fileDialogs'
import { DeskSession, lockAfterMinutes } from './services/staff'
import { MemorySecretStore, type SecretStore } from './secrets'
import { NO_BACKUP_DIALOGS, type BackupDialogs, type RestartDataLayer } from './backupHooks'
import { backupBeforeMigration } from './services/backups'
import { OutboxSender, type OutboxOptions } from './services/messages/sender'
import { reminderSweeps, type ReminderSweeps } from './services/messages/reminders'
import type { DatabaseChoices } from './services/database/choice'
import { listenForChanges, type LiveChanges } from './liveChanges'
import { makeSessionFolder, removeAbandonedSessionFolders } from './sessionFolders'
import type { DeskEvent } from '../preload/contract/channels'

export interface FrontdeskOptions {
  /**
   * Where the customer data lives: the path of the SQLite file (created if
   * missing), or a postgres:// URL of the database several desks share.
   */
  dataFile: string
  /** Decides whether an IPC sender is the app's own top-level page. */
  isTrustedSender: (sender: SenderInfo) => boolean
  /** The job worker's script: the bundled one in the app, a test build in tests. */
  worker: WorkerScript
  /** Open and save dialogs for import and export (none: every dialog is cancelled). */
  dialogs?: FileDialogs
  /** Opens printouts in the system's PDF viewer (none: nothing is shown). */
  viewer?: SystemViewer
  clock?: () => Date
  /** Start signed in as this person (tests, the end-to-end bridge); without it the desk starts signed out, or at first-run set-up. */
  staff?: StaffMember
  onUnexpectedError?: (channel: string, error: unknown) => void
  /** Run idle-time database upkeep this often (the app: every minute; tests: never). */
  tidyEveryMs?: number
  /**
   * Files larger than this are checked and migrated in the job worker, so
   * the main thread stays free; smaller ones take milliseconds and are done
   * in place (default 8 MiB, roughly 5,000 customers).
   */
  prepareInWorkerAbove?: number
  /**
   * Files larger than this open before their quick check (seconds to
   * minutes for a large file on a cold disk): it runs as a background job
   * and every write waits until it passes (default 64 MiB).
   */
  checkInBackgroundAbove?: number
  /** Told when the background check finds the file damaged: the core then refuses every call. */
  onFileProblem?: (problem: DataFileProblem) => void
  /** Secrets kept outside the customer file, e.g. the backup passphrase (the app: the system's protected storage; default: memory). */
  secrets?: SecretStore
  /** Folder and file dialogs for backups (default: every dialog cancelled). */
  backupDialogs?: BackupDialogs
  /** Restarts the data layer on a restored file (main/dataLayer.ts); without it, restore is refused. */
  restart?: RestartDataLayer
  /** Back an existing file up before migrating it (default true). */
  backupBeforeMigrate?: boolean
  /** How the outbox is delivered beyond the mail settings (tests: their own certificate, short waits). */
  mail?: OutboxOptions
  /** Look for bookings due a reminder this often (default every minute; 0: only when `reminders.sweepNow()` is called). */
  reminderSweepEveryMs?: number
  /** Where this computer keeps its data between starts (Settings → Database); default: memory. */
  databaseChoices?: DatabaseChoices
  /** Reopens the desk on another database (main/dataLayer.ts); without it, switching is refused. */
  switchDatabase?: (location: string) => Promise<void>
  /**
   * On a server: told when other desks changed customers, bookings or notes
   * ('desk:changed', at most every DESK_CHANGED_EVERY_MS), and when the server
   * stops or starts answering ('desk:offline', 'desk:online').
   */
  onDeskEvent?: (event: DeskEvent) => void
}

/** Notices arriving together (an import, a burst of saves) are told to the screens as one. */
const DESK_CHANGED_EVERY_MS = 150

/** Everything the main process owns, with no Electron in it: database, migrations, router, jobs. */
export interface FrontdeskCore {
  db: Knex
  dataFile: string
  dispatch: Dispatch
  context: () => ServiceContext
  /** Who is at the desk (signed in, locked, signed out). */
  session: DeskSession
  jobs: JobRunner
  /** Read-only work off the main thread that the desk waits for (reports, statements): never queued behind a long job. */
  reads: JobRunner
  /** This session's printouts folder (removed on close). */
  printoutsDir: string
  /** This session's rejected import rows, kept to be saved until the app closes (removed then). */
  rejectsDir: string
  /** What opening the file took (checks, migrations). */
  opened: PrepareResult & { inWorker: boolean }
  /** The background quick check, when the file opened before it (settles with its final status). */
  check: Promise<JobStatus> | null
  /** Delivers the outbox to the mail server; `wake()` after queueing. */
  outbox: OutboxSender
  /** Writes the reminders of bookings starting soon (every minute, and when asked). */
  reminders: ReminderSweeps
  /** On a server: the line on which other desks' changes arrive (null for a local file). */
  live: LiveChanges | null
  close: () => Promise<void>
}

const migrationNames = migrations.map(([name]) => name)

/**
 * Opens the customer file for the desk. Nothing is written to a file until
 * it is known to be a Frontdesk file (or a new one): another program's
 * database, a newer Frontdesk's file, a damaged or read-only one, or a file
 * another copy of Frontdesk holds is refused with a DataFileProblem and left
 * as it was.
 */
export async function openFrontdesk(options: FrontdeskOptions): Promise<FrontdeskCore> {
  const onServer = isServerDatabase(options.dataFile)
  // A server is shared by design: other desks are expected, and the server keeps them apart.
  const state: DataFileState = onServer ? { kind: 'frontdesk', version: 0, bytes: 0 } : inspectDataFile(options.dataFile, migrationNames)
  if (state.kind === 'new') mkdirSync(dirname(options.dataFile), { recursive: true })
  const lock: DataFileLock = onServer ? { path: '', release: () => {} } : lockDataFile(options.dataFile)
  const gate = new WriteGate()
  const jobs = new JobRunner({ dataFile: options.dataFile, worker: options.worker, gate, onUnexpectedError: options.onUnexpectedError })
  const reads = new JobRunner({ dataFile: options.dataFile, worker: options.worker, gate, onUnexpectedError: options.onUnexpectedError })
  // What a session that never closed (a crash) left in the temporary folder goes first.
  removeAbandonedSessionFolders()
  // PDFs made for this session (statements, letters): private to the person, gone when the app closes.
  const printoutsDir = makeSessionFolder('printouts')
  // Rows an import refused hold personal data too: kept for "Save rejected rows" until the app closes.
  const rejectsDir = makeSessionFolder('rejects')
  const stopWorkers = async () => {
    await Promise.all([jobs.close(), reads.close()])
    rmSync(printoutsDir, { recursive: true, force: true })
    rmSync(rejectsDir, { recursive: true, force: true })
  }
  let db: Knex | undefined
  let tidy: NodeJS.Timeout | undefined
  let outbox: OutboxSender | undefined
  let sweeps: ReminderSweeps | undefined
  let live: LiveChanges | null = null
  try {
    // A server does its own waiting (the main thread only awaits it) and checks its own storage.
    const inWorker = !onServer && state.kind !== 'new' && state.bytes > (options.prepareInWorkerAbove ?? 8 * 2 ** 20)
    const deferCheck = !onServer && state.kind !== 'new' && state.bytes > (options.checkInBackgroundAbove ?? 64 * 2 ** 20)
    const secrets = options.secrets ?? new MemorySecretStore()
    const passphrase = await secrets.get('backupPassphrase').catch(() => null)
    jobs.setBackupPassphrase(passphrase)
    const backupFirst = options.backupBeforeMigrate ?? true
    const beforeMigrate = backupFirst ? (file: string) => backupBeforeMigration(file, passphrase).then(() => undefined) : undefined
    const prepared = onServer
      ? await prepareServerDatabase(options.dataFile)
      : inWorker
        ? await jobs.prepare(state, deferCheck, backupFirst)
        : await prepareDataFile(options.dataFile, state, { deferCheck, beforeMigrate })
    db = openDatabase(options.dataFile, { writeGate: gate })
    live = onServer ? startLiveChanges(options.dataFile, options.onDeskEvent, isOwnBackendOf(db)) : null
    const clock = options.clock ?? (() => new Date())
    // Acts for the app's own upkeep (emptying the recycle bin on open) when no one is signed in.
    const staff = options.staff ?? BUILT_IN_ADMIN
    const session = new DeskSession(options.staff ?? null)
    const openDb = db
    const context = (): ServiceContext => ({ db: openDb, staff: session.person ?? staff, clock })
    // Customers past their time in the recycle bin are removed for good each time the app opens, in the
    // worker: the desk opens at once, and saves wait for it as for any job.
    // Not a reason to keep the desk closed: the bin is emptied again on the next open or look at it.
    const purgeFailed = (error: unknown) => options.onUnexpectedError?.('recycleBin:purgeOnOpen', error)
    const purge = () =>
      startExpiredPurge(jobs, context(), (status) => {
        if (status.state === 'failed') purgeFailed(new Error(status.error?.message ?? 'Emptying the recycle bin failed'))
      }).then(
        () => undefined,
        (error: unknown) => purgeFailed(error),
      )
    // An import cut off by a crash or a power cut is taken back first, in the worker, as a cancelled one is.
    const rollBackFailed = (error: unknown) => options.onUnexpectedError?.('imports:rollBackOnOpen', error)
    const upkeepOnOpen = async () => {
      try {
        const started = await startInterruptedImportRollBack(jobs, context())
        if (started) {
          void jobs.whenFinished(started.id).then((status) => {
            if (status.state === 'failed') rollBackFailed(new Error(status.error?.message ?? 'Taking back a cut-off import failed'))
          })
        }
      } catch (error) {
        rollBackFailed(error)
      }
      await purge()
    }
    // Waits only for the looks that say whether anything is due, not for the work.
    if (!prepared.checkDeferred) await upkeepOnOpen()
    let lockMinutes: Promise<number> | undefined
    const sender = new OutboxSender({ ...options.mail, db: openDb, secrets, clock, onUnexpectedError: options.onUnexpectedError })
    outbox = sender
    const route = createRouter({
      handlers: createHandlers({
        dataFile: options.dataFile,
        jobs,
        reads,
        printoutsDir,
        rejectsDir,
        dialogs: options.dialogs ?? NO_FILE_DIALOGS,
        viewer: options.viewer ?? NO_SYSTEM_VIEWER,
        session,
        secrets,
        backupDialogs: options.backupDialogs ?? NO_BACKUP_DIALOGS,
        restart: options.restart,
        outbox: sender,
        mailOptions: options.mail,
        databaseChoices: options.databaseChoices,
        switchDatabase: options.switchDatabase,
      }),
      context,
      desk: {
        session,
        lockAfterMinutes: () =>
          (lockMinutes ??= lockAfterMinutes(openDb).catch((error: unknown) => {
            lockMinutes = undefined
            throw error
          })),
      },
      isTrustedSender: options.isTrustedSender,
      onUnexpectedError: options.onUnexpectedError,
    })
    let damaged: DataFileProblem | null = null
    // A damaged file found by the background check is used no further: every call is refused, in words.
    const dispatch: Dispatch = async (channel, input, sender) => {
      if (damaged) return { ok: false, error: { code: 'STORAGE', message: damaged.message } }
      const result = await route(channel, input, sender)
      // The lock time is read once and again only after Settings change: every keystroke's search passes here.
      if (channel === 'settings:update') lockMinutes = undefined
      // A new booking may have queued its confirmation: it goes at once, not at the sender's next look.
      if (result.ok && channel === 'bookings:create') outbox?.wake()
      return result
    }
    let check: Promise<JobStatus> | null = null
    if (prepared.checkDeferred) {
      // Holds the write gate while it runs, as every job does: reads go on, writes wait for it.
      const started = jobs.start(
        'fileCheck',
        { file: options.dataFile },
        {
          staff,
          now: clock(),
          label: 'Checking the customer file',
          cancellable: false,
          note: 'You can look customers up meanwhile; changes are saved once the check is done.',
          // Before the gate opens: a save that waited for the check is refused, never written to a damaged file.
          onFinish: (status) => {
            if (status.state !== 'failed' || status.error?.code !== 'STORAGE') return
            damaged = new DataFileProblem('damaged', options.dataFile, status.error.message)
            gate.refuse(new DomainError('STORAGE', damaged.message))
          },
        },
      )
      check = jobs.whenFinished(started.id).then((status) => {
        if (damaged) options.onFileProblem?.(damaged)
        else if (status.state === 'done') void upkeepOnOpen()
        return status
      })
    }
    tidy = options.tidyEveryMs
      ? setInterval(() => {
          jobs.tidy().catch((error: unknown) => options.onUnexpectedError?.('database:tidy', error))
        }, options.tidyEveryMs)
      : undefined
    tidy?.unref()
    // After the background check of a large file (writes wait for it anyway), never on a file found damaged.
    const reminders = reminderSweeps({
      context,
      everyMs: options.reminderSweepEveryMs ?? 60_000,
      onQueued: () => sender.wake(),
      onError: (error) => options.onUnexpectedError?.('messages:reminders', error),
    })
    sweeps = reminders
    void (check ?? Promise.resolve(null))
      .then((status) => {
        if (status !== null && status.state !== 'done') return
        // Reminders due while the app was closed are written at once, then every minute.
        reminders.start()
        return sender.start()
      })
      .catch((error: unknown) => options.onUnexpectedError?.('messages:send', error))
    let closing: Promise<void> | undefined
    return {
      db,
      dataFile: options.dataFile,
      dispatch,
      context,
      session,
      jobs,
      reads,
      printoutsDir,
      rejectsDir,
      opened: { ...prepared, inWorker },
      check,
      outbox: sender,
      reminders,
      live,
      close: () =>
        (closing ??= (async () => {
          clearInterval(tidy)
          try {
            await live?.close()
            await reminders.stop()
            await sender.close()
            await stopWorkers()
            await closeDatabase(openDb)
          } finally {
            lock.release()
          }
        })()),
    }
  } catch (error) {
    clearInterval(tidy)
    await live?.close().catch(() => {})
    await sweeps?.stop().catch(() => {})
    await outbox?.close().catch(() => {})
    await stopWorkers().catch(() => {})
    if (db) await closeDatabase(db).catch(() => {})
    lock.release()
    throw error
  }
}

/** The server's line for other desks' changes, told on as desk events (bursts of notices as one). */
function startLiveChanges(url: string, onDeskEvent: ((event: DeskEvent) => void) | undefined, isOwnConnection: (pid: number) => boolean): LiveChanges {
  // This desk's own writes are on its screens already: only other desks' (and its workers') are told.
  const live = listenForChanges(url, { isOwnConnection })
  if (!onDeskEvent) return live
  let pending: NodeJS.Timeout | undefined
  live.subscribe(() => {
    pending ??= setTimeout(() => {
      pending = undefined
      onDeskEvent('desk:changed')
    }, DESK_CHANGED_EVERY_MS)
  })
  live.onReachable((reachable) => onDeskEvent(reachable ? 'desk:online' : 'desk:offline'))
  return live
}
