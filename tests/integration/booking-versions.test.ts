import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import type { BookingDetail } from '../../preload/contract'

/*
 * Two desks acting on one booking: each action that changes it names the
 * version its screen loaded, and one taken from an older copy is refused
 * with what changed meanwhile, instead of undoing the other desk's work.
 */

let app: TestCore
let catalogue: TestCatalogue
let booking: BookingDetail
const bea = { id: 1, name: 'Bea at the other desk', role: 'admin' as const }

beforeEach(async () => {
  app = await openTestCore()
  catalogue = await createCatalogue(app)
  const customer = await app.invoke('customers:create', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', company: '', phones: [], addresses: [] })
  ;({ booking } = await app.invoke('bookings:create', {
    customer: { kind: 'existing', id: customer.id },
    lines: [{ sessionId: catalogue.yoga.sessionId, priceOptionId: catalogue.yoga.adultOptionId }],
  }))
})
afterEach(async () => {
  await app.cleanup()
})

describe('bookings changed on two desks', () => {
  it('shows the version the booking is at, moved on by every change', async () => {
    const loaded = await app.invoke('bookings:get', { id: booking.id })
    expect(loaded.version).toBe(booking.version)
    const paid = await app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 500, method: 'cash' })
    expect(paid.version).toBeGreaterThan(loaded.version)
  })

  it('refuses a status change made from an older copy, naming the other desk’s change, and takes it again on the booking as it is now', async () => {
    // The other desk marks it completed.
    await app.as(bea, () => app.invoke('bookings:setStatus', { id: booking.id, status: 'completed', version: booking.version }))
    // This desk, still showing it confirmed, marks it no-show.
    const result = await app.call('bookings:setStatus', { id: booking.id, status: 'no_show', version: booking.version })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('CONFLICT')
    expect(result.error.message).toMatch(new RegExp(`${booking.reference} was changed on another desk since you opened it`))
    expect(result.error.message).toContain('Bea at the other desk')
    const meanwhile = result.error.changedMeanwhile!
    const current = meanwhile.current as BookingDetail
    expect(current.status).toBe('completed')
    expect(meanwhile.version).toBe(current.version)
    expect(meanwhile.fields).toEqual([{ key: 'status', field: 'Status', theirs: 'Completed', yours: 'No-show', by: 'Bea at the other desk', at: expect.any(String) }])
    // Nothing of this desk's action was written.
    expect((await app.invoke('bookings:get', { id: booking.id })).status).toBe('completed')
    // Applying it on the booking as it is now goes through.
    const applied = await app.invoke('bookings:setStatus', { id: booking.id, status: 'no_show', version: meanwhile.version })
    expect(applied.status).toBe('no_show')
  })

  it('refuses cancelling from a copy older than a payment taken meanwhile, since the money then becomes credit', async () => {
    await app.as(bea, () => app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 1250, method: 'card' }))
    const result = await app.call('bookings:setStatus', { id: booking.id, status: 'cancelled', reason: 'Unwell', version: booking.version })
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    if (result.ok) return
    expect(result.error.message).toMatch(/latest: Payment of £12\.50 by card/)
    expect((result.error.changedMeanwhile!.current as BookingDetail).paidMinor).toBe(1250)
    expect((await app.invoke('bookings:get', { id: booking.id })).status).toBe('confirmed')
  })

  it('lets the action’s own rule speak when the other desk already did the same', async () => {
    await app.as(bea, () => app.invoke('bookings:setStatus', { id: booking.id, status: 'cancelled', version: booking.version }))
    const result = await app.call('bookings:setStatus', { id: booking.id, status: 'cancelled', version: booking.version })
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'A cancelled booking cannot be changed; make a new booking.' } })
    if (!result.ok) expect(result.error.changedMeanwhile).toBeUndefined()
  })

  it('refuses giving the booking to someone when another desk gave it to someone else meanwhile', async () => {
    const sam = await app.invoke('staff:create', { name: 'Sam', email: 'sam@example.com', role: 'staff', password: 'a long enough password' })
    const kim = await app.invoke('staff:create', { name: 'Kim', email: 'kim@example.com', role: 'staff', password: 'a long enough password' })
    await app.as(bea, () => app.invoke('bookings:assign', { id: booking.id, staffId: sam.id, version: booking.version }))
    const result = await app.call('bookings:assign', { id: booking.id, staffId: kim.id, version: booking.version })
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    if (result.ok) return
    expect(result.error.changedMeanwhile!.fields).toEqual([
      { key: 'assignedTo', field: 'Assigned to', theirs: 'Sam', yours: 'Kim', by: 'Bea at the other desk', at: expect.any(String) },
    ])
    expect((await app.invoke('bookings:get', { id: booking.id })).assignedTo?.name).toBe('Sam')
    // Giving it to whom the other desk already gave it is no change at all.
    expect((await app.invoke('bookings:assign', { id: booking.id, staffId: sam.id, version: booking.version })).assignedTo?.name).toBe('Sam')
  })

  it('refuses a transfer made from an older copy, naming the session the other desk moved it to', async () => {
    const line = booking.lines[0]!
    await app.as(bea, () =>
      app.invoke('bookings:transfer', { bookingId: booking.id, lineId: line.id, sessionId: catalogue.yoga.smallSessionId, priceOptionId: catalogue.yoga.adultOptionId, version: booking.version }),
    )
    const result = await app.call('bookings:transfer', {
      bookingId: booking.id,
      lineId: line.id,
      sessionId: catalogue.yoga.sessionId,
      priceOptionId: catalogue.yoga.concessionOptionId,
      version: booking.version,
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    if (result.ok) return
    const fields = result.error.changedMeanwhile!.fields
    expect(fields.map((f) => [f.key, f.by])).toEqual([
      ['session', 'Bea at the other desk'],
      ['priceOption', 'Bea at the other desk'],
    ])
    expect(fields[0]!.theirs).not.toBe(fields[0]!.yours)
    expect(fields[1]).toMatchObject({ theirs: 'Adult', yours: 'Concession' })
    const now = await app.invoke('bookings:get', { id: booking.id })
    expect(now.lines[0]!.sessionId).toBe(catalogue.yoga.smallSessionId)
    // A preview never refuses: it changes nothing.
    await app.invoke('bookings:previewTransfer', { bookingId: booking.id, lineId: line.id, sessionId: catalogue.yoga.sessionId, priceOptionId: catalogue.yoga.adultOptionId, version: booking.version })
  })

  it('takes payments and refunds from any copy: they add up, and the balance is checked as it is now', async () => {
    await app.as(bea, () => app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 1000, method: 'cash' }))
    // This desk still shows £12.50 owed; only £2.50 is now, and more is refused as ever.
    const over = await app.call('bookings:addPayment', { bookingId: booking.id, amountMinor: 1250, method: 'card' })
    expect(over).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'That is more than the £2.50 still owed.' } })
    const paid = await app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 250, method: 'card' })
    expect(paid.paidMinor).toBe(1250)
  })

  it('takes actions without a version (older callers) on the booking as it is', async () => {
    await app.as(bea, () => app.invoke('bookings:setStatus', { id: booking.id, status: 'completed' }))
    expect((await app.invoke('bookings:setStatus', { id: booking.id, status: 'no_show' })).status).toBe('no_show')
  })
})
