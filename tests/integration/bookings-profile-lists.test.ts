import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'

/** The desk's clock, moved by the tests to turn upcoming bookings into past ones. */
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
  customerId = (await app.invoke('customers:create', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' })).id
})
afterEach(async () => {
  await app.cleanup()
})

const book = (sessionId: number, priceOptionId: number, quantity = 1, extra: Record<string, unknown> = {}) =>
  app.invoke('bookings:create', { customer: { kind: 'existing', id: customerId }, lines: [{ sessionId, priceOptionId, quantity }], ...extra })

/** Yoga tomorrow (paid), massage in 2 days (unpaid), pottery in 15 days (part-paid), yoga in 8 days (cancelled, refunded). */
async function fourBookings() {
  const yoga = (await book(cat.yoga.sessionId, cat.yoga.adultOptionId, 2, { payment: { amountMinor: 2 * P.yogaAdult, method: 'card' } })).booking
  const massage = (await book(cat.massage.sessionId, cat.massage.optionId)).booking
  const pottery = (await book(cat.pottery.sessionId, cat.pottery.optionId, 1, { payment: { amountMinor: 1000, method: 'cash' } })).booking
  const cancelled = (await book(cat.yoga.smallSessionId, cat.yoga.concessionOptionId, 1, { payment: { amountMinor: P.yogaConcession, method: 'card' } })).booking
  await app.invoke('bookings:setStatus', { id: cancelled.id, status: 'cancelled', reason: 'Cannot come' })
  await app.invoke('bookings:addPayment', { bookingId: cancelled.id, kind: 'refund', amountMinor: P.yogaConcession, method: 'card' })
  return { yoga, massage, pottery, cancelled }
}

const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id)

