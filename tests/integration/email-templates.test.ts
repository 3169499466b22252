import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_EMAIL_TEMPLATES } from '../../db/migrations/20261205000002_email_templates'
import { composeMessage, templateForPurpose, validateTemplate } from '../../main/services/mail'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import { openTestCore, type TestCore } from '../helpers/core'

const NOW = new Date('2026-12-01T10:00:00Z')
let app: TestCore
let cat: TestCatalogue

beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  await app.invoke('settings:update', { businessName: 'Riverside & Co', businessAddress: '1 High Street\nBath', businessPhone: '01225 000000', businessEmail: 'hello@riverside.example' })
})
afterEach(async () => {
  await app.cleanup()
})

async function ada(extra: Record<string, unknown> = {}) {
  return app.invoke('customers:create', {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    company: 'Engines Ltd',
    phones: [{ number: '07700 900123' }],
    addresses: [{ line1: '12 Rose Lane', city: 'Bath', postcode: 'BA1 1AA', country: 'GB', isDefaultLetters: true }],
    ...extra,
  })
}

async function bookYoga(customerId: number) {
  const { booking } = await app.invoke('bookings:create', {
    customer: { kind: 'existing', id: customerId },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 }],
    note: 'SECRET-BOOKING-NOTE needs the quiet room',
  })
  return booking
}

