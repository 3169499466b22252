import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import { sellTestPlan } from '../helpers/plans'

let now = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
let customerId: number
beforeEach(async () => {
  now = new Date('2026-03-02T12:00:00Z')
  app = await openTestCore({ clock: () => now })
  cat = await createCatalogue(app, { now })
  customerId = (await app.invoke('customers:create', { firstName: 'Pat', lastName: 'Pass' })).id
})
afterEach(async () => {
  await app.cleanup()
})

const sellPass = async (credits: number, validTo: string | null = null) => {
  // validTo as the last day of a pass valid for whole days from today (2 Mar).
  const lengthCount = validTo === null ? null : Math.round((Date.parse(validTo) - Date.parse('2026-03-02')) / 86_400_000) + 1
  const sold = await sellTestPlan(app, customerId, { kind: 'pass', name: `${credits}-class pass`, credits, lengthCount, lengthUnit: lengthCount === null ? null : 'day', priceMinor: 4000 }, { startsOn: '2026-03-02' })
  return sold.planId
}
const bookWithPass = (passId: number, quantity: number) =>
  app.call('bookings:create', {
    customer: { kind: 'existing', id: customerId },
    lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity }],
    passId,
  })

describe('pass credits', () => {
  it('are used by bookings, refused when short, and returned on cancel', async () => {
    const passId = await sellPass(3)
    const used = await bookWithPass(passId, 2)
    expect(used).toMatchObject({ ok: true, data: { booking: { totalMinor: 0, outstandingMinor: 0, passName: '3-class pass', lines: [{ coveredByPass: true, unitMinor: 0 }] } } })
    expect((await app.invoke('plans:list', { customerId })).passes[0]).toMatchObject({ creditsTotal: 3, creditsUsed: 2, creditsLeft: 1, status: 'active' })

    expect(await bookWithPass(passId, 2)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'passId', message: '3-class pass has 1 credit left; this booking needs 2.' },
    })
    expect(await bookWithPass(passId, 1)).toMatchObject({ ok: true })
    expect((await app.invoke('plans:list', { customerId })).passes[0]).toMatchObject({ creditsLeft: 0, status: 'used_up' })

    if (!used.ok) return
    const cancelled = await app.invoke('bookings:setStatus', { id: used.data.booking.id, status: 'cancelled' })
    expect(cancelled.history[0]!.summary).toContain('2 pass credits returned')
    expect((await app.invoke('plans:list', { customerId })).passes[0]).toMatchObject({ creditsUsed: 1, creditsLeft: 2, status: 'active' })
    expect(await app.db('pass_uses').whereNotNull('returned_at').count({ n: '*' })).toEqual([{ n: 1 }])
  })

  it('refuses another customer’s pass, an expired pass and a cancelled pass', async () => {
    const other = (await app.invoke('customers:create', { firstName: 'Other' })).id
    const theirs = (await sellTestPlan(app, other, { kind: 'pass', name: 'Theirs', credits: 5, priceMinor: 1 }, { startsOn: '2026-03-02' })).planId
    expect(await bookWithPass(theirs, 1)).toMatchObject({ ok: false, error: { field: 'passId' } })

    const expiring = await sellPass(5, '2026-03-05')
    now = new Date('2026-03-06T08:00:00Z')
    expect(await bookWithPass(expiring, 1)).toMatchObject({ ok: false, error: { field: 'passId', message: expect.stringContaining('expired') } })
    expect((await app.invoke('plans:list', { customerId })).passes[0]).toMatchObject({ status: 'expired', creditsLeft: 5 })

    const cancelled = await sellPass(5)
    await app.invoke('plans:setStatus', { id: cancelled, status: 'cancelled' })
    expect(await bookWithPass(cancelled, 1)).toMatchObject({ ok: false, error: { field: 'passId' } })
  })
})

describe('plans', () => {
  it('work out membership and subscription statuses from the clock', async () => {
    // A month's membership from 10 Mar runs to 9 Apr.
    await sellTestPlan(app, customerId, { kind: 'membership', name: 'Gold', lengthCount: 1, lengthUnit: 'month', priceMinor: 9900 }, { startsOn: '2026-03-10' })
    // Each sale is a subscription's first collection; the next falls due an interval later.
    await sellTestPlan(app, customerId, { kind: 'subscription', name: 'Monthly yoga', interval: 'month', priceMinor: 3000 }, { startsOn: '2026-01-31' })
    await sellTestPlan(app, customerId, { kind: 'subscription', name: 'Weekly swim', interval: 'week', priceMinor: 500 }, { startsOn: '2026-03-02' })
    let plans = await app.invoke('plans:list', { customerId })
    expect(plans.memberships[0]).toMatchObject({ status: 'upcoming', priceMinor: 9900, validFrom: '2026-03-10', validTo: '2026-04-09' })
    expect(plans.subscriptions.map((s) => [s.name, s.nextDueOn])).toEqual([
      ['Weekly swim', '2026-03-09'],
      ['Monthly yoga', '2026-02-28'],
    ])

    now = new Date('2026-04-10T10:00:00Z')
    plans = await app.invoke('plans:list', { customerId })
    expect(plans.memberships[0]!.status).toBe('expired')
    // Nothing was collected since: the next days due stay where they were (overdue).
    expect(plans.subscriptions[1]!.nextDueOn).toBe('2026-02-28')

    const monthly = plans.subscriptions[1]!.id
    plans = await app.invoke('plans:setStatus', { id: monthly, status: 'paused' })
    expect(plans.subscriptions[1]).toMatchObject({ status: 'paused', nextDueOn: null })
    // Resumed: the first collection day on or after today, held at the 31st where the month allows.
    plans = await app.invoke('plans:setStatus', { id: monthly, status: 'active' })
    expect(plans.subscriptions[1]).toMatchObject({ status: 'active', nextDueOn: '2026-04-30' })
    expect(await app.call('plans:setStatus', { id: plans.memberships[0]!.id, status: 'paused' })).toMatchObject({ ok: false, error: { field: 'status' } })
    await app.invoke('plans:setStatus', { id: monthly, status: 'cancelled' })
    expect(await app.call('plans:setStatus', { id: monthly, status: 'active' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    const log = await app.invoke('customers:changes', { id: customerId, kind: 'bookings' })
    expect(log.map((c) => c.action)).toEqual([
      'plan.cancelled',
      'plan.resumed',
      'plan.paused',
      ...['plan.sold', 'booking.created', 'plan.sold', 'booking.created', 'plan.sold', 'booking.created'],
    ])
  })

  it('are not sold to blocked customers', async () => {
    await app.invoke('customers:block', { id: customerId, reason: 'Abusive' })
    const productId = (await app.invoke('plans:saveProduct', { kind: 'pass', name: 'Ten', credits: 10, priceMinor: 1 })).id
    expect(await app.call('plans:sell', { customerId, productId, startsOn: '2026-03-02' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('blocked (Abusive)') },
    })
  })
})
