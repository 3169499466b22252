import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { sessionTimes } from '../helpers/catalogue'
import type { TenderType } from '../../preload/contract'

/*
 * Random sequences of bookings, payments and refunds (by card and by rewards),
 * cancellations and adjustments among customers who referred each other.
 * After every step the rewards are compared with a model kept here from what
 * the desk asked and from the raw rows: each balance, each ledger's sum, and
 * which referrer earned what for whom.
 */

const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore

beforeAll(async () => {
  app = await openTestCore({ clock: () => NOW })
})
afterAll(async () => {
  await app.cleanup()
})

/** A small seeded generator (mulberry32), so a failing sequence can be run again. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface BookingRow {
  id: number
  customer_id: number
  status: string
  total_minor: number
  paid_minor: number
  outstanding_minor: number
  plan_id: number | null
}

async function bookingsOf(customerId: number): Promise<BookingRow[]> {
  return (await app
    .db('bookings')
    .where({ customer_id: customerId })
    .select('id', 'customer_id', 'status', 'total_minor', 'paid_minor', 'outstanding_minor', 'plan_id')) as BookingRow[]
}

const paidInFull = (b: BookingRow) => b.plan_id === null && b.status !== 'cancelled' && b.total_minor > 0 && b.outstanding_minor <= 0

describe.each([
  { seed: 7, kind: 'amount' as const },
  { seed: 2026, kind: 'percent' as const },
])('rewards through a random sequence (seed $seed, $kind)', ({ seed, kind }) => {
  it('keeps every balance equal to its ledger and to the model, and earns once per referred customer', async () => {
    const next = random(seed)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
    const amountMinor = 300 + Math.floor(next() * 500)
    const percentBp = 500 + Math.floor(next() * 2000)
    await app.invoke('settings:update', {
      referralRewardsEnabled: true,
      referralRewardKind: kind,
      referralRewardAmountMinor: amountMinor,
      referralRewardPercentBp: percentBp,
    })

    // Six customers: 1 referred 2 and 3, 2 referred 4, 3 referred 5; 6 was referred by nobody.
    const ids: number[] = []
    for (let i = 1; i <= 6; i++) ids.push((await app.invoke('customers:create', { firstName: `Seq${seed}`, lastName: `Person ${i}` })).id)
    const referrerOf = new Map<number, number>([
      [ids[1]!, ids[0]!],
      [ids[2]!, ids[0]!],
      [ids[3]!, ids[1]!],
      [ids[4]!, ids[2]!],
    ])
    for (const [referred, referrer] of referrerOf) await app.invoke('customers:setReferral', { id: referred, referredById: referrer })

    const expected = new Map<number, number>(ids.map((id) => [id, 0]))
    /** Referred customer → what their referrer earned for them. */
    const earnedFor = new Map<number, number>()
    /** Per booking: rewards paid on it less rewards given back. */
    const rewardsOn = new Map<number, number>()
    const add = (id: number, minor: number) => expected.set(id, expected.get(id)! + minor)
    const rewardOf = (total: number) => (kind === 'amount' ? amountMinor : Math.floor((total * percentBp + 5000) / 10000))
    // Roomy sessions of odd prices, so percentages round both ways.
    const item = await app.invoke('catalogue:saveItem', {
      kind: 'class',
      name: `Sequence ${seed}`,
      priceOptions: [1250, 799, 3333].map((amount, i) => ({ name: `Price ${i + 1}`, amountMinor: amount, currency: 'GBP' })),
    })
    const session = await app.invoke('catalogue:saveSession', { itemId: item.id, ...sessionTimes(NOW, 4), capacity: 1000 })
    const options = item.priceOptions.map((option) => ({ sessionId: session.id, priceOptionId: option.id }))

    /** After a payment on `booking` succeeded: does the model expect the referrer to have earned now? */
    function expectEarning(before: BookingRow[], after: BookingRow[], bookingId: number, customerId: number) {
      const referrer = referrerOf.get(customerId)
      const booking = after.find((b) => b.id === bookingId)!
      if (referrer === undefined || earnedFor.has(customerId) || !paidInFull(booking)) return
      if (before.some((b) => b.id !== bookingId && paidInFull(b))) return
      const reward = rewardOf(booking.total_minor)
      if (reward <= 0) return
      earnedFor.set(customerId, reward)
      add(referrer, reward)
    }

    let refused = 0
    const done = { booked: 0, paid: 0, refunded: 0, cancelled: 0, adjusted: 0 }
    for (let step = 0; step < 150; step++) {
      const customerId = pick(ids)
      const mine = await bookingsOf(customerId)
      const roll = next()
      const method: TenderType = next() < 0.5 ? 'rewards' : 'card'
      const logBefore = await app.db('change_log').count({ n: '*' })
      let ok: boolean
      let touched: number | null = null

      if (roll < 0.3 || mine.length === 0) {
        const option = pick(options)
        const quantity = 1 + Math.floor(next() * 3)
        const payNow = next() < 0.5
        const total = await priceOf(option.priceOptionId, quantity)
        const amount = payNow ? Math.max(1, Math.floor(next() * total) + (next() < 0.5 ? total : 0)) : 0
        const result = await app.call('bookings:create', {
          customer: { kind: 'existing', id: customerId },
          lines: [{ ...option, quantity }],
          payment: payNow ? { amountMinor: Math.min(amount, total), method } : null,
        })
        ok = result.ok
        if (ok) done.booked++
        if (result.ok && payNow && method === 'rewards') {
          add(customerId, -Math.min(amount, total))
          rewardsOn.set(result.data.booking.id, Math.min(amount, total))
        }
        if (result.ok && payNow) touched = result.data.booking.id
      } else if (roll < 0.65) {
        const booking = pick(mine)
        const amount = 1 + Math.floor(next() * Math.max(1, booking.outstanding_minor + 200))
        const result = await app.call('bookings:addPayment', { bookingId: booking.id, amountMinor: amount, method })
        ok = result.ok
        if (ok) done.paid++
        if (ok && method === 'rewards') {
          add(customerId, -amount)
          rewardsOn.set(booking.id, (rewardsOn.get(booking.id) ?? 0) + amount)
        }
        if (ok) touched = booking.id
      } else if (roll < 0.8) {
        const booking = pick(mine)
        const amount = 1 + Math.floor(next() * Math.max(1, booking.paid_minor))
        const result = await app.call('bookings:addPayment', { bookingId: booking.id, kind: 'refund', amountMinor: amount, method })
        ok = result.ok
        if (ok) done.refunded++
        if (ok && method === 'rewards') {
          add(customerId, amount)
          rewardsOn.set(booking.id, rewardsOn.get(booking.id)! - amount)
        }
        if (ok) {
          // A refund by card never gives back money paid with rewards.
          const after = (await bookingsOf(customerId)).find((b) => b.id === booking.id)!
          expect(after.paid_minor).toBeGreaterThanOrEqual(rewardsOn.get(booking.id) ?? 0)
        }
      } else if (roll < 0.9) {
        const booking = pick(mine)
        ok = (await app.call('bookings:setStatus', { id: booking.id, status: 'cancelled', reason: 'Sequence' })).ok
        if (ok) done.cancelled++
      } else {
        const amount = Math.floor(next() * 1500) - 400 || 1
        ok = (await app.call('rewards:adjust', { customerId, amountMinor: amount, reason: `Step ${step}` })).ok
        if (ok) {
          done.adjusted++
          add(customerId, amount)
        }
      }

      if (!ok) {
        refused++
        expect(await app.db('change_log').count({ n: '*' }), `step ${step} was refused but logged`).toEqual(logBefore)
      }
      if (touched !== null) expectEarning(mine, await bookingsOf(customerId), touched, customerId)

      // The stored balances, the ledgers' sums and the model agree, and no balance is below zero.
      const stored = (await app.db('customers').whereIn('id', ids).select('id', 'rewards_balance_minor')) as Array<{ id: number; rewards_balance_minor: number }>
      const sums = (await app.db('reward_entries').whereIn('customer_id', ids).groupBy('customer_id').select('customer_id').sum({ total: 'amount_minor' })) as Array<{
        customer_id: number
        total: number
      }>
      for (const row of stored) {
        expect(row.rewards_balance_minor, `balance of ${row.id} after step ${step}`).toBe(expected.get(row.id))
        expect(Number(sums.find((s) => s.customer_id === row.id)?.total ?? 0)).toBe(row.rewards_balance_minor)
        expect(row.rewards_balance_minor).toBeGreaterThanOrEqual(0)
      }
    }

    const earned = (await app.db('reward_entries').where({ kind: 'earned' }).whereIn('customer_id', ids).select('referred_customer_id', 'amount_minor', 'customer_id')) as Array<{
      referred_customer_id: number
      amount_minor: number
      customer_id: number
    }>
    expect(new Map(earned.map((e) => [e.referred_customer_id, e.amount_minor]))).toEqual(earnedFor)
    for (const e of earned) expect(e.customer_id).toBe(referrerOf.get(e.referred_customer_id))
    // The sequence did some of everything: some refusals, some rewards earned.
    expect(refused).toBeGreaterThan(0)
    expect(earnedFor.size, JSON.stringify(done)).toBeGreaterThan(0)
    for (const [what, n] of Object.entries(done)) expect(n, `${what} in ${JSON.stringify(done)}`).toBeGreaterThan(0)
    const kinds = (await app.db('reward_entries').whereIn('customer_id', ids).distinct('kind').pluck('kind')) as string[]
    expect(kinds).toEqual(expect.arrayContaining(['earned', 'spent', 'adjusted']))
  })
})

async function priceOf(priceOptionId: number, quantity: number): Promise<number> {
  const row = (await app.db('price_options').where({ id: priceOptionId }).first('amount_minor')) as { amount_minor: number }
  return row.amount_minor * quantity
}
