import { parentPort, workerData } from 'node:worker_threads'
import type { Knex } from 'knex'
import { closeDatabase, openDatabase } from '../../db/connection'
import { DataFileProblem } from '../../db/dataFile'
import { checkpointDatabase, mergeSearchSlice } from '../../db/maintenance'
import { prepareDataFile } from '../../db/open'
import { apiErrorOf } from '../services/errors'
import { Cancelled, type Progress } from '../services/progress'
import { jobKinds } from './kinds'
import { backupBeforeMigration, useBackupPassphrase, useServerBackupsHome } from '../services/backups'
import { CANCEL_SLOT, type FromWorker, type ToWorker } from './protocol'

/*
 * The job worker: a thread of the main process with its own connection to
 * the customer file. Long work runs here so the main thread keeps answering
 * the window; jobs run one at a time, each in one transaction.
 */

interface WorkerData {
  dataFile: string
  cancel: SharedArrayBuffer
  backupPassphrase: string | null
  /** Where a server desk's backups go by default: the main process's setting. */
  serverBackupsHome: string
}

const port = parentPort
if (!port) throw new Error('The job worker must run as a worker thread')
const { dataFile, cancel } = workerData as WorkerData
let backupPassphrase = (workerData as WorkerData).backupPassphrase ?? null
useBackupPassphrase(backupPassphrase)
useServerBackupsHome((workerData as WorkerData).serverBackupsHome)
const cancelFlag = new Int32Array(cancel)
let db: Knex | undefined

const send = (message: FromWorker) => port.postMessage(message)
const connection = () => (db ??= openDatabase(dataFile))

/** The running job's wait for the write gate, answered by main's `gateHeld`. */
let gateWaiter: { id: number; resolve: () => void } | undefined

/** Progress at most every 100 ms: enough for a smooth bar without flooding the main thread. */
function progressFor(id: number): Progress {
  let last = 0
  return {
    waitForWriteTurn() {
      return new Promise<void>((resolve) => {
        gateWaiter = { id, resolve }
        send({ type: 'wantGate', id })
      })
    },
    passWriteTurn() {
      return new Promise<void>((resolve) => {
        gateWaiter = { id, resolve }
        send({ type: 'passGate', id })
      })
    },
    report(done, total, phase = '') {
      const now = performance.now()
      if (now - last < 100 && done < total) return
      last = now
      send({ type: 'progress', id, done, total, phase })
    },
    checkCancelled() {
      if (Atomics.load(cancelFlag, CANCEL_SLOT) === 1) throw new Cancelled()
    },
  }
}

// The runner clears the cancel flag before it sends a job: clearing it here would lose a Cancel pressed meanwhile.
async function run(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const now = new Date(message.now)
  const ctx = { db: connection(), staff: message.staff, clock: () => now }
  try {
    const work = jobKinds[message.kind] as (ctx: unknown, input: unknown, progress: Progress) => Promise<unknown>
    const result = await work(ctx, message.input, progressFor(message.id))
    send({ type: 'finished', id: message.id, result })
  } catch (thrown) {
    const { error, expected } = apiErrorOf(thrown)
    send({
      type: 'failed',
      id: message.id,
      error,
      ...(expected ? {} : { unexpected: thrown instanceof Error ? `${thrown.name}: ${thrown.message}\n${thrown.stack ?? ''}` : String(thrown) }),
    })
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'prepare':
      try {
        const beforeMigrate = message.backupBeforeMigrate ? (file: string) => backupBeforeMigration(file, backupPassphrase).then(() => {}) : undefined
        send({ type: 'prepared', result: await prepareDataFile(dataFile, message.state, { deferCheck: message.deferCheck, beforeMigrate }) })
      } catch (error) {
        const problem = error instanceof DataFileProblem ? error : null
        send({
          type: 'prepareFailed',
          reason: problem?.reason ?? null,
          message: error instanceof Error ? error.message : String(error),
          detail: problem?.detail ?? (error instanceof Error ? error.stack : undefined),
        })
      }
      return
    case 'run':
      return run(message)
    case 'tidy':
      try {
        const started = performance.now()
        const more = message.step === 'merge' ? await mergeSearchSlice(connection()) : (await checkpointDatabase(connection()), false)
        send({ type: 'tidied', ms: performance.now() - started, more })
      } catch (error) {
        send({ type: 'tidyFailed', message: error instanceof Error ? error.message : String(error) })
      }
      return
    case 'gateHeld':
    case 'backupPassphrase':
      return
    case 'close':
      if (db) await closeDatabase(db)
      db = undefined
      send({ type: 'closed' })
      return
  }
}

// One message at a time, in order: the runner never sends a second job before the first has finished.
let queue = Promise.resolve()
port.on('message', (message: ToWorker) => {
  // Answered at once: the job waiting for it is the message in the queue now.
  if (message.type === 'backupPassphrase') {
    backupPassphrase = message.value
    useBackupPassphrase(message.value)
    return
  }
  if (message.type === 'gateHeld') {
    if (gateWaiter?.id === message.id) gateWaiter.resolve()
    gateWaiter = undefined
    return
  }
  queue = queue.then(() => handle(message))
})
