import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'
import { sellTestPlan } from '../helpers/plans'

const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
let customerId: number
beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  customerId = (await app.invoke('customers:create', { firstName: 'Tom', lastName: 'Transfer' })).id
})
afterEach(async () => {
  await app.cleanup()
})

const seatsTaken = async (sessionId: number) =>
  ((await app.db('catalogue_sessions').where({ id: sessionId }).first('seats_taken')) as { seats_taken: number }).seats_taken

describe('transferring a booking', () => {
  it('shows a balance due when the new price is higher, and logs the move on the booking and the customer', async () => {
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customerId },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.concessionOptionId, quantity: 2 }],
      payment: { amountMinor: 2 * P.yogaConcession, method: 'card' },
    })
    const request = { bookingId: booking.id, lineId: booking.lines[0]!.id, sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId }
    const quote = await app.invoke('bookings:previewTransfer', request)
    const diff = 2 * P.pottery - 2 * P.yogaConcession
    expect(quote).toEqual({
      currency: 'GBP',
      oldTotalMinor: 2 * P.yogaConcession,
      newTotalMinor: 2 * P.pottery,
      differenceMinor: diff,
      outstandingAfterMinor: diff,
      spacesLeft: 20,
    })
    // The preview wrote nothing.
    expect(await seatsTaken(cat.pottery.sessionId)).toBe(0)

    const { booking: moved, differenceMinor } = await app.invoke('bookings:transfer', request)
    expect(differenceMinor).toBe(diff)
    expect(moved).toMatchObject({ totalMinor: 2 * P.pottery, paidMinor: 2 * P.yogaConcession, outstandingMinor: diff, summary: 'Pottery taster ×2', kind: 'booking' })
    expect(moved.lines[0]).toMatchObject({ sessionId: cat.pottery.sessionId, itemName: 'Pottery taster', priceOptionName: 'Standard', unitMinor: P.pottery, quantity: 2 })
    expect(moved.startsAt).toBe(moved.lines[0]!.startsAt)
    expect(await seatsTaken(cat.yoga.sessionId)).toBe(0)
    expect(await seatsTaken(cat.pottery.sessionId)).toBe(2)
    expect((await app.db('booking_lines').where({ id: request.lineId }).first('description')).description).toBe('Pottery taster — Standard')

    const entry = moved.history[0]!
    expect(entry.action).toBe('booking.transferred')
    expect(entry.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['Session', expect.stringContaining('Yoga Flow'), expect.stringContaining('Pottery taster')],
      ['Price option', 'Concession', 'Standard'],
      ['Total', '£16.00', '£60.00'],
      ['Outstanding', '£0.00', '£44.00'],
    ])
    const onCustomer = await app.invoke('customers:changes', { id: customerId, kind: 'bookings' })
    expect(onCustomer[0]).toEqual(entry)
  })

  it('shows a credit when the new price is lower, and keeps pass-covered lines covered', async () => {
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customerId },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }],
      payment: { amountMinor: P.yogaAdult, method: 'cash' },
    })
    const request = { bookingId: booking.id, lineId: booking.lines[0]!.id, sessionId: cat.yoga.smallSessionId, priceOptionId: cat.yoga.concessionOptionId }
    const { booking: moved, differenceMinor } = await app.invoke('bookings:transfer', request)
    expect(differenceMinor).toBe(P.yogaConcession - P.yogaAdult)
    expect(moved).toMatchObject({ totalMinor: P.yogaConcession, paidMinor: P.yogaAdult, outstandingMinor: P.yogaConcession - P.yogaAdult })

    const passId = (await sellTestPlan(app, customerId, { kind: 'pass', name: '5-class pass', credits: 5, priceMinor: 5000 }, { startsOn: '2026-03-02' })).planId
    const covered = (
      await app.invoke('bookings:create', {
        customer: { kind: 'existing', id: customerId },
        lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 }],
        passId,
      })
    ).booking
    const passMove = await app.invoke('bookings:transfer', {
      bookingId: covered.id,
      lineId: covered.lines[0]!.id,
      sessionId: cat.pottery.sessionId,
      priceOptionId: cat.pottery.optionId,
    })
    expect(passMove.differenceMinor).toBe(0)
    expect(passMove.booking.lines[0]).toMatchObject({ coveredByPass: true, unitMinor: 0, totalMinor: 0 })
    expect((await app.invoke('plans:list', { customerId })).passes[0]).toMatchObject({ creditsUsed: 2, creditsLeft: 3 })
  })

  it('refuses what cannot be transferred', async () => {
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customerId },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 3 }],
    })
    const lineId = booking.lines[0]!.id
    const attempt = (sessionId: number, priceOptionId: number, other: Record<string, number> = {}) =>
      app.call('bookings:previewTransfer', { bookingId: booking.id, lineId, sessionId, priceOptionId, ...other })
    expect(await attempt(cat.yoga.sessionId, cat.yoga.adultOptionId)).toMatchObject({ ok: false, error: { field: 'sessionId' } })
    expect(await attempt(cat.yoga.smallSessionId, cat.yoga.adultOptionId)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'sessionId', message: expect.stringContaining('Only 2 places left') },
    })
    expect(await attempt(cat.pottery.sessionId, cat.yoga.adultOptionId)).toMatchObject({ ok: false, error: { field: 'priceOptionId' } })
    expect(await attempt(cat.pottery.sessionId, cat.pottery.optionId, { lineId: 9999 })).toMatchObject({ ok: false, error: { field: 'lineId' } })
    const euro = await app.invoke('catalogue:saveItem', { kind: 'event', name: 'Paris trip', priceOptions: [{ name: 'Seat', amountMinor: 9900, currency: 'EUR' }] })
    const trip = await app.invoke('catalogue:saveSession', { itemId: euro.id, startsAt: '2026-04-01T09:00:00Z', endsAt: '2026-04-01T18:00:00Z', capacity: 5 })
    expect(await attempt(trip.id, euro.priceOptions[0]!.id)).toMatchObject({ ok: false, error: { field: 'priceOptionId', message: expect.stringContaining('GBP') } })

    await app.invoke('bookings:setStatus', { id: booking.id, status: 'cancelled' })
    expect(await app.call('bookings:transfer', { bookingId: booking.id, lineId, sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
  })

  it('changes only the price when the session stays the same, keeping the places', async () => {
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customerId },
      lines: [{ sessionId: cat.yoga.smallSessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 }],
    })
    // The session is full (2 of 2), yet the same places can move to another price.
    const { booking: after, differenceMinor } = await app.invoke('bookings:transfer', {
      bookingId: booking.id,
      lineId: booking.lines[0]!.id,
      sessionId: cat.yoga.smallSessionId,
      priceOptionId: cat.yoga.concessionOptionId,
    })
    expect(differenceMinor).toBe(2 * (P.yogaConcession - P.yogaAdult))
    expect(after.totalMinor).toBe(2 * P.yogaConcession)
    expect(after.lines[0]).toMatchObject({ sessionId: cat.yoga.smallSessionId, priceOptionName: 'Concession', unitMinor: P.yogaConcession })
    expect(await seatsTaken(cat.yoga.smallSessionId)).toBe(2)
  })
})
