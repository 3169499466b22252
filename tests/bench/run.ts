/**
 * `npm run bench`: builds (or reuses) a database of 1,000,000 synthetic
 * customers and prints the figures the address book is held to, measured in
 * the main-process services, then through the screen in Chromium.
 *
 * Targets at 1M: one keystroke's whole answer (page and tab counts) p95 < 16 ms
 * for every kind of search; every list page p95 < 16 ms at any depth; tab
 * counts < 5 ms; a customer write with its index upkeep p95 < 10 ms; no call
 * or background job holds the main thread 100 ms (tests/bench/stalls.ts);
 * keystroke to rows painted in Chromium p95 < 50 ms (tests/bench/ui.ts).
 * Then the same customers with 5 bookings each on average (tests/bench/bookings.ts).
 * Export of every customer to CSV (< 6 s, < 200 MB) and Excel (< 30 s, < 500 MB), each in its own process (tests/bench/export.ts; --skip-export).
 * Import of 100,000 CSV rows (< 10 s) and 1,000,000 (< 90 s, < 500 MB), then search while a 1,000,000-row import runs (p95 < 50 ms) (tests/bench/import.ts; --skip-import).
 * 1,000 brochure letters as one PDF (< 5 s, < 400 MB) and 10,000 address labels (< 10 s), each in its own process (tests/bench/letters.ts; --skip-letters).
 * Every report for this month, the last 3 months, this year and all time on the 5M-booking copy, p95 < 500 ms (tests/bench/reports.ts; --skip-reports).
 * Likely duplicates: the full scan in the worker (< 60 s) and the check as a record is typed (p95 < 20 ms) (tests/bench/duplicates.ts; --duplicates-only, --skip-duplicates).
 * The data-quality check in the worker (first and again, the main thread's longest stall < 100 ms), a queue page and a save's re-check (tests/bench/quality.ts; --quality-only, --skip-quality).
 * Messages: 10,000 marketing messages queued (< 5 s), the reminder sweep, and delivering 2,000 to a local SMTP server (≥ 100 a second, memory flat) (tests/bench/messages.ts; --messages-only, --skip-messages).
 * Options: --count N (default 1,000,000), --rebuild, --rebuild-bookings,
 * --bookings-only, --skip-bookings, --skip-ui, --skip-stalls, --skip-reports; --bookings-list-only measures
 * the Bookings page alone, on the bookings cache in place (no copy).
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestWorker } from '../helpers/worker'
import { openDatabase, closeDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'
import { seedDemoCustomers } from '../../main/demo/generate'
import { countCustomers, countMatchingExactly, createCustomer, listCustomers, updateCustomer, loadCustomer } from '../../main/services/customers'
import { listCustomersInput, countCustomersInput, customerFilter, customerInput } from '../../preload/contract'
import { firstRow } from '../../db/queries/customerList'
import { measure, printTable, record } from './measure'
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
  if (args.includes('--duplicates-only')) {
    // On a copy of its own, brought up to date there: the cache is not changed.
    await benchDuplicates({ cacheFile, workFile: join(cacheDir, 'duplicates.sqlite3') })
    return
  }
  if (args.includes('--rebuild') || !existsSync(cacheFile)) await buildCache()
  else console.log(`  reusing ${cacheFile}`)
  await bringUpToDate(cacheFile)
  console.log(`  database size: ${(statSync(cacheFile).size / 2 ** 20).toFixed(0)} MiB`)
  if (!args.includes('--bookings-only')) {
    await benchCustomers()
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
      alsoOnWorkCopy: args.includes('--skip-reports') ? undefined : benchReports,
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
  const ctx = core.context()
  const list = (input: Record<string, unknown>) => () => listCustomers(ctx, listCustomersInput.parse(input))
  // One keystroke's whole answer: the first page and every tab's count, from one call.
  const searches = (queries: string[]) => queries.map((search) => list({ search }))

  await measure('keystroke (page + counts), 2 characters (jo, an, ma, el, sa)', 16, searches(['jo', 'an', 'ma', 'el', 'sa']))
  await measure('keystroke, 3 characters (son, mar, ell, ber, ann)', 16, searches(['son', 'mar', 'ell', 'ber', 'ann']))
  await measure('keystroke, 5 characters (smith, mille, ander, schmi, jones)', 16, searches(['smith', 'mille', 'ander', 'schmi', 'jones']))
  await measure('keystroke, accents (muller, zoe, jose, soren, lukasz)', 16, searches(['muller', 'zoe', 'jose', 'soren', 'lukasz']))
  await measure('keystroke, folded letters (łukasz, orsted, strauss, dorde)', 16, searches(['łukasz', 'orsted', 'strauss', 'dorde', "o'b"]))
  await measure('keystroke, two words (anna sch, mar smi)', 16, searches(['anna sch', 'mar smi', 'jo mill']))
  await measure('keystroke, phone digits (7700 900, 900123, 020 7946 12)', 16, searches(['7700 900', '900123', '020 7946 12', '07700 9001', '4420794']))
  await measure('keystroke, customer number (C-000123, C-999999, 123456)', 16, searches(['C-000123', 'C-999999', 'C-42', '123456']))
  await measure('keystroke, email fragment (@example.org, anna.s)', 16, searches(['@example.org', 'anna.s', 'smith12']))
  await measure('keystroke, 1 character (a, z)', 16, searches(['a', 'z']))

  // Deep keyset positions (looked up once, not timed).
  const deep = async (column: string, offset: number) => {
    const row = firstRow<{ value: string; id: number }>(
      await core.db.raw(`SELECT ${column} AS value, id FROM customers WHERE status = 'active' ORDER BY ${column}, id LIMIT 1 OFFSET ?`, [offset]),
    )!
    return Buffer.from(JSON.stringify([row.value, row.id])).toString('base64url')
  }
  const activeCount = (await countCustomers(ctx, countCustomersInput.parse({}))).active
  const deepName = await deep('sort_name', Math.floor(activeCount * 0.9))
  const midEmail = await deep('email_normalized', Math.floor(activeCount * 0.5))
  const regular = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'Regular'`))!.id
  const vip = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'VIP'`))!.id

  await measure('list, first page by name', 16, [list({ sort: 'name' })])
  await measure('list, page at depth 90% by name', 16, [list({ sort: 'name', after: deepName })])
  await measure('list, previous page at depth 90% by name', 16, [list({ sort: 'name', before: deepName })])
  await measure('list, last page by name', 16, [list({ sort: 'name', last: true })])
  await measure('list, page at depth 50% by email', 16, [list({ sort: 'email', after: midEmail })])
  await measure('list, by number / created desc', 16, [list({ sort: 'number', direction: 'desc' }), list({ sort: 'createdAt', direction: 'desc' })])
  await measure('list, tag held by 40% (first + deep page)', 16, [list({ tagIds: [regular] }), list({ tagIds: [regular], after: deepName })])
  await measure('list, rare tag (3%) by name', 16, [list({ tagIds: [vip] })])
  await measure('list, archived and blocked tabs', 16, [list({ tab: 'archived' }), list({ tab: 'blocked' })])
  await measure('list, search + tag filter (son + Regular)', 16, [list({ search: 'son', tagIds: [regular] })])
  // Broad searches stay in the chosen sort at any number of matches: first, next and last pages in several sorts.
  const broad = ['son', 'an', 'a', 'j s', '@example.org', '7700 900']
  const nextPages = await Promise.all(
    broad.map(async (search) => {
      const first = await listCustomers(ctx, listCustomersInput.parse({ search, sort: 'name' }))
      return list({ search, sort: 'name', after: first.nextCursor ?? undefined })
    }),
  )
  await measure('list, broad search sorted by name: next page (son, an, a, j s, @example.org)', 16, nextPages)
  await measure(
    'list, broad search: last page by email, newest first',
    16,
    broad.flatMap((search) => [list({ search, sort: 'email', last: true }), list({ search, sort: 'createdAt', direction: 'desc' })]),
  )
  await measure('keystroke, initials beside a word (anna s, mar j)', 16, searches(['anna s', 'mar j', 'jo s']))
  // "Select all matching" past the list's caps: the exact count, a job off the main thread (n of N progress).
  const countAll = (filter: Record<string, unknown>) => () =>
    countMatchingExactly(ctx, { tab: 'active', filter: customerFilter.parse(filter) })
  await measure('select all: exact count (son, a, @example.org; job)', 2000, [countAll({ search: 'son' }), countAll({ search: 'a' }), countAll({ search: '@example.org' })], 3)
  await measure('select all: exact count (tag held by 40%, everyone; job)', 2000, [countAll({ tagIds: [regular] }), countAll({})], 3)

  await measure('tab counts', 5, [() => countCustomers(ctx, countCustomersInput.parse({}))], 50)
  await measure('tab counts, searching (smith, 7700 900)', 16, [
    () => countCustomers(ctx, countCustomersInput.parse({ search: 'smith' })),
    () => countCustomers(ctx, countCustomersInput.parse({ search: '7700 900' })),
  ])

  let n = 0
  const create = () =>
    createCustomer(
      ctx,
      customerInput.parse({
        firstName: 'Bench',
        lastName: `Person ${++n}`,
        email: `bench.person.${n}.${Date.now()}@example.com`,
        phones: [{ number: `07700 900${String(n % 1000).padStart(3, '0')}` }],
        addresses: [{ line1: `${n} Bench Street`, postcode: 'SW1A 1AA' }],
      }),
    )
  await measure('write: create customer (+ index, log)', 10, [create], 100)
  const target = await loadCustomer(core.db, 500_000 > activeCount ? 1 : 500_000)
  let toggle = 0
  const update = () =>
    updateCustomer(
      ctx,
      target.id,
      customerInput.parse({
        firstName: target.firstName,
        lastName: `${target.lastName}${++toggle % 2 ? '-Smythe' : ''}`,
        email: target.email,
        phones: target.phones.map(({ label, number, isPrimary }) => ({ label, number, isPrimary })),
      }),
    )
  await measure('write: update customer (+ index, log)', 10, [update], 100)

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
