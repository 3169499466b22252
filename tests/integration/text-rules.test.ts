import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import { CARD_NUMBER_MESSAGE } from '../../preload/contract/text'
import type { Channel, Input } from '../../preload/contract'

/** What the desk types reaches the database in one Unicode form, without hidden characters or card numbers. */

const CARD = '4111 1111 1111 1111'
const NUL = '\u0000'
const ZWSP = '\u200B'
const RLO = '\u202E'

let app: TestCore
let cat: TestCatalogue
let customerId: number
let bookingId: number
let textFieldId: number

const rows = async (table: string): Promise<number> => Number(((await app.db(table).count({ n: '*' })) as Array<{ n: number }>)[0]!.n)
const snapshot = async (...tables: string[]) => Promise.all(['change_log', ...tables].map(rows))

/** Calls the channel and expects a VALIDATION error on `field` with `message`, and no row written in `tables` or the change log. */
async function expectRefused<C extends Channel>(channel: C, input: Input<C>, field: string, message: string | RegExp, tables: string[]) {
  const before = await snapshot(...tables)
  const result = await app.call(channel, input)
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.error.code).toBe('VALIDATION')
  expect(result.error.field).toBe(field)
  if (typeof message === 'string') expect(result.error.fields?.[field]).toBe(message)
  else expect(result.error.fields?.[field]).toMatch(message)
  expect(await snapshot(...tables)).toEqual(before)
}

beforeAll(async () => {
  app = await openTestCore()
  cat = await createCatalogue(app)
  customerId = (await app.invoke('customers:create', { firstName: 'Text', lastName: 'Rules', email: 'text.rules@example.com' })).id
  const { booking } = await app.invoke('bookings:create', {
    customer: { kind: 'existing', id: customerId },
    lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
  })
  bookingId = booking.id
  const fields = await app.invoke('customFields:save', { label: 'Allergies', type: 'text' })
  textFieldId = fields.find((f) => f.label === 'Allergies')!.id
})
afterAll(async () => {
  await app.cleanup()
})

describe('a full card number in free text', () => {
  it('is refused in a note, while dates, phone numbers and short references pass', async () => {
    await expectRefused('notes:add', { customerId, body: `Paid by card ${CARD} today` }, 'body', CARD_NUMBER_MESSAGE, ['notes'])
    const notes = await app.invoke('notes:add', { customerId, body: 'Call +44 7700 900123 about 2026-12-01, ref 411111111111' })
    expect(notes.some((n) => n.body.startsWith('Call +44 7700 900123'))).toBe(true)
  })

  it('is refused in a custom text field, on that field', async () => {
    await expectRefused(
      'customers:setCustomFields',
      { id: customerId, values: { [textFieldId]: `card ${CARD.replaceAll(' ', '-')}` } },
      `values.${textFieldId}`,
      CARD_NUMBER_MESSAGE,
      ['customer_custom_values'],
    )
  })

  it('is refused in a booking note', async () => {
    await expectRefused(
      'bookings:create',
      {
        customer: { kind: 'existing', id: customerId },
        lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
        note: `Card ${CARD} exp 12/27`,
      },
      'note',
      CARD_NUMBER_MESSAGE,
      ['bookings', 'booking_lines', 'payments'],
    )
  })

  it('is refused in a payment reference', async () => {
    await expectRefused('bookings:addPayment', { bookingId, amountMinor: 500, method: 'card', reference: '378282246310005' }, 'reference', CARD_NUMBER_MESSAGE, ['payments'])
  })

  it('is refused in a block reason and a cancel reason', async () => {
    await expectRefused('customers:block', { id: customerId, reason: `Chargeback on ${CARD}` }, 'reason', CARD_NUMBER_MESSAGE, ['customers'])
    expect((await app.invoke('customers:get', { id: customerId })).status).toBe('active')
    await expectRefused('bookings:setStatus', { id: bookingId, status: 'cancelled', reason: `Refund to ${CARD}` }, 'reason', CARD_NUMBER_MESSAGE, ['bookings'])
    expect((await app.invoke('bookings:get', { id: bookingId })).status).toBe('confirmed')
  })
})

describe('hidden characters in names', () => {
  it.each([
    ['NUL', `Ann${NUL}a`, /control character \(NUL\)/],
    ['a zero-width space', `Ann${ZWSP}a`, /U\+200B zero-width space/],
    ['a right-to-left override', `Ann${RLO}a`, /U\+202E right-to-left override/],
  ])('refuses %s in a first name, a tag name and a group name', async (_what, name, message) => {
    await expectRefused('customers:create', { firstName: name, lastName: 'Hidden' }, 'firstName', message, ['customers'])
    await expectRefused('customers:update', { id: customerId, customer: { firstName: name, lastName: 'Rules' } }, 'customer.firstName', message, ['customers'])
    await expectRefused('tags:create', { name, color: null }, 'name', message, ['tags'])
    await expectRefused('customers:addTag', { customerId, name }, 'name', message, ['tags', 'customer_tags'])
    await expectRefused('groups:create', { name }, 'name', message, ['customer_groups'])
    expect((await app.invoke('customers:get', { id: customerId })).firstName).toBe('Text')
  })

  it('accepts a Persian name with its zero-width non-joiner and collapses odd spaces', async () => {
    const created = await app.invoke('customers:create', { firstName: 'علی\u200Cرضا', lastName: 'Karimi\u00A0\u00A0Zand' })
    expect(created.firstName).toBe('علی\u200Cرضا')
    expect(created.lastName).toBe('Karimi Zand')
  })
})

describe('Unicode normal form', () => {
  it('stores a decomposed first name and note as NFC', async () => {
    const firstName = 'Zoe\u0308'
    const body = 'Cafe\u0301 regular; prefers Rene\u0301e'
    expect(firstName).not.toBe(firstName.normalize('NFC'))
    const created = await app.invoke('customers:create', { firstName, lastName: 'Nfc' })
    const row = (await app.db('customers').where({ id: created.id }).first('first_name', 'display_name')) as { first_name: string; display_name: string }
    expect(row.first_name).toBe(firstName.normalize('NFC'))
    expect(row.display_name).toBe(`${firstName} Nfc`.normalize('NFC'))

    await app.invoke('notes:add', { customerId: created.id, body })
    const note = (await app.db('notes').where({ customer_id: created.id }).first('body')) as { body: string }
    expect(note.body).toBe(body.normalize('NFC'))
  })

  it('stores a decomposed custom text value as NFC', async () => {
    await app.invoke('customers:setCustomFields', { id: customerId, values: { [textFieldId]: 'Noix de cajou, pe\u0302che' } })
    const row = (await app.db('customer_custom_values').where({ customer_id: customerId, field_id: textFieldId }).first('value')) as { value: string }
    expect(row.value).toBe('Noix de cajou, pêche')
  })
})

describe('a search with hidden characters', () => {
  it.each([
    ['NUL', `Rules${NUL}`],
    ['a zero-width space', `Ru${ZWSP}les`],
    ['a right-to-left override', `${RLO}Rules`],
  ])('with %s is cleaned, not refused, and finds the customer', async (_what, search) => {
    const list = await app.call('customers:list', { search })
    expect(list).toMatchObject({ ok: true })
    expect(JSON.stringify(list)).toContain('text.rules@example.com')
    expect(await app.call('customers:counts', { search })).toMatchObject({ ok: true, data: { active: 1 } })
  })

  it('looks up a caller pasted with invisible characters', async () => {
    const match = await app.invoke('bookings:findCaller', { query: `${ZWSP}text.rules@example.com${NUL}` })
    expect(match.matchedBy).toBe('email')
  })
})
