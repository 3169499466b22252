import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'

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

const line = () => ({ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId })
const caller = (who: { firstName?: string; lastName?: string; email?: string; phone?: string; newCustomer?: boolean }) =>
  app.call('bookings:create', { customer: { kind: 'caller', ...who }, lines: [line()] })
const countCustomers = async () => Number(((await app.db('customers').count({ n: '*' })) as Array<{ n: number }>)[0]!.n)

describe('the caller: found by email or phone, created otherwise, never duplicated', () => {
  it('reuses a customer by email (any case) and by phone (any format), and creates a new caller once', async () => {
    const ada = await app.invoke('customers:create', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'Ada@Example.com',
      phones: [{ number: '07700 900123', isPrimary: true }],
    })
    expect(await app.invoke('bookings:findCaller', { query: ' ada@EXAMPLE.com ' })).toMatchObject({ matchedBy: 'email', customers: [{ id: ada.id }] })
    expect(await app.invoke('bookings:findCaller', { query: '+44 (0)7700-900123' })).toMatchObject({
      matchedBy: 'phone',
      customers: [{ id: ada.id, phone: '07700 900123', email: 'Ada@Example.com' }],
    })
    expect(await app.invoke('bookings:findCaller', { query: 'nobody@example.com' })).toEqual({ matchedBy: null, customers: [] })
    expect(await app.invoke('bookings:findCaller', { query: 'not a number' })).toEqual({ matchedBy: null, customers: [] })

    const byEmail = await caller({ firstName: 'Someone', email: 'ADA@example.com ' })
    expect(byEmail).toMatchObject({ ok: true, data: { customerCreated: false, booking: { customer: { id: ada.id } } } })
    const byPhone = await caller({ firstName: 'Ada', phone: '+447700900123' })
    expect(byPhone).toMatchObject({ ok: true, data: { customerCreated: false, booking: { customer: { id: ada.id } } } })
    expect(await countCustomers()).toBe(1)

    const fresh = await caller({ firstName: 'New', lastName: 'Caller', email: 'new@example.com', phone: '07700 900999' })
    expect(fresh).toMatchObject({
      ok: true,
      data: { customerCreated: true, booking: { customer: { displayName: 'New Caller', email: 'new@example.com', phone: '07700 900999' } } },
    })
    expect(await countCustomers()).toBe(2)
    // The next call from the same number finds them.
    expect(await caller({ phone: '07700900999' })).toMatchObject({ ok: true, data: { customerCreated: false } })
    expect(await countCustomers()).toBe(2)
    if (!fresh.ok) return
    const created = await app.invoke('customers:get', { id: fresh.data.booking.customer!.id })
    expect(created.source).toBe('phone')
    const changes = await app.invoke('customers:changes', { id: created.id })
    expect(changes.map((c) => c.action).sort()).toEqual(['booking.created', 'booking.created', 'customer.created'])
  })

  it('asks to pick when several customers share the number, and checks a new caller’s details', async () => {
    await app.invoke('customers:create', { firstName: 'One', phones: [{ number: '07700 900555' }] })
    await app.invoke('customers:create', { firstName: 'Two', phones: [{ number: '+44 7700 900555' }] })
    expect(await caller({ phone: '07700900555' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'customer.phone', message: expect.stringContaining('Pick one on the list') },
    })
    expect(await caller({ firstName: 'X', phone: '12' })).toMatchObject({ ok: false, error: { field: 'customer.phone' } })
    expect(await caller({ firstName: 'X', email: 'not-an-email' })).toMatchObject({ ok: false, error: { field: 'customer.email' } })
    expect(await caller({ phone: '07700 900777' })).toMatchObject({ ok: false, error: { field: 'customer.firstName' } })
    expect(await countCustomers()).toBe(2)
  })
})