describe('composing an email from a template', () => {
  it('fills customer, business and link fields into a one-line subject, plain text and HTML', async () => {
    const customer = await ada()
    const out = await composeMessage(app.db, {
      template: {
        subject: 'Hello {{firstName}}\nfrom {{business.name}}',
        body: 'Dear {{fullName}} ({{customerNumber}}),\n\n**Your details:** {{email}}, {{phone}}, {{company}}, {{address.line1}}, {{address.city}} {{address.postcode}}\n\n[Your account]({{accountUrl}})\n\n{{business.name}} · {{business.address}} · {{business.phone}} · {{business.email}} · {{staff.name}} · {{today}}',
      },
      customerId: customer.id,
      links: { accountUrl: 'https://book.example.com/account/confirm?token=abc' },
      staff: { name: 'Sam' },
      now: NOW,
    })
    expect(out.subject).toBe('Hello Ada from Riverside & Co')
    expect(out.text).toContain('Dear Ada Lovelace (C-000001),')
    expect(out.text).toContain('Your details: ada@example.com, 07700 900123, Engines Ltd, 12 Rose Lane, Bath BA1 1AA')
    expect(out.text).toContain('Your account (https://book.example.com/account/confirm?token=abc)')
    expect(out.text).toContain('Riverside & Co · 1 High Street, Bath · 01225 000000 · hello@riverside.example · Sam · 1 December 2026')
    expect(out.html).toContain('<strong>Your details:</strong> ada@example.com')
    expect(out.html).toContain('href="https://book.example.com/account/confirm?token=abc"')
    // The business name is a field, not a link (".name" is a web domain).
    expect(out.html).toContain('Riverside &amp; Co · 1 High Street, Bath')
    expect(out.html).not.toContain('http://business.name')
    expect(out.html).toMatch(/^<!DOCTYPE html>/)
  })

  it('escapes what a customer typed in the HTML and keeps it as typed in the text, never reading it as Markdown', async () => {
    const customer = await ada({ firstName: '<script>alert(1)</script> Tom & Jerry', company: '**Big** [click](https://evil.example)' })
    const out = await composeMessage(app.db, {
      template: { subject: 'For {{firstName}}', body: 'Hi **{{firstName}}** of {{company}}' },
      customerId: customer.id,
    })
    expect(out.html).toContain('<strong>&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry</strong>')
    expect(out.html).not.toContain('<script>')
    expect(out.html).toContain('of **Big** [click](https://evil.example)')
    expect(out.html).not.toContain('href="https://evil.example"')
    expect(out.text).toContain('Hi <script>alert(1)</script> Tom & Jerry of **Big** [click](https://evil.example)')
    expect(out.subject).toBe('For <script>alert(1)</script> Tom & Jerry')
  })

  it('gives a link made of a field only a web, mail or phone address', async () => {
    await app.invoke('customFields:save', { label: 'Website', type: 'text' })
    const [field] = await app.invoke('customFields:list', undefined)
    const customer = await ada()
    await app.invoke('customers:setCustomFields', { id: customer.id, values: { [field!.id]: 'javascript:alert(1)' } })
    const out = await composeMessage(app.db, { template: { subject: 'S', body: '[Site]({{custom.website}})' }, customerId: customer.id })
    expect(out.html).not.toContain('javascript:')
  })

  it('carries the unsubscribe link once: the template’s own, or the footer’s', async () => {
    const customer = await ada()
    const links = { unsubscribeUrl: 'https://book.example.com/unsubscribe?t=abc' }
    const count = (text: string) => text.split('https://book.example.com/unsubscribe?t=abc').length - 1
    const footer = await composeMessage(app.db, { template: { subject: 'News', body: 'Hello {{firstName}}' }, customerId: customer.id, links })
    expect(count(footer.html)).toBe(1)
    expect(footer.text).toContain('To stop receiving these emails: https://book.example.com/unsubscribe?t=abc')
    const own = await composeMessage(app.db, { template: { subject: 'News', body: 'Hello\n\n[Unsubscribe]({{unsubscribeUrl}})' }, customerId: customer.id, links })
    expect(count(own.html)).toBe(1)
    expect(count(own.text)).toBe(1)
    const none = await composeMessage(app.db, { template: { subject: 'News', body: 'Hello' }, customerId: customer.id })
    expect(none.html).not.toContain('Unsubscribe')
  })

  it('prints custom fields by their key', async () => {
    await app.invoke('customFields:save', { label: 'Favourite class', type: 'text' })
    await app.invoke('customFields:save', { label: 'Vegan', type: 'boolean' })
    const [fav, vegan] = await app.invoke('customFields:list', undefined)
    const customer = await ada()
    await app.invoke('customers:setCustomFields', { id: customer.id, values: { [fav!.id]: 'Yoga & <Pilates>', [vegan!.id]: true } })
    const out = await composeMessage(app.db, {
      template: { subject: 'S', body: 'Favourite: {{custom.favourite_class}}. Vegan: {{custom.vegan}}.' },
      customerId: customer.id,
    })
    expect(out.text).toContain('Favourite: Yoga & <Pilates>. Vegan: Yes.')
    expect(out.html).toContain('Favourite: Yoga &amp; &lt;Pilates&gt;. Vegan: Yes.')
  })

  it('prints a booking’s reference, item, date, time, place and total, and hides the booking part without one', async () => {
    const customer = await ada()
    const booking = await bookYoga(customer.id)
    const template = { subject: 'Booking {{booking.reference}}', body: 'Hi\n\n{{#booking}}\n{{booking.item}} on {{booking.date}} at {{booking.time}}, {{booking.place}}: {{booking.total}}\n{{/booking}}\n\nBye' }
    const out = await composeMessage(app.db, { template, customerId: customer.id, bookingId: booking.id })
    const starts = new Date(cat && (await app.invoke('bookings:get', { id: booking.id })).startsAt!)
    const date = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(starts)
    const time = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit' }).format(starts)
    expect(out.subject).toBe(`Booking ${booking.reference}`)
    expect(out.text).toContain(`Yoga Flow ×2 on ${date} at ${time}, Studio 1: £25.00`)
    expect(out.html).toContain(`Yoga Flow ×2 on ${date} at ${time}, Studio 1: £25.00`)
    const none = await composeMessage(app.db, { template, customerId: customer.id })
    expect(none.subject).toBe('Booking')
    expect(none.text).not.toContain('Yoga')
    expect(none.text).toMatch(/^Hi\n\nBye\n/)
  })

  it('never prints a staff note, a booking note or why a customer was blocked, whatever a template asks for', async () => {
    const customer = await ada()
    await app.invoke('notes:add', { customerId: customer.id, body: 'SECRET-NOTE owes us money' })
    const booking = await bookYoga(customer.id)
    await app.invoke('customers:block', { id: customer.id, reason: 'SECRET-REASON rude on the phone' })
    const names = ['note', 'notes', 'booking.note', 'status_reason', 'statusReason', 'reason', 'customer.note', 'notes.0.body', 'booking.notes']
    const body = names.map((n) => `{{${n}}} {{#${n}}}x{{/${n}}}`).join(' ')
    expect(() => validateTemplate({ subject: 'S', body })).toThrow(/Unknown merge field \{\{note\}\}/)
    const out = await composeMessage(app.db, { template: { subject: '{{note}}', body }, customerId: customer.id, bookingId: booking.id })
    for (const part of [out.subject, out.text, out.html]) expect(part).not.toMatch(/SECRET/)
  })
})

