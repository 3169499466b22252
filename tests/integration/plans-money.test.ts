import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { addTestPlanProduct, sellTestPlan } from '../helpers/plans'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { customerLedger } from '../../main/services/bookings'
import { exportCustomers } from '../../main/services/exports'
import { NO_PROGRESS } from '../../main/services/progress'
import { allRows } from '../../db/queries/customerList'

/*
 * Plans that take money: the catalogue of plans, selling one as an order
 * (paid now or owing), subscription collections paid or failed, pausing and
 * cancelling. Every figure is checked against sums made here from the raw
 * rows (bookings, booking_lines, payments), never against the services' own
 * totals.
 */

let now = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let customerId: number
beforeEach(async () => {
  now = new Date('2026-03-02T12:00:00Z')
  app = await openTestCore({ clock: () => now })
  customerId = (await app.invoke('customers:create', { firstName: 'Mia', lastName: 'Member' })).id
})
afterEach(async () => {
  await app.cleanup()
})

interface RawBooking {
  id: number
  status: string
  currency: string
  plan_id: number | null
  collection_due_on: string | null
  collection_failed_at: string | null
  total_minor: number
}

/** The customer's money worked out from the rows alone: line totals, payments less refunds, what each order still owes. */
async function rawMoney(customer: number) {
  const bookings = (await app.db('bookings').where({ customer_id: customer }).select('id', 'status', 'currency', 'plan_id', 'collection_due_on', 'collection_failed_at')) as RawBooking[]
  let invoiced = 0
  let received = 0
  let outstanding = 0
  let credit = 0
  for (const b of bookings) {
    const lines = (await app.db('booking_lines').where({ booking_id: b.id }).select('total_minor')) as Array<{ total_minor: number }>
    const payments = (await app.db('payments').where({ booking_id: b.id }).select('kind', 'amount_minor')) as Array<{ kind: string; amount_minor: number }>
    const charge = b.status === 'cancelled' ? 0 : lines.reduce((sum, l) => sum + l.total_minor, 0)
    const paid = payments.reduce((sum, p) => sum + (p.kind === 'refund' ? -p.amount_minor : p.amount_minor), 0)
    invoiced += charge
    received += paid
    if (charge - paid > 0) outstanding += charge - paid
    else credit += paid - charge
  }
  return { invoicedMinor: invoiced, incomeReceivedMinor: received, outstandingMinor: outstanding, creditMinor: credit, orders: bookings.length }
}

async function expectTotalsMatchRows(customer = customerId) {
  const raw = await rawMoney(customer)
  const { invoices, totals } = await app.invoke('customers:invoices', { customerId: customer })
  expect(totals[0]).toEqual({
    currency: 'GBP',
    invoicedMinor: raw.invoicedMinor,
    incomeReceivedMinor: raw.incomeReceivedMinor,
    outstandingMinor: raw.outstandingMinor,
    creditMinor: raw.creditMinor,
  })
  expect(invoices).toHaveLength(raw.orders)
  return raw
}

