/**
 * The bookings half of `npm run bench`: the customers database with 5
 * bookings per customer on average (5,000,000 at 1M customers), with lines,
 * payments and plans, where one customer has exactly 500 bookings. Built once
 * from the customers cache and kept in .bench-cache/.
 *
 * Targets: profile load with all its tabs' data p95 < 50 ms; the "has
 * outstanding balance" list filter (pages, counts) p95 < 16 ms; opening a
 * booking and making one p95 < 16 ms; a statement of the 500 bookings
 * (data and PDF) p95 < 200 ms.
 */
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { closeDatabase, openDatabase, withRawConnection } from '../../db/connection'
import type { FrontdeskCore } from '../../main/app-core'
import { migrateToLatest } from '../../db/migrations'
import { writeDemoBookings, type DemoBookingCounts } from '../../main/demo/bookings'
import { sqliteBulkOn } from '../../db/bulk'
import { allRows, firstRow } from '../../db/queries/customerList'
import { countCustomers, listCustomers, loadCustomer } from '../../main/services/customers'
import { customerSummary, listNotes } from '../../main/services/organise'
import { createBooking, customerActivity, customerInvoices, getBooking, listCustomerBookings } from '../../main/services/bookings'
import { listPlans } from '../../main/services/plans'
import { statementPdf } from '../../main/services/statements'
import { localDay } from '../../main/services/calendarDay'
import { activityInput, countCustomersInput, createBookingInput, listCustomerBookingsInput, listCustomersInput } from '../../preload/contract'
import { measure, record, skipped } from './measure'
import { bringUpToDate, freshCopy, openWorkCopy, removeDatabase } from './cache'
import { warnIfSchemaDiffers } from './schema'
import { benchBookingsList } from './bookingsList'
import { benchOnPostgres } from './postgres'

const BUSY_BOOKINGS = 500
/** Tables the bulk load fills: their indexes are dropped first and made again after (the same SQL), much faster than upkeep row by row. */
const LOADED_TABLES = ['catalogue_sessions', 'customer_plans', 'bookings', 'booking_lines', 'payments', 'pass_uses', 'booking_list_items']

export interface BookingsBenchOptions {
  customerCache: string
  cacheDir: string
  customers: number
  rebuild: boolean
  /** More measures on the same work copy (the reports), before it is closed. */
  alsoOnWorkCopy?: (core: FrontdeskCore) => Promise<void>
  /** Then the same measures on a copy in PostgreSQL (tests/bench/postgres.ts). */
  postgres?: boolean
}

/** The customer given exactly 500 bookings: the first active one from a tenth of the way in (an old customer, so every session was open to them). */
async function busyCustomerId(db: ReturnType<typeof openDatabase>, customers: number): Promise<number> {
  const row = firstRow<{ id: number }>(
    await db.raw(`SELECT id FROM customers WHERE status = 'active' AND id >= ? ORDER BY id LIMIT 1`, [Math.max(1, Math.floor(customers / 10))]),
  )
  if (!row) throw new Error('No active customer to give 500 bookings to')
  return row.id
}

async function buildBookingsCache(options: BookingsBenchOptions, file: string, total: number): Promise<void> {
  const building = `${file}.building`
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true })
  const started = Date.now()
  copyFileSync(options.customerCache, building)
  const db = openDatabase(building)
  await migrateToLatest(db)
  const busy = await busyCustomerId(db, options.customers)
  let made: DemoBookingCounts | undefined
  await withRawConnection(db, async (conn) => {
    // A rollback journal instead of WAL writes each new page once; no foreign-key probes for rows made consistent by construction.
    conn.pragma('journal_mode = DELETE')
    conn.pragma('foreign_keys = OFF')
    conn.pragma('cache_size = -2000000')
    const indexes = conn
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${LOADED_TABLES.map(() => '?').join(',')})`)
      .all(...LOADED_TABLES) as Array<{ name: string; sql: string }>
    const { bulk, finish } = sqliteBulkOn(conn)
    conn.exec('BEGIN IMMEDIATE')
    {
      for (const index of indexes) conn.exec(`DROP INDEX "${index.name}"`)
      made = await writeDemoBookings(bulk, {
        firstCustomerId: 1,
        lastCustomerId: options.customers,
        now: new Date(),
        seed: 42,
        share: 0.6,
        exactTotal: total,
        fixed: new Map([[busy, BUSY_BOOKINGS]]),
        changeLog: false,
        onProgress: (done) => {
          if (done % 100_000 === 0) process.stdout.write(`\r  building: ${done.toLocaleString('en-GB')} bookings`)
        },
      })
      process.stdout.write('\n  building: indexes')
      for (const index of indexes) conn.exec(index.sql)
      await finish()
    }
    conn.exec('COMMIT')
    conn.pragma('foreign_keys = ON')
    conn.pragma('journal_mode = WAL')
    conn.exec('ANALYZE')
  })
  await closeDatabase(db)
  renameSync(building, file)
  const n = (x: number) => x.toLocaleString('en-GB')
  console.log(
    `\n  built ${n(made!.bookings)} bookings (${n(made!.lines)} lines, ${n(made!.payments)} payments, ${n(made!.sessions)} sessions) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
}

