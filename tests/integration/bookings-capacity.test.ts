import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'

const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
let customerId: number
beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  customerId = (await app.invoke('customers:create', { firstName: 'Grace', lastName: 'Hopper' })).id
})
afterEach(async () => {
  await app.cleanup()
})

type Line = { sessionId: number; priceOptionId: number; quantity?: number }
const book = (lines: Line[]) => app.call('bookings:create', { customer: { kind: 'existing', id: customerId }, lines })
const small = (quantity: number): Line => ({ sessionId: cat.yoga.smallSessionId, priceOptionId: cat.yoga.adultOptionId, quantity })
const seatsTaken = async (sessionId: number) =>
  ((await app.db('catalogue_sessions').where({ id: sessionId }).first('seats_taken')) as { seats_taken: number }).seats_taken

describe('capacity', () => {
  it('fills a session exactly, refuses one more with a clear message, and frees a place on cancel', async () => {
    const first = await book([small(2)])
    expect(first.ok).toBe(true)
    expect(await seatsTaken(cat.yoga.smallSessionId)).toBe(2)

    const over = await book([small(1)])
    expect(over).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'lines.0.quantity', message: expect.stringMatching(/^No places left on Yoga Flow, \w{3} \d+ \w{3} \d\d:\d\d\.$/) } })
    expect(await app.db('bookings').count({ n: '*' })).toEqual([{ n: 1 }])

    if (!first.ok) return
    await app.invoke('bookings:setStatus', { id: first.data.booking.id, status: 'cancelled' })
    expect(await seatsTaken(cat.yoga.smallSessionId)).toBe(0)
    expect((await book([small(1)])).ok).toBe(true)
    const [session] = await app.invoke('catalogue:sessions', { itemId: cat.yoga.itemId, from: '2026-03-09T00:00:00Z' })
    expect(session).toMatchObject({ capacity: 2, seatsTaken: 1, spacesLeft: 1 })
  })

  it('says how many places are left when some are', async () => {
    const result = await book([small(3)])
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Only 2 places left on Yoga Flow, \w{3} \d+ Mar \d\d:\d\d\.$/) } })
  })

  it('counts two lines on the same session together', async () => {
    const result = await book([small(1), { ...small(2), priceOptionId: cat.yoga.concessionOptionId }])
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'lines.1.quantity', message: expect.stringContaining('Only 2 places left') } })
    const fits = await book([small(1), { ...small(1), priceOptionId: cat.yoga.concessionOptionId }])
    expect(fits).toMatchObject({ ok: true, data: { booking: { totalMinor: 1250 + 800, summary: 'Yoga Flow ×2' } } })
    expect(await seatsTaken(cat.yoga.smallSessionId)).toBe(2)
  })

  it('keeps seats_taken equal to a recount of the lines after a mixed sequence', async () => {
    const made: number[] = []
    for (const lines of [
      [small(1), { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 3 }],
      [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 4 }],
      [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.concessionOptionId, quantity: 2 }],
      [{ sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId }],
    ]) {
      const result = await book(lines)
      if (result.ok) made.push(result.data.booking.id)
    }
    await book([small(5)]) // refused: only 1 left
    await app.invoke('bookings:setStatus', { id: made[2]!, status: 'cancelled' })
    const potteryBooking = await app.invoke('bookings:get', { id: made[1]! })
    await app.invoke('bookings:transfer', {
      bookingId: made[1]!,
      lineId: potteryBooking.lines[0]!.id,
      sessionId: cat.yoga.sessionId,
      priceOptionId: cat.yoga.adultOptionId,
    })
    const first = await app.invoke('bookings:get', { id: made[0]! })
    await app.invoke('bookings:transfer', {
      bookingId: made[0]!,
      lineId: first.lines[0]!.id,
      sessionId: cat.pottery.sessionId,
      priceOptionId: cat.pottery.optionId,
    })
    await app.invoke('bookings:setStatus', { id: made[3]!, status: 'completed' })

    const recount = (await app
      .db('catalogue_sessions as s')
      .leftJoin(
        app.db('booking_lines as l').join('bookings as b', 'b.id', 'l.booking_id').whereNot('b.status', 'cancelled').groupBy('l.session_id').select('l.session_id', app.db.raw('sum(l.quantity) as n')).as('c'),
        'c.session_id',
        's.id',
      )
      .select('s.id', 's.seats_taken', 'c.n')) as Array<{ id: number; seats_taken: number; n: number | null }>
    for (const row of recount) expect([row.id, row.seats_taken]).toEqual([row.id, Number(row.n ?? 0)])
    expect(recount.find((r) => r.id === cat.yoga.sessionId)!.seats_taken).toBe(3 + 4)
  })
})

