import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, sessionTimes, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'
import type { Settings } from '../../preload/contract'

const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
/** Ann referred Ben and Cy; Dee was referred by nobody. */
let ann: number
let ben: number
let cy: number
let dee: number

beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  const make = async (firstName: string, lastName: string) => (await app.invoke('customers:create', { firstName, lastName })).id
  ann = await make('Ann', 'Smith')
  ben = await make('Ben', 'Jones')
  cy = await make('Cy', 'Young')
  dee = await make('Dee', 'Doe')
  await app.invoke('customers:setReferral', { id: ben, referredById: ann })
  await app.invoke('customers:setReferral', { id: cy, referredById: ann })
  await rewardsOn({ referralRewardKind: 'amount', referralRewardAmountMinor: 500 })
})
afterEach(async () => {
  await app.cleanup()
})

const rewardsOn = (settings: Partial<Settings> = {}) => app.invoke('settings:update', { referralRewardsEnabled: true, ...settings })

const book = (customerId: number, lines: Array<{ sessionId: number; priceOptionId: number; quantity?: number }>, payment: { amountMinor: number; method: 'card' | 'rewards' } | null = null) =>
  app.invoke('bookings:create', { customer: { kind: 'existing', id: customerId }, lines, payment })
const yoga = (quantity = 1) => ({ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity })
const pottery = (quantity = 1) => ({ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity })
const pay = (bookingId: number, amountMinor: number, method: 'card' | 'cash' | 'rewards' = 'card', kind: 'payment' | 'refund' = 'payment') =>
  app.call('bookings:addPayment', { bookingId, amountMinor, method, kind })

async function balance(customerId: number): Promise<number> {
  return (await app.invoke('rewards:balance', { customerId })).balanceMinor
}

async function entries(customerId: number) {
  return (await app.db('reward_entries').where({ customer_id: customerId }).orderBy('id')) as Array<{
    kind: string
    amount_minor: number
    currency: string
    referred_customer_id: number | null
    booking_id: number | null
    payment_id: number | null
  }>
}

/** Every customer's stored balance is the sum of their ledger, computed here from the raw rows. */
async function expectLedgersAddUp() {
  const customers = (await app.db('customers').select('id', 'rewards_balance_minor')) as Array<{ id: number; rewards_balance_minor: number }>
  const sums = new Map<number, number>()
  for (const e of (await app.db('reward_entries').select('customer_id', 'amount_minor')) as Array<{ customer_id: number; amount_minor: number }>) {
    sums.set(e.customer_id, (sums.get(e.customer_id) ?? 0) + e.amount_minor)
  }
  for (const c of customers) expect(c.rewards_balance_minor, `customer ${c.id}`).toBe(sums.get(c.id) ?? 0)
}

async function counts() {
  const n = async (table: string) => Number(((await app.db(table).count({ n: '*' })) as Array<{ n: number }>)[0]!.n)
  return { payments: await n('payments'), entries: await n('reward_entries'), log: await n('change_log') }
}

