import type { Database } from 'better-sqlite3'
import { localDay } from '../services/calendarDay'
import { DEMO_CURRENCY } from './catalogue'

const DAY_MS = 86_400_000

export interface DemoPass {
  id: number
  soldAt: number
  /** End of the last day the pass is valid. */
  validUntil: number
  /** Credits not yet used by sample bookings. */
  left: number
}

function day(ms: number): string {
  return localDay(new Date(ms))
}

/**
 * Memberships, 10-class passes and monthly subscriptions sold to some of the
 * customers who booked. Returns the passes (sample class bookings use their
 * credits) and the members (who mostly pay the Member price).
 */
export function writeDemoPlans(
  conn: Database,
  customers: { ids: Int32Array; createdAt: Float64Array },
  counts: Int32Array,
  random: () => number,
  now: Date,
): { passes: Map<number, DemoPass>; members: Set<number> } {
  const insert = conn.prepare(`INSERT INTO customer_plans
      (customer_id, kind, name, status, valid_from, valid_to, credits_total, amount_minor, currency, interval, sold_at, cancelled_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const passes = new Map<number, DemoPass>()
  const members = new Set<number>()
  const today = now.getTime()
  for (let c = 0; c < customers.ids.length; c++) {
    if (counts[c] === 0) continue
    const customerId = customers.ids[c]!
    // Sold some time in the last ten months, never before the customer existed.
    const soldAt = () => Math.min(today - DAY_MS, Math.max(customers.createdAt[c]! + DAY_MS, today - (20 + random() * 280) * DAY_MS))
    const roll = random()
    if (roll < 0.04) {
      const sold = soldAt()
      const validUntil = sold + 182 * DAY_MS
      const id = Number(insert.run(customerId, 'pass', '10-class pass', 'active', day(sold), day(validUntil), 10, 12000, DEMO_CURRENCY, null, new Date(sold).toISOString(), null).lastInsertRowid)
      passes.set(customerId, { id, soldAt: sold, validUntil: new Date(day(validUntil) + 'T23:59:59').getTime(), left: 10 })
    } else if (roll < 0.09) {
      const sold = soldAt()
      const to = new Date(sold)
      to.setFullYear(to.getFullYear() + 1)
      to.setDate(to.getDate() - 1)
      insert.run(customerId, 'membership', 'Annual membership', 'active', day(sold), day(to.getTime()), null, 18000, DEMO_CURRENCY, null, new Date(sold).toISOString(), null)
      members.add(customerId)
    } else if (roll < 0.11) {
      const sold = soldAt()
      const state = random()
      const status = state < 0.85 ? 'active' : state < 0.93 ? 'paused' : 'cancelled'
      const cancelledAt = status === 'cancelled' ? new Date(sold + (today - sold) * random()).toISOString() : null
      insert.run(customerId, 'subscription', 'Unlimited yoga (monthly)', status, day(sold), null, null, 6000, DEMO_CURRENCY, 'month', new Date(sold).toISOString(), cancelledAt)
    }
  }
  return { passes, members }
}
