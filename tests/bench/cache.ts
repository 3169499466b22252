import { copyFileSync, rmSync } from 'node:fs'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { testWorker } from '../helpers/worker'

/**
 * Brings a cached database up to this version once (adopts it as a Frontdesk
 * file, runs new migrations), so each run's working copy opens without
 * repeating that work, and says what it took.
 */
export async function bringUpToDate(cacheFile: string): Promise<void> {
  const started = performance.now()
  const core = await openFrontdesk({ dataFile: cacheFile, isTrustedSender: () => true, worker: testWorker, prepareInWorkerAbove: 0 })
  await core.close()
  if (core.opened.applied.length) {
    console.log(`  brought the cache up to date (${core.opened.applied.join(', ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
}

/** A fresh copy of the cache to work on: writes never grow the cache run after run. */
export function freshCopy(cacheFile: string, workFile: string): void {
  removeDatabase(workFile)
  copyFileSync(cacheFile, workFile)
}

export function removeDatabase(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.lock`]) rmSync(f, { force: true })
}

/**
 * Opens a working copy as the app does (a large file opens before its quick
 * check, which then runs in the worker with writes held) and waits for the
 * check, so measures start on a checked file. Reports what each cost.
 */
export async function openWorkCopy(workFile: string): Promise<{ core: FrontdeskCore; ms: number; checkMs: number }> {
  const started = performance.now()
  const core = await openFrontdesk({ dataFile: workFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN })
  const ms = performance.now() - started
  const check = core.check ? await core.check : null
  if (check && check.state !== 'done') throw new Error(`The benchmark file did not pass its check: ${check.error?.message}`)
  const checkMs = check?.finishedAt ? Date.parse(check.finishedAt) - Date.parse(check.startedAt) : core.opened.checkMs
  return { core, ms, checkMs }
}