/** A plan's sale as an order: a bookings row naming the plan, its one line naming it too, owing its price. */
async function planOrder(customerId: number, priceMinor: number): Promise<number> {
  const [plan] = (await app
    .db('customer_plans')
    .insert({ customer_id: customerId, kind: 'membership', name: 'Gold', amount_minor: priceMinor, currency: 'GBP', sold_at: NOW.toISOString() })
    .returning('id')) as Array<{ id: number }>
  const [order] = (await app
    .db('bookings')
    .insert({
      reference: `plan-${plan!.id}`,
      customer_id: customerId,
      status: 'confirmed',
      source: 'walk_in',
      currency: 'GBP',
      total_minor: priceMinor,
      outstanding_minor: priceMinor,
      summary: 'Gold membership',
      plan_id: plan!.id,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .returning('id')) as Array<{ id: number }>
  await app.db('booking_lines').insert({ booking_id: order!.id, plan_id: plan!.id, description: 'Gold membership — 12 months', quantity: 1, unit_minor: priceMinor, total_minor: priceMinor })
  return order!.id
}

describe('earning referral rewards', () => {
  it('earns the referrer the reward once, when the referred customer’s first booking is paid in full', async () => {
    const { booking } = await book(ben, [yoga(2)])
    const total = 2 * P.yogaAdult
    expect((await pay(booking.id, 1000)).ok).toBe(true)
    expect(await balance(ann)).toBe(0)

    expect((await pay(booking.id, total - 1000)).ok).toBe(true)
    expect(await balance(ann)).toBe(500)
    expect(await entries(ann)).toEqual([
      expect.objectContaining({ kind: 'earned', amount_minor: 500, currency: 'GBP', referred_customer_id: ben, booking_id: booking.id }),
    ])
    const [annLog] = await app.invoke('customers:changes', { id: ann, limit: 1 })
    expect(annLog).toMatchObject({
      action: 'reward.earned',
      summary: `Earned a £5.00 referral reward: Ben Jones (C-${String(ben).padStart(6, '0')}) paid ${booking.reference} in full`,
      changes: [{ field: 'Rewards balance', before: '£0.00', after: '£5.00' }],
    })
    const benLog = await app.invoke('customers:changes', { id: ben, limit: 5 })
    expect(benLog.map((c) => c.action)).toContain('reward.earnedForReferrer')

    // A second booking paid in full earns nothing more.
    await book(ben, [pottery()], { amountMinor: P.pottery, method: 'card' })
    expect(await balance(ann)).toBe(500)
    // The reward stays earned when the booking that earned it is refunded.
    expect((await pay(booking.id, total, 'card', 'refund')).ok).toBe(true)
    expect(await balance(ann)).toBe(500)
    // Cy is Ann's second referral: their first paid booking earns again.
    await book(cy, [yoga(1)], { amountMinor: P.yogaAdult, method: 'card' })
    expect(await balance(ann)).toBe(1000)
    // Dee was referred by nobody.
    await book(dee, [yoga(1)], { amountMinor: P.yogaAdult, method: 'card' })
    expect(await app.db('reward_entries').where({ kind: 'earned' }).count({ n: '*' })).toEqual([{ n: 2 }])
    await expectLedgersAddUp()
  })

  it('earns nothing for a paid plan order, which is not a booking; the first paid booking after it still earns', async () => {
    const order = await planOrder(ben, 9900)
    expect((await pay(order, 9900)).ok).toBe(true)
    expect(await balance(ann)).toBe(0)
    await book(ben, [yoga(1)], { amountMinor: P.yogaAdult, method: 'card' })
    expect(await balance(ann)).toBe(500)
  })

  it('earns nothing while rewards are off, and a booking paid then used the first-booking chance', async () => {
    await app.invoke('settings:update', { referralRewardsEnabled: false })
    await book(ben, [yoga(1)], { amountMinor: P.yogaAdult, method: 'card' })
    expect(await balance(ann)).toBe(0)
    await rewardsOn()
    await book(ben, [pottery()], { amountMinor: P.pottery, method: 'card' })
    expect(await balance(ann)).toBe(0)
    expect(await entries(ann)).toEqual([])
  })

  it('earns nothing for a booking with nothing to pay, or one cancelled before it was paid', async () => {
    const { booking } = await book(ben, [yoga(1)])
    await app.invoke('bookings:setStatus', { id: booking.id, status: 'cancelled', reason: 'Changed plans' })
    expect(await balance(ann)).toBe(0)
    await book(ben, [yoga(1)], { amountMinor: 100, method: 'card' })
    expect(await balance(ann)).toBe(0)
  })

  it('earns a percentage of the booking’s total, rounded to the nearest penny with halves up', async () => {
    await rewardsOn({ referralRewardKind: 'percent', referralRewardPercentBp: 1250 })
    // 12.5% of 2 × £12.50 = £3.125 → £3.13.
    await book(ben, [yoga(2)], { amountMinor: 2 * P.yogaAdult, method: 'card' })
    expect(await balance(ann)).toBe(313)
    // 12.5% of £30.00 = £3.75 exactly.
    await book(cy, [pottery()], { amountMinor: P.pottery, method: 'card' })
    expect(await balance(ann)).toBe(313 + 375)
    await expectLedgersAddUp()
  })

  it('earns the fixed amount in the business’s currency for a booking in another, but no percentage of it', async () => {
    const euro = await app.invoke('catalogue:saveItem', { kind: 'class', name: 'Pilates', priceOptions: [{ name: 'Drop-in', amountMinor: 2000, currency: 'EUR' }] })
    const session = await app.invoke('catalogue:saveSession', { itemId: euro.id, ...sessionTimes(NOW, 3), capacity: 5 })
    const line = { sessionId: session.id, priceOptionId: euro.priceOptions[0]!.id, quantity: 1 }
    await book(ben, [line], { amountMinor: 2000, method: 'card' })
    expect(await entries(ann)).toEqual([expect.objectContaining({ kind: 'earned', amount_minor: 500, currency: 'GBP' })])
    await rewardsOn({ referralRewardKind: 'percent' })
    await book(cy, [line], { amountMinor: 2000, method: 'card' })
    expect(await balance(ann)).toBe(500)
  })
})

describe('spending rewards as a payment', () => {
  beforeEach(async () => {
    await book(ben, [yoga(1)], { amountMinor: P.yogaAdult, method: 'card' })
    expect(await balance(ann)).toBe(500)
  })

  it('takes from the balance, refuses more than the balance without changing anything, and gives it back on a refund by rewards', async () => {
    const { booking } = await book(ann, [pottery()])
    const paid = await app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: 200, method: 'rewards' })
    expect(paid).toMatchObject({ paidMinor: 200, outstandingMinor: P.pottery - 200 })
    expect(paid.payments[0]).toMatchObject({ method: 'rewards', amountMinor: 200 })
    expect(await balance(ann)).toBe(300)
    expect(paid.history[0]).toMatchObject({
      action: 'booking.payment',
      summary: expect.stringContaining('Payment of £2.00 by rewards'),
      changes: expect.arrayContaining([{ field: 'Rewards balance', before: '£5.00', after: '£3.00' }]),
    })

    const before = await counts()
    const tooMuch = await pay(booking.id, 301, 'rewards')
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'amountMinor', message: 'That is more than the £3.00 of rewards Ann Smith has.' } })
    expect(await counts()).toEqual(before)
    expect(await balance(ann)).toBe(300)
    expect((await app.invoke('bookings:get', { id: booking.id })).paidMinor).toBe(200)

    // The rest by rewards and card: paid in full.
    expect((await pay(booking.id, 300, 'rewards')).ok).toBe(true)
    const full = await app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: P.pottery - 500, method: 'card' })
    expect(full).toMatchObject({ paidMinor: P.pottery, outstandingMinor: 0 })
    expect(await balance(ann)).toBe(0)
    expect(await pay(booking.id, 1, 'rewards')).toMatchObject({ ok: false })

    // Refunds: rewards go back as rewards, never more than was paid with them, and never out as cash.
    expect(await pay(booking.id, P.pottery - 499, 'cash', 'refund')).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'amountMinor' } })
    expect(await pay(booking.id, 501, 'rewards', 'refund')).toMatchObject({
      ok: false,
      error: { field: 'amountMinor', message: `Only £5.00 of ${booking.reference} was paid with rewards, so at most that goes back as rewards.` },
    })
    const refunded = await app.invoke('bookings:addPayment', { bookingId: booking.id, kind: 'refund', amountMinor: 150, method: 'rewards' })
    expect(refunded).toMatchObject({ paidMinor: P.pottery - 150, outstandingMinor: 150 })
    expect(await balance(ann)).toBe(150)
    expect((await entries(ann)).map((e) => [e.kind, e.amount_minor])).toEqual([
      ['earned', 500],
      ['spent', -200],
      ['spent', -300],
      ['returned', 150],
    ])
    expect((await pay(booking.id, P.pottery - 500, 'cash', 'refund')).ok).toBe(true)
    await expectLedgersAddUp()

    // The ledger as the profile shows it: newest first, each with the balance after it.
    const ledger = await app.invoke('rewards:ledger', { customerId: ann, limit: 2 })
    expect(ledger.entries.map((e) => [e.kind, e.amountMinor, e.balanceAfterMinor])).toEqual([
      ['returned', 150, 150],
      ['spent', -300, 0],
    ])
    const older = await app.invoke('rewards:ledger', { customerId: ann, limit: 2, before: ledger.nextBefore })
    expect(older.entries.map((e) => [e.kind, e.amountMinor, e.balanceAfterMinor, e.description])).toEqual([
      ['spent', -200, 300, `Paid towards ${booking.reference}`],
      ['earned', 500, 500, expect.stringMatching(/^Referral reward: Ben Jones paid B-\d+ in full$/)],
    ])
    expect(older.nextBefore).toBeNull()
  })

  it('pays with rewards while booking; refuses more than the balance at the payment field', async () => {
    const refused = await app.call('bookings:create', { customer: { kind: 'existing', id: ann }, lines: [yoga(1)], payment: { amountMinor: 600, method: 'rewards' } })
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payment.amountMinor' } })
    expect(await app.db('bookings').where({ customer_id: ann }).count({ n: '*' })).toEqual([{ n: 0 }])
    const { booking } = await book(ann, [yoga(1)], { amountMinor: 500, method: 'rewards' })
    expect(booking).toMatchObject({ paidMinor: 500, outstandingMinor: P.yogaAdult - 500 })
    expect(await balance(ann)).toBe(0)
  })

  it('refuses rewards on a booking in another currency than the business’s', async () => {
    const euro = await app.invoke('catalogue:saveItem', { kind: 'class', name: 'Pilates', priceOptions: [{ name: 'Drop-in', amountMinor: 2000, currency: 'EUR' }] })
    const session = await app.invoke('catalogue:saveSession', { itemId: euro.id, ...sessionTimes(NOW, 3), capacity: 5 })
    const { booking } = await book(ann, [{ sessionId: session.id, priceOptionId: euro.priceOptions[0]!.id }])
    const before = await counts()
    expect(await pay(booking.id, 100, 'rewards')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'method', message: expect.stringContaining('Rewards are kept in GBP') },
    })
    expect(await counts()).toEqual(before)
  })

  it('refuses a refund by rewards of money paid another way', async () => {
    const { booking } = await book(ann, [yoga(1)], { amountMinor: P.yogaAdult, method: 'card' })
    expect(await pay(booking.id, 100, 'rewards', 'refund')).toMatchObject({ ok: false, error: { field: 'amountMinor', message: expect.stringContaining('Nothing on') } })
    expect(await balance(ann)).toBe(500)
  })
})