describe('catalogue edits against bookings', () => {
  it('refuses archived prices, capacity below booked places, and deleting what was booked', async () => {
    expect((await book([small(2)])).ok).toBe(true)
    const [yoga] = (await app.invoke('catalogue:list', undefined)).filter((i) => i.id === cat.yoga.itemId)
    // Leaving the booked Adult price out archives it; the unbooked Concession is archived explicitly.
    const saved = await app.invoke('catalogue:saveItem', {
      id: yoga!.id,
      kind: 'class',
      name: 'Yoga Flow',
      priceOptions: [
        { id: cat.yoga.concessionOptionId, name: 'Concession', amountMinor: 800, currency: 'GBP', archived: true },
        { name: 'Drop-in', amountMinor: 1500, currency: 'GBP' },
      ],
    })
    expect(saved.priceOptions.map((o) => [o.name, o.archived])).toEqual([
      ['Concession', true],
      ['Drop-in', false],
      ['Adult', true],
    ])
    expect(await book([{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }])).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'lines.0.priceOptionId', message: expect.stringContaining('no longer offered') },
    })
    // A price of another item is refused too.
    expect(await book([{ sessionId: cat.yoga.sessionId, priceOptionId: cat.pottery.optionId }])).toMatchObject({
      ok: false,
      error: { field: 'lines.0.priceOptionId' },
    })
    // Unbooked options left out are removed for good.
    await app.invoke('catalogue:saveItem', { id: cat.pottery.itemId, kind: 'event', name: 'Pottery taster', priceOptions: [{ name: 'New', amountMinor: 1, currency: 'GBP' }] })
    expect(await app.db('price_options').where({ id: cat.pottery.optionId }).first()).toBeUndefined()

    const session = (await app.invoke('catalogue:sessions', { itemId: cat.yoga.itemId, from: '2026-03-09T00:00:00Z' }))[0]!
    const shrink = await app.call('catalogue:saveSession', { id: session.id, itemId: cat.yoga.itemId, startsAt: session.startsAt, endsAt: session.endsAt, capacity: 1 })
    expect(shrink).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'capacity', message: '2 places are already booked, so the session needs at least 2.' },
    })
    const grown = await app.invoke('catalogue:saveSession', { id: session.id, itemId: cat.yoga.itemId, startsAt: session.startsAt, endsAt: session.endsAt, capacity: 5 })
    expect(grown).toMatchObject({ capacity: 5, seatsTaken: 2, spacesLeft: 3 })

    expect(await app.call('catalogue:deleteSession', { id: session.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('catalogue:deleteItem', { id: cat.yoga.itemId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Yoga Flow has bookings; make it inactive instead.' },
    })
    expect(await app.invoke('catalogue:deleteSession', { id: cat.pottery.sessionId })).toEqual({ deleted: 1 })
    const left = await app.invoke('catalogue:deleteItem', { id: cat.pottery.itemId })
    expect(left.map((i) => i.name)).toEqual(['Massage 60 min', 'Yoga Flow'])

    // An inactive item keeps its bookings but takes no new ones.
    await app.invoke('catalogue:saveItem', { id: cat.massage.itemId, kind: 'appointment', name: 'Massage 60 min', active: false, priceOptions: [{ id: cat.massage.optionId, name: 'Standard', amountMinor: 4500, currency: 'GBP' }] })
    expect(await book([{ sessionId: cat.massage.sessionId, priceOptionId: cat.massage.optionId }])).toMatchObject({ ok: false, error: { field: 'lines.0.sessionId' } })
  })

  it('refuses sessions that have ended and mixed currencies', async () => {
    const past = await app.invoke('catalogue:saveSession', { itemId: cat.yoga.itemId, startsAt: '2026-03-01T09:00:00Z', endsAt: '2026-03-01T10:00:00Z', capacity: 5 })
    expect(await book([{ sessionId: past.id, priceOptionId: cat.yoga.adultOptionId }])).toMatchObject({
      ok: false,
      error: { field: 'lines.0.sessionId', message: expect.stringContaining('has already ended') },
    })
    const euro = await app.invoke('catalogue:saveItem', { kind: 'event', name: 'Paris trip', priceOptions: [{ name: 'Seat', amountMinor: 9900, currency: 'eur' }] })
    const trip = await app.invoke('catalogue:saveSession', { itemId: euro.id, startsAt: '2026-04-01T09:00:00Z', endsAt: '2026-04-01T18:00:00Z', capacity: 5 })
    expect(await book([small(1), { sessionId: trip.id, priceOptionId: euro.priceOptions[0]!.id }])).toMatchObject({
      ok: false,
      error: { field: 'lines.1.priceOptionId', message: expect.stringContaining('EUR') },
    })
  })
})
