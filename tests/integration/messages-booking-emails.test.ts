import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import { updateMailSettings } from '../../main/services/mail/update'
import { sweepReminders } from '../../main/services/messages/reminders'
import { MemorySecretStore } from '../../main/secrets'

/** Booking confirmations (a setting per item) and the reminders swept before each session. */
describe('booking emails', () => {
  let app: TestCore
  let cat: TestCatalogue
  const secrets = new MemorySecretStore()

  beforeEach(async () => {
    app = await openTestCore({ secrets })
    cat = await createCatalogue(app)
  })
  afterEach(async () => {
    await app.cleanup()
  })

  /** Email set up with a server nobody listens on: what is queued stays queued for the test to see. */
  async function setUpMail(patch: { reminderHours?: number } = {}) {
    await updateMailSettings(app.context(), secrets, { host: '127.0.0.1', port: 9, fromName: 'Studio', fromAddress: 'desk@studio.example', ...patch })
  }

  async function customer(first: string, email = `${first.toLowerCase()}@example.org`): Promise<number> {
    return (await app.invoke('customers:create', { firstName: first, lastName: 'Booker', email })).id
  }

  async function book(customerId: number, line: { sessionId: number; priceOptionId: number } = { sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }) {
    return (await app.invoke('bookings:create', { customer: { kind: 'existing', id: customerId }, lines: [line] })).booking
  }

  const messagesOf = (bookingId: number) =>
    app.db('messages').where({ booking_id: bookingId }).orderBy('id').select('kind', 'status', 'to_address', 'subject', 'body_text', 'staff_name') as Promise<
      Array<{ kind: string; status: string; to_address: string; subject: string; body_text: string; staff_name: string }>
    >

  it('queues the confirmation with the booking when email is set up and the item sends them', async () => {
    await setUpMail()
    const ann = await customer('Ann')
    const booking = await book(ann)
    const [message] = await messagesOf(booking.id)
    expect(message).toMatchObject({ kind: 'confirmation', status: 'queued', to_address: 'ann@example.org' })
    expect(message!.body_text).toContain(booking.reference)
    expect(await messagesOf(booking.id)).toHaveLength(1)
  })

  it('confirms a booking for a new caller, made with the booking', async () => {
    await setUpMail()
    const { booking, customerCreated } = await app.invoke('bookings:create', {
      customer: { kind: 'caller', firstName: 'Nell', lastName: 'Newcomer', email: 'nell@example.org' },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId }],
    })
    expect(customerCreated).toBe(true)
    expect((await messagesOf(booking.id)).map((m) => [m.kind, m.to_address])).toEqual([['confirmation', 'nell@example.org']])
  })

  it('sends no confirmation while email is not set up, nor for an item set not to', async () => {
    const ann = await customer('Ann')
    expect(await messagesOf((await book(ann)).id)).toEqual([])

    await setUpMail()
    const item = (await app.invoke('catalogue:list', undefined)).find((i) => i.id === cat.pottery.itemId)!
    expect(item.confirmationEmail).toBe(true)
    const saved = await app.invoke('catalogue:saveItem', {
      id: item.id,
      kind: item.kind,
      name: item.name,
      confirmationEmail: false,
      priceOptions: item.priceOptions.map(({ id, name, amountMinor, currency }) => ({ id, name, amountMinor, currency })),
    })
    expect(saved.confirmationEmail).toBe(false)
    const potteryBooking = await book(ann, { sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId })
    expect(await messagesOf(potteryBooking.id)).toEqual([])
    // The other items still send theirs.
    expect((await messagesOf((await book(ann)).id)).map((m) => m.kind)).toEqual(['confirmation'])
  })

  it('still makes the booking when the confirmation template is missing', async () => {
    await setUpMail()
    // Not possible from the screens (a purpose keeps its last template), but a booking must never fail for it.
    await app.db('email_templates').where({ purpose: 'confirmation' }).delete()
    const booking = await book(await customer('Ann'))
    expect(booking.reference).toMatch(/^B-/)
    expect(await messagesOf(booking.id)).toEqual([])
  })

  it('sends no confirmation to a customer without an email address or who asked for no emails', async () => {
    await setUpMail()
    const noEmail = await customer('Nobody', '')
    const quiet = await customer('Quiet')
    await app.invoke('customers:setPreferences', { id: quiet, marketingConsent: false, unsubscribed: true, channel: 'phone', wording: '' })
    expect(await messagesOf((await book(noEmail)).id)).toEqual([])
    expect(await messagesOf((await book(quiet)).id)).toEqual([])
  })

  it('queues each reminder once, only within the hours before the session, and none for a cancelled booking', async () => {
    await setUpMail({ reminderHours: 24 })
    const ann = await customer('Ann')
    const bob = await customer('Bob')
    const annBooking = await book(ann)
    const bobBooking = await book(bob)
    const startsAt = new Date(annBooking.startsAt!)
    const ctx = app.context()
    const hoursBefore = (h: number) => new Date(startsAt.getTime() - h * 3_600_000)

    // 30 hours before: outside the window.
    expect(await sweepReminders(ctx, hoursBefore(30))).toEqual({ due: 0, queued: 0 })
    await app.invoke('bookings:setStatus', { id: bobBooking.id, status: 'cancelled', reason: '' })
    // 20 hours before: Ann's is due; Bob's was cancelled.
    expect(await sweepReminders(ctx, hoursBefore(20))).toEqual({ due: 1, queued: 1 })
    expect(await sweepReminders(ctx, hoursBefore(19))).toEqual({ due: 0, queued: 0 })
    const reminders = (await messagesOf(annBooking.id)).filter((m) => m.kind === 'reminder')
    expect(reminders).toHaveLength(1)
    expect(reminders[0]).toMatchObject({ status: 'queued', to_address: 'ann@example.org', staff_name: '' })
    expect((await messagesOf(bobBooking.id)).filter((m) => m.kind === 'reminder')).toEqual([])
    // After it has started: nothing more.
    expect(await sweepReminders(ctx, new Date(startsAt.getTime() + 60_000))).toEqual({ due: 0, queued: 0 })
  })

  it("takes a waiting reminder back when the booking is cancelled, and sends none when reminders are off", async () => {
    await setUpMail({ reminderHours: 48 })
    const ann = await customer('Ann')
    const booking = await book(ann)
    const before = new Date(new Date(booking.startsAt!).getTime() - 3_600_000)
    expect(await sweepReminders(app.context(), before)).toMatchObject({ queued: 1 })
    await app.invoke('bookings:setStatus', { id: booking.id, status: 'cancelled', reason: 'Ill' })
    expect((await messagesOf(booking.id)).find((m) => m.kind === 'reminder')).toMatchObject({ status: 'cancelled' })

    await setUpMail({ reminderHours: 0 })
    const other = await book(await customer('Bob'))
    expect(await sweepReminders(app.context(), new Date(new Date(other.startsAt!).getTime() - 3_600_000))).toEqual({ due: 0, queued: 0 })
  })

  it('runs the sweep from the app when asked', async () => {
    await setUpMail({ reminderHours: 72 })
    await book(await customer('Ann'))
    expect(await app.reminders.sweepNow()).toEqual({ due: 1, queued: 1 })
    expect(await app.reminders.sweepNow()).toEqual({ due: 0, queued: 0 })
  })
})
