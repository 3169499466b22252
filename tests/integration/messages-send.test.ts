import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue } from '../helpers/catalogue'
import type { StaffMember } from '../../main/services/context'

/*
 * Writing to one customer from the profile: who may not be written to and
 * why, what the queued message holds (addresses as the settings say, both
 * parts, no staff notes), its line on the customer's history, paging, and
 * the rules of Retry and Cancel. Email is not set up here (no server), so
 * what is queued stays queued.
 */

let app: TestCore | undefined
let now = new Date('2026-12-05T09:00:00.000Z')
afterEach(async () => {
  await app?.cleanup()
  app = undefined
  now = new Date('2026-12-05T09:00:00.000Z')
})

async function open(): Promise<TestCore> {
  app = await openTestCore({ clock: () => now })
  await app.invoke('mail:updateSettings', { fromName: 'Heron Studio', fromAddress: 'desk@heron.example', replyTo: 'hello@heron.example', staffAddress: 'replyTo' })
  return app
}

let serial = 0
async function customer(core: TestCore, email: string | null = `guest${++serial}@example.org`, firstName = 'Ottilie'): Promise<number> {
  const created = await core.invoke('customers:create', { firstName, lastName: `Brackenbury${++serial}`, email: email ?? '' })
  return created.id
}

const write = (core: TestCore, customerId: number, extra: Record<string, unknown> = {}) =>
  core.call('messages:send', { customerId, subject: 'Your class on Friday', body: 'Dear {{firstName}},\n\nSee you **soon**.', ...extra })

