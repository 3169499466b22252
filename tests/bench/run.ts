/**
 * `npm run bench`: builds (or reuses) a database of 1,000,000 synthetic
 * customers and prints the figures the address book is held to, measured in
 * the main-process services, then through the screen in Chromium.
 *
 * Targets at 1M: one keystroke's whole answer (page and tab counts) p95 < 16 ms
 * for every kind of search; every list page p95 < 16 ms at any depth; tab
 * counts < 5 ms; a customer write with its index upkeep p95 < 10 ms; no call
 * or background job holds the main thread 100 ms (tests/bench/stalls.ts);
 * keystroke to rows painted in Chromium p95 < 50 ms (tests/bench/ui.ts; --ui-only, --skip-ui).
 * Then the same customers with 5 bookings each on average (tests/bench/bookings.ts).
 * Export of every customer to CSV (< 6 s, < 200 MB) and Excel (< 30 s, < 500 MB), each in its own process (tests/bench/export.ts; --export-only, --skip-export).
 * Import of 100,000 CSV rows (< 10 s) and 1,000,000 (< 90 s, < 500 MB), then search (p95 < 50 ms) and a save while a 10,000-row and a 1,000,000-row import run (tests/bench/import.ts; --import-only, --skip-import).
 * 1,000 brochure letters as one PDF (< 5 s, < 400 MB) and 10,000 address labels (< 10 s), each in its own process (tests/bench/letters.ts; --skip-letters).
 * Every report for this month, the last 3 months, this year and all time on the 5M-booking copy, p95 < 500 ms (tests/bench/reports.ts; --skip-reports).
 * Likely duplicates: the full scan in the worker (< 60 s) and the check as a record is typed (p95 < 20 ms) (tests/bench/duplicates.ts; --duplicates-only, --skip-duplicates).
 * The data-quality check in the worker (first and again, the main thread's longest stall < 100 ms), a queue page and a save's re-check (tests/bench/quality.ts; --quality-only, --skip-quality).
 * Messages: 10,000 marketing messages queued (< 5 s), the reminder sweep, and delivering 2,000 to a local SMTP server (≥ 100 a second, memory flat) (tests/bench/messages.ts; --messages-only, --skip-messages).
 * --postgres: the address book's and the bookings' measures on SQLite, then the same on PostgreSQL, side by side (tests/bench/postgres.ts; `npm run bench:postgres`).
 * Options: --count N (default 1,000,000), --rebuild, --rebuild-bookings,
 * --bookings-only, --skip-bookings, --skip-ui, --skip-stalls, --skip-reports; --bookings-list-only measures
 * the Bookings page alone, on the bookings cache in place (no copy).
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestWorker } from '../helpers/worker'
import { openDatabase, closeDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'
import { dialectOf } from '../../db/dialects'
import { seedDemoCustomers } from '../../main/demo/generate'
import { printTable, record } from './measure'
import { measureAddressBook } from './addressBook'
import { benchOnPostgres } from './postgres'
import { bringUpToDate, freshCopy, openWorkCopy, removeDatabase } from './cache'
import { benchStalls } from './stalls'
import { benchKeystrokesOnScreen } from './ui'
import { benchBookings, benchBookingsListInPlace } from './bookings'
import { benchExport } from './export'
import { benchImport } from './import'
import { benchLetters } from './letters'
import { benchReports } from './reports'
import { warnIfSchemaDiffers } from './schema'
import { benchDuplicates } from './duplicates'
import { benchQuality } from './quality'
import { benchMessages } from './messages'

const args = process.argv.slice(2)
const count = Number(args[args.indexOf('--count') + 1] ?? 0) || 1_000_000
const cacheDir = join(process.cwd(), '.bench-cache')
// Newer migrations are applied to the working copy on open, so the cache survives schema changes.
const cacheFile = join(cacheDir, `customers-${count}-seed42.sqlite3`)
const workFile = join(cacheDir, 'work.sqlite3')

async function buildCache(): Promise<void> {
  mkdirSync(cacheDir, { recursive: true })
  rmSync(cacheFile, { force: true })
  const db = openDatabase(cacheFile)
  const started = Date.now()
  await migrateToLatest(db)
  await seedDemoCustomers(db, {
    count,
    seed: 42,
    // The bookings database below is derived from this one; this one holds customers only.
    bookings: false,
    onProgress: (done, total, phase) => {
      if (done % 10_000 === 0) process.stdout.write(`\r  building: ${phase} ${done.toLocaleString('en-GB')}        `)
    },
  })
  // Measured as a desk has it once its idle upkeep has merged the search indexes that sample data leaves
  // in many segments (a search then reads one, where it read some thirty: 2–5 ms more a keystroke).
  await dialectOf(db).rewriteSearchIndex(db)
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
  await db.raw('ANALYZE')
  await closeDatabase(db)
  console.log(`\n  built ${count.toLocaleString('en-GB')} customers in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

async function main(): Promise<void> {
  console.log(`Frontdesk benchmark — ${count.toLocaleString('en-GB')} customers`)
  buildTestWorker()
  if (args.includes('--bookings-list-only')) {
    await benchBookingsListInPlace({ customerCache: cacheFile, cacheDir, customers: count, rebuild: false })
    return
  }
  if (args.includes('--quality-only')) {
    // On a copy of its own, brought up to date there: the cache is not changed.
    await benchQuality({ cacheFile, workFile: join(cacheDir, 'quality.sqlite3') })
    return
  }
  if (args.includes('--messages-only')) {
    // Fresh files of their own: the cache is not needed.
    await benchMessages()
    return
  }
  if (args.includes('--export-only')) {
    // Read-only on the cache itself, each export in its own process.
    await benchExport({ cacheFile, count })
    return
  }
  if (args.includes('--import-only')) {
    // Into new files, then beside the desk on a copy of its own: the cache is not changed.
    const importWork = join(cacheDir, 'import.sqlite3')
    await benchImport({ cacheFile, workFile: importWork, cacheDir })
    removeDatabase(importWork)
    return
  }
  if (args.includes('--duplicates-only')) {
    // On a copy of its own, brought up to date there: the cache is not changed.
    await benchDuplicates({ cacheFile, workFile: join(cacheDir, 'duplicates.sqlite3') })
    return
  }
  if (args.includes('--rebuild') || !existsSync(cacheFile)) await buildCache()
  else console.log(`  reusing ${cacheFile}`)
  await bringUpToDate(cacheFile)
  console.log(`  database size: ${(statSync(cacheFile).size / 2 ** 20).toFixed(0)} MiB`)
  if (args.includes('--ui-only')) {
    // On a fresh copy of its own: the cache is not changed.
    await benchKeystrokesOnScreen({ cacheFile, workFile })
    return
  }
  // --postgres: the address book's and the bookings' measures on SQLite, then the same on PostgreSQL; nothing else.
  const postgres = args.includes('--postgres')
  if (!args.includes('--bookings-only')) {
    await benchCustomers()
    if (postgres) await benchOnPostgres('customers', cacheFile, measureAddressBook)
  }
  if (!args.includes('--bookings-only') && !postgres) {
    if (!args.includes('--skip-stalls')) await benchStalls({ cacheFile, workFile })
    if (!args.includes('--skip-ui')) await benchKeystrokesOnScreen({ cacheFile, workFile })
    if (!args.includes('--skip-export')) await benchExport({ cacheFile, count })
    if (!args.includes('--skip-import')) await benchImport({ cacheFile, workFile, cacheDir })
    if (!args.includes('--skip-letters')) await benchLetters()
    if (!args.includes('--skip-duplicates')) await benchDuplicates({ cacheFile, workFile })
    if (!args.includes('--skip-quality')) await benchQuality({ cacheFile, workFile })
    if (!args.includes('--skip-messages')) await benchMessages()
  }
  if (!args.includes('--skip-bookings')) {
    await benchBookings({
      customerCache: cacheFile,
      cacheDir,
      customers: count,
      rebuild: args.includes('--rebuild') || args.includes('--rebuild-bookings'),
      alsoOnWorkCopy: args.includes('--skip-reports') || postgres ? undefined : benchReports,
      postgres,
    })
  }
}

/** The address book's figures on the customers-only database. */
async function benchCustomers(): Promise<void> {
  freshCopy(cacheFile, workFile)
  const { core, ms: openMs, checkMs } = await openWorkCopy(workFile)
  record('open the customer file (identity, lock; ready to read)', openMs, '')
  record('its quick check, in the background (saves wait for it)', checkMs, '')
  await warnIfSchemaDiffers(core.db, 'customers')
  await measureAddressBook(core)
  await core.close()
  removeDatabase(workFile)
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  // Whatever was measured is printed, even when a later part failed.
  .finally(printTable)
