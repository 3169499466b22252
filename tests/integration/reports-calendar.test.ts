import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestCore } from '../helpers/core'
import type { TestCatalogue } from '../helpers/catalogue'
import type { ReportKind } from '../../preload/contract'

/*
 * The reports count days on the desk's calendar, on either engine: here the
 * desk is in Auckland (13 hours ahead of UTC in summer), so a customer made,
 * a booking made and money taken at 12:30 UTC on 31 January belong to
 * 1 February. On PostgreSQL the totals are kept by the server, which must
 * count in the desk's time zone, not its own. Then lines written, moved and
 * removed several in one statement keep the per-item totals equal to a
 * recomputation, as one at a time does.
 */
process.env.TZ = 'Pacific/Auckland'
const { openTestCore } = await import('../helpers/core')
const { createCatalogue } = await import('../helpers/catalogue')
const { allRows } = await import('../../db/queries/customerList')
const { dialectOf } = await import('../../db/dialects')
const { sellTestPlan } = await import('../helpers/plans')

let now = new Date('2026-01-31T12:30:00Z')
let app: TestCore
let cat: TestCatalogue

const run = (report: ReportKind, from: string | null, to: string | null) => app.invoke('reports:run', { report, from, to })

beforeAll(async () => {
  app = await openTestCore({ clock: () => now })
  cat = await createCatalogue(app, { now: new Date('2026-02-10T00:00:00Z') })
})
afterAll(async () => {
  await app.cleanup()
})

describe('the desk in another time zone than UTC', () => {
  it('counts what was made and taken at 12:30 UTC on 31 January on 1 February', async () => {
    expect(new Date(now).getDate()).toBe(1)
    const { id } = await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Late' })
    await app.invoke('bookings:create', {
      customer: { kind: 'existing', id },
      lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
      source: 'phone',
      payment: { amountMinor: 1000, method: 'card' },
    })
    for (const [from, to, customers] of [
      ['2026-02-01', '2026-02-01', 1],
      ['2026-01-31', '2026-01-31', 0],
    ] as const) {
      expect((await run('newCustomers', from, to)).totals).toMatchObject({ customers })
      expect((await run('bookingsBySource', from, to)).totals).toMatchObject({ bookings: customers })
      expect((await run('bookingsByItem', from, to)).totals).toMatchObject({ bookings: customers })
      expect((await run('topCustomers', from, to)).rows.map((r) => r['paid'])).toEqual(customers ? [1000] : [])
      expect((await run('outstandingBalances', from, to)).totals).toMatchObject({ owed: customers ? 2000 : 0 })
    }
    expect((await run('newCustomers', '2026-01-01', '2026-02-28')).rows).toEqual([
      { month: '2026-01', customers: 0 },
      { month: '2026-02', customers: 1 },
    ])
  })
})

/** Every non-zero running total, as rows of text, sorted. */
async function totals(): Promise<string[]> {
  const rows = [
    ...allRows<object>(await app.db.raw(`SELECT 'T' AS t, measure, day, key, n, amount FROM report_totals WHERE n <> 0 OR amount <> 0`)),
    ...allRows<object>(await app.db.raw(`SELECT 'M' AS t, month, customer_id, paid FROM report_customer_months WHERE paid <> 0`)),
    ...allRows<object>(await app.db.raw(`SELECT 'C' AS t, customer_id, paid, owed FROM report_customers WHERE paid <> 0 OR owed <> 0`)),
  ]
  return rows.map((r) => JSON.stringify(Object.values(r))).sort()
}

async function expectEqualToRecomputed(): Promise<void> {
  const kept = await totals()
  await dialectOf(app.db).dropReportTotals(app.db)
  await dialectOf(app.db).createReportTotals(app.db)
  expect(await totals()).toEqual(kept)
}

const itemTotals = async (itemId: number) =>
  allRows<{ n: number; amount: number }>(await app.db.raw(`SELECT coalesce(sum(n), 0) AS n, coalesce(sum(amount), 0) AS amount FROM report_totals WHERE measure = 'item' AND key = ?`, [String(itemId)]))[0]!

