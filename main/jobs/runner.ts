import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { ApiError, JobKind, JobStatus } from '../../preload/contract'
import { DataFileProblem, type DataFileReason, type DataFileState } from '../../db/dataFile'
import type { PrepareResult } from '../../db/open'
import { MAX_MERGE_SLICES } from '../../db/maintenance'
import type { WriteGate } from '../../db/writeGate'
import type { StaffMember } from '../services/context'
import { INTERNAL_ERROR, NotFound } from '../services/errors'
import { currentServerBackupsHome } from '../services/backups/folder'
import type { JobInput } from './kinds'
import { CANCEL_SLOT, type FromWorker, type ToWorker } from './protocol'

/** How to start the job worker: the bundled script in the app, a test build elsewhere. */
export interface WorkerScript {
  path: string
  options?: Pick<WorkerOptions, 'execArgv' | 'env'>
}

export interface JobRunnerOptions {
  dataFile: string
  worker: WorkerScript
  gate: WriteGate
  onUnexpectedError?: (where: string, error: unknown) => void
}

/** Finished jobs kept for the screens to read their outcome. */
const KEEP_FINISHED = 20

interface Pending {
  resolve: (message: FromWorker) => void
}

/**
 * The main-process side of long work: starts jobs in the worker one at a
 * time (each holds the write gate while it runs), keeps their progress for
 * `jobs:get`, passes Cancel on through shared memory, and runs the open-time
 * checks and idle upkeep there too.
 */
export class JobRunner {
  private worker: Worker | undefined
  private readonly cancelMemory = new SharedArrayBuffer(4)
  private readonly cancelFlag = new Int32Array(this.cancelMemory)
  private readonly jobs = new Map<number, JobStatus>()
  private nextId = 1
  private queue: Promise<void> = Promise.resolve()
  /** The reply the worker owes for the message in flight. */
  private pending: Pending | undefined
  private running: number | undefined
  /** The job holding the write gate, while it does: desk saves wait for it meanwhile. */
  private gateHeldBy: number | undefined
  private closed = false
  private finishWaiters: Array<() => void> = []
  private exchanges: Promise<void> = Promise.resolve()
  private readonly onFinish = new Map<number, (status: JobStatus) => void>()
  private backupPassphrase: string | null = null

  constructor(private readonly options: JobRunnerOptions) {}

  /** Starts a job and answers at once; the work waits its turn behind any job already running. */
  start<K extends JobKind>(
    kind: K,
    input: JobInput<K>,
    who: {
      staff: StaffMember
      now: Date
      label: string
      total?: number
      cancellable?: boolean
      note?: string
      /** Called the moment it ends, before anything waiting for the write gate goes on. */
      onFinish?: (status: JobStatus) => void
      /**
       * When the job holds the write gate: for its whole run (the default),
       * never (it only reads), or from when it asks (it reads for long, then
       * writes), so the desk's saves go on while it reads.
       */
      writes?: 'whole' | 'never' | 'onRequest'
    },
  ): JobStatus {
    if (this.closed) throw new Error('Frontdesk is closing')
    const id = this.nextId++
    const status: JobStatus = {
      id,
      kind,
      label: who.label,
      state: 'queued',
      done: 0,
      total: who.total ?? 0,
      phase: '',
      cancellable: who.cancellable ?? true,
      note: who.note ?? '',
      savesWaiting: 0,
      result: null,
      error: null,
      startedAt: who.now.toISOString(),
      finishedAt: null,
    }
    this.jobs.set(id, status)
    if (who.onFinish) this.onFinish.set(id, who.onFinish)
    this.forgetOldJobs()
    this.queue = this.queue.then(() => this.runJob(status, input, who.staff, who.now, who.writes ?? 'whole'))
    return { ...status }
  }

  /** Resolves with the job's final status once it has finished. */
  whenFinished(id: number): Promise<JobStatus> {
    return new Promise((resolve) => {
      const look = () => {
        const status = this.jobs.get(id)
        if (!status || status.finishedAt) resolve(status ? { ...status } : this.get(id))
        else this.finishWaiters.push(look)
      }
      look()
    })
  }

  get(id: number): JobStatus {
    const status = this.jobs.get(id)
    if (!status) throw new NotFound('This task is no longer known; it finished a while ago.')
    return this.asSeen(status)
  }