describe('adjusting a balance and listing referrals', () => {
  it('lets an administrator add or take away with a reason, never below zero; refuses staff', async () => {
    const page = await app.invoke('rewards:adjust', { customerId: dee, amountMinor: 750, reason: 'Goodwill after a cancelled class' })
    expect(page).toMatchObject({ balanceMinor: 750, entries: [{ kind: 'adjusted', amountMinor: 750, description: 'Adjusted: Goodwill after a cancelled class' }] })
    expect((await app.invoke('customers:changes', { id: dee, limit: 1 }))[0]).toMatchObject({ action: 'reward.adjusted' })
    expect(await app.call('rewards:adjust', { customerId: dee, amountMinor: -751, reason: 'Too much' })).toMatchObject({ ok: false, error: { field: 'amountMinor' } })
    await app.invoke('rewards:adjust', { customerId: dee, amountMinor: -750, reason: 'Given in error' })
    expect(await balance(dee)).toBe(0)
    const sam = { id: 2, name: 'Sam at the desk', role: 'staff' as const }
    expect(await app.as(sam, () => app.call('rewards:adjust', { customerId: dee, amountMinor: 100, reason: 'Try' }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only an administrator can adjust a rewards balance.' },
    })
    await expectLedgersAddUp()
  })

  it('lists the customers someone referred in name order, a page at a time, with what each earned', async () => {
    await book(cy, [yoga(1)], { amountMinor: P.yogaAdult, method: 'card' })
    const first = await app.invoke('rewards:referred', { customerId: ann, limit: 1 })
    expect(first).toMatchObject({ total: 2, customers: [{ id: ben, displayName: 'Ben Jones', earnedMinor: null }] })
    const second = await app.invoke('rewards:referred', { customerId: ann, limit: 1, after: first.nextAfter })
    expect(second).toMatchObject({ customers: [{ id: cy, displayName: 'Cy Young', earnedMinor: 500 }], nextAfter: null })
    expect((await app.invoke('rewards:referred', { customerId: dee })).customers).toEqual([])
  })
})

describe('a booking left paid in full by a move to a cheaper price', () => {
  it('earns the referrer their reward then, once', async () => {
    const made = await book(ben, [yoga()], { amountMinor: P.yogaConcession, method: 'card' })
    expect(await balance(ann)).toBe(0)
    const line = made.booking.lines[0]!
    const moved = await app.call('bookings:transfer', { bookingId: made.booking.id, lineId: line.id, sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.concessionOptionId })
    expect(moved.ok && moved.data.booking.outstandingMinor).toBe(0)
    expect(await balance(ann)).toBe(500)
    expect((await entries(ann)).filter((e) => e.kind === 'earned')).toEqual([expect.objectContaining({ referred_customer_id: ben, booking_id: made.booking.id, amount_minor: 500 })])
    await expectLedgersAddUp()
  })
})
