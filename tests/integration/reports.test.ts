import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import { seededRandom } from '../../main/demo/bookings'
import { dialectOf } from '../../db/dialects'
import { allRows } from '../../db/queries/customerList'
import { onPostgres } from '../helpers/testDatabase'
import { migrations } from '../../db/migrations'
import type { ImportSummary, ReportInput, ReportKind, ReportResult } from '../../preload/contract'
import { NO_FILE_DIALOGS } from '../../main/fileDialogs'
import { printoutPaths } from '../../main/pdf/printouts'
import { parsePdf } from '../helpers/pdf'

/*
 * The reports read running totals kept by triggers. Here a desk's worth of
 * work goes through the real services in random order (customers, tags,
 * groups, consent, bookings, payments, refunds, cancellations, transfers,
 * the recycle bin and purges), then: the totals equal a recomputation from
 * scratch, and every report's figures equal figures worked out here from the
 * tables themselves.
 */

let now = new Date('2026-01-03T10:00:00Z')
let app: TestCore
let cat: TestCatalogue
const DAY = 86_400_000

const localDay = (iso: string) => {
  const d = new Date(iso)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
const inRange = (day: string, input: Pick<ReportInput, 'from' | 'to'>) => (!input.from || day >= input.from) && (!input.to || day <= input.to)
const run = (report: ReportKind, from: string | null, to: string | null) => app.invoke('reports:run', { report, from, to })

/** Every non-zero running total, as rows of text, sorted. */
async function totalsSnapshot(): Promise<string[]> {
  const rows = [
    ...allRows<object>(await app.db.raw(`SELECT 'T' AS t, measure, day, key, n, amount FROM report_totals WHERE n <> 0 OR amount <> 0`)),
    ...allRows<object>(await app.db.raw(`SELECT 'M' AS t, month, customer_id, paid FROM report_customer_months WHERE paid <> 0`)),
    ...allRows<object>(await app.db.raw(`SELECT 'C' AS t, customer_id, paid, owed FROM report_customers WHERE paid <> 0 OR owed <> 0`)),
  ]
  return rows.map((r) => JSON.stringify(Object.values(r))).sort()
}

/** A random desk: ~120 operations over four months. */
async function simulateDesk(seed: number): Promise<void> {
  const random = seededRandom(seed)
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const customers: number[] = []
  const groups = [
    (await app.invoke('groups:create', { name: 'Members' })).id,
    (await app.invoke('groups:create', { name: 'Staff friends' })).id,
  ]
  const roomy = async (itemId: number) =>
    (await app.invoke('catalogue:saveSession', { itemId, startsAt: '2026-07-01T09:00:00.000Z', endsAt: '2026-07-01T10:00:00.000Z', capacity: 1000 })).id
  const yoga = await roomy(cat.yoga.itemId)
  const pottery = await roomy(cat.pottery.itemId)
  const massage = await roomy(cat.massage.itemId)
  const options = [
    { sessionId: yoga, priceOptionId: cat.yoga.adultOptionId },
    { sessionId: yoga, priceOptionId: cat.yoga.concessionOptionId },
    { sessionId: pottery, priceOptionId: cat.pottery.optionId },
    { sessionId: massage, priceOptionId: cat.massage.optionId },
  ]
  const bookings: number[] = []
  const refused: string[] = []
  const imported: number[] = []
  for (let step = 0; step < 140; step++) {
    now = new Date(now.getTime() + Math.floor(random() * 0.9 * DAY))
    const roll = random()
    const someone = customers.length ? pick(customers) : null
    try {
      // An import from an earlier system (customers with past bookings and payments), undone later on.
      if (step === 40 || step === 90) {
        const preview = (await app.invoke('imports:choose', undefined))!
        imported.push(
          (await app.runJob<ImportSummary>('imports:run', { sourceId: preview.sourceId, sheet: preview.sheet, mapping: preview.mapping, match: step === 40 ? 'fill' : 'create' }))
            .importId!,
        )
        continue
      }
      if (step === 120) {
        await app.runJob('imports:undo', { id: imported.pop()! })
        continue
      }
      if (roll < 0.2 || someone === null) {
        const made = await app.invoke('customers:create', { firstName: pick(['Ann', 'Bo', 'Cy', 'Di', 'Ed']), lastName: `Test${step}` })
        customers.push(made.id)
        if (random() < 0.5) await app.invoke('customers:setPreferences', { id: made.id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Our newsletter' })
      } else if (roll < 0.45) {
        const lines = [{ ...pick(options), quantity: 1 + Math.floor(random() * 2) }]
        if (random() < 0.3) lines.push({ ...pick(options), quantity: 1 })
        const { booking } = await app.invoke('bookings:create', {
          customer: { kind: 'existing', id: someone },
          lines,
          source: pick(['phone', 'walk_in', 'online'] as const),
          payment: random() < 0.6 ? { amountMinor: 100 + Math.floor(random() * 700), method: 'card' } : null,
          unarchive: true,
        })
        bookings.push(booking.id)
      } else if (roll < 0.58 && bookings.length) {
        const id = pick(bookings)
        const detail = await app.invoke('bookings:get', { id })
        const refund = detail.paidMinor > 0 && random() < 0.3
        await app.invoke('bookings:addPayment', {
          bookingId: id,
          kind: refund ? 'refund' : 'payment',
          amountMinor: refund ? Math.max(1, Math.floor(detail.paidMinor / 2)) : 100 + Math.floor(random() * 1500),
          method: 'cash',
          takenOn: random() < 0.3 ? localDay(new Date(now.getTime() - 3 * DAY).toISOString()) : null,
        })
      } else if (roll < 0.64 && bookings.length) {
        await app.invoke('bookings:setStatus', { id: pick(bookings), status: 'cancelled' })
      } else if (roll < 0.7 && bookings.length) {
        const detail = await app.invoke('bookings:get', { id: pick(bookings) })
        const line = detail.lines[0]!
        const to = pick(options)
        await app.invoke('bookings:transfer', { bookingId: detail.id, lineId: line.id, ...to })
      } else if (roll < 0.78) {
        await app.invoke('customers:addTag', { customerId: someone, name: pick(['VIP', 'Regular', 'Newsletter']) })
      } else if (roll < 0.82) {
        const tags = await app.invoke('tags:list', undefined)
        if (tags.length) await app.invoke('customers:removeTag', { customerId: someone, tagId: pick(tags).id })
      } else if (roll < 0.87) {
        await app.invoke('customers:addToGroup', { customerId: someone, groupId: pick(groups) })
      } else if (roll < 0.91) {
        await app.invoke('customers:setPreferences', { id: someone, marketingConsent: random() < 0.5, unsubscribed: random() < 0.3, channel: 'desk', wording: 'Our newsletter' })
      } else if (roll < 0.95) {
        await app.invoke('customers:delete', { id: someone })
      } else if (roll < 0.97) {
        const bin = await app.invoke('recycleBin:list', undefined)
        if (bin.length) await app.invoke('recycleBin:restore', { id: pick(bin).id })
      } else {
        const bin = await app.invoke('recycleBin:list', undefined)
        if (bin.length) {
          const gone = pick(bin).id
          await app.runJob('recycleBin:purge', { id: gone })
          customers.splice(customers.indexOf(gone), 1)
        }
      }
    } catch (error) {
      // A rule refusing a random step (a refund above what was paid, a full session…) changes nothing.
      if (!(error instanceof Error) || !/failed: (VALIDATION|CONFLICT|NOT_FOUND)/.test(error.message)) throw error
      refused.push(error.message)
    }
  }
  // Refusals are the exception: the desk's work went through.
  expect(refused.length, refused.join('\n')).toBeLessThan(50)
}

beforeAll(async () => {
  const file = join(__dirname, '../fixtures/import/migration-sample.csv')
  app = await openTestCore({ clock: () => now, dialogs: { ...NO_FILE_DIALOGS, chooseImportFile: async () => file } })
  cat = await createCatalogue(app, { now: new Date('2026-06-01T00:00:00Z') })
  await simulateDesk(7)
}, 120_000)
afterAll(async () => {
  await app.cleanup()
})

interface Money {
  customer_id: number | null
  kind: string
  amount_minor: number
  taken_at: string
  booking_id: number
  status: string | null
}

describe('report totals', () => {
  it('stay equal to a recomputation from the tables after every kind of change', async () => {
    const kept = await totalsSnapshot()
    expect(kept.length).toBeGreaterThan(20)
    await dialectOf(app.db).dropReportTotals(app.db)
    await dialectOf(app.db).createReportTotals(app.db)
    expect(await totalsSnapshot()).toEqual(kept)
  })

  it('go with their migration and come back, filled from the rows already there', async () => {
    const kept = await totalsSnapshot()
    const [, migration] = migrations.find(([name]) => name === '20261201000007_report_totals')!
    await migration.down(app.db)
    const left = onPostgres
      ? allRows<{ name: string }>(
          await app.db.raw(
            `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND (relname LIKE 'report_%' OR relname LIKE 'bookings_owing_%')
             UNION ALL SELECT tgname FROM pg_trigger WHERE tgname LIKE 'report_%' UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'report_%' OR proname LIKE 'frontdesk_local_%'`,
          ),
        )
      : allRows<{ name: string }>(await app.db.raw(`SELECT name FROM sqlite_master WHERE name LIKE 'report_%' OR name LIKE 'bookings_owing_%'`))
    expect(left).toEqual([])
    await migration.up(app.db)
    expect(await totalsSnapshot()).toEqual(kept)
  })

  it.runIf(onPostgres)('on a server, count a statement’s rows in one go (row by row before that migration), equal to a recomputation either way', async () => {
    const [, migration] = migrations.find(([name]) => name === '20261210000001_report_totals_per_statement')!
    const counted = async () =>
      allRows<{ name: string; per_row: boolean }>(
        await app.db.raw(`SELECT tgname AS name, (tgtype & 1) = 1 AS per_row FROM pg_trigger WHERE tgname ~ '^report_((customers|bookings)_insert|(tags|groups|payments)_(insert|delete))$' ORDER BY 1`),
      )
    const recomputed = async () => {
      const kept = await totalsSnapshot()
      await dialectOf(app.db).dropReportTotals(app.db)
      await dialectOf(app.db).createReportTotals(app.db)
      expect(await totalsSnapshot()).toEqual(kept)
    }
    // Many rows in each statement: payments taken and half of them taken back, a tag given to every customer and taken from a third.
    const bulkWrites = async (tagName: string) => {
      const before = allRows<{ id: number }>(await app.db.raw('SELECT max(id) AS id FROM payments'))[0]!.id
      await app.db.raw(`INSERT INTO payments (booking_id, kind, amount_minor, method, taken_at, reference, staff_name, created_at)
        SELECT booking_id, kind, amount_minor + 1, method, taken_at, reference, staff_name, created_at FROM payments`)
      await app.db.raw(`DELETE FROM payments WHERE id > ? AND id % 2 = 0`, [before])
      const tag = allRows<{ id: number }>(
        await app.db.raw(`INSERT INTO tags (name, name_normalized, color, created_at) VALUES (?, ?, NULL, ?) RETURNING id`, [tagName, tagName.toLowerCase(), '2026-12-01T09:00:00.000Z']),
      )[0]!.id
      await app.db.raw(`INSERT INTO customer_tags (customer_id, tag_id, created_at) SELECT id, ?, created_at FROM customers`, [tag])
      await app.db.raw(`DELETE FROM customer_tags WHERE tag_id = ? AND customer_id % 3 = 0`, [tag])
      const added = allRows<{ n: number }>(await app.db.raw(`SELECT count(*) AS n FROM customer_tags WHERE tag_id = ?`, [tag]))[0]!.n
      expect(Number(added)).toBeGreaterThan(10)
      return async () => {
        await app.db.raw(`DELETE FROM payments WHERE id > ?`, [before])
        await app.db.raw(`DELETE FROM tags WHERE id = ?`, [tag])
      }
    }
    expect((await counted()).map((t) => t.per_row)).toEqual(Array(8).fill(false))
    const undoFirst = await bulkWrites('Counted per statement')
    await recomputed()
    await migration.down(app.db)
    expect((await counted()).filter((t) => !t.per_row)).toEqual([])
    const undoSecond = await bulkWrites('Counted per row')
    await undoSecond()
    await migration.up(app.db)
    expect((await counted()).filter((t) => t.per_row)).toEqual([])
    await undoFirst()
    await recomputed()
  })

  it('count purged customers out and keep the money they paid in the takings', async () => {
    const purged = allRows<{ n: number }>(await app.db.raw(`SELECT count(*) AS n FROM bookings WHERE customer_id IS NULL`))
    const takings = allRows<{ n: number }>(await app.db.raw(`SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -amount_minor ELSE amount_minor END), 0) AS n FROM payments`))
    const income = allRows<{ n: number }>(await app.db.raw(`SELECT coalesce(sum(amount), 0) AS n FROM report_totals WHERE measure = 'income'`))
    expect(income[0]!.n).toBe(takings[0]!.n)
    expect(purged[0]!.n).toBeGreaterThanOrEqual(0)
  })
})

describe('reports against the tables', () => {
  const ranges: Array<[string | null, string | null]> = [
    [null, null],
    ['2026-01-01', '2026-01-31'],
    ['2026-02-01', '2026-03-31'],
    ['2026-01-15', null],
    [null, '2026-02-10'],
  ]

  it.each(ranges)('new customers and consent, %s to %s', async (from, to) => {
    const customers = (await app.db('customers').whereNot('status', 'deleted').select('created_at', 'marketing_consent', 'unsubscribed')) as Array<{
      created_at: string
      marketing_consent: number
      unsubscribed: number
    }>
    const expected = new Map<string, [number, number, number]>()
    for (const c of customers) {
      const day = localDay(c.created_at)
      if (!inRange(day, { from, to })) continue
      const month = day.slice(0, 7)
      const counts = expected.get(month) ?? [0, 0, 0]
      counts[0]++
      if (c.marketing_consent) counts[1]++
      if (c.unsubscribed) counts[2]++
      expected.set(month, counts)
    }
    const made = await run('newCustomers', from, to)
    const rows = made.rows.filter((r) => r['customers'] !== 0)
    expect(rows).toEqual([...expected.entries()].sort().map(([month, [n]]) => ({ month, customers: n })))
    expect(made.totals?.['customers']).toBe([...expected.values()].reduce((s, [n]) => s + n, 0))
    const consent = await run('consentRates', from, to)
    expect(consent.rows.filter((r) => r['customers'] !== 0).map((r) => [r['month'], r['customers'], r['marketing'], r['unsubscribed']])).toEqual(
      [...expected.entries()].sort().map(([month, counts]) => [month, ...counts]),
    )
  })

  it.each(ranges)('customers by tag and group, %s to %s', async (from, to) => {
    for (const [report, sql] of [
      ['customersByTag', `SELECT t.name, c.created_at FROM customer_tags x JOIN tags t ON t.id = x.tag_id JOIN customers c ON c.id = x.customer_id WHERE c.status <> 'deleted'`],
      ['customersByGroup', `SELECT g.name, c.created_at FROM customer_group_members x JOIN customer_groups g ON g.id = x.group_id JOIN customers c ON c.id = x.customer_id WHERE c.status <> 'deleted'`],
    ] as const) {
      const expected = new Map<string, number>()
      for (const row of allRows<{ name: string; created_at: string }>(await app.db.raw(sql))) {
        if (inRange(localDay(row.created_at), { from, to })) expected.set(row.name, (expected.get(row.name) ?? 0) + 1)
      }
      const result = await run(report, from, to)
      expect(Object.fromEntries(result.rows.filter((r) => r['customers'] !== 0).map((r) => [r['name'], r['customers']]))).toEqual(Object.fromEntries(expected))
    }
  })

  it.each(ranges)('bookings by source and by item, %s to %s', async (from, to) => {
    const lines = allRows<{ id: number; source: string; total_minor: number; created_at: string; item: string; line_total: number }>(
      await app.db.raw(
        `SELECT b.id, b.source, b.total_minor, b.created_at, i.name AS item, l.total_minor AS line_total FROM bookings b
       JOIN booking_lines l ON l.booking_id = b.id JOIN catalogue_sessions s ON s.id = l.session_id JOIN catalogue_items i ON i.id = s.item_id
       WHERE b.status <> 'cancelled'`,
      ),
    )
    const bySource = new Map<string, [number, number]>()
    const byItem = new Map<string, { bookings: Set<number>; value: number }>()
    const seen = new Set<number>()
    // Every booking counts by source, with lines or not (an imported booking may have none).
    const made = (await app.db('bookings').whereNot('status', 'cancelled').select('id', 'source', 'total_minor', 'created_at')) as Array<{ id: number; source: string; total_minor: number; created_at: string }>
    for (const b of made) {
      if (!inRange(localDay(b.created_at), { from, to })) continue
      seen.add(b.id)
      const s = bySource.get(b.source) ?? [0, 0]
      bySource.set(b.source, [s[0] + 1, s[1] + b.total_minor])
    }
    for (const l of lines) {
      if (!inRange(localDay(l.created_at), { from, to })) continue
      const item = byItem.get(l.item) ?? { bookings: new Set(), value: 0 }
      item.bookings.add(l.id)
      item.value += l.line_total
      byItem.set(l.item, item)
    }
    const sources = await run('bookingsBySource', from, to)
    const label: Record<string, string> = { phone: 'Phone', walk_in: 'Walk-in', online: 'Online', import: 'Import' }
    for (const [source, [n, value]] of bySource) expect(sources.rows.find((r) => r['source'] === label[source])).toMatchObject({ bookings: n, value })
    expect(sources.totals?.['bookings']).toBe(seen.size)
    const items = await run('bookingsByItem', from, to)
    for (const row of items.rows) {
      const expected = byItem.get(row['item'] as string)
      expect([row['bookings'], row['value']]).toEqual([expected?.bookings.size ?? 0, expected?.value ?? 0])
    }
    expect(items.totals?.['bookings']).toBe([...byItem.values()].reduce((sum, i) => sum + i.bookings.size, 0))
  })

  it.each(ranges)('top customers, %s to %s', async (from, to) => {
    const money = allRows<Money>(
      await app.db.raw(
        `SELECT b.customer_id, p.kind, p.amount_minor, p.taken_at, p.booking_id, c.status FROM payments p JOIN bookings b ON b.id = p.booking_id LEFT JOIN customers c ON c.id = b.customer_id`,
      ),
    )
    const paid = new Map<number, { value: number; bookings: Set<number> }>()
    for (const p of money) {
      if (p.customer_id === null || p.status === 'deleted' || !inRange(localDay(p.taken_at), { from, to })) continue
      const entry = paid.get(p.customer_id) ?? { value: 0, bookings: new Set() }
      entry.value += p.kind === 'refund' ? -p.amount_minor : p.amount_minor
      entry.bookings.add(p.booking_id)
      paid.set(p.customer_id, entry)
    }
    const expected = [...paid.entries()]
      .filter(([, e]) => e.value > 0)
      .sort(([a, x], [b, y]) => y.value - x.value || a - b)
      .slice(0, 50)
      .map(([id, e]) => [id, e.value, e.bookings.size])
    const result = await run('topCustomers', from, to)
    expect(result.rows.map((r) => [r['customerId'], r['paid'], r['bookings']])).toEqual(expected)
  })

  it.each(ranges)('outstanding balances, %s to %s', async (from, to) => {
    const owing = (await app.db('bookings').where('outstanding_minor', '>', 0).whereNotNull('customer_id').select('customer_id', 'outstanding_minor', 'created_at')) as Array<{
      customer_id: number
      outstanding_minor: number
      created_at: string
    }>
    const per = new Map<number, number>()
    let total = 0
    let count = 0
    for (const b of owing) {
      if (!inRange(localDay(b.created_at), { from, to })) continue
      per.set(b.customer_id, (per.get(b.customer_id) ?? 0) + b.outstanding_minor)
      total += b.outstanding_minor
      count++
    }
    const result = await run('outstandingBalances', from, to)
    expect(result.rows.map((r) => [r['customerId'], r['owed']])).toEqual([...per.entries()].sort(([a, x], [b, y]) => y - x || a - b).slice(0, 200))
    expect(result.totals).toMatchObject({ owed: total, bookings: count, customer: per.size.toLocaleString('en-GB') })
    expect(result.chart.series[0]!.values.reduce((s, v) => s + v, 0)).toBe(total)
  })
})

describe('a small desk worked out by hand', () => {
  let small: TestCore
  let clock = new Date('2026-03-10T12:00:00Z')
  const folder = mkdtempSync(join(tmpdir(), 'frontdesk-reports-'))
  const suggested: string[] = []
  let smallCat: TestCatalogue
  beforeAll(async () => {
    small = await openTestCore({
      clock: () => clock,
      dialogs: {
        ...NO_FILE_DIALOGS,
        chooseReportFile: async (name) => {
          suggested.push(name)
          return join(folder, name)
        },
      },
    })
    const c = await createCatalogue(small, { now: new Date('2026-05-01T00:00:00Z') })
    smallCat = c
    const ann = (await small.invoke('customers:create', { firstName: 'Ann', lastName: 'Able' })).id
    await small.invoke('customers:setPreferences', { id: ann, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Our newsletter' })
    const bo = (await small.invoke('customers:create', { firstName: 'Bo', lastName: 'Best' })).id
    clock = new Date('2026-04-02T12:00:00Z')
    const cy = (await small.invoke('customers:create', { firstName: 'Cy', lastName: 'Cole' })).id
    // Ann: yoga adult ×2 (£25) paid £25, then £5 refunded; pottery (£30) by phone, unpaid.
    const { booking: a1 } = await small.invoke('bookings:create', {
      customer: { kind: 'existing', id: ann },
      lines: [{ sessionId: c.yoga.sessionId, priceOptionId: c.yoga.adultOptionId, quantity: 2 }],
      source: 'online',
      payment: { amountMinor: 2500, method: 'card' },
    })
    await small.invoke('bookings:addPayment', { bookingId: a1.id, kind: 'refund', amountMinor: 500, method: 'card' })
    await small.invoke('bookings:create', { customer: { kind: 'existing', id: ann }, lines: [{ sessionId: c.pottery.sessionId, priceOptionId: c.pottery.optionId, quantity: 1 }] })
    // Bo: yoga adult + concession in one booking (£20.50), paid £30 in March... the desk took it in April.
    await small.invoke('bookings:create', {
      customer: { kind: 'existing', id: bo },
      lines: [
        { sessionId: c.yoga.sessionId, priceOptionId: c.yoga.adultOptionId, quantity: 1 },
        { sessionId: c.yoga.sessionId, priceOptionId: c.yoga.concessionOptionId, quantity: 1 },
      ],
      source: 'walk_in',
      payment: { amountMinor: 2050, method: 'cash' },
    })
    // Cy: pottery, cancelled.
    const { booking: c1 } = await small.invoke('bookings:create', { customer: { kind: 'existing', id: cy }, lines: [{ sessionId: c.pottery.sessionId, priceOptionId: c.pottery.optionId, quantity: 1 }] })
    await small.invoke('bookings:setStatus', { id: c1.id, status: 'cancelled' })
    await small.invoke('customers:addTag', { customerId: ann, name: 'VIP' })
    await small.invoke('customers:addTag', { customerId: cy, name: 'VIP' })
    await small.invoke('customers:delete', { id: cy })
  })
  afterAll(async () => {
    await small.cleanup()
    rmSync(folder, { recursive: true, force: true })
  })
  const report = (kind: ReportKind, from: string | null = null, to: string | null = null): Promise<ReportResult> =>
    small.invoke('reports:run', { report: kind, from, to })

  it('has the figures a person would count', async () => {
    expect((await report('newCustomers', '2026-03-01', '2026-04-30')).rows).toEqual([
      { month: '2026-03', customers: 2 },
      { month: '2026-04', customers: 0 },
    ])
    const top = await report('topCustomers', '2026-04-01', '2026-04-30')
    expect(top.rows.map((r) => [r['customer'], r['paid'], r['bookings']])).toEqual([
      ['Bo Best', 2050, 1],
      ['Ann Able', 2000, 1],
    ])
    expect(top.currency).toBe('GBP')
    const owing = await report('outstandingBalances')
    // The £5 refunded is owed again, beside the unpaid pottery.
    expect(owing.rows.map((r) => [r['customer'], r['owed'], r['bookings']])).toEqual([['Ann Able', 3500, 2]])
    expect(owing.chart.series[0]!.values).toEqual([3500, 0, 0, 0])
    const items = await report('bookingsByItem', '2026-04-01', '2026-04-30')
    expect(items.rows.map((r) => [r['item'], r['bookings'], r['value']])).toEqual([
      ['Yoga Flow', 2, 4550],
      ['Pottery taster', 1, 3000],
      ['Massage 60 min', 0, 0],
    ])
    expect(items.totals).toMatchObject({ bookings: 3, value: 7550 })
    const sources = await report('bookingsBySource', '2026-04-01', '2026-04-30')
    expect(sources.rows.map((r) => [r['source'], r['bookings'], r['value']])).toEqual([
      ['Phone', 1, 3000],
      ['Walk-in', 1, 2050],
      ['Online', 1, 2500],
      ['Import', 0, 0],
    ])
    const tags = await report('customersByTag')
    expect(tags.rows).toEqual([{ name: 'VIP', customers: 1, share: 50 }])
    const consent = await report('consentRates')
    expect(consent.totals).toMatchObject({ customers: 2, marketing: 1, unsubscribed: 0, rate: 50 })
  })

  describe('out of the app', () => {
  it('are saved as CSV with plain decimals, neutralised text and the totals row', async () => {
    const id = (await small.invoke('customers:create', { firstName: '=HYPERLINK("x")', lastName: 'Evil' })).id
    const { booking } = await small.invoke('bookings:create', { customer: { kind: 'existing', id }, lines: [{ sessionId: smallCat.pottery.sessionId, priceOptionId: smallCat.pottery.optionId, quantity: 1 }], payment: { amountMinor: 1, method: 'cash' } })
    expect(booking.id).toBeGreaterThan(0)
    const saved = await small.invoke('reports:export', { report: 'topCustomers', from: '2026-04-01', to: '2026-04-30', format: 'csv' })
    expect(saved).toEqual({ fileName: 'Top customers 2026-04-01 to 2026-04-30.csv' })
    const text = readFileSync(join(folder, saved!.fileName), 'utf8')
    expect(text.startsWith('\uFEFFNumber,Customer,Paid (GBP),Bookings\r\n')).toBe(true)
    expect(text).toContain(`C-000002,Bo Best,20.50,1\r\n`)
    expect(text).toContain(`'=HYPERLINK(""x"") Evil`)
    expect(text.trimEnd().split('\r\n').at(-1)).toBe('Total,,40.51,3')
  })

  it('are saved as Excel with money as numbers in the currency, months as text', async () => {
    const saved = await small.invoke('reports:export', { report: 'newCustomers', from: '2026-03-01', to: '2026-04-30', format: 'xlsx' })
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(join(folder, saved!.fileName))
    const sheet = book.worksheets[0]!
    expect(sheet.getRow(1).values).toEqual([undefined, 'Month', 'New customers'])
    expect(sheet.getCell('A2').value).toBe('2026-03')
    expect(sheet.getCell('A2').numFmt).toBe('@')
    expect(sheet.getCell('B2').value).toBe(2)
    expect(sheet.getCell('A4').value).toBe('Total')
    const owing = await small.invoke('reports:export', { report: 'outstandingBalances', from: null, to: null, format: 'xlsx' })
    const owingBook = new ExcelJS.Workbook()
    await owingBook.xlsx.readFile(join(folder, owing!.fileName))
    const cell = owingBook.worksheets[0]!.getCell('C2')
    expect(cell.value).toBe(35)
    expect(cell.numFmt).toContain('£')
  })

  it('are not saved when the dialog is cancelled', async () => {
    const app2 = await openTestCore()
    try {
      expect(await app2.invoke('reports:export', { report: 'newCustomers', from: null, to: null, format: 'csv' })).toBeNull()
    } finally {
      await app2.cleanup()
    }
  })

  it('print as a PDF with the title, period, chart labels, table, totals and page numbers', async () => {
    const printout = await small.invoke('reports:print', { report: 'bookingsByItem', from: '2026-04-01', to: '2026-04-30' })
    expect(printout).toMatchObject({ fileName: 'Bookings by item 2026-04-01 to 2026-04-30.pdf', pages: 1, unprintable: [] })
    const [page] = await parsePdf(printoutPaths(small.printoutsDir, printout.id).pdf)
    expect(page!.text).toContain('Bookings by item')
    expect(page!.text).toContain('1 Apr 2026 to 30 Apr 2026')
    expect(page!.text).toMatch(/Yoga Flow\s+2\s+£45\.50/)
    expect(page!.text).toMatch(/Total\s+4\s+£105\.50/)
    expect(page!.text).toContain('Page 1 of 1')
    // The chart's labels sit under its bars, above the table's header.
    const label = page!.items.find((i) => i.text === 'Pottery taster')!
    const header = page!.items.find((i) => i.text === 'Item')!
    expect(label.y).toBeLessThan(header.y)
  })
})
})