describe('the Bookings tab', () => {
  it('lists every booking with its money, and filters upcoming, past and cancelled by the clock', async () => {
    const b = await fourBookings()
    const all = await app.invoke('bookings:listForCustomer', { customerId }).then((page) => page.rows)
    // Latest session first.
    expect(ids(all)).toEqual([b.pottery.id, b.cancelled.id, b.massage.id, b.yoga.id])
    expect(all.find((r) => r.id === b.pottery.id)).toMatchObject({
      reference: b.pottery.reference,
      status: 'confirmed',
      kind: 'booking',
      currency: 'GBP',
      totalMinor: P.pottery,
      paidMinor: 1000,
      outstandingMinor: P.pottery - 1000,
      summary: 'Pottery taster',
      startsAt: b.pottery.startsAt,
    })
    expect(all.find((r) => r.id === b.cancelled.id)).toMatchObject({ status: 'cancelled', paidMinor: 0, outstandingMinor: 0 })
    expect(all.find((r) => r.id === b.massage.id)).toMatchObject({ kind: 'appointment', outstandingMinor: P.massage })

    // Soonest first while upcoming.
    expect(ids(await app.invoke('bookings:listForCustomer', { customerId, filter: 'upcoming' }).then((page) => page.rows))).toEqual([b.yoga.id, b.massage.id, b.pottery.id])
    expect(await app.invoke('bookings:listForCustomer', { customerId, filter: 'past' }).then((page) => page.rows)).toEqual([])
    expect(ids(await app.invoke('bookings:listForCustomer', { customerId, filter: 'cancelled' }).then((page) => page.rows))).toEqual([b.cancelled.id])

    // Five days on, yoga and massage have happened.
    now = new Date(START.getTime() + 5 * DAY)
    expect(ids(await app.invoke('bookings:listForCustomer', { customerId, filter: 'upcoming' }).then((page) => page.rows))).toEqual([b.pottery.id])
    expect(ids(await app.invoke('bookings:listForCustomer', { customerId, filter: 'past' }).then((page) => page.rows))).toEqual([b.massage.id, b.yoga.id])
    expect(ids(await app.invoke('bookings:listForCustomer', { customerId, filter: 'all', limit: 2 }).then((page) => page.rows))).toEqual([b.pottery.id, b.cancelled.id])
  })

  it('is empty for a customer without bookings and refuses a customer who does not exist', async () => {
    expect(await app.invoke('bookings:listForCustomer', { customerId }).then((page) => page.rows)).toEqual([])
    expect(await app.call('bookings:listForCustomer', { customerId: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await app.call('bookings:warnings', { customerId: 9999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('delete and archive warnings', () => {
  it('names future bookings and bookings still owing, and follow the clock and payments', async () => {
    const b = await fourBookings()
    let warnings = await app.invoke('bookings:warnings', { customerId })
    expect(ids(warnings.future)).toEqual([b.yoga.id, b.massage.id, b.pottery.id])
    expect(ids(warnings.unpaid)).toEqual([b.massage.id, b.pottery.id])

    now = new Date(START.getTime() + 5 * DAY)
    await app.invoke('bookings:addPayment', { bookingId: b.massage.id, amountMinor: P.massage, method: 'cash' })
    warnings = await app.invoke('bookings:warnings', { customerId })
    expect(ids(warnings.future)).toEqual([b.pottery.id])
    expect(warnings.unpaid.map((r) => [r.id, r.outstandingMinor])).toEqual([[b.pottery.id, P.pottery - 1000]])
  })

  it('has nothing to say about a customer without bookings', async () => {
    expect(await app.invoke('bookings:warnings', { customerId })).toEqual({ future: [], unpaid: [] })
  })
})

describe('the profile sidebar', () => {
  it('counts bookings and appointments that are not cancelled and adds up money in the business currency', async () => {
    const empty = await app.invoke('customers:summary', { id: customerId })
    expect(empty).toMatchObject({ bookings: 0, appointments: 0 })
    expect(empty.money).toEqual([{ currency: 'GBP', invoicedMinor: 0, incomeReceivedMinor: 0, outstandingMinor: 0, creditMinor: 0 }])

    await fourBookings()
    const summary = await app.invoke('customers:summary', { id: customerId })
    expect(summary).toMatchObject({ bookings: 2, appointments: 1 })
    expect(summary.money).toEqual([
      {
        currency: 'GBP',
        invoicedMinor: 2 * P.yogaAdult + P.massage + P.pottery,
        incomeReceivedMinor: 2 * P.yogaAdult + 1000,
        outstandingMinor: P.massage + P.pottery - 1000,
        creditMinor: 0,
      },
    ])
  })

  it('shows credit for money kept on a cancelled booking, apart from what is owed', async () => {
    const { booking } = await book(cat.pottery.sessionId, cat.pottery.optionId, 2, { payment: { amountMinor: 500, method: 'card' } })
    await app.invoke('bookings:setStatus', { id: booking.id, status: 'cancelled' })
    await book(cat.massage.sessionId, cat.massage.optionId)
    const [gbp] = (await app.invoke('customers:summary', { id: customerId })).money
    expect(gbp).toEqual({ currency: 'GBP', invoicedMinor: P.massage, incomeReceivedMinor: 500, outstandingMinor: P.massage, creditMinor: 500 })
  })

  it('lists another currency after the business currency, which follows Settings', async () => {
    const euro = await app.invoke('catalogue:saveItem', {
      kind: 'event',
      name: 'Paris wine weekend',
      priceOptions: [{ name: 'Adult', amountMinor: 25000, currency: 'EUR' }],
    })
    const session = await app.invoke('catalogue:saveSession', {
      itemId: euro.id,
      startsAt: new Date(START.getTime() + 30 * DAY).toISOString(),
      endsAt: new Date(START.getTime() + 31 * DAY).toISOString(),
      capacity: 10,
    })
    await book(session.id, euro.priceOptions[0]!.id)
    await book(cat.massage.sessionId, cat.massage.optionId)
    let money = (await app.invoke('customers:summary', { id: customerId })).money
    expect(money.map((m) => [m.currency, m.invoicedMinor])).toEqual([
      ['GBP', P.massage],
      ['EUR', 25000],
    ])
    await app.invoke('settings:update', { currency: 'USD' })
    money = (await app.invoke('customers:summary', { id: customerId })).money
    expect(money.map((m) => m.currency)).toEqual(['USD', 'EUR', 'GBP'])
    expect(money[0]).toMatchObject({ invoicedMinor: 0, outstandingMinor: 0 })
  })
})

describe('removing a customer for good', () => {
  it('keeps their bookings, lines and payments with no customer', async () => {
    const b = await fourBookings()
    await app.invoke('customers:delete', { id: customerId })
    // Still readable while in the recycle bin.
    expect(await app.invoke('bookings:listForCustomer', { customerId }).then((page) => page.rows)).toHaveLength(4)
    await app.runJob('recycleBin:purge', { id: customerId })
    const rows = (await app.db('bookings').orderBy('id').select('id', 'customer_id', 'total_minor')) as Array<{ id: number; customer_id: number | null }>
    expect(rows.map((r) => [r.id, r.customer_id])).toEqual([b.yoga.id, b.massage.id, b.pottery.id, b.cancelled.id].map((id) => [id, null]))
    expect(await app.db('booking_lines').count({ n: '*' })).toEqual([{ n: 4 }])
    expect(await app.db('payments').count({ n: '*' })).toEqual([{ n: 4 }])
    const pottery = await app.invoke('bookings:get', { id: b.pottery.id })
    expect(pottery).toMatchObject({ customer: null, totalMinor: P.pottery, paidMinor: 1000 })
    expect(await app.call('bookings:listForCustomer', { customerId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
