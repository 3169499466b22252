import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { addTestPlanProduct } from '../helpers/plans'
import { seededRandom } from '../../main/demo/bookings'

/*
 * A seeded random sequence of what the desk does with plans — sell (paid,
 * part paid, owing), record collections paid or failed, take payments on
 * what is owed, pause, resume, cancel plans and orders, days passing — under
 * tax settings that change, with every customer's invoices, balances, owed
 * plan orders and collections due compared after each step with figures
 * worked out here from the raw rows.
 */

let now = new Date('2026-01-05T10:00:00Z')
let app: TestCore
const customers: number[] = []
const products: number[] = []
const random = seededRandom(20261202)
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!

beforeAll(async () => {
  app = await openTestCore({ clock: () => now })
  await app.invoke('settings:update', { taxRates: [{ name: 'Standard', rateBp: 2000 }, { name: 'Reduced', rateBp: 500 }], pricesIncludeTax: true })
  for (const [name, status, rate] of [
    ['Stan', 'standard', ''],
    ['Ezra', 'exempt', ''],
    ['Sia', 'special', '12.5'],
  ] as const) {
    const id = (await app.invoke('customers:create', { firstName: name, lastName: 'Sequence' })).id
    if (status !== 'standard') await app.invoke('customers:setTax', { id, taxStatus: status, specialRate: rate })
    customers.push(id)
  }
  products.push(
    await addTestPlanProduct(app, { kind: 'membership', name: 'Gold', priceMinor: 12345 }),
    await addTestPlanProduct(app, { kind: 'pass', name: 'Ten', priceMinor: 9999, credits: 10, taxRateBp: 500 }),
    await addTestPlanProduct(app, { kind: 'subscription', name: 'Weekly', priceMinor: 777, interval: 'week' }),
    await addTestPlanProduct(app, { kind: 'subscription', name: 'Monthly', priceMinor: 3333, interval: 'month', taxRateBp: 500 }),
  )
}, 60_000)
afterAll(async () => {
  await app.cleanup()
})

const day = () => now.toISOString().slice(0, 10)

/** Everything the money screens show for one customer, worked out from the rows. */
async function expectedOf(customerId: number) {
  const orders = (await app.db('bookings').where({ customer_id: customerId }).orderBy('id')) as Array<{
    id: number
    status: string
    plan_id: number | null
    collection_due_on: string | null
    collection_failed_at: string | null
  }>
  let invoiced = 0
  let received = 0
  let owed = 0
  let credit = 0
  const owing: number[] = []
  for (const o of orders) {
    const lines = (await app.db('booking_lines').where({ booking_id: o.id })) as Array<{ total_minor: number; tax_minor: number; quantity: number }>
    const payments = (await app.db('payments').where({ booking_id: o.id })) as Array<{ kind: string; amount_minor: number }>
    const charge = o.status === 'cancelled' ? 0 : lines.reduce((s, l) => s + l.total_minor, 0)
    const paid = payments.reduce((s, p) => s + (p.kind === 'refund' ? -p.amount_minor : p.amount_minor), 0)
    invoiced += charge
    received += paid
    if (charge > paid) {
      owed += charge - paid
      if (o.plan_id !== null) owing.push(o.id)
    } else credit += paid - charge
  }
  return { invoicedMinor: invoiced, incomeReceivedMinor: received, outstandingMinor: owed, creditMinor: credit, owing }
}