describe('sending an email from the profile', () => {
  it('refuses, with the reason, a customer who cannot be written to', async () => {
    const core = await open()
    const noEmail = await customer(core, null)
    const blocked = await customer(core)
    await core.invoke('customers:block', { id: blocked, reason: 'Abusive on the phone' })
    const archived = await customer(core)
    await core.invoke('customers:archive', { id: archived })
    const deleted = await customer(core)
    await core.invoke('customers:delete', { id: deleted })
    const unsubscribed = await customer(core)
    await core.invoke('customers:setPreferences', { id: unsubscribed, marketingConsent: false, unsubscribed: true, channel: 'phone', wording: '' })
    const erased = await customer(core)
    await core.runJob('privacy:erase', { customerId: erased, confirm: `C-${String(erased).padStart(6, '0')}` })
    const noConsent = await customer(core)

    const cases: Array<[number, 'general' | 'marketing', string, RegExp]> = [
      [noEmail, 'general', 'CONFLICT', /has no email address/],
      [blocked, 'general', 'CONFLICT', /is blocked/],
      [archived, 'general', 'CONFLICT', /is archived/],
      [deleted, 'general', 'CONFLICT', /recycle bin/],
      [unsubscribed, 'general', 'CONFLICT', /asked for no emails at all/],
      [erased, 'general', 'CONFLICT', /personal data was erased/],
      [noConsent, 'marketing', 'CONFLICT', /has not agreed to marketing emails/],
    ]
    for (const [id, kind, code, message] of cases) {
      const result = await write(core, id, { kind })
      expect(result.ok, `${id} ${kind}`).toBe(false)
      if (result.ok) continue
      expect(result.error.code).toBe(code)
      expect(result.error.message).toMatch(message)
    }
    expect(await core.db('messages').count({ n: '*' }).first()).toEqual({ n: 0 })
    // The profile learns the same reasons before anyone tries.
    const { refusals } = await core.invoke('messages:forCustomer', { customerId: noConsent, pageSize: 10 })
    expect(refusals).toEqual({ general: null, marketing: expect.stringMatching(/has not agreed/) })
    expect((await core.invoke('messages:forCustomer', { customerId: blocked, pageSize: 10 })).refusals.general).toMatch(/is blocked/)
  })

  it('refuses an unknown merge field, a template for automatic emails, and a marketing template sent as a plain email', async () => {
    const core = await open()
    const id = await customer(core)
    const unknown = await write(core, id, { body: 'Hello {{favouriteColour}}' })
    expect(unknown.ok).toBe(false)
    if (!unknown.ok) expect(unknown.error.code).toBe('VALIDATION')
    const templates = await core.invoke('mail:templates', undefined)
    const confirmation = templates.find((t) => t.purpose === 'confirmation')!
    const automatic = await core.call('messages:send', { customerId: id, templateId: confirmation.id })
    expect(automatic.ok).toBe(false)
    if (!automatic.ok) expect(automatic.error).toMatchObject({ code: 'VALIDATION', field: 'templateId' })
    const marketing = templates.find((t) => t.purpose === 'marketing')
    if (marketing) {
      const asGeneral = await core.call('messages:send', { customerId: id, templateId: marketing.id, kind: 'general' })
      expect(asGeneral.ok).toBe(false)
    }
    expect(await core.call('messages:send', { customerId: id, subject: 'Only a subject' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('queues the message from the business with the staff member as Reply-To, logs the subject only, and keeps staff notes out', async () => {
    const core = await open()
    const cat = await createCatalogue(core, { now })
    const id = await customer(core, 'ottilie@example.org', 'Ottilie')
    await core.invoke('notes:add', { customerId: id, body: 'SECRET-NOTE owes us a favour' })
    await core.invoke('bookings:create', {
      customer: { kind: 'existing', id },
      lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }],
      note: 'SECRET-BOOKING-NOTE bring the spare mat',
    })
    const created = await core.invoke('staff:create', { name: 'Wren Ashdown', email: 'wren@heron.example', role: 'staff', password: 'a long enough passphrase 1' })
    const wren: StaffMember = { id: created.id, name: 'Wren Ashdown', role: 'staff' }

    const sent = await core.as(wren, () => core.invoke('messages:send', { customerId: id, subject: 'Hello {{firstName}}', body: 'Dear {{firstName}},\n\nYour number is {{customerNumber}}. From {{staff.name}}.' }))
    expect(sent).toMatchObject({ kind: 'general', subject: 'Hello Ottilie', status: 'queued', toAddress: 'ottilie@example.org', staffName: 'Wren Ashdown', attempts: 0 })

    const row = (await core.db('messages').where({ id: sent.id }).first()) as Record<string, string>
    expect(row).toMatchObject({ from_name: 'Heron Studio', from_address: 'desk@heron.example', reply_to: 'wren@heron.example', to_address: 'ottilie@example.org', next_attempt_at: now.toISOString() })
    expect(row.message_id).toMatch(/^<[^@>]+@heron\.example>$/)
    expect(row.body_text).toContain('Dear Ottilie')
    expect(row.body_html).toContain('Dear Ottilie')
    expect(row.body_text).toContain(`Your number is C-${String(id).padStart(6, '0')}. From Wren Ashdown.`)
    for (const secret of ['SECRET-NOTE', 'SECRET-BOOKING-NOTE', 'Abusive']) {
      expect(row.body_text).not.toContain(secret)
      expect(row.body_html).not.toContain(secret)
    }

    const detail = await core.invoke('messages:get', { id: sent.id })
    expect(detail).toMatchObject({ fromAddress: 'desk@heron.example', replyTo: 'wren@heron.example', text: row.body_text, html: row.body_html })

    const log = (await core.db('change_log').where({ customer_id: id, action: 'message.queued' })) as Array<{ summary: string; staff_name: string; changes: string }>
    expect(log).toEqual([expect.objectContaining({ summary: 'Email queued: Hello Ottilie', staff_name: 'Wren Ashdown', changes: '[]' })])
    expect(JSON.stringify(log)).not.toContain('Your number')

    // With "from": the staff member's own address is the From.
    await core.invoke('mail:updateSettings', { staffAddress: 'from' })
    const own = await core.as(wren, () => core.invoke('messages:send', { customerId: id, subject: 'Again', body: 'Hi' }))
    expect(await core.db('messages').where({ id: own.id }).first('from_name', 'from_address', 'reply_to')).toEqual({
      from_name: 'Wren Ashdown',
      from_address: 'wren@heron.example',
      reply_to: 'wren@heron.example',
    })
  })

  it('adds the unsubscribe link and headers to a marketing email for a customer who agreed', async () => {
    const core = await open()
    const id = await customer(core)
    await core.invoke('customers:setPreferences', { id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Yes to news' })
    // Without the booking site there is no page to unsubscribe on: no marketing email goes.
    const noSite = await core.call('messages:send', { customerId: id, kind: 'marketing', subject: 'Spring timetable', body: 'New classes.' })
    expect(noSite).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'siteAddress' } })
    expect((await core.invoke('messages:forCustomer', { customerId: id, pageSize: 5 })).refusals).toEqual({ general: null, marketing: expect.stringMatching(/booking site's address/) })
    await core.invoke('mail:updateSettings', { siteAddress: 'https://book.heron.example' })
    const sent = await core.invoke('messages:send', { customerId: id, kind: 'marketing', subject: 'Spring timetable', body: 'New classes.' })
    const detail = await core.invoke('messages:get', { id: sent.id })
    expect(detail.kind).toBe('marketing')
    expect(detail.headers['List-Unsubscribe']).toMatch(/^<https:\/\/book\.heron\.example\/unsubscribe\?t=[A-Za-z0-9_-]+>, <mailto:desk@heron\.example\?subject=unsubscribe>$/)
    expect(detail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
    expect(detail.text).toContain('https://book.heron.example/unsubscribe?t=')
  })

  it('lists a customer’s messages newest first, a page at a time, and the outbox by status', async () => {
    const core = await open()
    const id = await customer(core)
    const other = await customer(core)
    const ids: number[] = []
    for (let i = 1; i <= 5; i++) {
      now = new Date(now.getTime() + 60_000)
      ids.push((await core.invoke('messages:send', { customerId: id, subject: `Note ${i}`, body: 'Hi' })).id)
    }
    await core.invoke('messages:send', { customerId: other, subject: 'Someone else', body: 'Hi' })
    const first = await core.invoke('messages:forCustomer', { customerId: id, pageSize: 2 })
    expect(first.rows.map((r) => r.subject)).toEqual(['Note 5', 'Note 4'])
    const second = await core.invoke('messages:forCustomer', { customerId: id, pageSize: 2, after: first.nextCursor! })
    const third = await core.invoke('messages:forCustomer', { customerId: id, pageSize: 2, after: second.nextCursor! })
    expect([...second.rows, ...third.rows].map((r) => r.subject)).toEqual(['Note 3', 'Note 2', 'Note 1'])
    expect(third.nextCursor).toBeNull()

    await core.db('messages').where({ id: ids[0] }).update({ status: 'failed', last_error: '550 Mailbox unavailable', attempts: 1 })
    const failed = await core.invoke('messages:outbox', { status: 'failed', pageSize: 10 })
    expect(failed.rows).toEqual([
      expect.objectContaining({ id: ids[0], customerId: id, customerNumber: `C-${String(id).padStart(6, '0')}`, lastError: '550 Mailbox unavailable' }),
    ])
    const all = await core.invoke('messages:outbox', { status: 'all', pageSize: 4 })
    expect(all.rows.map((r) => r.subject)).toEqual(['Someone else', 'Note 5', 'Note 4', 'Note 3'])
    expect(all.nextCursor).not.toBeNull()
    expect((await core.invoke('messages:outbox', { status: 'all', pageSize: 4, after: all.nextCursor! })).rows.map((r) => r.subject)).toEqual(['Note 2', 'Note 1'])
  })

  it('retries only failed messages and cancels only waiting ones, saying why not', async () => {
    const core = await open()
    const id = await customer(core)
    const a = await core.invoke('messages:send', { customerId: id, subject: 'A', body: 'Hi' })
    const b = await core.invoke('messages:send', { customerId: id, subject: 'B', body: 'Hi' })
    await core.db('messages').where({ id: a.id }).update({ status: 'failed', attempts: 5, last_error: '452 Mailbox full', next_attempt_at: '2026-12-04T00:00:00.000Z' })

    const notFailed = await core.call('messages:retry', { ids: [b.id] })
    expect(notFailed).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'This email is already waiting to be sent.' } })

    now = new Date('2026-12-05T10:00:00.000Z')
    expect(await core.invoke('messages:retry', { ids: [a.id, b.id] })).toEqual({ retried: 1 })
    expect(await core.db('messages').where({ id: a.id }).first('status', 'attempts', 'next_attempt_at', 'last_error')).toEqual({
      status: 'queued',
      attempts: 0,
      next_attempt_at: '2026-12-05T10:00:00.000Z',
      last_error: '',
    })

    await core.db('messages').where({ id: a.id }).update({ status: 'sending' })
    expect(await core.call('messages:cancel', { ids: [a.id] })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/can no longer be cancelled/) } })
    expect(await core.invoke('messages:cancel', { ids: [b.id] })).toEqual({ cancelled: 1 })
    expect(await core.call('messages:cancel', { ids: [b.id] })).toMatchObject({ ok: false, error: { message: 'This email was cancelled already.' } })
    await core.db('messages').where({ id: a.id }).update({ status: 'sent' })
    expect(await core.call('messages:cancel', { ids: [a.id] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/sent already/) } })
    expect(await core.call('messages:retry', { ids: [999999] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })

    const actions = (await core.db('change_log').where({ customer_id: id }).whereIn('action', ['message.retried', 'message.cancelled']).pluck('summary')) as string[]
    expect(actions).toEqual(['Email retried: A', 'Email cancelled: B'])
  })
})