  /** The jobs still known (running, queued and recently finished), newest first. */
  list(): JobStatus[] {
    return [...this.jobs.values()].reverse().map((s) => this.asSeen(s))
  }

  /** A job's status as the desk is told it: with the saves waiting for it while it holds the write gate. */
  private asSeen(status: JobStatus): JobStatus {
    return { ...status, savesWaiting: this.gateHeldBy === status.id ? this.options.gate.transactionsWaiting : 0 }
  }

  /** Asks the job to stop: a queued one never starts, a running one rolls back at its next check. */
  cancel(id: number): JobStatus {
    const status = this.jobs.get(id)
    if (!status) throw new NotFound('This task is no longer known; it finished a while ago.')
    if (!status.cancellable) return { ...status }
    if (status.state === 'queued') this.finish(status, 'cancelled', null, cancelledError())
    else if (status.state === 'running' && this.running === id) Atomics.store(this.cancelFlag, CANCEL_SLOT, 1)
    return { ...status }
  }

  /** Whether any job is queued or running. */
  get busy(): boolean {
    return [...this.jobs.values()].some((s) => s.state === 'queued' || s.state === 'running')
  }

  /** Hands the backup passphrase to the worker (now, and when it starts): backups made inside jobs may be encrypted. */
  setBackupPassphrase(passphrase: string | null): void {
    this.backupPassphrase = passphrase
    this.worker?.postMessage({ type: 'backupPassphrase', value: passphrase } satisfies ToWorker)
  }

  /** The open-time checks and migrations, in the worker (a large file takes seconds); with a backup before any migration when asked. */
  async prepare(state: DataFileState, deferCheck: boolean, backupBeforeMigrate = false): Promise<PrepareResult> {
    const reply = await this.exchange({ type: 'prepare', state, deferCheck, backupBeforeMigrate })
    if (reply.type === 'prepared') return reply.result
    if (reply.type === 'prepareFailed') {
      if (reply.reason) throw new DataFileProblem(reply.reason as DataFileReason, this.options.dataFile, reply.detail)
      throw new Error(`${reply.message}${reply.detail ? `\n${reply.detail}` : ''}`)
    }
    throw new Error(`Unexpected reply from the job worker: ${reply.type}`)
  }

  /**
   * Idle-time upkeep: search-index merging in small slices, each holding the
   * write gate for a few milliseconds (longer for a word most customers have:
   * see MERGE_PAGES in db/dialects/sqlite.ts; a save waits for it without
   * holding the main process), then a checkpoint that blocks nobody.
   * Skipped while a job runs. Returns each step's time in the worker (ms).
   */
  async tidy(): Promise<number[]> {
    const times: number[] = []
    if (this.busy || this.closed) return times
    for (let i = 0; i < MAX_MERGE_SLICES && !this.busy; i++) {
      const release = await this.options.gate.enterJob()
      let reply: FromWorker
      try {
        reply = await this.exchange({ type: 'tidy', step: 'merge' })
      } finally {
        release()
      }
      if (reply.type !== 'tidied') throw new Error(reply.type === 'tidyFailed' ? reply.message : `Unexpected reply ${reply.type}`)
      times.push(reply.ms)
      if (!reply.more) break
    }
    const reply = await this.exchange({ type: 'tidy', step: 'checkpoint' })
    if (reply.type === 'tidied') times.push(reply.ms)
    return times
  }

