import type { Knex } from 'knex'
import type { ReportResult } from '../../../preload/contract/schemas/reports'
import { monthsOf } from './months'
import { count, describeRange, monthLabel, type ReportRange } from './range'
import { allRows } from '../../../db/queries/customerList'

type Body = Omit<ReportResult, 'report' | 'from' | 'to' | 'currency'>

interface MonthRow {
  requested: number
  posted: number
  pending: number
  cancelled: number
}

interface AskedRow {
  month: number
  requested: number
  pending: number
  cancelled: number
}

/**
 * Requests counted per UTC minute (times are stored in UTC) turned into the
 * desk's calendar months here, the same on every engine: every time zone's
 * offset is a whole number of minutes.
 */
function askedPerMonth(perMinute: Array<{ minute: string; requested: number; pending: number; cancelled: number }>): AskedRow[] {
  const months = new Map<number, AskedRow>()
  for (const row of perMinute) {
    const at = new Date(`${row.minute}:00Z`)
    if (Number.isNaN(at.getTime())) continue
    const month = at.getFullYear() * 100 + at.getMonth() + 1
    const sum = months.get(month) ?? { month, requested: 0, pending: 0, cancelled: 0 }
    sum.requested += row.requested
    sum.pending += row.pending
    sum.cancelled += row.cancelled
    months.set(month, sum)
  }
  return [...months.values()]
}

/**
 * Brochure requests per month: asked for (by the day asked, with how many of
 * those are still waiting or were cancelled) and posted (by the posting day).
 * Read from the requests themselves: a desk's requests number thousands, not millions.
 */
export async function brochureRequests(db: Knex, range: ReportRange): Promise<Body> {
  const asked = askedPerMonth(
    allRows<{ minute: string; requested: number; pending: number; cancelled: number }>(
      await db.raw(
        `SELECT substr(requested_at, 1, 16) AS minute, count(*) AS requested,
         sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending, sum(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled
       FROM brochure_requests WHERE requested_at >= ? AND requested_at < ? GROUP BY substr(requested_at, 1, 16)`,
        [range.fromUtc, range.toUtc],
      ),
    ),
  )
  const posted = allRows<{ month: number; posted: number }>(
    await db.raw(
      `SELECT CAST(replace(substr(posted_on, 1, 7), '-', '') AS INTEGER) AS month, count(*) AS posted
     FROM brochure_requests WHERE status = 'posted' AND posted_on BETWEEN ? AND ? GROUP BY CAST(replace(substr(posted_on, 1, 7), '-', '') AS INTEGER)`,
      [range.from ?? '0000-00-00', range.to ?? '9999-12-31'],
    ),
  )
  const seen = [...asked.map((r) => r.month), ...posted.map((r) => r.month)]
  const months = monthsOf(range, seen.length ? { first: Math.min(...seen), last: Math.max(...seen) } : null)
  const byMonth = new Map<number, MonthRow>(months.map((m) => [m, { requested: 0, posted: 0, pending: 0, cancelled: 0 }]))
  for (const r of asked) Object.assign(byMonth.get(r.month) ?? {}, { requested: r.requested, pending: r.pending, cancelled: r.cancelled })
  for (const r of posted) Object.assign(byMonth.get(r.month) ?? {}, { posted: r.posted })
  const rows = [...byMonth.entries()].map(([month, r]) => ({ month: monthLabel(month), ...r }))
  const total = (key: keyof MonthRow) => rows.reduce((sum, r) => sum + r[key], 0)
  const totals = { month: 'Total', requested: total('requested'), posted: total('posted'), pending: total('pending'), cancelled: total('cancelled') }
  return {
    title: 'Brochure requests',
    description:
      'Brochure requests per month: how many were asked for (by the day asked) and how many of those are still waiting or were cancelled, and how many letters were posted (by the posting day).',
    columns: [
      { key: 'month', label: 'Month', kind: 'month' },
      { key: 'requested', label: 'Requested', kind: 'count' },
      { key: 'posted', label: 'Posted', kind: 'count' },
      { key: 'pending', label: 'Still waiting', kind: 'count' },
      { key: 'cancelled', label: 'Cancelled', kind: 'count' },
    ],
    rows,
    totals,
    chart: {
      type: 'bar',
      labels: rows.map((r) => r.month),
      series: [
        { label: 'Requested', kind: 'count', values: rows.map((r) => r.requested) },
        { label: 'Posted', kind: 'count', values: rows.map((r) => r.posted) },
        { label: 'Still waiting', kind: 'count', values: rows.map((r) => r.pending) },
      ],
    },
    note: `${count(totals.requested)} requests ${describeRange(range)}; ${count(totals.pending)} of them still waiting to be posted.`,
  }
}
