import type { z } from 'zod'
import type { activityInput, ActivityMonth, CustomerActivity } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { allRows } from '../../../db/queries/customerList'
import { assertCustomerExists } from './customerTotals'
import { localDay } from '../calendarDay'

/** YYYY-MM of a moment on the desk's own calendar, so a booking at 00:30 on the 1st counts in its local month. */
export function localMonth(at: Date): string {
  return localDay(at).slice(0, 7)
}

/**
 * The Activity tab's chart: for each of the last `months` months (ending with
 * this one, on the desk's calendar), the value of bookings and plans sold that
 * month and not cancelled, how many bookings there were (plan orders are
 * sales, not bookings), and the money received (payments less refunds, by the
 * day taken). Money is in the business's currency; bookings
 * in another currency count as bookings but add no money to this chart.
 */
export async function customerActivity(ctx: ServiceContext, input: z.output<typeof activityInput>): Promise<CustomerActivity> {
  await assertCustomerExists(ctx.db, input.customerId)
  const { currency } = await getSettings(ctx)
  const now = ctx.clock()
  // Each month runs from local midnight on its first day to the next month's, as UTC instants:
  // the database adds up per month, so a customer with hundreds of bookings sends back twelve rows.
  const bounds: Array<[index: number, from: string, to: string]> = []
  const months: ActivityMonth[] = []
  for (let i = 0; i < input.months; i++) {
    const first = new Date(now.getFullYear(), now.getMonth() - (input.months - 1) + i, 1)
    const next = new Date(first.getFullYear(), first.getMonth() + 1, 1)
    bounds.push([i, first.toISOString(), next.toISOString()])
    months.push({ month: localMonth(first), salesMinor: 0, bookings: 0, receivedMinor: 0 })
  }
  const monthTable = `WITH m (i, from_at, to_at) AS (VALUES ${bounds.map(() => '(?, ?, ?)').join(', ')})`
  const monthBindings = bounds.flat()
  const [sales, received] = await Promise.all([
    ctx.db.raw(
      `${monthTable}
       SELECT m.i AS i, sum(CASE WHEN b.plan_id IS NULL THEN 1 ELSE 0 END) AS bookings, sum(CASE WHEN b.currency = ? THEN b.total_minor ELSE 0 END) AS sales
       FROM m JOIN bookings b ON b.customer_id = ? AND b.created_at >= m.from_at AND b.created_at < m.to_at AND b.status <> 'cancelled'
       GROUP BY m.i`,
      [...monthBindings, currency, input.customerId],
    ),
    // CROSS JOIN keeps the customer's bookings as the outer loop: each payment is read once, not once per month.
    ctx.db.raw(
      `${monthTable}
       SELECT m.i AS i, sum(CASE WHEN p.kind = 'refund' THEN -p.amount_minor ELSE p.amount_minor END) AS received
       FROM bookings b CROSS JOIN payments p CROSS JOIN m
       WHERE b.customer_id = ? AND b.currency = ? AND p.booking_id = b.id AND p.taken_at >= m.from_at AND p.taken_at < m.to_at
       GROUP BY m.i`,
      [...monthBindings, input.customerId, currency],
    ),
  ])
  for (const row of allRows<{ i: number; bookings: number; sales: number | null }>(sales)) {
    const month = months[Number(row.i)]!
    month.bookings = Number(row.bookings)
    month.salesMinor = Number(row.sales ?? 0)
  }
  for (const row of allRows<{ i: number; received: number | null }>(received)) months[Number(row.i)]!.receivedMinor = Number(row.received ?? 0)
  return { currency, months }
}