describe('checking a template', () => {
  it('refuses unknown fields, unprotected values, partials and changed markers, and explains a broken tag', async () => {
    const problem = async (body: string, subject = 'S') => {
      const result = await app.call('mail:saveTemplate', { name: 'T', purpose: 'general', subject, body })
      return result.ok ? null : result.error
    }
    expect(await problem('Hi {{frstName}}')).toMatchObject({ code: 'VALIDATION', field: 'body', message: 'Unknown merge field {{frstName}} — choose one from the list.' })
    expect(await problem('B', 'Hi {{nobody}}')).toMatchObject({ field: 'subject', message: 'Unknown merge field {{nobody}} — choose one from the list.' })
    expect((await problem('Hi {{{firstName}}}'))?.message).toMatch(/\{\{\{firstName\}\}\} would print a value without protecting it/)
    expect((await problem('Hi {{&firstName}}'))?.message).toMatch(/\{\{&firstName\}\} would print/)
    expect((await problem('Hi {{>footer}}'))?.message).toMatch(/includes another template/)
    expect((await problem('{{=<% %>=}} <%firstName%>'))?.message).toMatch(/Changing the \{\{ \}\} markers/)
    expect((await problem('Hi {{#booking}}open'))?.message).toMatch(/not written properly \(Unclosed section "booking"\)/)
    expect(await problem('Hi {{firstName}} {{! a comment }} {{#booking}}{{reference}}{{/booking}}')).toBeNull()
  })

  it('composing refuses unprotected tags too, and prints unknown fields as nothing', async () => {
    const customer = await ada()
    await expect(composeMessage(app.db, { template: { subject: 'S', body: '{{{firstName}}}' }, customerId: customer.id })).rejects.toThrow(/without protecting/)
    const out = await composeMessage(app.db, { template: { subject: 'S', body: 'A{{custom.gone}}B' }, customerId: customer.id })
    expect(out.text).toMatch(/^AB\n/)
  })
})

