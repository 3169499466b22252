import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'

/** Home services: a booking of an item done at the customer's address records which address. */
const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue

beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  // The massage is done at the customer's home.
  await app.db('catalogue_items').where({ id: cat.massage.itemId }).update({ at_customer_address: true })
})
afterEach(async () => {
  await app.cleanup()
})

const address = (line1: string, postcode: string, isDefaultService = false) => ({ label: 'home' as const, line1, city: 'Leeds', postcode, isDefaultService })

async function customerWith(addresses: Array<ReturnType<typeof address>>, firstName = 'Ada') {
  return app.invoke('customers:create', { firstName, lastName: 'Lovelace', email: `${firstName.toLowerCase()}@example.com`, addresses })
}

const bookMassage = (customerId: number, addressId: number | null = null) =>
  app.call('bookings:create', { customer: { kind: 'existing', id: customerId }, lines: [{ sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId }], addressId })

async function untouched() {
  const [bookings] = (await app.db('bookings').count({ n: '*' })) as Array<{ n: number }>
  const seats = (await app.db('catalogue_sessions').where({ id: cat.massage.sessionId }).first('seats_taken')) as { seats_taken: number }
  return { bookings: bookings!.n, seats: seats.seats_taken }
}

describe('booking a home service', () => {
  it('uses the default service address unless another of theirs is chosen, and shows it on the booking and its row', async () => {
    const ada = await customerWith([address('1 Mill Lane', 'LS1 1AA'), address('9 Park Row', 'LS2 2BB', true)])
    const [first, service] = ada.addresses
    const made = await bookMassage(ada.id)
    expect(made.ok).toBe(true)
    const booking = made.ok ? made.data.booking : null
    expect(booking!.address).toEqual({ id: service!.id, label: 'home', text: '9 Park Row, Leeds LS2 2BB' })
    expect(await app.db('bookings').where({ id: booking!.id }).first('address_id')).toEqual({ address_id: service!.id })
    expect((await app.invoke('bookings:get', { id: booking!.id })).address?.text).toBe('9 Park Row, Leeds LS2 2BB')
    const page = await app.invoke('bookings:list', {})
    expect(page.rows.find((r) => r.id === booking!.id)?.address?.id).toBe(service!.id)
    const tab = await app.invoke('bookings:listForCustomer', { customerId: ada.id })
    expect(tab.rows[0]?.address?.text).toBe('9 Park Row, Leeds LS2 2BB')
    // The log says where.
    const entry = (await app.invoke('bookings:get', { id: booking!.id })).history.find((h) => h.action === 'booking.created')
    expect(JSON.stringify(entry)).toContain('9 Park Row')

    await app.invoke('bookings:setStatus', { id: booking!.id, status: 'cancelled' })
    const chosen = await bookMassage(ada.id, first!.id)
    expect(chosen.ok && chosen.data.booking.address?.id).toBe(first!.id)
  })

  it("refuses another customer's address, a customer with no address, and an address for what is not a home service; nothing is written", async () => {
    const ada = await customerWith([address('1 Mill Lane', 'LS1 1AA', true)])
    const bob = await customerWith([address('5 Other St', 'LS9 9ZZ')], 'Bob')
    const nobody = await customerWith([], 'Cy')
    const before = await untouched()

    const someoneElses = await bookMassage(ada.id, bob.addresses[0]!.id)
    expect(someoneElses).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { addressId: expect.stringContaining('not one of Ada Lovelace') } } })
    const none = await bookMassage(nobody.id)
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { addressId: expect.stringContaining('Cy Lovelace has no address yet') } } })
    const unknown = await bookMassage(ada.id, 99_999)
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { addressId: expect.any(String) } } })
    const notAtHome = await app.call('bookings:create', {
      customer: { kind: 'existing', id: ada.id },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }],
      addressId: ada.addresses[0]!.id,
    })
    expect(notAtHome).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { addressId: expect.any(String) } } })
    expect(await untouched()).toEqual(before)

    // A class at the studio records no address.
    const studio = await app.invoke('bookings:create', { customer: { kind: 'existing', id: nobody.id }, lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }] })
    expect(studio.booking.address).toBeNull()
  })

  it('a booking moved onto a home service is done at the default service address; with no address the move is refused and nothing changes', async () => {
    const ada = await customerWith([address('1 Mill Lane', 'LS1 1AA'), address('9 Park Row', 'LS2 2BB', true)])
    const cy = await customerWith([], 'Cy')
    const yogaFor = (id: number) =>
      app.invoke('bookings:create', { customer: { kind: 'existing', id }, lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }] })
    const moved = (booking: Awaited<ReturnType<typeof yogaFor>>['booking']) =>
      app.call('bookings:transfer', { bookingId: booking.id, lineId: booking.lines[0]!.id, sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId })

    // The massage has one place: Cy's refused move first, then Ada's.
    const cys = (await yogaFor(cy.id)).booking
    const before = await app.db('booking_lines').where({ booking_id: cys.id }).first()
    const refused = await moved(cys)
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('Cy Lovelace has no address yet') } })
    expect(await app.db('booking_lines').where({ booking_id: cys.id }).first()).toEqual(before)
    expect(await app.db('bookings').where({ id: cys.id }).first('address_id')).toEqual({ address_id: null })
    const adas = (await yogaFor(ada.id)).booking
    expect(adas.address).toBeNull()
    const done = await moved(adas)
    expect(done.ok && done.data.booking.address?.text).toBe('9 Park Row, Leeds LS2 2BB')
    const entry = (await app.invoke('bookings:get', { id: adas.id })).history.find((h) => h.action === 'booking.transferred')
    expect(JSON.stringify(entry)).toContain('9 Park Row')

  })
})
