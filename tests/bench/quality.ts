import { copyFileSync } from 'node:fs'
import type { JobStatus, QualityScanResult } from '../../preload/contract'
import { qualityCounts, qualityPage, recheckCustomers } from '../../main/services/quality'
import { measure, record } from './measure'
import { openWorkCopy, removeDatabase } from './cache'

/**
 * The data-quality queue at a million customers, on a copy of the cache of
 * its own: the full check in the job worker, first on a book never checked
 * (every row written) and again (only what changed), while the main thread
 * is watched for stalls (< 100 ms); then what the desk waits for on main: a
 * page of a category at any depth, the check one save adds, and the counts
 * (read in the read worker; measured here on a plain connection to show why).
 */
export async function benchQuality({ cacheFile, workFile }: { cacheFile: string; workFile: string }): Promise<void> {
  removeDatabase(workFile)
  copyFileSync(cacheFile, workFile)
  const { core } = await openWorkCopy(workFile)
  try {
    const ctx = core.context()
    for (const pass of ['first, every row written', 'again, only changes written']) {
      let worst = 0
      let last = performance.now()
      const watch = setInterval(() => {
        const now = performance.now()
        worst = Math.max(worst, now - last - 10)
        last = now
      }, 10)
      const started = performance.now()
      let status = core.jobs.start('qualityScan', {}, { staff: ctx.staff, now: new Date(), label: 'Checking data quality', writes: 'onRequest' })
      status = await core.jobs.whenFinished(status.id)
      const ms = performance.now() - started
      clearInterval(watch)
      if (status.state !== 'done') throw new Error(`The data-quality check did not finish: ${status.error?.message ?? status.state}`)
      const result = (status as JobStatus & { result: QualityScanResult }).result
      const found = Object.entries(result.counts)
        .map(([category, n]) => `${category} ${n.toLocaleString('en-GB')}`)
        .join(', ')
      console.log(`  data-quality check (${pass}): ${result.customers.toLocaleString('en-GB')} customers, ${found}`)
      record(`data-quality check, whole file in the worker (${pass})`, ms, '')
      record(`  main thread's longest stall meanwhile (${pass})`, worst, '', 100)
    }

    const deep = (await ctx.db('quality_issues').where({ category: 'missingEmail' }).orderBy('customer_id', 'desc').offset(50).first('customer_id')) as {
      customer_id: number
    }
    await measure('data-quality page of 50 (first, and the last)', 16, [
      () => qualityPage(ctx, { category: 'missingEmail', pageSize: 50 }),
      () => qualityPage(ctx, { category: 'invalidPhone', pageSize: 50 }),
      () => qualityPage(ctx, { category: 'missingEmail', after: deep.customer_id, pageSize: 50 }),
    ])
    const ids = (await ctx.db('customers').whereRaw('id % 9973 = 0').pluck('id')) as number[]
    await measure(
      'data-quality re-check of one customer (added to each save)',
      10,
      ids.map((id) => () => ctx.db.transaction((trx) => recheckCustomers(trx, [id], new Date()))),
    )
    const t = performance.now()
    const counts = await qualityCounts(ctx)
    record(`data-quality counts (${counts.total.toLocaleString('en-GB')} rows; in the read worker, never on main)`, performance.now() - t, 'read worker')
  } finally {
    await core.close()
    removeDatabase(workFile)
  }
}
