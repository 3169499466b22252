import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'
import type { Invoice } from '../../preload/contract'

const START = new Date('2026-03-02T12:00:00Z')
const DAY = 86_400_000
let now = START
let app: TestCore
let cat: TestCatalogue
let customerId: number

beforeEach(async () => {
  now = START
  app = await openTestCore({ clock: () => now })
  cat = await createCatalogue(app, { now: START })
  customerId = (await app.invoke('customers:create', { firstName: 'Alan', lastName: 'Turing' })).id
})
afterEach(async () => {
  await app.cleanup()
})

const book = (sessionId: number, priceOptionId: number, quantity = 1, extra: Record<string, unknown> = {}) =>
  app.invoke('bookings:create', { customer: { kind: 'existing', id: customerId }, lines: [{ sessionId, priceOptionId, quantity }], ...extra })

/** A yoga session (Adult/Concession) starting `days` after START. */
async function yogaOn(days: number): Promise<number> {
  const startsAt = new Date(START.getTime() + days * DAY)
  const session = await app.invoke('catalogue:saveSession', {
    itemId: cat.yoga.itemId,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    capacity: 20,
  })
  return session.id
}

/** The figures an invoice must show, worked out again from its lines and payments. */
function recomputed(invoice: Invoice) {
  const total = invoice.lines.reduce((sum, l) => sum + l.quantity * l.unitMinor, 0)
  const paid = invoice.payments.reduce((sum, p) => sum + (p.kind === 'payment' ? p.amountMinor : -p.amountMinor), 0)
  return { totalMinor: total, paidMinor: paid, outstandingMinor: (invoice.status === 'cancelled' ? 0 : total) - paid }
}

describe('the Invoices tab', () => {
  it('gives one invoice per booking, newest first, with lines, receipts and totals that add up', async () => {
    const two = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customerId },
      lines: [
        { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 },
        { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.concessionOptionId, quantity: 1 },
      ],
      payment: { amountMinor: 1000, method: 'card' },
    })
    now = new Date(START.getTime() + 60_000)
    const massage = await book(cat.massage.sessionId, cat.massage.optionId, 1, { payment: { amountMinor: P.massage, method: 'cash' } })
    now = new Date(START.getTime() + 120_000)
    const pottery = await book(cat.pottery.sessionId, cat.pottery.optionId, 3, { payment: { amountMinor: 3 * P.pottery, method: 'card' } })
    await app.invoke('bookings:setStatus', { id: pottery.booking.id, status: 'cancelled' })
    await app.invoke('bookings:addPayment', { bookingId: pottery.booking.id, kind: 'refund', amountMinor: P.pottery, method: 'card' })

    const { invoices, totals } = await app.invoke('customers:invoices', { customerId })
    expect(invoices.map((i) => i.bookingId)).toEqual([pottery.booking.id, massage.booking.id, two.booking.id])
    for (const invoice of invoices) expect(invoice).toMatchObject(recomputed(invoice))

    const first = invoices[2]!
    expect(first).toMatchObject({
      number: `INV-${String(two.booking.id).padStart(6, '0')}`,
      bookingReference: two.booking.reference,
      issuedAt: two.booking.createdAt,
      status: 'confirmed',
      currency: 'GBP',
      totalMinor: 2 * P.yogaAdult + P.yogaConcession,
      paidMinor: 1000,
      outstandingMinor: 2 * P.yogaAdult + P.yogaConcession - 1000,
    })
    expect(first.lines).toEqual([
      // No tax rates in Settings: no tax, so net is gross.
      { description: expect.stringContaining('Yoga Flow'), quantity: 2, unitMinor: P.yogaAdult, netMinor: 2 * P.yogaAdult, taxRateBp: 0, taxMinor: 0, totalMinor: 2 * P.yogaAdult },
      { description: expect.stringContaining('Concession'), quantity: 1, unitMinor: P.yogaConcession, netMinor: P.yogaConcession, taxRateBp: 0, taxMinor: 0, totalMinor: P.yogaConcession },
    ])
    expect(first).toMatchObject({ netMinor: 2 * P.yogaAdult + P.yogaConcession, taxMinor: 0, taxes: [{ rateBp: 0, netMinor: 2 * P.yogaAdult + P.yogaConcession, taxMinor: 0 }] })
    expect(first.payments).toEqual([expect.objectContaining({ kind: 'payment', amountMinor: 1000, method: 'card', receiptNumber: expect.stringMatching(/^R-\d{6}$/) })])

    const cancelled = invoices[0]!
    expect(cancelled.payments.map((p) => [p.kind, p.amountMinor])).toEqual([
      ['payment', 3 * P.pottery],
      ['refund', P.pottery],
    ])
    expect(cancelled).toMatchObject({ status: 'cancelled', paidMinor: 2 * P.pottery, outstandingMinor: -2 * P.pottery })

    // Totals from first principles: invoiced = not cancelled; received = payments less refunds; owed and credit apart.
    const invoiced = 2 * P.yogaAdult + P.yogaConcession + P.massage
    const received = 1000 + P.massage + 2 * P.pottery
    expect(totals).toEqual([
      { currency: 'GBP', invoicedMinor: invoiced, incomeReceivedMinor: received, outstandingMinor: invoiced - 1000 - P.massage, creditMinor: 2 * P.pottery },
    ])
    expect((await app.invoke('customers:summary', { id: customerId })).money).toEqual(totals)
  })

  it('is empty with zero totals for a customer without bookings', async () => {
    expect(await app.invoke('customers:invoices', { customerId })).toEqual({
      invoices: [],
      totals: [{ currency: 'GBP', invoicedMinor: 0, incomeReceivedMinor: 0, outstandingMinor: 0, creditMinor: 0 }],
    })
  })
})

