import type { BulkConnection } from '../../db/bulk'
import type { ChangeLogAppender } from '../../db/changeChain'
import { sampleEntry } from './changeLog'
import { formatDay, localDay } from '../services/calendarDay'
import { formatBookingReference, outstandingOf, summarise } from '../services/bookings/derivedValues'
import { collectionDay, planEndDay } from '../services/plans/schedule'
import { DEMO_CURRENCY } from './catalogue'
import { IdBlocks } from './ids'

/** Plan orders' ids taken at once: their number is known only as they are written (a sale's collections). */
const ORDER_IDS_BLOCK = 1000

const DAY_MS = 86_400_000

export interface DemoPass {
  id: number
  soldAt: number
  /** End of the last day the pass is valid. */
  validUntil: number
  /** Credits not yet used by sample bookings. */
  left: number
}

/** A plan sold to a sample customer, whose order (and a subscription's collections) is written after the bookings. */
export interface DemoPlanSale {
  planId: number
  customerId: number
  kind: 'membership' | 'pass' | 'subscription'
  name: string
  /** The order line's words. */
  description: string
  amount: number
  soldAt: number
  status: 'active' | 'paused' | 'cancelled'
  /** When a paused or cancelled subscription stopped being collected. */
  stoppedAt: number | null
}

function day(ms: number): string {
  return localDay(new Date(ms))
}

/** The sample catalogue of plans (reused when sample data is added again). */
const PRODUCTS = {
  membership: { name: 'Annual membership', price: 18000, lengthCount: 12, lengthUnit: 'month', credits: null, interval: null },
  pass: { name: '10-class pass', price: 12000, lengthCount: 26, lengthUnit: 'week', credits: 10, interval: null },
  subscription: { name: 'Unlimited yoga (monthly)', price: 6000, lengthCount: null, lengthUnit: null, credits: null, interval: 'month' },
} as const

async function writeDemoPlanProducts(conn: BulkConnection, now: Date): Promise<Record<keyof typeof PRODUCTS, number>> {
  const find = conn.prepare('SELECT id FROM plan_products WHERE kind = ? AND name = ?')
  const insert = conn.prepare(`INSERT INTO plan_products
      (kind, name, description, price_minor, currency, tax_rate_bp, length_count, length_unit, credits, interval, active, position, created_at, updated_at)
    VALUES (?, ?, '', ?, ?, NULL, ?, ?, ?, ?, TRUE, ?, ?, ?) RETURNING id`)
  const ids = {} as Record<keyof typeof PRODUCTS, number>
  let position = 0
  for (const [kind, p] of Object.entries(PRODUCTS) as Array<[keyof typeof PRODUCTS, (typeof PRODUCTS)[keyof typeof PRODUCTS]]>) {
    position++
    const found = await find.get<{ id: number }>(kind, p.name)
    const stamp = now.toISOString()
    ids[kind] = Number(found?.id ?? (await insert.get<{ id: number }>(kind, p.name, p.price, DEMO_CURRENCY, p.lengthCount, p.lengthUnit, p.credits, p.interval, position, stamp, stamp))!.id)
  }
  return ids
}

/**
 * Memberships, 10-class passes and monthly subscriptions sold from the sample
 * catalogue of plans to some of the customers who booked. Returns the passes
 * (sample class bookings use their credits), the members (who mostly pay the
 * Member price) and the sales, whose orders `writeDemoPlanOrders` writes.
 */