describe('the catalogue of plans', () => {
  it('adds, edits and archives plans; an archived plan is not sold but stays on plans sold', async () => {
    const gold = await app.invoke('plans:saveProduct', { kind: 'membership', name: 'Gold membership', priceMinor: 12000, lengthCount: 12, lengthUnit: 'month' })
    expect(gold).toMatchObject({ kind: 'membership', currency: 'GBP', taxRateBp: null, lengthCount: 12, lengthUnit: 'month', credits: null, interval: null, active: true, sold: 0 })
    // Fields of another kind are dropped.
    const swim = await app.invoke('plans:saveProduct', { kind: 'subscription', name: 'Swim club', priceMinor: 3000, interval: 'month', credits: 4, lengthCount: 2, lengthUnit: 'week' })
    expect(swim).toMatchObject({ credits: null, lengthCount: null, lengthUnit: null, interval: 'month' })

    const edited = await app.invoke('plans:saveProduct', { id: gold.id, kind: 'membership', name: 'Gold membership', priceMinor: 13000, lengthCount: 6, lengthUnit: 'month' })
    expect(edited).toMatchObject({ priceMinor: 13000, lengthCount: 6 })
    expect(await app.call('plans:saveProduct', { id: gold.id, kind: 'pass', name: 'Gold', priceMinor: 1, credits: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'kind' },
    })
    // No rates in Settings: only Standard.
    expect(await app.call('plans:saveProduct', { kind: 'pass', name: 'Taxed', priceMinor: 1, credits: 1, taxRateBp: 500 })).toMatchObject({
      ok: false,
      error: { field: 'taxRateBp', message: expect.stringContaining('No tax rates') },
    })

    await sellTestPlan(app, customerId, { kind: 'pass', name: '5-class pass', priceMinor: 4000, credits: 5 }, { startsOn: '2026-03-02' })
    const products = await app.invoke('plans:products', undefined)
    expect(products.map((p) => p.name)).toEqual(['Gold membership', 'Swim club', '5-class pass'])
    const pass = products[2]!
    expect(pass.sold).toBe(1)
    const all = await app.invoke('plans:archiveProduct', { id: pass.id, archived: true })
    expect(all.find((p) => p.id === pass.id)).toMatchObject({ active: false })
    expect((await app.invoke('plans:products', undefined)).map((p) => p.name)).toEqual(['Gold membership', 'Swim club'])
    expect(await app.call('plans:sell', { customerId, productId: pass.id, startsOn: '2026-03-02' })).toMatchObject({
      ok: false,
      error: { field: 'productId', message: expect.stringContaining('archived') },
    })
    expect((await app.invoke('plans:list', { customerId })).passes).toHaveLength(1)

    const log = (await app.db('change_log').where({ entity_type: 'plan_product' }).orderBy('id').select('action')) as Array<{ action: string }>
    expect(log.map((l) => l.action)).toEqual([
      'plan_product.created',
      'plan_product.created',
      'plan_product.updated',
      'plan_product.created',
      'plan_product.archived',
    ])
  })
})