  /** Stops any running job (it rolls back), closes the worker's connection and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const status of this.jobs.values()) if (status.state === 'queued') this.finish(status, 'cancelled', null, cancelledError())
    Atomics.store(this.cancelFlag, CANCEL_SLOT, 1)
    await this.queue.catch(() => {})
    if (!this.worker) return
    try {
      await this.exchange({ type: 'close' })
    } finally {
      await this.worker.terminate()
      this.worker = undefined
    }
  }

  private async runJob(status: JobStatus, input: unknown, staff: StaffMember, now: Date, writes: 'whole' | 'never' | 'onRequest'): Promise<void> {
    if (status.state !== 'queued') return
    let release = writes === 'whole' ? await this.options.gate.enterJob() : () => {}
    if (writes === 'whole') this.gateHeldBy = status.id
    try {
      if (status.state !== 'queued') return
      status.state = 'running'
      this.running = status.id
      Atomics.store(this.cancelFlag, CANCEL_SLOT, 0)
      const reply = await this.exchange(
        { type: 'run', id: status.id, kind: status.kind, input, staff, now: now.toISOString() },
        (message) => {
          if (message.type === 'progress' && message.id === status.id) {
            status.done = message.done
            status.total = message.total
            status.phase = message.phase
          }
          if (message.type === 'wantGate' && message.id === status.id && writes === 'onRequest') {
            void this.options.gate.enterJob().then((releaseGate) => {
              release = releaseGate
              this.gateHeldBy = status.id
              this.worker?.postMessage({ type: 'gateHeld', id: status.id } satisfies ToWorker)
            })
          }
          if (message.type === 'passGate' && message.id === status.id) {
            void this.options.gate.passTurn().then(() => this.worker?.postMessage({ type: 'gateHeld', id: status.id } satisfies ToWorker))
          }
        },
      )
      if (reply.type === 'finished') this.finish(status, 'done', reply.result as JobStatus['result'], null)
      else if (reply.type === 'failed') {
        if (reply.unexpected) this.options.onUnexpectedError?.(`job:${status.kind}`, new Error(reply.unexpected))
        this.finish(status, reply.error.code === 'CANCELLED' ? 'cancelled' : 'failed', null, reply.error)
      }
    } catch (error) {
      this.options.onUnexpectedError?.(`job:${status.kind}`, error)
      this.finish(status, 'failed', null, INTERNAL_ERROR)
    } finally {
      this.running = undefined
      this.gateHeldBy = undefined
      release()
    }
  }

  private finish(status: JobStatus, state: JobStatus['state'], result: JobStatus['result'], error: ApiError | null): void {
    status.state = state
    status.result = result
    status.error = error
    status.cancellable = false
    status.finishedAt = new Date().toISOString()
    if (state === 'done') status.done = status.total
    const hook = this.onFinish.get(status.id)
    this.onFinish.delete(status.id)
    hook?.({ ...status })
    for (const wake of this.finishWaiters.splice(0)) wake()
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((s) => s.finishedAt !== null)
    for (const status of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(status.id)
  }

  /**
   * Sends one message and waits for the worker's final reply to it, passing
   * progress on meanwhile. Exchanges take turns: a job and a slice of upkeep
   * may ask at the same moment, and the worker answers one at a time.
   */
  private exchange(message: ToWorker, onProgress?: (message: FromWorker) => void): Promise<FromWorker> {
    const turn = this.exchanges.then(() => this.exchangeNow(message, onProgress))
    this.exchanges = turn.then(
      () => undefined,
      () => undefined,
    )
    return turn
  }

  private exchangeNow(message: ToWorker, onProgress?: (message: FromWorker) => void): Promise<FromWorker> {
    const worker = this.startWorker()
    // Work in flight keeps the process alive; an idle worker does not.
    worker.ref()
    return new Promise<FromWorker>((resolve) => {
      this.pending = {
        resolve: (reply) => {
          if (reply.type === 'progress' || reply.type === 'wantGate' || reply.type === 'passGate') {
            onProgress?.(reply)
            return
          }
          this.pending = undefined
          worker.unref()
          resolve(reply)
        },
      }
      worker.postMessage(message)
    })
  }

  private startWorker(): Worker {
    if (this.worker) return this.worker
    const { path, options } = this.options.worker
    const worker = new Worker(path, { ...options, workerData: { dataFile: this.options.dataFile, cancel: this.cancelMemory, backupPassphrase: this.backupPassphrase, serverBackupsHome: currentServerBackupsHome() } })
    worker.on('message', (message: FromWorker) => this.pending?.resolve(message))
    const lost = (error: unknown) => {
      if (this.worker !== worker) return
      this.worker = undefined
      this.options.onUnexpectedError?.('job worker', error)
      const pending = this.pending
      this.pending = undefined
      const message = 'The background task stopped unexpectedly; nothing was changed. Please try again.'
      pending?.resolve({ type: 'failed', id: this.running ?? 0, error: { code: 'INTERNAL', message }, unexpected: String(error) })
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`The job worker exited with code ${code}`)))
    this.worker = worker
    return worker
  }
}

function cancelledError(): ApiError {
  return { code: 'CANCELLED', message: 'Cancelled: nothing was changed.' }
}