describe('a caller who is not quite someone on file', () => {
  it('never books a new email with someone else’s phone onto that person: the desk chooses them, or a new customer', async () => {
    const ada = await app.invoke('customers:create', { firstName: 'Ada', email: 'ada@example.com', phones: [{ number: '07700 900123' }] })
    const refused = await caller({ firstName: 'Bea', email: 'bea@example.com', phone: '07700 900123' })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'customer.phone', message: expect.stringContaining(`Ada (${ada.number})`) },
    })
    expect(await countCustomers()).toBe(1)
    expect(await app.db('bookings').count({ n: '*' })).toEqual([{ n: 0 }])
    // "It is someone new": a new customer, sharing the number.
    const fresh = await caller({ firstName: 'Bea', email: 'bea@example.com', phone: '07700 900123', newCustomer: true })
    expect(fresh).toMatchObject({ ok: true, data: { customerCreated: true, booking: { customer: { displayName: 'Bea', email: 'bea@example.com' } } } })
    expect(await countCustomers()).toBe(2)
    // Now both have the number: the look-up lists both.
    expect((await app.invoke('bookings:findCaller', { query: '07700900123' })).customers.map((c) => c.displayName).sort()).toEqual(['Ada', 'Bea'])
    // The phone alone, or with the person's own email, still finds them.
    expect(await caller({ email: 'ada@example.com', phone: '07700 900123' })).toMatchObject({ ok: true, data: { customerCreated: false, booking: { customer: { id: ada.id } } } })
  })

  it('finds a household by its shared email: the payer and each member, to choose from', async () => {
    const payer = await app.invoke('customers:create', { firstName: 'Pat', lastName: 'Parent', email: 'family@example.com' })
    const kid = await app.invoke('customers:create', { firstName: 'Kit', lastName: 'Parent' })
    const partner = await app.invoke('customers:create', { firstName: 'Sam', lastName: 'Parent' })
    await app.invoke('customers:setHousehold', { id: kid.id, payerId: payer.id })
    await app.invoke('customers:setHousehold', { id: partner.id, payerId: payer.id })
    const found = await app.invoke('bookings:findCaller', { query: 'Family@Example.com' })
    expect(found.matchedBy).toBe('email')
    expect(found.customers.map((c) => c.id)).toEqual([payer.id, partner.id, kid.id])
    // A booking made with the shared email alone asks who is coming, and books nobody meanwhile.
    expect(await caller({ firstName: 'Kit', email: 'family@example.com' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'customer.email', message: expect.stringContaining('Pick who is coming') },
    })
    expect(await countCustomers()).toBe(3)
    expect(await app.db('bookings').count({ n: '*' })).toEqual([{ n: 0 }])
  })
})

describe('contact details live on the customer', () => {
  it('shows a changed phone and email in every booking of the customer', async () => {
    const grace = await app.invoke('customers:create', { firstName: 'Grace', email: 'grace@example.com', phones: [{ number: '07700 900111' }] })
    const ids: number[] = []
    for (let i = 0; i < 3; i += 1) {
      ids.push((await app.invoke('bookings:create', { customer: { kind: 'existing', id: grace.id }, lines: [line()] })).booking.id)
    }
    await app.invoke('customers:update', {
      id: grace.id,
      customer: {
        firstName: 'Grace',
        email: 'grace.hopper@example.com',
        phones: [
          { id: grace.phones[0]!.id, number: '07700 900111' },
          { number: '07700 900222', isPrimary: true },
        ],
      },
    })
    for (const id of ids) {
      const booking = await app.invoke('bookings:get', { id })
      expect(booking.customer).toMatchObject({ email: 'grace.hopper@example.com', phone: '07700 900222' })
    }
  })
})

describe('who can be booked', () => {
  it('refuses a blocked customer with the reason', async () => {
    const blocked = await app.invoke('customers:create', { firstName: 'Barry', lastName: 'Blocked' })
    await app.invoke('customers:block', { id: blocked.id, reason: 'Unpaid bills' })
    const result = await app.call('bookings:create', { customer: { kind: 'existing', id: blocked.id }, lines: [line()] })
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: `Barry Blocked (${blocked.number}) is blocked (Unpaid bills) and cannot be booked.` } })
    expect(await app.db('bookings').count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('asks before booking an archived customer, then unarchives them in the same step', async () => {
    const archived = await app.invoke('customers:create', { firstName: 'Arch', lastName: 'Ive', email: 'arch@example.com' })
    await app.invoke('customers:archive', { id: archived.id })
    const asked = await app.call('bookings:create', { customer: { kind: 'existing', id: archived.id }, lines: [line()] })
    expect(asked).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'unarchive', message: expect.stringContaining('will unarchive') } })
    expect((await app.invoke('customers:get', { id: archived.id })).status).toBe('archived')

    // Found by email as a caller too, and the same confirmation applies.
    const confirmed = await app.invoke('bookings:create', {
      customer: { kind: 'caller', email: 'arch@example.com' },
      lines: [line()],
      unarchive: true,
    })
    expect(confirmed).toMatchObject({ customerCreated: false, customerUnarchived: true, booking: { customer: { id: archived.id, status: 'active' } } })
    const changes = await app.invoke('customers:changes', { id: archived.id, kind: 'status' })
    expect(changes[0]!.action).toBe('customer.unarchived')
  })

  it('refuses customers in the recycle bin and unknown ones', async () => {
    const gone = await app.invoke('customers:create', { firstName: 'Gone' })
    await app.invoke('customers:delete', { id: gone.id })
    expect(await app.call('bookings:create', { customer: { kind: 'existing', id: gone.id }, lines: [line()] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('bookings:create', { customer: { kind: 'existing', id: 9999 }, lines: [line()] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
