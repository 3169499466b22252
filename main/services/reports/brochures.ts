import type { Knex } from 'knex'
import type { ReportResult } from '../../../preload/contract/schemas/reports'
import { monthsOf } from './months'
import { count, describeRange, monthLabel, type ReportRange } from './range'

type Body = Omit<ReportResult, 'report' | 'from' | 'to' | 'currency'>

interface MonthRow {
  requested: number
  posted: number
  pending: number
  cancelled: number
}

/**
 * Brochure requests per month: asked for (by the day asked, with how many of
 * those are still waiting or were cancelled) and posted (by the posting day).
 * Read from the requests themselves: a desk's requests number thousands, not millions.
 */
export async function brochureRequests(db: Knex, range: ReportRange): Promise<Body> {
  const asked = (await db.raw(
    `SELECT CAST(strftime('%Y%m', requested_at, 'localtime') AS INTEGER) AS month, count(*) AS requested,
       sum(status = 'pending') AS pending, sum(status = 'cancelled') AS cancelled
     FROM brochure_requests WHERE requested_at >= ? AND requested_at < ? GROUP BY month`,
    [range.fromUtc, range.toUtc],
  )) as Array<{ month: number; requested: number; pending: number; cancelled: number }>
  const posted = (await db.raw(
    `SELECT CAST(replace(substr(posted_on, 1, 7), '-', '') AS INTEGER) AS month, count(*) AS posted
     FROM brochure_requests WHERE status = 'posted' AND posted_on BETWEEN ? AND ? GROUP BY month`,
    [range.from ?? '0000-00-00', range.to ?? '9999-12-31'],
  )) as Array<{ month: number; posted: number }>
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
