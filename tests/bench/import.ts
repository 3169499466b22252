import { spawnSync } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { ImportSummary, JobStatus } from '../../preload/contract'
import { listCustomers, updateCustomer, loadCustomer } from '../../main/services/customers'
import { listCustomersInput, customerInput } from '../../preload/contract'
import { bundleChildScript } from './childScript'
import { buildJobThreads } from '../helpers/worker'
import { customerInputOf } from '../helpers/customerInput'
import { record, recordSamples, skipped, time } from './measure'
import { freshCopy, openWorkCopy, removeDatabase } from './cache'

/*
 * Import at scale: 100,000 and 1,000,000 CSV rows into a new customer file,
 * each in a process of its own for its peak memory (tests/bench/import-child.ts,
 * bundled as the app's job worker is; targets: 100k < 10 s;
 * 1M < 90 s and < 500 MB); then the desk while a 10,000-row and a 1,000,000-row
 * import into the million-customer book run in the job worker beside it: search
 * p95 < 50 ms, and how long a save waits.
 */

const root = join(__dirname, '..', '..')

/** A realistic customer CSV: names, emails, UK mobiles, towns, postcodes, tags. */
function customerCsv(file: string, rows: number): void {
  if (existsSync(file)) return
  const towns = ['Leeds', 'York', 'Bath', 'Ely', 'Derby', 'Hull', 'Wells', 'Truro']
  const lines = ['First name,Last name,Email,Mobile,City,Postcode,Tags']
  for (let i = 0; i < rows; i++) {
    const mobile = `07700 9${String(10000 + (i % 9999)).slice(1)}`
    lines.push(`Imported${i},Person${i % 977},imported.person${i}@example.net,${mobile},${towns[i % towns.length]},LS${i % 30} 4AB,${i % 3 ? 'Imported' : 'Imported; Yoga'}`)
  }
  writeFileSync(file, lines.join('\n'))
}

function importInChild(childScript: string, csv: string, rows: number, targetMs: number, targetMb?: number): void {
  const database = join(tmpdir(), `frontdesk-bench-import-${process.pid}.sqlite3`)
  removeDatabase(database)
  const run = spawnSync(process.execPath, [childScript, database, csv], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })
  removeDatabase(database)
  rmSync(`${database}.lock`, { force: true })
  const label = `import ${rows.toLocaleString('en-GB')} CSV rows into a new file`
  if (run.status !== 0) return skipped(label, `failed: ${run.stderr.slice(0, 200)}`)
  const { ms, peakRssMb, phases, cpu, summary } = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
    ms: number
    peakRssMb: number
    phases: Record<string, number>
    cpu: Record<string, number>
    summary: ImportSummary
  }
  if (summary.created !== rows) return skipped(label, `created ${summary.created} of ${rows}`)
  record(label, ms, `${Math.round((rows / ms) * 1000).toLocaleString('en-GB')} rows/s, peak ${peakRssMb.toFixed(0)} MB`, targetMs)
  // Where the time went, step by step as the progress bar names them, with the processor time of all the
  // import's threads in each (above the step's own time, it kept more than one core busy).
  console.log(`  ${label}: ${Object.entries(phases).map(([name, s]) => `${name.toLowerCase()} ${s.toFixed(1)} s (cpu ${(cpu[name] ?? 0).toFixed(1)} s)`).join(', ')}`)
  if (targetMb) record(`  its peak memory (MB, not ms)`, peakRssMb, '', targetMb)
}

export async function benchImport(options: { cacheFile: string; workFile: string; cacheDir: string }): Promise<void> {
  const small = join(options.cacheDir, 'import-100000.csv')
  const large = join(options.cacheDir, 'import-1000000.csv')
  customerCsv(small, 100_000)
  customerCsv(large, 1_000_000)
  const childScript = bundleChildScript('import-child')
  buildJobThreads(dirname(childScript))
  importInChild(childScript, small, 100_000, 10_000)
  importInChild(childScript, large, 1_000_000, 90_000, 500)

  const medium = join(options.cacheDir, 'import-10000.csv')
  customerCsv(medium, 10_000)
  await deskBesideImport(options, medium, 10_000)
  await deskBesideImport(options, large, 1_000_000)
}

/**
 * The desk beside an import into the million-customer book, in the job worker as the app runs it: searches
 * all along (p95 < 50 ms), and a save every fiftieth search, which waits at most for the end of the import's turn
 * under way (the backup of the whole book made before it is copied and checked while the desk saves).
 */
async function deskBesideImport(options: { cacheFile: string; workFile: string }, file: string, rows: number): Promise<void> {
  const what = `a ${rows.toLocaleString('en-GB')}-row import`
  freshCopy(options.cacheFile, options.workFile)
  const { core } = await openWorkCopy(options.workFile)
  try {
    const ctx = core.context()
    const rejectsFile = join(tmpdir(), `bench-rejects-${process.pid}.csv`)
    const started = core.jobs.start(
      'import',
      { file, sheet: null, mapping: null, match: 'fill', rejectsFile },
      { staff: ctx.staff, now: new Date(), label: 'Benchmark import', writes: 'onRequest' },
    )
    const searches = ['jo', 'smith', 'muller', '7700 900', 'anna s', 'C-000123', '@example.org']
    const samples: number[] = []
    const saveWaits: number[] = []
    const someone = await loadCustomer(core.db, 123)
    let status: JobStatus = core.jobs.get(started.id)
    let i = 0
    while (status.state === 'queued' || status.state === 'running') {
      const search = searches[i++ % searches.length]!
      samples.push((await time(() => listCustomers(ctx, listCustomersInput.parse({ search }))))[0])
      if (i % 50 === 0) {
        // A receptionist's save while the import runs: while it writes, the save goes in between two of its turns.
        const edit = customerInput.parse(customerInputOf(someone, { firstName: `${someone.firstName}${i}` }))
        saveWaits.push((await time(() => updateCustomer(ctx, someone.id, edit)))[0])
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
      status = core.jobs.get(started.id)
    }
    rmSync(rejectsFile, { force: true })
    if (status.state !== 'done') return skipped(`search while ${what} runs`, `the import ${status.state}: ${status.error?.message}`)
    const seconds = (Date.parse(status.finishedAt!) - Date.parse(status.startedAt)) / 1000
    recordSamples(`search while ${what} runs (${samples.length} searches over ${seconds.toFixed(0)} s)`, samples, 50)
    const sorted = [...saveWaits].sort((a, b) => a - b)
    record(
      'a save while that import runs (slowest: it waits for the end of the import’s turn under way)',
      sorted[sorted.length - 1] ?? NaN,
      `${saveWaits.length} saves, median ${(sorted[Math.floor(sorted.length / 2)] ?? NaN).toFixed(1)} ms`,
    )
  } finally {
    await core.close()
  }
}