describe('the Activity tab', () => {
  const monthOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`

  it('gives 12 months ending this month with sales by booking month and money by payment month', async () => {
    // Booked in March: yoga ×2 (part-paid), and a booking later cancelled.
    const march = await book(cat.yoga.sessionId, cat.yoga.adultOptionId, 2, { payment: { amountMinor: 500, method: 'card' } })
    const dropped = await book(cat.pottery.sessionId, cat.pottery.optionId, 1, { payment: { amountMinor: P.pottery, method: 'card' } })
    await app.invoke('bookings:setStatus', { id: dropped.booking.id, status: 'cancelled' })

    // In May: the rest of March's booking is paid, the cancelled one refunded, and a new booking made.
    now = new Date('2026-05-15T12:00:00Z')
    const later = await yogaOn(80)
    await app.invoke('bookings:addPayment', { bookingId: march.booking.id, amountMinor: 2 * P.yogaAdult - 500, method: 'cash' })
    await app.invoke('bookings:addPayment', { bookingId: dropped.booking.id, kind: 'refund', amountMinor: P.pottery, method: 'card' })
    const may = await book(later, cat.yoga.concessionOptionId, 3)

    // Looked at in June.
    now = new Date('2026-06-10T12:00:00Z')
    const activity = await app.invoke('customers:activity', { customerId })
    expect(activity.currency).toBe('GBP')
    expect(activity.months).toHaveLength(12)
    expect(activity.months[11]!.month).toBe(monthOf(now))
    expect(activity.months[0]!.month).toBe(monthOf(new Date(now.getFullYear(), now.getMonth() - 11, 1)))

    const expected = new Map<string, { salesMinor: number; bookings: number; receivedMinor: number }>()
    const add = (at: string, change: Partial<{ salesMinor: number; bookings: number; receivedMinor: number }>) => {
      const key = monthOf(new Date(at))
      const m = expected.get(key) ?? { salesMinor: 0, bookings: 0, receivedMinor: 0 }
      for (const [k, v] of Object.entries(change)) m[k as keyof typeof m] += v
      expected.set(key, m)
    }
    // Recomputed from the bookings themselves as stored.
    for (const id of [march.booking.id, dropped.booking.id, may.booking.id]) {
      const b = await app.invoke('bookings:get', { id })
      if (b.status !== 'cancelled') add(b.createdAt, { salesMinor: b.totalMinor, bookings: 1 })
      for (const p of b.payments) add(p.takenAt, { receivedMinor: p.kind === 'payment' ? p.amountMinor : -p.amountMinor })
    }
    for (const m of activity.months) {
      expect(m, m.month).toEqual({ month: m.month, ...(expected.get(m.month) ?? { salesMinor: 0, bookings: 0, receivedMinor: 0 }) })
    }
    // Spelled out: March sold yoga ×2 and took 500 + the pottery payment; May sold 3 concessions and took the rest less the refund.
    expect(activity.months.find((m) => m.month === '2026-03')).toEqual({ month: '2026-03', salesMinor: 2 * P.yogaAdult, bookings: 1, receivedMinor: 500 + P.pottery })
    expect(activity.months.find((m) => m.month === '2026-05')).toEqual({
      month: '2026-05',
      salesMinor: 3 * P.yogaConcession,
      bookings: 1,
      receivedMinor: 2 * P.yogaAdult - 500 - P.pottery,
    })
  })

  it('can look back further, and leaves out months before the window', async () => {
    await book(cat.yoga.sessionId, cat.yoga.adultOptionId, 1, { payment: { amountMinor: P.yogaAdult, method: 'card' } })
    now = new Date('2027-04-10T12:00:00Z')
    const year = await app.invoke('customers:activity', { customerId })
    expect(year.months.every((m) => m.salesMinor === 0 && m.receivedMinor === 0)).toBe(true)
    const longer = await app.invoke('customers:activity', { customerId, months: 24 })
    expect(longer.months).toHaveLength(24)
    expect(longer.months.find((m) => m.month === '2026-03')).toEqual({ month: '2026-03', salesMinor: P.yogaAdult, bookings: 1, receivedMinor: P.yogaAdult })
  })
})