describe('selling a plan', () => {
  it('writes the plan, its order and the payment taken in one go, and the money shows everywhere a booking’s does', async () => {
    const sold = await sellTestPlan(
      app,
      customerId,
      { kind: 'membership', name: 'Gold membership', priceMinor: 12000, lengthCount: 12, lengthUnit: 'month' },
      { startsOn: '2026-03-15', payment: { amountMinor: 5000, method: 'card', reference: '' } },
    )
    expect(sold.reference).toMatch(/^B-\d{6}$/)
    const plan = await app.db('customer_plans').where({ id: sold.planId }).first()
    expect(plan).toMatchObject({ kind: 'membership', valid_from: '2026-03-15', valid_to: '2027-03-14', amount_minor: 12000, tax_rate_bp: null, next_due_on: null })
    expect(plan.product_id).not.toBeNull()
    const order = await app.db('bookings').where({ id: sold.bookingId }).first()
    expect(order).toMatchObject({ plan_id: sold.planId, customer_id: customerId, status: 'confirmed', source: 'walk_in', total_minor: 12000, paid_minor: 5000, outstanding_minor: 7000, starts_at: null })
    const lines = await app.db('booking_lines').where({ booking_id: sold.bookingId })
    expect(lines).toMatchObject([{ plan_id: sold.planId, session_id: null, price_option_id: null, quantity: 1, unit_minor: 12000, total_minor: 12000, tax_minor: 0 }])
    expect(lines[0].description).toBe('Gold membership — 12 months')
    expect(await app.db('payments').where({ booking_id: sold.bookingId }).select('kind', 'amount_minor', 'method')).toEqual([{ kind: 'payment', amount_minor: 5000, method: 'card' }])
    expect(sold.plans.memberships[0]).toMatchObject({ saleBookingId: sold.bookingId, status: 'upcoming' })
    expect(sold.plans.owed).toMatchObject([{ bookingId: sold.bookingId, outstandingMinor: 7000, collectionDueOn: null, failedAt: null }])

    // A pass left owing.
    const pass = await sellTestPlan(app, customerId, { kind: 'pass', name: '10-class pass', priceMinor: 9000, credits: 10, lengthCount: 3, lengthUnit: 'month' }, { startsOn: '2026-03-02' })
    expect(await app.db('customer_plans').where({ id: pass.planId }).first('valid_to', 'credits_total')).toEqual({ valid_to: '2026-06-01', credits_total: 10 })

    const raw = await expectTotalsMatchRows()
    expect(raw).toMatchObject({ invoicedMinor: 21000, incomeReceivedMinor: 5000, outstandingMinor: 16000 })
    const { invoices } = await app.invoke('customers:invoices', { customerId })
    expect(invoices.map((i) => i.lines.map((l) => l.description))).toEqual([['10-class pass — 10 credits, valid 3 months'], ['Gold membership — 12 months']])
    expect(invoices.map((i) => i.planOrder)).toEqual([true, true])

    // The 12-month chart: plans are sales and money received, but not bookings.
    const activity = await app.invoke('customers:activity', { customerId, months: 12 })
    expect(activity.months.at(-1)).toEqual({ month: '2026-03', salesMinor: 21000, bookings: 0, receivedMinor: 5000 })

    // Statements read the same ledger: the plans' charges and the payment.
    const ledger = await customerLedger(app.db, customerId)
    expect(ledger.bookings.map((b) => [b.reference, b.chargeMinor, b.lines.map((l) => l.description)])).toEqual([
      [sold.reference, 12000, ['Gold membership — 12 months']],
      [pass.reference, 9000, ['10-class pass — 10 credits, valid 3 months']],
    ])
    expect(ledger.money.map((m) => [m.bookingReference, m.amountMinor])).toEqual([[sold.reference, 5000]])

    // An export's Bookings column leaves them out; its money has them.
    const folder = mkdtempSync(join(tmpdir(), 'plans-export-'))
    try {
      const file = join(folder, 'money.csv')
      await exportCustomers(app.context(), { scope: { kind: 'all' }, format: 'csv', columns: ['number', 'bookings', 'income', 'outstanding'] }, file, NO_PROGRESS)
      const [, row] = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
      expect(row!.split(',').slice(1)).toEqual(['0', '50.00', '160.00'])
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }

    // The order's page: a plan line without a session.
    const detail = await app.invoke('bookings:get', { id: sold.bookingId })
    expect(detail.lines).toEqual([])
    expect(detail.plan).toMatchObject({ kind: 'membership', name: 'Gold membership', collectionDueOn: null, lines: [{ description: 'Gold membership — 12 months', totalMinor: 12000 }] })

    const changes = await app.invoke('customers:changes', { id: customerId, kind: 'bookings' })
    expect(changes.map((c) => c.action)).toEqual(['plan.sold', 'booking.created', 'booking.payment', 'plan.sold', 'booking.created'])
  })

  it('refuses a payment over the price and a pass that would have expired, changing nothing', async () => {
    const productId = await addTestPlanProduct(app, { kind: 'membership', name: 'Gold', priceMinor: 12000 })
    const before = await rawMoney(customerId)
    expect(await app.call('plans:sell', { customerId, productId, startsOn: '2026-03-02', payment: { amountMinor: 12001, method: 'cash' } })).toMatchObject({
      ok: false,
      error: { field: 'payment.amountMinor', message: 'That is more than the £120.00 this plan costs.' },
    })
    const pass = await addTestPlanProduct(app, { kind: 'pass', name: 'Week pass', priceMinor: 1000, credits: 3, lengthCount: 1, lengthUnit: 'week' })
    expect(await app.call('plans:sell', { customerId, productId: pass, startsOn: '2026-02-01' })).toMatchObject({ ok: false, error: { field: 'startsOn' } })
    expect(await app.db('customer_plans').count({ n: '*' })).toEqual([{ n: 0 }])
    expect(await rawMoney(customerId)).toEqual(before)
  })

  it('prices the sale with the customer’s tax: standard, exempt, special, and prices without tax', async () => {
    await app.invoke('settings:update', { taxRates: [{ name: 'Standard', rateBp: 2000 }, { name: 'Reduced', rateBp: 500 }], pricesIncludeTax: true })
    const gold = await addTestPlanProduct(app, { kind: 'membership', name: 'Gold', priceMinor: 12000 })
    const reduced = await addTestPlanProduct(app, { kind: 'pass', name: 'Kids pass', priceMinor: 2100, credits: 5, taxRateBp: 500 })
    const exempt = (await app.invoke('customers:create', { firstName: 'Eve', lastName: 'Exempt' })).id
    await app.invoke('customers:setTax', { id: exempt, taxStatus: 'exempt', specialRate: '' })
    const special = (await app.invoke('customers:create', { firstName: 'Sid', lastName: 'Special' })).id
    await app.invoke('customers:setTax', { id: special, taxStatus: 'special', specialRate: '5' })

    const lineOf = async (bookingId: number) =>
      (await app.db('booking_lines').where({ booking_id: bookingId }).first('total_minor', 'tax_minor', 'tax_rate_bp')) as { total_minor: number; tax_minor: number; tax_rate_bp: number }
    const sell = async (customer: number, productId: number) => (await app.invoke('plans:sell', { customerId: customer, productId, startsOn: '2026-03-02' })).bookingId

    // £120 including 20%: tax is 120 × 20/120 = £20.
    expect(await lineOf(await sell(customerId, gold))).toEqual({ total_minor: 12000, tax_minor: 2000, tax_rate_bp: 2000 })
    // £21 including 5%: tax is 21 × 5/105 = £1.
    expect(await lineOf(await sell(customerId, reduced))).toEqual({ total_minor: 2100, tax_minor: 100, tax_rate_bp: 500 })
    // Exempt: the net £100 only.
    expect(await lineOf(await sell(exempt, gold))).toEqual({ total_minor: 10000, tax_minor: 0, tax_rate_bp: 0 })
    // Special 5%: net £100 plus £5.
    expect(await lineOf(await sell(special, gold))).toEqual({ total_minor: 10500, tax_minor: 500, tax_rate_bp: 500 })

    // "Paid in full" is what this customer is charged, not the listed price.
    const paidInFull = await app.invoke('plans:sell', { customerId: exempt, productId: gold, startsOn: '2026-03-02', payment: { amountMinor: null, method: 'card' } })
    expect(await app.db('bookings').where({ id: paidInFull.bookingId }).first('total_minor', 'paid_minor', 'outstanding_minor')).toEqual({
      total_minor: 10000,
      paid_minor: 10000,
      outstanding_minor: 0,
    })

    await app.invoke('settings:update', { pricesIncludeTax: false })
    // Listed £120 is the net: plus 20% = £144.
    expect(await lineOf(await sell(customerId, gold))).toEqual({ total_minor: 14400, tax_minor: 2400, tax_rate_bp: 2000 })
    for (const customer of [customerId, exempt, special]) await expectTotalsMatchRows(customer)
  })
})

