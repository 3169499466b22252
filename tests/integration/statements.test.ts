import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'
import { parsePdf, type ParsedPage } from '../helpers/pdf'
import { printoutPaths } from '../../main/pdf/printouts'
import { MISSING_GLYPH } from '../../main/pdf/document'
import { statementData } from '../../main/services/statements'
import type { Printout } from '../../preload/contract'

let now = new Date('2026-01-10T10:00:00Z')
let app: TestCore
let cat: TestCatalogue
let customerId: number

const at = (iso: string) => {
  now = new Date(iso)
}

beforeEach(async () => {
  at('2026-01-10T10:00:00Z')
  app = await openTestCore({ clock: () => now })
  // Sessions late in the year, so every booking below is made before its session.
  cat = await createCatalogue(app, { now: new Date('2026-11-01T12:00:00Z') })
  customerId = (
    await app.invoke('customers:create', {
      firstName: 'Αικατερίνη',
      lastName: 'Παπαδοπούλου',
      addresses: [
        { label: 'home', line1: '1 Old Road', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
        { label: 'work', line1: 'Οδός Ερμού 12', city: 'Αθήνα', postcode: '105 63', country: 'GR', isDefaultLetters: true },
      ],
    })
  ).id
})
afterEach(async () => {
  await app.cleanup()
})

const book = (customer: number, sessionId: number, priceOptionId: number, quantity: number, extra: Record<string, unknown> = {}) =>
  app.invoke('bookings:create', { customer: { kind: 'existing', id: customer }, lines: [{ sessionId, priceOptionId, quantity }], ...extra })

/**
 * The history every test starts from (amounts in pence):
 * 10 Jan A yoga ×2 2,500, paid 1,000 · 5 Feb B massage 4,500 paid in full ·
 * 20 Feb C pottery ×3 9,000 paid in full, cancelled 1 Mar, 3,000 refunded 2 Mar ·
 * 10 Mar D yoga concession 800 unpaid · 15 Mar a cheque of 500 on A dated 12 Mar · today 20 Mar.
 */
async function history() {
  at('2026-01-10T10:00:00Z')
  const a = await book(customerId, cat.yoga.sessionId, cat.yoga.adultOptionId, 2, { payment: { amountMinor: 1000, method: 'card' } })
  at('2026-02-05T10:00:00Z')
  const b = await book(customerId, cat.massage.sessionId, cat.massage.optionId, 1, { payment: { amountMinor: P.massage, method: 'cash' } })
  at('2026-02-20T10:00:00Z')
  const c = await book(customerId, cat.pottery.sessionId, cat.pottery.optionId, 3, { payment: { amountMinor: 3 * P.pottery, method: 'card' } })
  at('2026-03-01T10:00:00Z')
  await app.invoke('bookings:setStatus', { id: c.booking.id, status: 'cancelled', reason: 'Staff only: REASON-XYZ' })
  at('2026-03-02T10:00:00Z')
  await app.invoke('bookings:addPayment', { bookingId: c.booking.id, kind: 'refund', amountMinor: P.pottery, method: 'card', reference: 'RF-1' })
  at('2026-03-10T10:00:00Z')
  const d = await book(customerId, cat.yoga.sessionId, cat.yoga.concessionOptionId, 1, { note: 'SECRET-BOOKING-NOTE' })
  at('2026-03-15T10:00:00Z')
  await app.invoke('bookings:addPayment', { bookingId: a.booking.id, kind: 'payment', amountMinor: 500, method: 'cheque', takenOn: '2026-03-12', reference: 'CHQ 100234' })
  await app.invoke('notes:add', { customerId, body: 'SECRET-CUSTOMER-NOTE' })
  at('2026-03-20T10:00:00Z')
  return { a: a.booking, b: b.booking, c: c.booking, d: d.booking }
}

async function make(input: { customerId: number; from: string; to: string }): Promise<{ printout: Printout; pages: ParsedPage[]; text: string }> {
  const printout = await app.invoke('statements:make', input)
  const pages = await parsePdf(printoutPaths(app.printoutsDir, printout.id).pdf)
  return { printout, pages, text: pages.map((p) => p.text).join('\n') }
}

describe('a statement', () => {
  it('brings forward, runs the balance and totals the period as worked out by hand, ending at the profile’s figures', async () => {
    const { a, b, c, d } = await history()
    const data = await statementData(app.db, { customerId, from: '2026-02-01', to: '2026-03-20' }, now)
    expect(data.accounts).toHaveLength(1)
    const account = data.accounts[0]!
    // Before 1 Feb: A charged 2,500, 1,000 paid.
    expect(account.broughtForwardMinor).toBe(1500)
    expect(account.chargedMinor).toBe(P.massage + 800) // the cancelled pottery charges nothing
    expect(account.paidMinor).toBe(P.massage + 3 * P.pottery + 500)
    expect(account.refundedMinor).toBe(P.pottery)
    expect(account.entries.map((e) => [e.day, e.bookingReference, e.kind, e.amountMinor, e.balanceMinor])).toEqual([
      ['2026-02-05', b.reference, 'charge', 4500, 6000],
      ['2026-02-05', b.reference, 'payment', -4500, 1500],
      ['2026-02-20', c.reference, 'charge', 0, 1500],
      ['2026-02-20', c.reference, 'payment', -9000, -7500],
      ['2026-03-02', c.reference, 'refund', 3000, -4500],
      ['2026-03-10', d.reference, 'charge', 800, -3700],
      ['2026-03-12', a.reference, 'payment', -500, -4200],
    ])
    expect(account.entries[2]!.cancelled).toBe(true)
    // A owes 1,000 and D 800; C has 6,000 to come back.
    expect(account).toMatchObject({ closingMinor: -4200, owedMinor: 1800, creditMinor: 6000 })

    const summary = await app.invoke('customers:summary', { id: customerId })
    const gbp = summary.money.find((m) => m.currency === 'GBP')!
    expect(account.owedMinor).toBe(gbp.outstandingMinor)
    expect(account.creditMinor).toBe(gbp.creditMinor)
    expect(account.closingMinor).toBe(gbp.outstandingMinor - gbp.creditMinor)
  })

  it('ending before today, shows the balance as it stood then (cancelled bookings charge nothing)', async () => {
    await history()
    const data = await statementData(app.db, { customerId, from: '2026-01-01', to: '2026-02-28' }, now)
    const account = data.accounts[0]!
    expect(account.broughtForwardMinor).toBe(0)
    expect(account.entries.map((e) => e.day)).toEqual(['2026-01-10', '2026-01-10', '2026-02-05', '2026-02-05', '2026-02-20', '2026-02-20'])
    expect(account).toMatchObject({ chargedMinor: 2500 + 4500, paidMinor: 1000 + 4500 + 9000, refundedMinor: 0, closingMinor: -7500, owedMinor: 1500, creditMinor: 9000 })
  })

  it('prints all of it: letterhead, the letters address, rows, totals and page numbers, and no staff notes', async () => {
    const { b, d } = await history()
    await app.invoke('settings:update', {
      businessName: 'Harbour Yoga Studio',
      businessAddress: '12 Quay Street\nBristol\nBS1 4DJ',
      businessPhone: '0117 496 0000',
      businessEmail: 'hello@harbour.example',
    })
    const { printout, pages, text } = await make({ customerId, from: '2026-02-01', to: '2026-03-20' })
    expect(printout.fileName).toBe('Statement C-000001 Αικατερίνη Παπαδοπούλου 2026-02-01 to 2026-03-20.pdf')
    expect(printout.unprintable).toEqual([])
    expect(pages).toHaveLength(1)
    for (const expected of ['Harbour Yoga Studio', '12 Quay Street', 'BS1 4DJ', '0117 496 0000', 'hello@harbour.example']) expect(text).toContain(expected)
    // The letters address (the work one, abroad), not the first.
    for (const expected of ['Αικατερίνη Παπαδοπούλου', 'Οδός Ερμού 12', '105 63 Αθήνα', 'GREECE']) expect(text).toContain(expected)
    expect(text).not.toContain('Old Road')
    for (const expected of ['Statement', 'C-000001', '20 Mar 2026', '1 Feb 2026 – 20 Mar 2026']) expect(text).toContain(expected)
    expect(text).toMatch(/Date\s+Booking\s+Details\s+Qty\s+Amount\s+Balance/)
    expect(text).toMatch(/Balance brought forward\s+£15\.00/)
    expect(text).toContain(b.reference)
    expect(text).toContain(d.reference)
    expect(text).toContain('Cancelled — not charged')
    expect(text).toContain('Session Mon, 16 Nov 2026, 09:00')
    expect(text).toContain('Payment by cheque, ref CHQ 100234')
    expect(text).toContain('Refund by card, ref RF-1')
    expect(text).toMatch(/£42\.00 CR/)
    expect(text).toMatch(/Charged in this period\s+£53\.00/)
    expect(text).toMatch(/Paid in this period\s+£140\.00/)
    expect(text).toMatch(/Refunded in this period\s+£30\.00/)
    expect(text).toMatch(/Balance at 20 Mar 2026\s+£42\.00 CR/)
    expect(text).toMatch(/of which owed on bookings\s+£18\.00/)
    expect(text).toMatch(/credit due back on others\s+£60\.00/)
    expect(text).toContain('Page 1 of 1')
    for (const secret of ['SECRET-BOOKING-NOTE', 'SECRET-CUSTOMER-NOTE', 'REASON-XYZ', 'Administrator']) expect(text).not.toContain(secret)
  })

  it('says plainly what is owed when nothing is due back', async () => {
    at('2026-03-01T10:00:00Z')
    await book(customerId, cat.yoga.sessionId, cat.yoga.adultOptionId, 1, { payment: { amountMinor: 250, method: 'card' } })
    const { text } = await make({ customerId, from: '2026-03-01', to: '2026-03-01' })
    expect(text).toMatch(/Outstanding balance at 1 Mar 2026\s+£10\.00/)
    expect(text).not.toContain(' CR')
  })

  it('for a customer with nothing booked and no address: the name alone and a zero balance', async () => {
    at('2026-03-01T10:00:00Z')
    const { id } = await app.invoke('customers:create', { firstName: 'Nadia', lastName: 'Empty' })
    const { text } = await make({ customerId: id, from: '2026-01-01', to: '2026-03-01' })
    expect(text).toContain('Nadia Empty')
    expect(text).toMatch(/Outstanding balance at 1 Mar 2026\s+£0\.00/)
  })

  it('carries names in Greek, Cyrillic, Polish and Vietnamese as the same text, and boxes what the font lacks', async () => {
    at('2026-03-01T10:00:00Z')
    const people = [
      { firstName: 'Дмитрий', lastName: 'Шостакович', line1: 'ул. Большая Морская, 47', city: 'Санкт-Петербург' },
      { firstName: 'Zażółć', lastName: 'Gęślą-Jaźń', line1: 'ul. Świętokrzyska 31/33', city: 'Łódź' },
      { firstName: 'Nguyễn Thị', lastName: 'Phương Thảo', line1: '18 Đường Hàng Bạc', city: 'Hà Nội' },
      { firstName: 'Ελένη', lastName: 'Κωνσταντίνου', line1: 'Λεωφόρος Αλεξάνδρας 5', city: 'Θεσσαλονίκη' },
    ]
    for (const person of people) {
      const { id } = await app.invoke('customers:create', {
        firstName: person.firstName,
        lastName: person.lastName,
        addresses: [{ line1: person.line1, city: person.city, country: 'GB' }],
      })
      const { text, printout } = await make({ customerId: id, from: '2026-01-01', to: '2026-03-01' })
      expect(printout.unprintable).toEqual([])
      expect(text).toContain(`${person.firstName} ${person.lastName}`)
      expect(text).toContain(person.line1)
      expect(text).toContain(person.city.toLocaleUpperCase('en'))
    }
    const { id } = await app.invoke('customers:create', { firstName: '李', lastName: 'Wong' })
    const { text, printout } = await make({ customerId: id, from: '2026-01-01', to: '2026-03-01' })
    expect(printout.unprintable).toEqual(['李'])
    expect(text).toContain(`${MISSING_GLYPH} Wong`)
  })

  it('for a household’s payer lists the balances of those they pay for; a member’s says who pays', async () => {
    await history()
    const { id: child } = await app.invoke('customers:create', { firstName: 'Maria', lastName: 'Papadopoulou' })
    await app.invoke('customers:setHousehold', { id: child, payerId: customerId })
    await book(child, cat.yoga.sessionId, cat.yoga.concessionOptionId, 1)
    const payer = await make({ customerId, from: '2026-03-01', to: '2026-03-20' })
    expect(payer.text).toContain('Also paid for by you')
    expect(payer.text).toMatch(/Maria Papadopoulou\s+£8\.00/)
    const member = await make({ customerId: child, from: '2026-03-01', to: '2026-03-20' })
    expect(member.text).toContain('Paid for by Αικατερίνη Παπαδοπούλου (C-000001)')
    // The member's own account only, as on their profile.
    expect(member.text).toMatch(/Outstanding balance at 20 Mar 2026\s+£8\.00/)
  })

  it('keeps an account per currency, the business’s first, each with its own balance', async () => {
    await history()
    const item = await app.invoke('catalogue:saveItem', { kind: 'event', name: 'Retreat in Crete', priceOptions: [{ name: 'Full', amountMinor: 45000, currency: 'EUR' }] })
    const session = await app.invoke('catalogue:saveSession', { itemId: item.id, startsAt: '2026-12-01T09:00:00Z', endsAt: '2026-12-03T09:00:00Z', capacity: 10 })
    const retreat = await book(customerId, session.id, item.priceOptions[0]!.id, 1)
    await app.invoke('bookings:addPayment', { bookingId: retreat.booking.id, kind: 'payment', amountMinor: 10000, method: 'bank_transfer', reference: 'SEPA 77' })
    const data = await statementData(app.db, { customerId, from: '2026-03-01', to: '2026-03-20' }, now)
    expect(data.accounts.map((a) => [a.currency, a.closingMinor, a.owedMinor])).toEqual([
      ['GBP', -4200, 1800],
      ['EUR', 35000, 35000],
    ])
    const { text } = await make({ customerId, from: '2026-03-01', to: '2026-03-20' })
    expect(text).toContain('Account in GBP')
    expect(text).toContain('Account in EUR')
    expect(text).toContain('Payment by bank transfer, ref SEPA 77')
    expect(text).toMatch(/Outstanding balance at 20 Mar 2026\s+€350\.00/)
  })

  it('runs to several pages for a customer with 500 bookings, the table header and page numbers on each', async () => {
    at('2026-01-05T09:00:00Z')
    const item = await app.invoke('catalogue:saveItem', { kind: 'class', name: 'Drop-in swim', priceOptions: [{ name: 'Adult', amountMinor: 500, currency: 'GBP' }] })
    const session = await app.invoke('catalogue:saveSession', { itemId: item.id, startsAt: '2026-12-01T09:00:00Z', endsAt: '2026-12-01T10:00:00Z', capacity: 1000 })
    let expectedCharged = 0
    let expectedPaid = 0
    for (let i = 0; i < 500; i++) {
      at(new Date(Date.UTC(2026, 0, 5, 9) + i * 3_600_000 * 7).toISOString())
      const paid = i % 3 === 0 ? 500 : i % 3 === 1 ? 200 : 0
      await book(customerId, session.id, item.priceOptions[0]!.id, 1, paid ? { payment: { amountMinor: paid, method: 'card' } } : {})
      expectedCharged += 500
      expectedPaid += paid
    }
    const today = now.toISOString().slice(0, 10)
    const data = await statementData(app.db, { customerId, from: '2026-01-01', to: today }, now)
    expect(data.accounts[0]).toMatchObject({ chargedMinor: expectedCharged, paidMinor: expectedPaid, closingMinor: expectedCharged - expectedPaid })
    const summary = await app.invoke('customers:summary', { id: customerId })
    expect(data.accounts[0]!.owedMinor).toBe(summary.money[0]!.outstandingMinor)
    const { pages, printout } = await make({ customerId, from: '2026-01-01', to: today })
    expect(printout.pages).toBe(pages.length)
    expect(pages.length).toBeGreaterThan(5)
    pages.forEach((page, index) => {
      expect(page.text).toContain(`Page ${index + 1} of ${pages.length}`)
      expect(page.text).toMatch(/Date\s+Booking\s+Details\s+Qty\s+Amount\s+Balance/)
    })
    expect(pages[1]!.text).toContain(`Page 2 of ${pages.length}`)
    expect(pages[1]!.text).toContain('Statement for Αικατερίνη Παπαδοπούλου')
    // Every booking once, in order, however the pages broke.
    const refs = pages.flatMap((p) => p.items.filter((i) => /^B-\d{6}$/.test(i.text)).map((i) => i.text))
    expect(new Set(refs).size).toBe(500)
    // No row is cut by a page: each reference has its date beside it, each booking line its session beneath it.
    for (const page of pages) {
      for (const ref of page.items.filter((i) => /^B-\d{6}$/.test(i.text))) {
        expect(page.items.some((i) => /^\d{1,2} \w{3} 2026$/.test(i.text) && Math.abs(i.y - ref.y) < 0.5)).toBe(true)
      }
      const lines = page.items.filter((i) => i.text.startsWith('Drop-in swim'))
      const sessions = page.items.filter((i) => i.text.startsWith('Session '))
      expect(sessions.length).toBe(lines.length)
    }
  }, 120_000)

  it('refuses a period that runs backwards, is longer than 10 years or ends after today, and an unknown customer', async () => {
    at('2026-03-20T10:00:00Z')
    const refused = async (input: { customerId: number; from: string; to: string }) => {
      const result = await app.call('statements:make', input)
      expect(result.ok).toBe(false)
      return result.ok ? null : result.error
    }
    expect(await refused({ customerId, from: '2026-03-02', to: '2026-03-01' })).toMatchObject({ code: 'VALIDATION', field: 'to' })
    expect(await refused({ customerId, from: '2010-01-01', to: '2026-03-01' })).toMatchObject({ code: 'VALIDATION', field: 'from' })
    expect(await refused({ customerId, from: '2026-03-01', to: '2026-03-21' })).toMatchObject({ code: 'VALIDATION', message: 'A statement cannot end after today.' })
    expect(await refused({ customerId: 999, from: '2026-03-01', to: '2026-03-02' })).toMatchObject({ code: 'NOT_FOUND' })
  })
})