export async function writeDemoPlans(
  conn: BulkConnection,
  customers: { ids: Int32Array; createdAt: Float64Array },
  counts: Int32Array,
  random: () => number,
  now: Date,
): Promise<{ passes: Map<number, DemoPass>; members: Set<number>; sales: DemoPlanSale[] }> {
  const products = await writeDemoPlanProducts(conn, now)
  const insert = conn.prepare(`INSERT INTO customer_plans
      (customer_id, product_id, kind, name, status, valid_from, valid_to, credits_total, amount_minor, currency, interval, sold_at, cancelled_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
  const insertPlan = async (...values: unknown[]) => Number((await insert.get<{ id: number }>(...values))!.id)
  const passes = new Map<number, DemoPass>()
  const members = new Set<number>()
  const sales: DemoPlanSale[] = []
  const today = now.getTime()
  const sold = (sale: Omit<DemoPlanSale, 'stoppedAt' | 'status'> & Partial<Pick<DemoPlanSale, 'stoppedAt' | 'status'>>) =>
    sales.push({ status: 'active', stoppedAt: null, ...sale })
  for (let c = 0; c < customers.ids.length; c++) {
    if (counts[c] === 0) continue
    const customerId = customers.ids[c]!
    // Sold some time in the last ten months, never before the customer existed.
    const soldAt = () => Math.min(today - DAY_MS, Math.max(customers.createdAt[c]! + DAY_MS, today - (20 + random() * 280) * DAY_MS))
    const roll = random()
    if (roll < 0.04) {
      const at = soldAt()
      const validUntil = at + 182 * DAY_MS
      const p = PRODUCTS.pass
      const id = await insertPlan(customerId, products.pass, 'pass', p.name, 'active', day(at), day(validUntil), p.credits, p.price, DEMO_CURRENCY, null, new Date(at).toISOString(), null)
      passes.set(customerId, { id, soldAt: at, validUntil: new Date(day(validUntil) + 'T23:59:59').getTime(), left: 10 })
      sold({ planId: id, customerId, kind: 'pass', name: p.name, description: `${p.name} — 10 credits, valid 26 weeks`, amount: p.price, soldAt: at })
    } else if (roll < 0.09) {
      const at = soldAt()
      const p = PRODUCTS.membership
      const id = await insertPlan(customerId, products.membership, 'membership', p.name, 'active', day(at), planEndDay(day(at), 12, 'month'), null, p.price, DEMO_CURRENCY, null, new Date(at).toISOString(), null)
      members.add(customerId)
      sold({ planId: id, customerId, kind: 'membership', name: p.name, description: `${p.name} — 12 months`, amount: p.price, soldAt: at })
    } else if (roll < 0.11) {
      const at = soldAt()
      const state = random()
      const status = state < 0.85 ? 'active' : state < 0.93 ? 'paused' : 'cancelled'
      const stoppedAt = status === 'active' ? null : at + (today - at) * random()
      const p = PRODUCTS.subscription
      const id = await insertPlan(
        customerId,
        products.subscription,
        'subscription',
        p.name,
        status,
        day(at),
        null,
        null,
        p.price,
        DEMO_CURRENCY,
        'month',
        new Date(at).toISOString(),
        status === 'cancelled' ? new Date(stoppedAt!).toISOString() : null,
      )
      sold({ planId: id, customerId, kind: 'subscription', name: p.name, description: '', amount: p.price, soldAt: at, status, stoppedAt })
    }
  }
  return { passes, members, sales }
}

const METHODS = ['card', 'card', 'card', 'cash', 'bank_transfer'] as const

/** Midday on a desk day, as an instant. */
function middayOf(dayText: string): number {
  const [y, m, d] = dayText.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d, 12).getTime()
}

/**
 * The orders of the plans sold: each sale (mostly paid at once, some part
 * paid or owing) and each subscription collection recorded (mostly paid, a
 * few failed and some of those paid later), with the next day due of each
 * active subscription left as the desk would find it (some due or overdue).
 */
export async function writeDemoPlanOrders(
  conn: BulkConnection,
  changeLog: ChangeLogAppender,
  sales: DemoPlanSale[],
  options: { now: Date; random: () => number; staff: readonly string[]; changeLog: boolean },
): Promise<void> {
  const { random, now } = options
  const insertOrder = conn.prepare(`INSERT INTO bookings (id, reference, customer_id, status, source, kind, currency, total_minor,
      paid_minor, outstanding_minor, summary, starts_at, pass_id, note, created_at, updated_at, cancelled_at, created_by_name,
      plan_id, collection_due_on, collection_failed_at)
    VALUES (?, ?, ?, 'confirmed', 'walk_in', 'booking', ?, ?, ?, ?, ?, NULL, NULL, '', ?, ?, NULL, ?, ?, ?, ?)`)
  const insertLine = conn.prepare(`INSERT INTO booking_lines (booking_id, plan_id, description, quantity, unit_minor, total_minor, tax_rate_bp, tax_minor, covered_by_pass)
    VALUES (?, ?, ?, 1, ?, ?, 0, 0, FALSE)`)
  const insertPayment = conn.prepare(`INSERT INTO payments (booking_id, kind, amount_minor, method, taken_at, reference, staff_name, created_at)
    VALUES (?, 'payment', ?, ?, ?, '', ?, ?)`)
  const setNextDue = conn.prepare('UPDATE customer_plans SET next_due_on = ? WHERE id = ?')
  const today = now.getTime()
  const todayText = localDay(now)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const ids = new IdBlocks(conn, 'bookings', ORDER_IDS_BLOCK)

  const order = async (sale: DemoPlanSale, at: number, description: string, dueOn: string | null, failedAt: number | null, payments: Array<{ amount: number; at: number }>) => {
    const id = await ids.take()
    let paid = 0
    let lastChange = at
    for (const p of payments) {
      paid += p.amount
      lastChange = Math.max(lastChange, p.at)
    }
    const created = new Date(at).toISOString()
    const summary = summarise([{ itemName: description, quantity: 1 }])
    await insertOrder.run(
      id,
      formatBookingReference(id),
      sale.customerId,
      DEMO_CURRENCY,
      sale.amount,
      paid,
      outstandingOf('confirmed', sale.amount, paid),
      summary,
      created,
      new Date(lastChange).toISOString(),
      pick(options.staff),
      sale.planId,
      dueOn,
      failedAt === null ? null : new Date(failedAt).toISOString(),
    )
    await insertLine.run(id, sale.planId, description, sale.amount, sale.amount)
    const method = pick(METHODS)
    for (const p of payments) await insertPayment.run(id, p.amount, method, new Date(p.at).toISOString(), pick(options.staff), new Date(p.at).toISOString())
    if (options.changeLog) await changeLog.append(sampleEntry(created, 'booking', id, sale.customerId, 'booking.created', `Sold ${sale.name} (${formatBookingReference(id)})`))
  }

  for (const sale of sales) {
    const collectionWords = (dueOn: string) => `${sale.name} — collection due ${formatDay(dueOn)}`
    const startsOn = day(sale.soldAt)
    // The sale: paid in full at the desk, part paid, or (a few) left owing.
    const roll = random()
    const salePayments =
      roll < 0.9 ? [{ amount: sale.amount, at: sale.soldAt }] : roll < 0.95 ? [{ amount: Math.round(sale.amount / 200) * 100, at: sale.soldAt }] : []
    await order(sale, sale.soldAt, sale.kind === 'subscription' ? collectionWords(startsOn) : sale.description, sale.kind === 'subscription' ? startsOn : null, null, salePayments)
    if (sale.kind !== 'subscription') continue

    // Collections recorded since, up to today or until the subscription stopped; some active ones left due.
    const stopText = sale.stoppedAt === null ? todayText : day(sale.stoppedAt)
    const leaveLastDue = sale.status === 'active' && random() < 0.3
    let k = 1
    const dueDays: string[] = []
    while (collectionDay(startsOn, 'month', k) <= stopText) dueDays.push(collectionDay(startsOn, 'month', k++))
    if (leaveLastDue && dueDays.length) dueDays.pop()
    for (const dueOn of dueDays) {
      const at = Math.min(today - 60_000, middayOf(dueOn))
      if (random() < 0.92) {
        await order(sale, at, collectionWords(dueOn), dueOn, null, [{ amount: sale.amount, at }])
      } else {
        const paidLater = random() < 0.5 ? Math.min(today - 60_000, at + (2 + random() * 10) * DAY_MS) : null
        await order(sale, at, collectionWords(dueOn), dueOn, at, paidLater === null ? [] : [{ amount: sale.amount, at: paidLater }])
      }
    }
    const lastRecorded = dueDays.at(-1) ?? startsOn
    if (sale.status === 'active') {
      // The collection after the last one recorded: due, overdue, or still to come.
      let next = 1
      while (collectionDay(startsOn, 'month', next) <= lastRecorded) next++
      await setNextDue.run(collectionDay(startsOn, 'month', next), sale.planId)
    }
  }
}