describe('the default templates', () => {
  it('leave out the phone sentence when the business has no phone', async () => {
    await app.invoke('settings:update', { businessPhone: '' })
    const customer = await ada()
    for (const purpose of ['marketing', 'confirmation', 'reminder'] as const) {
      const out = await composeMessage(app.db, { template: await templateForPurpose(app.db, purpose), customerId: customer.id })
      expect(out.text).not.toMatch(/on ,|on or|on \./)
    }
  })

  it('are one per purpose, all valid, and read well with and without a booking', async () => {
    const customer = await ada()
    const booking = await bookYoga(customer.id)
    const templates = await app.invoke('mail:templates', undefined)
    expect(templates.map((t) => t.purpose)).toEqual(['general', 'marketing', 'confirmation', 'reminder', 'accountConfirm', 'passwordReset'])
    for (const t of DEFAULT_EMAIL_TEMPLATES) {
      expect(() => validateTemplate(t)).not.toThrow()
      const stored = await templateForPurpose(app.db, t.purpose)
      expect(stored).toMatchObject({ name: t.name, subject: t.subject, body: t.body })
      for (const bookingId of [booking.id, null]) {
        const links = { unsubscribeUrl: 'https://book.example.com/unsubscribe?t=x', accountUrl: 'https://book.example.com/account/confirm?token=y' }
        const out = await composeMessage(app.db, { template: t, customerId: customer.id, bookingId, links, staff: { name: 'Sam' } })
        expect(out.subject).not.toMatch(/\{\{|\n/)
        expect(out.text).toContain('Ada')
        expect(out.text).not.toMatch(/\{\{|\*\*|undefined|\[object/)
        expect(out.html).not.toMatch(/\{\{|\*\*|undefined|\[object|<p[^>]*>\s*<\/p>/)
        if (t.purpose === 'confirmation' && bookingId) expect(out.text).toContain(`Reference: ${booking.reference}`)
        if (t.purpose === 'marketing') expect(out.html).toContain('href="https://book.example.com/unsubscribe?t=x"')
        if (t.purpose === 'accountConfirm') expect(out.text).toContain('Confirm my account (https://book.example.com/account/confirm?token=y)')
      }
    }
  })
})

describe('keeping the templates', () => {
  it('saves with a unique name, logs the change, and keeps one template for each purpose', async () => {
    const saved = await app.invoke('mail:saveTemplate', { name: 'Spring offer', purpose: 'marketing', subject: 'Spring at {{business.name}}', body: 'Hi {{firstName}}' })
    expect(saved).toMatchObject({ name: 'Spring offer', purpose: 'marketing', updatedByName: 'Administrator' })
    expect(await app.db('change_log').where({ entity_type: 'emailTemplate', entity_id: saved.id }).first('action', 'summary', 'customer_id')).toEqual({
      action: 'emailTemplate.created',
      summary: 'Email template “Spring offer” added',
      customer_id: null,
    })
    expect(await app.call('mail:saveTemplate', { name: ' spring OFFER ', purpose: 'general', subject: 'S', body: 'B' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'name', message: 'There is already an email template with this name. Choose another name.' },
    })

    const reminder = await templateForPurpose(app.db, 'reminder')
    const moved = await app.call('mail:saveTemplate', { id: reminder.id, name: reminder.name, purpose: 'general', subject: reminder.subject, body: reminder.body })
    expect(moved).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'purpose' } })
    const lastReminder = await app.call('mail:deleteTemplate', { id: reminder.id })
    expect(lastReminder).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(lastReminder.ok ? '' : lastReminder.error.message).toBe(
      'This is the only template for booking reminders, and the app writes booking reminders from it by itself. Change its text instead, or add another one first.',
    )

    const confirm = await templateForPurpose(app.db, 'accountConfirm')
    expect(await app.call('mail:saveTemplate', { id: confirm.id, name: confirm.name, purpose: 'accountConfirm', subject: confirm.subject, body: 'Welcome!' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'body', message: 'The confirm-account email needs its link: insert {{accountUrl}} (Insert field → Online account link).' },
    })

    // A second newsletter template: either may go, but not both.
    const newsletter = await templateForPurpose(app.db, 'marketing')
    const left = await app.invoke('mail:deleteTemplate', { id: newsletter.id })
    expect(left.filter((t) => t.purpose === 'marketing').map((t) => t.name)).toEqual(['Spring offer'])
    expect(await app.call('mail:deleteTemplate', { id: saved.id })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await app.db('change_log').where({ action: 'emailTemplate.deleted' }).pluck('summary')).toEqual(['Email template “Newsletter” removed'])
  })

  it('staff read and preview templates; only administrators change them', async () => {
    const staff = await openTestCore({ clock: () => NOW, staff: { id: 1, name: 'Robin', role: 'staff' } })
    try {
      expect((await staff.invoke('mail:templates', undefined)).length).toBe(6)
      expect((await staff.invoke('mail:fields', undefined)).some((f) => f.key === 'booking.date')).toBe(true)
      expect(await staff.call('mail:saveTemplate', { name: 'X', purpose: 'general', subject: 'S', body: 'B' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await staff.call('mail:deleteTemplate', { id: 1 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    } finally {
      await staff.cleanup()
    }
  })

  it('previews a draft with its problems listed, on a sample or a chosen customer, and lists custom fields', async () => {
    await app.invoke('customFields:save', { label: 'Favourite class', type: 'text' })
    expect((await app.invoke('mail:fields', undefined)).find((f) => f.key === 'custom.favourite_class')).toMatchObject({ label: 'Favourite class', group: 'Custom fields' })
    const sample = await app.invoke('mail:preview', { subject: 'Hi {{firstName}}', body: 'Dear {{firstName}} {{shoeSize}}', customerId: null, kind: 'marketing' })
    expect(sample).toMatchObject({ subject: 'Hi Ada', problems: [{ field: 'body', message: 'Unknown merge field {{shoeSize}} — choose one from the list.' }] })
    expect(sample.html).toContain('Unsubscribe')
    const customer = await ada({ firstName: 'Grace' })
    const chosen = await app.invoke('mail:preview', { subject: 'Hi {{firstName}}', body: 'Dear {{firstName}}, {{custom.favourite_class}}', customerId: customer.id })
    expect(chosen).toMatchObject({ subject: 'Hi Grace', problems: [] })
    // The editor previews a template about a booking on the customer's next booking; without asking, none is shown.
    const booking = await bookYoga(customer.id)
    const about = { subject: 'Booking {{booking.reference}}', body: '{{#booking}}{{booking.item}}{{/booking}}', customerId: customer.id }
    expect((await app.invoke('mail:preview', { ...about, nextBooking: true })).subject).toBe(`Booking ${booking.reference}`)
    expect((await app.invoke('mail:preview', about)).subject).toBe('Booking')
    const unsafe = await app.invoke('mail:preview', { subject: 'S', body: '{{{firstName}}}', customerId: customer.id })
    expect(unsafe).toMatchObject({ html: '', text: '', problems: [{ field: 'body' }] })
  })
})
