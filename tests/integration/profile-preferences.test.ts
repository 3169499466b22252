import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'

let app: TestCore
let now: Date
beforeEach(async () => {
  now = new Date('2026-03-01T10:00:00.000Z')
  app = await openTestCore({ clock: () => now })
  await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Smith', email: 'ann@example.com' })
  await app.invoke('customers:create', { firstName: 'Bob', lastName: 'Jones' })
  await app.invoke('customers:create', { firstName: 'Cy', lastName: 'Young' })
})
afterEach(async () => {
  await app.cleanup()
})

async function countRows(table: string): Promise<number> {
  const [row] = (await app.db(table).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

async function lastChange(customerId: number) {
  const [entry] = await app.invoke('customers:changes', { id: customerId })
  return entry
}

describe('profile extras', () => {
  it('start with defaults for a new customer', async () => {
    expect(await app.invoke('customers:extras', { id: 1 })).toEqual({
      marketingConsent: false,
      unsubscribed: false,
      taxStatus: 'standard',
      specialRate: '',
      referredBy: null,
      rewardsBalanceMinor: 0,
      currency: 'GBP',
      household: [],
      paymentMethods: [],
      customFields: [],
      hasPhoto: false,
    })
  })

  it('refuse an unknown customer', async () => {
    expect(await app.call('customers:extras', { id: 99 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('email preferences and consent evidence', () => {
  it('records who, when, how and the wording when marketing consent is given', async () => {
    const extras = await app.invoke('customers:setPreferences', {
      id: 1,
      marketingConsent: true,
      unsubscribed: false,
      channel: 'phone',
      wording: 'Yes, send me the monthly newsletter.',
    })
    expect(extras.marketingConsent).toBe(true)
    expect(await app.invoke('customers:consentHistory', { id: 1 })).toEqual([
      {
        id: expect.any(Number),
        at: '2026-03-01T10:00:00.000Z',
        staffName: 'Administrator',
        kind: 'marketing',
        granted: true,
        channel: 'phone',
        wording: 'Yes, send me the monthly newsletter.',
      },
    ])
    expect(await app.db('consent_events').first('staff_id')).toEqual({ staff_id: 1 })
    expect(await lastChange(1)).toMatchObject({
      action: 'customer.preferences',
      summary: 'Newsletter/marketing: No → Yes',
      changes: [{ field: 'Newsletter/marketing', before: 'No', after: 'Yes' }],
    })
  })

  it('needs the wording before recording consent, and writes nothing without it', async () => {
    const changesBefore = await countRows('change_log')
    const result = await app.call('customers:setPreferences', { id: 1, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: '  ' })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'wording', message: 'Record the wording the customer agreed to.' },
    })
    expect(await countRows('consent_events')).toBe(0)
    expect(await countRows('change_log')).toBe(changesBefore)
    expect((await app.invoke('customers:extras', { id: 1 })).marketingConsent).toBe(false)
  })

  it('withdraws marketing consent when the customer wants no emails at all, each with its own event, newest first', async () => {
    await app.invoke('customers:setPreferences', { id: 1, marketingConsent: true, unsubscribed: false, channel: 'online', wording: 'Tick box v2' })
    now = new Date('2026-03-02T09:30:00.000Z')
    const extras = await app.invoke('customers:setPreferences', { id: 1, marketingConsent: true, unsubscribed: true, channel: 'desk' })
    expect(extras).toMatchObject({ marketingConsent: false, unsubscribed: true })
    const history = await app.invoke('customers:consentHistory', { id: 1 })
    expect(history.map((e) => [e.kind, e.granted, e.channel, e.at])).toEqual([
      ['marketing', false, 'desk', '2026-03-02T09:30:00.000Z'],
      ['unsubscribed', true, 'desk', '2026-03-02T09:30:00.000Z'],
      ['marketing', true, 'online', '2026-03-01T10:00:00.000Z'],
    ])
    expect((await lastChange(1))?.changes).toEqual([
      { field: 'No emails at all', before: 'No', after: 'Yes' },
      { field: 'Newsletter/marketing', before: 'Yes', after: 'No' },
    ])
  })

  it('leaves no event and no log entry when nothing changes', async () => {
    const changesBefore = await countRows('change_log')
    await app.invoke('customers:setPreferences', { id: 1, marketingConsent: false, unsubscribed: false, channel: 'desk' })
    expect(await countRows('consent_events')).toBe(0)
    expect(await countRows('change_log')).toBe(changesBefore)
  })

  it('refuses an unknown channel', async () => {
    const result = await app.call('customers:setPreferences', { id: 1, marketingConsent: false, unsubscribed: true, channel: 'email' as never })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'channel' } })
  })
})

describe('tax', () => {
  it('stores a special rate in basis points and shows it as a percentage', async () => {
    const extras = await app.invoke('customers:setTax', { id: 1, taxStatus: 'special', specialRate: '12.5' })
    expect(extras).toMatchObject({ taxStatus: 'special', specialRate: '12.5' })
    expect(await app.db('customers').where({ id: 1 }).first('tax_rate_bp')).toEqual({ tax_rate_bp: 1250 })
    expect(await lastChange(1)).toMatchObject({
      action: 'customer.tax',
      changes: [
        { field: 'Tax', before: 'Standard', after: 'Special rate' },
        { field: 'Tax rate', before: null, after: '12.5%' },
      ],
    })
    expect((await app.invoke('customers:setTax', { id: 1, taxStatus: 'special', specialRate: '5.05' })).specialRate).toBe('5.05')
    expect((await app.invoke('customers:setTax', { id: 1, taxStatus: 'special', specialRate: '100' })).specialRate).toBe('100')
  })

  it('clears the rate for exempt and standard', async () => {
    await app.invoke('customers:setTax', { id: 1, taxStatus: 'special', specialRate: '7' })
    expect(await app.invoke('customers:setTax', { id: 1, taxStatus: 'exempt', specialRate: '7' })).toMatchObject({ taxStatus: 'exempt', specialRate: '' })
    expect(await app.db('customers').where({ id: 1 }).first('tax_rate_bp')).toEqual({ tax_rate_bp: null })
  })

  it('needs a rate for special, and writes nothing without it', async () => {
    const changesBefore = await countRows('change_log')
    expect(await app.call('customers:setTax', { id: 1, taxStatus: 'special' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'specialRate' } })
    expect(await app.call('customers:setTax', { id: 1, taxStatus: 'special', specialRate: '101' })).toMatchObject({ ok: false, error: { field: 'specialRate' } })
    expect(await app.call('customers:setTax', { id: 1, taxStatus: 'special', specialRate: '1.234' })).toMatchObject({ ok: false, error: { field: 'specialRate' } })
    expect(await countRows('change_log')).toBe(changesBefore)
    expect((await app.invoke('customers:extras', { id: 1 })).taxStatus).toBe('standard')
  })
})

describe('referral and rewards', () => {
  it('records who referred the customer; the rewards balance is shown, never typed', async () => {
    const extras = await app.invoke('customers:setReferral', { id: 2, referredById: 1 })
    expect(extras).toMatchObject({ referredBy: { id: 1, number: 'C-000001', displayName: 'Ann Smith' }, rewardsBalanceMinor: 0, currency: 'GBP' })
    expect(await lastChange(2)).toMatchObject({
      action: 'customer.referral',
      changes: [{ field: 'Referred by', before: null, after: 'Ann Smith (C-000001)' }],
    })
    expect((await app.invoke('customers:setReferral', { id: 2, referredById: null })).referredBy).toBeNull()
  })

  it('refuses self-referral, unknown referrers and cycles, changing nothing', async () => {
    await app.invoke('customers:setReferral', { id: 2, referredById: 1 })
    await app.invoke('customers:setReferral', { id: 3, referredById: 2 })
    const changesBefore = await countRows('change_log')
    for (const referredById of [1, 99, 3, 2]) {
      const result = await app.call('customers:setReferral', { id: 1, referredById })
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'referredById' } })
    }
    const cycle = await app.call('customers:setReferral', { id: 1, referredById: 3 })
    expect(cycle.ok ? '' : cycle.error.message).toMatch(/Cy Young \(C-000003\) was themselves referred/)
    expect(await countRows('change_log')).toBe(changesBefore)
    expect(await app.invoke('customers:extras', { id: 1 })).toMatchObject({ referredBy: null, rewardsBalanceMinor: 0 })
  })

  it('refuses a typed-in balance: it moves only through the rewards ledger', async () => {
    expect(await app.call('customers:setReferral', { id: 1, referredById: null, rewardsBalanceMinor: 550 } as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    expect((await app.invoke('customers:extras', { id: 1 })).rewardsBalanceMinor).toBe(0)
  })
})