async function checkEverything() {
  for (const customerId of customers) {
    const expected = await expectedOf(customerId)
    const { totals, invoices } = await app.invoke('customers:invoices', { customerId })
    expect(totals[0]).toEqual({
      currency: 'GBP',
      invoicedMinor: expected.invoicedMinor,
      incomeReceivedMinor: expected.incomeReceivedMinor,
      outstandingMinor: expected.outstandingMinor,
      creditMinor: expected.creditMinor,
    })
    for (const invoice of invoices) expect(invoice.totalMinor).toBe(invoice.lines.reduce((s, l) => s + l.totalMinor, 0))
    const plans = await app.invoke('plans:list', { customerId })
    expect(plans.owed.map((o) => o.bookingId).sort((a, b) => a - b)).toEqual(expected.owing)
  }
  // Collections due: active subscriptions whose next day due is today or earlier, from the rows.
  const due = (await app.db('customer_plans').where({ kind: 'subscription', status: 'active' }).where('next_due_on', '<=', day()).count({ n: '*' })) as Array<{ n: number }>
  expect((await app.invoke('plans:collectionsDue', {})).total).toBe(Number(due[0]!.n))
  const nulls = (await app.db('customer_plans').where({ kind: 'subscription' }).whereNot('status', 'active').whereNotNull('next_due_on').count({ n: '*' })) as Array<{ n: number }>
  expect(Number(nulls[0]!.n)).toBe(0)
  // Each priced line's tax is inside its total, at its rate.
  const lines = (await app.db('booking_lines').whereNotNull('plan_id').select('total_minor', 'tax_minor', 'tax_rate_bp')) as Array<{ total_minor: number; tax_minor: number; tax_rate_bp: number }>
  for (const l of lines) {
    const net = l.total_minor - l.tax_minor
    expect(Math.abs(l.tax_minor * 10000 - net * l.tax_rate_bp)).toBeLessThanOrEqual(10000)
  }
}

describe('a seeded sequence of plan sales and collections', () => {
  it('keeps every total, balance, owed order and collection due in step with the raw rows', async () => {
    let sold = 0
    let collected = 0
    for (let step = 0; step < 300; step++) {
      const roll = random()
      if (roll < 0.25) {
        const customerId = pick(customers)
        const paying = random()
        const payment = paying < 0.4 ? { amountMinor: null, method: 'card' as const } : paying < 0.7 ? { amountMinor: 1 + Math.floor(random() * 700), method: 'cash' as const } : null
        const result = await app.call('plans:sell', { customerId, productId: pick(products), startsOn: day(), payment })
        // A part payment may be more than an exempt customer's price: refused, nothing written.
        if (result.ok) sold++
      } else if (roll < 0.5) {
        const due = await app.invoke('plans:collectionsDue', {})
        const row = due.rows[0]
        if (row) {
          const outcome = random() < 0.7 ? 'paid' : 'failed'
          await app.invoke('plans:recordCollection', { planId: row.planId, dueOn: row.dueOn, outcome, method: outcome === 'paid' ? 'card' : null })
          collected++
        }
      } else if (roll < 0.6) {
        const customerId = pick(customers)
        const owed = (await app.invoke('plans:list', { customerId })).owed
        const order = owed.length ? pick(owed) : null
        if (order) await app.invoke('bookings:addPayment', { bookingId: order.bookingId, amountMinor: Math.max(1, Math.ceil(order.outstandingMinor / 2)), method: 'card' })
      } else if (roll < 0.7) {
        const plans = await app.invoke('plans:list', { customerId: pick(customers) })
        const sub = plans.subscriptions.length ? pick(plans.subscriptions) : null
        if (sub && sub.status !== 'cancelled') {
          const to = sub.status === 'active' ? (random() < 0.7 ? 'paused' : 'cancelled') : 'active'
          await app.invoke('plans:setStatus', { id: sub.id, status: to })
        }
      } else if (roll < 0.75) {
        const customerId = pick(customers)
        const owed = (await app.invoke('plans:list', { customerId })).owed
        if (owed.length) await app.invoke('bookings:setStatus', { id: pick(owed).bookingId, status: 'cancelled', reason: 'Written off' })
      } else if (roll < 0.8) {
        await app.invoke('settings:update', { pricesIncludeTax: random() < 0.5 })
      } else {
        now = new Date(now.getTime() + Math.floor(1 + random() * 9) * 86_400_000)
      }
      await checkEverything()
    }
    expect(sold).toBeGreaterThan(40)
    expect(collected).toBeGreaterThan(25)
  }, 120_000)
})