describe('subscription collections', () => {
  const sellSubscription = (customer: number, name: string, interval: 'week' | 'month', priceMinor: number, startsOn: string) =>
    sellTestPlan(app, customer, { kind: 'subscription', name, interval, priceMinor }, { startsOn, payment: { amountMinor: priceMinor, method: 'card', reference: '' } })

  it('lists today’s and overdue collections oldest first; paid and failed ones are orders and move the day due on', async () => {
    const other = (await app.invoke('customers:create', { firstName: 'Ola', lastName: 'Other' })).id
    // The sale is the first collection (due on the start day); the next falls due an interval later.
    const monthly = await sellSubscription(customerId, 'Monthly yoga', 'month', 3000, '2026-01-31')
    const weekly = await sellSubscription(other, 'Weekly swim', 'week', 500, '2026-02-16')
    await sellSubscription(other, 'Later club', 'month', 1000, '2026-03-05')
    expect(await app.db('bookings').where({ id: monthly.bookingId }).first('collection_due_on')).toEqual({ collection_due_on: '2026-01-31' })

    let due = await app.invoke('plans:collectionsDue', {})
    expect(due).toMatchObject({ today: '2026-03-02', total: 2, totalMinor: 500 + 3000 })
    // One row per subscription: its oldest collection not yet recorded.
    expect(due.rows.map((r) => [r.planName, r.dueOn, r.daysOverdue, r.amountMinor, r.customerName])).toEqual([
      ['Weekly swim', '2026-02-23', 7, 500, 'Ola Other'],
      ['Monthly yoga', '2026-02-28', 2, 3000, 'Mia Member'],
    ])

    const paid = await app.invoke('plans:recordCollection', { planId: weekly.planId, dueOn: '2026-02-23', outcome: 'paid', method: 'cash' })
    expect(paid).toMatchObject({ outcome: 'paid', amountMinor: 500, nextDueOn: '2026-03-02' })
    expect(await app.db('bookings').where({ id: paid.bookingId }).first('plan_id', 'collection_due_on', 'collection_failed_at', 'outstanding_minor')).toEqual({
      plan_id: weekly.planId,
      collection_due_on: '2026-02-23',
      collection_failed_at: null,
      outstanding_minor: 0,
    })
    expect(await app.db('payments').where({ booking_id: paid.bookingId }).select('amount_minor', 'method')).toEqual([{ amount_minor: 500, method: 'cash' }])
    // Another desk recording the same collection is refused.
    expect(await app.call('plans:recordCollection', { planId: weekly.planId, dueOn: '2026-02-23', outcome: 'paid', method: 'card' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('already been recorded') },
    })
    // Not due yet: refused.
    expect(await app.call('plans:recordCollection', { planId: monthly.planId, dueOn: '2026-03-31', outcome: 'paid', method: 'card' })).toMatchObject({ ok: false })

    const failed = await app.invoke('plans:recordCollection', { planId: monthly.planId, dueOn: '2026-02-28', outcome: 'failed' })
    expect(failed).toMatchObject({ outcome: 'failed', amountMinor: 3000, nextDueOn: '2026-03-31' })
    expect(await app.db('bookings').where({ id: failed.bookingId }).first('collection_failed_at', 'outstanding_minor')).toEqual({
      collection_failed_at: now.toISOString(),
      outstanding_minor: 3000,
    })
    expect(await app.db('payments').where({ booking_id: failed.bookingId })).toEqual([])

    due = await app.invoke('plans:collectionsDue', {})
    expect(due.rows.map((r) => [r.planName, r.dueOn, r.daysOverdue])).toEqual([['Weekly swim', '2026-03-02', 0]])

    // The report of balances owed counts it, and "bookings by source" leaves plan orders out.
    const owing = await app.invoke('reports:run', { report: 'outstandingBalances', from: null, to: null })
    expect(owing.rows.map((r) => [r['customerId'], r['owed']])).toEqual([[customerId, 3000]])
    const sources = await app.invoke('reports:run', { report: 'bookingsBySource', from: null, to: null })
    expect(sources.totals).toMatchObject({ bookings: 0 })
    // Top customers counts what the plans' collections paid, but no bookings.
    const top = await app.invoke('reports:run', { report: 'topCustomers', from: null, to: null })
    expect(top.rows.find((r) => r['customerId'] === customerId)).toMatchObject({ bookings: 0 })

    // The failed collection is owed on the profile until it is paid.
    let plans = await app.invoke('plans:list', { customerId })
    expect(plans.owed).toEqual([
      {
        bookingId: failed.bookingId,
        reference: failed.reference,
        planId: monthly.planId,
        planName: 'Monthly yoga',
        collectionDueOn: '2026-02-28',
        failedAt: now.toISOString(),
        outstandingMinor: 3000,
        currency: 'GBP',
      },
    ])
    expect(plans.subscriptions[0]).toMatchObject({ nextDueOn: '2026-03-31', saleBookingId: monthly.bookingId })
    expect(await expectTotalsMatchRows()).toMatchObject({ invoicedMinor: 6000, incomeReceivedMinor: 3000, outstandingMinor: 3000 })
    await app.invoke('bookings:addPayment', { bookingId: failed.bookingId, amountMinor: 3000, method: 'card' })
    plans = await app.invoke('plans:list', { customerId })
    expect(plans.owed).toEqual([])
    expect(await expectTotalsMatchRows()).toMatchObject({ invoicedMinor: 6000, incomeReceivedMinor: 6000, outstandingMinor: 0 })
    expect(await expectTotalsMatchRows(other)).toMatchObject({ invoicedMinor: 500 + 1000 + 500, incomeReceivedMinor: 2000, outstandingMinor: 0 })

    // The reports' running totals take plan money in as income, like any payment.
    const [income] = allRows<{ n: number }>(await app.db.raw(`SELECT coalesce(sum(amount), 0) AS n FROM report_totals WHERE measure = 'income'`))
    const [takings] = allRows<{ n: number }>(await app.db.raw(`SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -amount_minor ELSE amount_minor END), 0) AS n FROM payments`))
    expect(Number(income!.n)).toBe(Number(takings!.n))
    expect(Number(takings!.n)).toBe(3000 + 500 + 1000 + 500 + 3000)

    const log = await app.invoke('customers:changes', { id: customerId, kind: 'bookings' })
    expect(log.map((c) => c.action).slice(0, 4)).toEqual(['booking.payment', 'plan.collection_failed', 'booking.created', 'booking.payment'])
  })

  it('stops while paused or cancelled; resuming starts from the next day due, never collecting a day twice', async () => {
    const weekly = await sellSubscription(customerId, 'Weekly swim', 'week', 500, '2026-02-16')
    const monthly = await sellSubscription(customerId, 'Monthly yoga', 'month', 3000, '2026-02-02')
    await app.invoke('plans:recordCollection', { planId: weekly.planId, dueOn: '2026-02-23', outcome: 'paid', method: 'card' })
    await app.invoke('plans:recordCollection', { planId: weekly.planId, dueOn: '2026-03-02', outcome: 'paid', method: 'card' })
    await app.invoke('plans:recordCollection', { planId: monthly.planId, dueOn: '2026-03-02', outcome: 'paid', method: 'card' })

    now = new Date('2026-03-10T09:00:00Z')
    const dueNames = async () => (await app.invoke('plans:collectionsDue', {})).rows.map((r) => `${r.planName} ${r.dueOn}`)
    expect(await dueNames()).toEqual(['Weekly swim 2026-03-09'])
    let plans = await app.invoke('plans:setStatus', { id: weekly.planId, status: 'paused' })
    expect(plans.subscriptions.find((s) => s.id === weekly.planId)).toMatchObject({ status: 'paused', nextDueOn: null })
    expect(await app.db('customer_plans').where({ id: weekly.planId }).first('next_due_on')).toEqual({ next_due_on: null })
    expect(await dueNames()).toEqual([])
    expect(await app.call('plans:recordCollection', { planId: weekly.planId, dueOn: '2026-03-09', outcome: 'paid', method: 'card' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Weekly swim is paused, so no collection is due.' },
    })
    // The week missed while paused is not owed: the next day due is on or after today.
    plans = await app.invoke('plans:setStatus', { id: weekly.planId, status: 'active' })
    expect(plans.subscriptions.find((s) => s.id === weekly.planId)).toMatchObject({ status: 'active', nextDueOn: '2026-03-16' })

    now = new Date('2026-03-16T09:00:00Z')
    await app.invoke('plans:recordCollection', { planId: weekly.planId, dueOn: '2026-03-16', outcome: 'paid', method: 'card' })
    await app.invoke('plans:setStatus', { id: weekly.planId, status: 'paused' })
    plans = await app.invoke('plans:setStatus', { id: weekly.planId, status: 'active' })
    expect(plans.subscriptions.find((s) => s.id === weekly.planId)).toMatchObject({ nextDueOn: '2026-03-23' })

    await app.invoke('plans:setStatus', { id: monthly.planId, status: 'cancelled' })
    now = new Date('2026-05-01T09:00:00Z')
    expect(await dueNames()).toEqual(['Weekly swim 2026-03-23'])
    expect(await app.db('customer_plans').where({ id: monthly.planId }).first('next_due_on')).toEqual({ next_due_on: null })
    // Orders: two sales, four collections, all paid.
    expect(await expectTotalsMatchRows()).toMatchObject({ invoicedMinor: 500 * 4 + 3000 * 2, incomeReceivedMinor: 500 * 4 + 3000 * 2, outstandingMinor: 0, orders: 6 })
  })

  it('a plan’s order may be cancelled (voiding its charge) but not completed; it cannot be transferred', async () => {
    const sold = await sellSubscription(customerId, 'Monthly yoga', 'month', 3000, '2026-01-31')
    const failed = await app.invoke('plans:recordCollection', { planId: sold.planId, dueOn: '2026-02-28', outcome: 'failed' })
    expect(await app.call('bookings:setStatus', { id: failed.bookingId, status: 'completed' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining("is a plan's order") },
    })
    expect(await expectTotalsMatchRows()).toMatchObject({ outstandingMinor: 3000 })
    await app.invoke('bookings:setStatus', { id: failed.bookingId, status: 'cancelled', reason: 'Written off' })
    expect(await expectTotalsMatchRows()).toMatchObject({ invoicedMinor: 3000, outstandingMinor: 0, creditMinor: 0 })
    expect((await app.invoke('plans:list', { customerId })).owed).toEqual([])
    // Cancelling the paid sale leaves its payment as credit to refund.
    await app.invoke('bookings:setStatus', { id: sold.bookingId, status: 'cancelled' })
    expect(await expectTotalsMatchRows()).toMatchObject({ invoicedMinor: 0, creditMinor: 3000 })
    await app.invoke('bookings:addPayment', { bookingId: sold.bookingId, kind: 'refund', amountMinor: 3000, method: 'card' })
    expect(await expectTotalsMatchRows()).toMatchObject({ incomeReceivedMinor: 0, creditMinor: 0 })
    const line = (await app.db('booking_lines').where({ booking_id: sold.bookingId }).first('id')) as { id: number }
    expect(await app.call('bookings:previewTransfer', { bookingId: sold.bookingId, lineId: line.id, sessionId: 1, priceOptionId: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })
})