/**
 * The Bookings page's figures alone, read on the cache itself (no working
 * copy: the cache is several gigabytes, and these measures only read).
 */
export async function benchBookingsListInPlace(options: BookingsBenchOptions): Promise<void> {
  const total = options.customers * 5
  const file = join(options.cacheDir, `bookings-${options.customers}-${total}-seed42.sqlite3`)
  if (!existsSync(file)) throw new Error(`No bookings cache at ${file}: run the bookings bench once to build it`)
  console.log(`Bookings page — on ${file} in place`)
  await bringUpToDate(file)
  const { core } = await openWorkCopy(file)
  try {
    await benchBookingsList(core, await busyCustomerId(core.db, options.customers))
  } finally {
    await core.close()
  }
}

export async function benchBookings(options: BookingsBenchOptions): Promise<void> {
  const total = options.customers * 5
  const file = join(options.cacheDir, `bookings-${options.customers}-${total}-seed42.sqlite3`)
  const workFile = join(options.cacheDir, 'work-bookings.sqlite3')
  console.log(`Bookings — ${options.customers.toLocaleString('en-GB')} customers, ${total.toLocaleString('en-GB')} bookings`)
  if (options.rebuild || !existsSync(file)) await buildBookingsCache(options, file, total)
  else console.log(`  reusing ${file}`)
  await bringUpToDate(file)
  console.log(`  database size: ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`)
  freshCopy(file, workFile)
  const { core, ms: openMs, checkMs } = await openWorkCopy(workFile)
  record('open the customer file with 5M bookings (ready to read)', openMs, '')
  record('its quick check, in the background (saves wait for it)', checkMs, '')
  try {
    await warnIfSchemaDiffers(core.db, 'bookings')
    const busy = await measureBookings(core, options.customers)
    await benchBookingsList(core, busy)
    await options.alsoOnWorkCopy?.(core)
  } finally {
    await core.close()
    removeDatabase(workFile)
  }
  if (options.postgres) await benchOnPostgres('bookings', file, (copy) => measureBookings(copy, options.customers))
}

/**
 * The bookings figures on an open core of the database with bookings, the
 * same on either engine: the profile of the customer with 500 bookings and of
 * ordinary ones, their statement, the "has outstanding balance" list, opening
 * and making bookings. Returns the busy customer's id.
 */
