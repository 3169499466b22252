import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, sessionTimes, type TestCatalogue } from '../helpers/catalogue'

const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
})
afterEach(async () => {
  await app.cleanup()
})

describe('the catalogue', () => {
  it('lists items with prices in order and upcoming sessions', async () => {
    const items = await app.invoke('catalogue:list', undefined)
    const yoga = items.find((i) => i.id === cat.yoga.itemId)!
    expect(yoga.priceOptions.map((o) => [o.name, o.amountMinor, o.currency])).toEqual([
      ['Adult', 1250, 'GBP'],
      ['Concession', 800, 'GBP'],
    ])
    expect(yoga.upcomingSessions).toBe(2)
    expect(yoga.location).toBe('Studio 1')
    const sessions = await app.invoke('catalogue:sessions', { itemId: cat.yoga.itemId })
    expect(sessions.map((s) => [s.capacity, s.spacesLeft, s.location])).toEqual([
      [10, 10, 'Studio 1'],
      [2, 2, 'Studio 1'],
    ])
    const all = await app.invoke('catalogue:sessions', {})
    expect(all.map((s) => s.startsAt)).toEqual([...all.map((s) => s.startsAt)].sort())
    expect(all).toHaveLength(4)
    const early = await app.invoke('catalogue:sessions', { to: sessionTimes(NOW, 3).startsAt })
    expect(early.map((s) => s.id)).toEqual([cat.yoga.sessionId, cat.massage.sessionId])
  })

  it('moves the bookings of a session when its date changes, so upcoming and past stay right', async () => {
    const customer = await app.invoke('customers:create', { firstName: 'Ada', lastName: 'Byron' })
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customer.id },
      lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId }],
    })
    const moved = sessionTimes(NOW, -2, 3)
    await app.invoke('catalogue:saveSession', { id: cat.pottery.sessionId, itemId: cat.pottery.itemId, ...moved, capacity: 20 })
    expect((await app.invoke('bookings:get', { id: booking.id })).startsAt).toBe(moved.startsAt)
    const list = (filter: 'upcoming' | 'past') => app.invoke('bookings:listForCustomer', { customerId: customer.id, filter }).then((page) => page.rows)
    expect((await list('upcoming')).map((b) => b.id)).toEqual([])
    expect((await list('past')).map((b) => b.id)).toEqual([booking.id])
    expect((await app.invoke('bookings:warnings', { customerId: customer.id })).future).toEqual([])
  })

  it('keeps a booked item of the kind it was booked as (bookings and appointments are counted by it)', async () => {
    const customer = await app.invoke('customers:create', { firstName: 'Ada', lastName: 'Byron' })
    const item = (await app.invoke('catalogue:list', undefined)).find((i) => i.id === cat.pottery.itemId)!
    const asAppointment = { id: item.id, kind: 'appointment' as const, name: item.name, priceOptions: item.priceOptions.map(({ id, name, amountMinor, currency }) => ({ id, name, amountMinor, currency })) }
    await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: customer.id },
      lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId }],
    })
    expect(await app.call('catalogue:saveItem', asAppointment)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'kind', message: 'Pottery taster has bookings, so it stays an event. Create a new item instead.' },
    })
    expect(await app.invoke('customers:summary', { id: customer.id })).toMatchObject({ bookings: 1, appointments: 0 })
    // Renaming is still fine.
    expect((await app.invoke('catalogue:saveItem', { ...asAppointment, kind: 'event', name: 'Pottery for beginners' })).name).toBe('Pottery for beginners')
  })
})