describe('booking lines written several in one statement', () => {
  it('count a booking once per item when its lines come, move and go together', async () => {
    now = new Date('2026-02-03T09:00:00Z')
    const { id } = await app.invoke('customers:create', { firstName: 'Bo', lastName: 'Many' })
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id },
      lines: [
        { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 },
        { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.concessionOptionId, quantity: 1 },
      ],
      source: 'walk_in',
    })
    expect(await itemTotals(cat.yoga.itemId)).toEqual({ n: 1, amount: 2050 })
    await expectEqualToRecomputed()

    const lines = (await app.db('booking_lines').where({ booking_id: booking.id }).orderBy('id')) as Array<Record<string, unknown>>
    await app.db('booking_lines').where({ booking_id: booking.id }).del()
    expect(await itemTotals(cat.yoga.itemId)).toEqual({ n: 0, amount: 0 })
    await expectEqualToRecomputed()

    await app.db('booking_lines').insert(lines.map(({ id: _, ...line }) => line))
    expect(await itemTotals(cat.yoga.itemId)).toEqual({ n: 1, amount: 2050 })
    await expectEqualToRecomputed()

    // Both lines to the pottery session at once: yoga loses the booking, pottery gains it once.
    const potteryBefore = await itemTotals(cat.pottery.itemId)
    await app.db('booking_lines').where({ booking_id: booking.id }).update({ session_id: cat.pottery.sessionId })
    expect(await itemTotals(cat.yoga.itemId)).toEqual({ n: 0, amount: 0 })
    expect(await itemTotals(cat.pottery.itemId)).toEqual({ n: potteryBefore.n + 1, amount: potteryBefore.amount + 2050 })
    await expectEqualToRecomputed()

    // One of the two back: yoga has the booking again, pottery still has it.
    const [first] = (await app.db('booking_lines').where({ booking_id: booking.id }).orderBy('id').select('id')) as Array<{ id: number }>
    await app.db('booking_lines').where({ id: first!.id }).update({ session_id: cat.yoga.sessionId })
    expect(await itemTotals(cat.yoga.itemId)).toEqual({ n: 1, amount: 1250 })
    expect(await itemTotals(cat.pottery.itemId)).toEqual({ n: potteryBefore.n + 1, amount: potteryBefore.amount + 800 })
    await expectEqualToRecomputed()
  })
})

describe('a customer removed for good', () => {
  it('leaves no lifetime amounts behind, and the money they paid stays in the takings', async () => {
    now = new Date('2026-02-04T09:00:00Z')
    const { id } = await app.invoke('customers:create', { firstName: 'Cy', lastName: 'Gone' })
    await app.invoke('bookings:create', {
      customer: { kind: 'existing', id },
      lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
      source: 'online',
      payment: { amountMinor: 500, method: 'card' },
    })
    expect(await app.db('report_customers').where({ customer_id: id }).first('paid', 'owed')).toEqual({ paid: 500, owed: 2500 })
    // As a purge does once the customer's other rows are gone: the bookings stay, with no customer.
    await app.db('customers').where({ id }).del()
    expect(await app.db('report_customers').where({ customer_id: id })).toEqual([])
    expect(await app.db('report_customer_months').where({ customer_id: id }).whereNot('paid', 0)).toEqual([])
    await expectEqualToRecomputed()
  })
})

describe('the totals made again once plans are sold as orders', () => {
  it('leave plan orders out of bookings by source, as the running totals do', async () => {
    now = new Date('2026-02-05T09:00:00Z')
    const { id } = await app.invoke('customers:create', { firstName: 'Di', lastName: 'Member' })
    const sell = (name: string) =>
      sellTestPlan(app, id, { kind: 'pass', name, priceMinor: 4000, credits: 5 }, { startsOn: '2026-02-05', payment: { amountMinor: 4000, method: 'card', reference: '' } })
    await sell('5-class pass')
    const onTheDay = async () => (await run('bookingsBySource', '2026-02-05', '2026-02-05')).totals
    expect(await onTheDay()).toMatchObject({ bookings: 0 })
    // As a copy onto a server refills them: the totals and their triggers are those of today's schema.
    await expectEqualToRecomputed()
    await sell('Another pass')
    expect(await onTheDay()).toMatchObject({ bookings: 0 })
    expect((await run('topCustomers', '2026-02-05', '2026-02-05')).rows.map((r) => [r['customerId'], r['paid']])).toEqual([[id, 8000]])
    await expectEqualToRecomputed()
  })
})