export async function measureBookings(core: FrontdeskCore, customers: number): Promise<number> {
  const ctx = core.context()
  const busy = await busyCustomerId(core.db, customers)
  const held = firstRow<{ n: number }>(await core.db.raw('SELECT count(*) AS n FROM bookings WHERE customer_id = ?', [busy]))!.n
  console.log(`  busiest customer C-${busy}: ${held} bookings`)

  const plansReady = await listPlans(ctx, busy).then(
    () => true,
    () => false,
  )
  const profile = async (id: number) =>
    Promise.all([
      loadCustomer(ctx.db, id),
      customerSummary(ctx, id),
      listCustomerBookings(ctx, listCustomerBookingsInput.parse({ customerId: id, filter: 'all' })),
      customerInvoices(ctx, id),
      customerActivity(ctx, activityInput.parse({ customerId: id })),
      plansReady ? listPlans(ctx, id) : null,
      listNotes(ctx, id),
    ])
  await measure(`profile load, all tabs' data (${held} bookings)`, 50, [() => profile(busy)], 30)
  // Ordinary customers: a handful of bookings each.
  const ordinary = [busy + 1, busy + 1000, Math.floor(customers / 2), customers - 10]
  await measure('profile load, all tabs, ordinary customers', 50, ordinary.map((id) => () => profile(id)))
  await measure('profile sidebar: customers:summary (500 bookings)', 16, [() => customerSummary(ctx, busy)], 30)

  // The longest period a statement takes, so every one of the 500 bookings and its payments is a row.
  const period = { customerId: busy, from: localDay(new Date(Date.now() - 3650 * 86_400_000)), to: localDay(new Date()) }
  const made = await statementPdf(ctx, period)
  console.log(`  statement of C-${busy}: ${made.pages} pages, ${(made.bytes.byteLength / 1024).toFixed(0)} KiB`)
  await measure(`statement, ${held} bookings: data + PDF`, 200, [() => statementPdf(ctx, period)], 20)
  await measure(`statements:make through the read worker (${held} bookings, kept as a printout)`, 200, [
    async () => {
      const result = await core.dispatch('statements:make', period, { url: 'app://bench', isTopFrame: true })
      if (!result.ok) throw new Error(result.error.message)
    },
  ], 20)

  const list = (input: Record<string, unknown>) => () => listCustomers(ctx, listCustomersInput.parse({ outstanding: 'yes', ...input }))
  // A keyset position 90% of the way through the owing active customers by name (looked up once, not timed).
  const deepRow = firstRow<{ value: string; id: number }>(
    await core.db.raw(
      `SELECT sort_name AS value, id FROM customers c WHERE status = 'active'
         AND EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.id AND b.outstanding_minor > 0)
       ORDER BY sort_name, id LIMIT 1 OFFSET (SELECT count(DISTINCT customer_id) * 9 / 10 FROM bookings b WHERE b.outstanding_minor > 0)`,
    ),
  )
  const deep = deepRow ? Buffer.from(JSON.stringify([deepRow.value, deepRow.id])).toString('base64url') : undefined
  const regular = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'Regular'`))!.id
  await measure('list, has outstanding balance: first page by name / number', 16, [list({}), list({ sort: 'number', direction: 'desc' })])
  await measure('list, has outstanding balance: deep page (90%) and last page', 16, [list({ after: deep }), list({ last: true })])
  await measure('list, has outstanding balance: archived and blocked tabs', 16, [list({ tab: 'archived' }), list({ tab: 'blocked' })])
  await measure('list, has outstanding balance + search / + tag', 16, [list({ search: 'smith' }), list({ tagIds: [regular] })])
  await measure('tab counts, has outstanding balance (+ tag)', 16, [
    () => countCustomers(ctx, countCustomersInput.parse({ outstanding: 'yes' })),
    () => countCustomers(ctx, countCustomersInput.parse({ outstanding: 'yes', tagIds: [regular] })),
  ])

  const maxBooking = firstRow<{ id: number }>(await core.db.raw('SELECT max(id) AS id FROM bookings'))!.id
  const someBookings = [1, Math.floor(maxBooking / 3), Math.floor(maxBooking / 2), maxBooking - 5]
  await measure('bookings:get (open a booking)', 16, someBookings.map((id) => () => getBooking(ctx, id)))

  // Future class sessions with places left: each booking takes one place on the next of them in turn.
  const sessions = allRows<{ id: number; option: number }>(
    await core.db.raw(
    `SELECT s.id, (SELECT o.id FROM price_options o WHERE o.item_id = s.item_id ORDER BY o.position LIMIT 1) AS option
     FROM catalogue_sessions s JOIN catalogue_items i ON i.id = s.item_id
     WHERE s.starts_at > ? AND i.kind = 'class' AND s.capacity - s.seats_taken >= 2 ORDER BY s.starts_at LIMIT 40`,
    [new Date(Date.now() + 86_400_000).toISOString()],
  ),
  )
  if (sessions.length) {
    let customer = Math.floor(customers / 3)
    let turn = 0
    const book = async () => {
      const next = firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM customers WHERE status = 'active' AND id > ? ORDER BY id LIMIT 1`, [customer]))!
      customer = next.id
      const session = sessions[turn++ % sessions.length]!
      return createBooking(
        ctx,
        createBookingInput.parse({
          customer: { kind: 'existing', id: customer },
          lines: [{ sessionId: session.id, priceOptionId: session.option, quantity: 1 }],
          payment: { amountMinor: 100, method: 'card' },
        }),
      )
    }
    await measure('write: create booking (+ seats, payment, log)', 16, [book], 30)
  } else skipped('write: create booking', 'no session')
  return busy
}
