import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'

const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
let customerId: number
beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  customerId = (await app.invoke('customers:create', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' })).id
})
afterEach(async () => {
  await app.cleanup()
})

const bookYoga = (quantity = 2, extra: Record<string, unknown> = {}) =>
  app.invoke('bookings:create', {
    customer: { kind: 'existing', id: customerId },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity }],
    ...extra,
  })

/** What the stored row says must always agree with the lines and payments. */
function expectConsistent(b: Awaited<ReturnType<typeof bookYoga>>['booking']) {
  expect(b.totalMinor).toBe(b.lines.reduce((s, l) => s + l.quantity * l.unitMinor, 0))
  expect(b.paidMinor).toBe(b.payments.reduce((s, p) => s + (p.kind === 'payment' ? p.amountMinor : -p.amountMinor), 0))
  expect(b.outstandingMinor).toBe((b.status === 'cancelled' ? 0 : b.totalMinor) - b.paidMinor)
}

describe('booking totals and balances', () => {
  it('prices lines, takes payments and refunds, and leaves credit on cancel', async () => {
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customerId },
      lines: [
        { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 },
        { sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId, quantity: 1 },
      ],
      payment: { amountMinor: 1000, method: 'card' },
    })
    const total = 2 * P.yogaAdult + P.massage
    expect(booking).toMatchObject({
      reference: `B-${String(booking.id).padStart(6, '0')}`,
      status: 'confirmed',
      kind: 'appointment',
      currency: 'GBP',
      totalMinor: total,
      paidMinor: 1000,
      outstandingMinor: total - 1000,
      summary: 'Yoga Flow ×2, Massage 60 min',
    })
    expect(booking.lines.map((l) => [l.itemName, l.priceOptionName, l.quantity, l.unitMinor, l.totalMinor])).toEqual([
      ['Yoga Flow', 'Adult', 2, P.yogaAdult, 2 * P.yogaAdult],
      ['Massage 60 min', 'Standard', 1, P.massage, P.massage],
    ])
    expect(booking.startsAt).toBe(booking.lines[0]!.startsAt)
    expect(booking.customer).toMatchObject({ id: customerId, email: 'ada@example.com', displayName: 'Ada Lovelace' })
    expect(booking.payments[0]).toMatchObject({ kind: 'payment', amountMinor: 1000, receiptNumber: expect.stringMatching(/^R-\d{6}$/) })
    expectConsistent(booking)

    const tooMuch = await app.call('bookings:addPayment', { bookingId: booking.id, amountMinor: total - 1000 + 1, method: 'cash' })
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'amountMinor', message: 'That is more than the £60.00 still owed.' } })

    const paid = await app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: total - 1000, method: 'cash' })
    expect(paid.outstandingMinor).toBe(0)
    expect(paid.paidMinor).toBe(total)
    expect(await app.call('bookings:addPayment', { bookingId: booking.id, amountMinor: 1, method: 'cash' })).toMatchObject({ ok: false })

    const refunded = await app.invoke('bookings:addPayment', { bookingId: booking.id, kind: 'refund', amountMinor: 500, method: 'card' })
    expect(refunded).toMatchObject({ paidMinor: total - 500, outstandingMinor: 500 })
    expectConsistent(refunded)

    const cancelled = await app.invoke('bookings:setStatus', { id: booking.id, status: 'cancelled', reason: 'Ill' })
    expect(cancelled).toMatchObject({ status: 'cancelled', totalMinor: total, paidMinor: total - 500, outstandingMinor: -(total - 500) })
    expectConsistent(cancelled)
    expect(cancelled.history[0]).toMatchObject({ action: 'booking.cancelled', summary: expect.stringContaining('Ill') })

    // No new payments on a cancelled booking, but the credit can be refunded, never more than was paid.
    expect(await app.call('bookings:addPayment', { bookingId: booking.id, amountMinor: 100, method: 'cash' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
    expect(await app.call('bookings:addPayment', { bookingId: booking.id, kind: 'refund', amountMinor: total, method: 'card' })).toMatchObject({
      ok: false,
      error: { field: 'amountMinor', message: `That is more than the £${((total - 500) / 100).toFixed(2)} paid.` },
    })
    const settled = await app.invoke('bookings:addPayment', { bookingId: booking.id, kind: 'refund', amountMinor: total - 500, method: 'card' })
    expect(settled).toMatchObject({ paidMinor: 0, outstandingMinor: 0 })
    expect(settled.history.map((h) => h.action)).toEqual([
      'booking.refund',
      'booking.cancelled',
      'booking.refund',
      'booking.payment',
      'booking.payment',
      'booking.created',
    ])
  })

  it('refuses a first payment above the total and keeps nothing', async () => {
    const result = await app.call('bookings:create', {
      customer: { kind: 'existing', id: customerId },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }],
      payment: { amountMinor: P.yogaAdult + 1, method: 'card' },
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payment.amountMinor' } })
    expect(await app.db('bookings').count({ n: '*' })).toEqual([{ n: 0 }])
    expect((await app.db('catalogue_sessions').where({ id: cat.yoga.sessionId }).first('seats_taken')).seats_taken).toBe(0)
  })

  it('dates a payment on the day given, and refuses future days', async () => {
    const { booking } = await bookYoga(1)
    const paid = await app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 100, method: 'cash', takenOn: '2026-02-27' })
    expect(paid.payments[0]!.takenAt.slice(0, 10)).toBe('2026-02-27')
    expect(await app.call('bookings:addPayment', { bookingId: booking.id, amountMinor: 100, method: 'cash', takenOn: '2026-03-09' })).toMatchObject({
      ok: false,
      error: { field: 'takenOn' },
    })
  })
})

describe('booking status', () => {
  it('follows the allowed transitions and refuses the rest clearly', async () => {
    const { booking } = await bookYoga(1, { status: 'pending' })
    expect(await app.call('bookings:setStatus', { id: booking.id, status: 'completed' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect((await app.invoke('bookings:setStatus', { id: booking.id, status: 'confirmed' })).status).toBe('confirmed')
    expect(await app.call('bookings:setStatus', { id: booking.id, status: 'confirmed' })).toMatchObject({
      ok: false,
      error: { message: 'This booking is already confirmed.' },
    })
    expect((await app.invoke('bookings:setStatus', { id: booking.id, status: 'no_show' })).status).toBe('no_show')
    expect((await app.invoke('bookings:setStatus', { id: booking.id, status: 'completed' })).status).toBe('completed')
    expect(await app.call('bookings:setStatus', { id: booking.id, status: 'confirmed' })).toMatchObject({ ok: false })
    expect(await app.call('bookings:setStatus', { id: booking.id, status: 'cancelled' })).toMatchObject({ ok: false })

    const other = (await bookYoga(1)).booking
    await app.invoke('bookings:setStatus', { id: other.id, status: 'cancelled' })
    expect(await app.call('bookings:setStatus', { id: other.id, status: 'confirmed' })).toMatchObject({
      ok: false,
      error: { message: 'A cancelled booking cannot be changed; make a new booking.' },
    })
    const changes = await app.invoke('customers:changes', { id: customerId, kind: 'bookings' })
    expect(changes.map((c) => c.action)).toContain('booking.no_show')
  })
})
