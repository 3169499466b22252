import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { containsCardNumber, passesLuhn } from '../../main/services/profile/cards'

let app: TestCore
let now: Date
beforeEach(async () => {
  now = new Date('2026-03-15T12:00:00.000Z')
  app = await openTestCore({ clock: () => now })
  await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Smith' })
})
afterEach(async () => {
  await app.cleanup()
})

async function countRows(table: string): Promise<number> {
  const [row] = (await app.db(table).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

const visa = { customerId: 1, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2028 } as const

describe('the Luhn check', () => {
  it('knows test card numbers', () => {
    expect(passesLuhn('4111111111111111')).toBe(true)
    expect(passesLuhn('4111111111111112')).toBe(false)
    expect(passesLuhn('378282246310005')).toBe(true)
    expect(containsCardNumber('4111 1111 1111 1111')).toBe(true)
    expect(containsCardNumber('4111-1111-1111-1111')).toBe(true)
    expect(containsCardNumber('card 4111111111111111 exp')).toBe(true)
    expect(containsCardNumber('4111 1111 1111 1112')).toBe(false)
    expect(containsCardNumber('4242')).toBe(false)
  })
})

describe('payment methods', () => {
  it('makes the first card the default, lists default first then newest, and logs brand and last four only', async () => {
    await app.invoke('paymentMethods:add', visa)
    now = new Date('2026-03-16T12:00:00.000Z')
    const extras = await app.invoke('paymentMethods:add', { customerId: 1, brand: 'mastercard', last4: '4444', expMonth: 1, expYear: 2030 })
    expect(extras.paymentMethods.map((p) => [p.last4, p.isDefault])).toEqual([
      ['4242', true],
      ['4444', false],
    ])
    const [entry] = await app.invoke('customers:changes', { id: 1 })
    expect(entry).toMatchObject({ action: 'paymentMethod.added', summary: 'Added Mastercard ending 4444' })
    expect(JSON.stringify(entry)).not.toMatch(/2030|\b1\b.*exp/)
  })

  it('switches the default, and promotes the newest remaining card when the default is removed', async () => {
    await app.invoke('paymentMethods:add', visa)
    now = new Date('2026-03-16T00:00:00.000Z')
    await app.invoke('paymentMethods:add', { ...visa, last4: '1111' })
    now = new Date('2026-03-17T00:00:00.000Z')
    const added = await app.invoke('paymentMethods:add', { ...visa, last4: '2222', isDefault: true })
    expect(added.paymentMethods.map((p) => [p.last4, p.isDefault])).toEqual([
      ['2222', true],
      ['1111', false],
      ['4242', false],
    ])
    const first = added.paymentMethods.find((p) => p.last4 === '4242')!
    const switched = await app.invoke('paymentMethods:setDefault', { id: first.id })
    expect(switched.paymentMethods.filter((p) => p.isDefault).map((p) => p.last4)).toEqual(['4242'])
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({
      action: 'paymentMethod.defaultChanged',
      changes: [{ field: 'Default card', before: 'Visa ending 2222', after: 'Visa ending 4242' }],
    })
    const removed = await app.invoke('paymentMethods:remove', { id: first.id })
    expect(removed.paymentMethods.map((p) => [p.last4, p.isDefault])).toEqual([
      ['2222', true],
      ['1111', false],
    ])
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({ action: 'paymentMethod.removed', summary: 'Removed Visa ending 4242' })
  })

  it('marks a card expired after the end of its expiry month', async () => {
    await app.invoke('paymentMethods:add', { ...visa, expMonth: 3, expYear: 2026 })
    expect((await app.invoke('customers:extras', { id: 1 })).paymentMethods[0]?.expired).toBe(false)
    now = new Date('2026-04-01T00:00:00.000Z')
    expect((await app.invoke('customers:extras', { id: 1 })).paymentMethods[0]?.expired).toBe(true)
  })

  it.each([
    ['4111 1111 1111 1111', 'last4', 'Never enter a full card number: only the last four digits.'],
    ['4111-1111-1111-1111', 'last4', 'Never enter a full card number: only the last four digits.'],
    ['378282246310005', 'last4', 'Never enter a full card number: only the last four digits.'],
    ['424', 'last4', 'Enter the last four digits of the card.'],
    ['42a2', 'last4', 'Enter the last four digits of the card.'],
    ['4111111111111112', 'last4', 'Enter the last four digits of the card.'],
  ])('refuses %s in last four digits and stores nothing', async (last4, field, message) => {
    const result = await app.call('paymentMethods:add', { ...visa, last4 })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, message } })
    expect(JSON.stringify(result)).not.toContain(last4.replace(/\D/g, '').slice(0, 8) || '#')
    expect(await countRows('payment_methods')).toBe(0)
    expect(await countRows('change_log')).toBe(1)
  })

  it('refuses a card number or CVC sent in any other key', async () => {
    for (const extra of [{ cvc: '123' }, { number: '4111111111111111' }, { cvv: '1234' }]) {
      const result = await app.call('paymentMethods:add', { ...visa, ...extra } as never)
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: Object.keys(extra)[0] } })
    }
    expect(await countRows('payment_methods')).toBe(0)
  })

  it('refuses an already expired card', async () => {
    const result = await app.call('paymentMethods:add', { ...visa, expMonth: 2, expYear: 2026 })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'expYear', message: 'This card has expired.' } })
    expect(await countRows('payment_methods')).toBe(0)
  })

  it('reports an unknown card', async () => {
    expect(await app.call('paymentMethods:remove', { id: 42 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await app.call('paymentMethods:setDefault', { id: 42 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
