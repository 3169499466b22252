import type { Knex } from 'knex'
import type { ReportRange } from './range'
import { allRows } from '../../../db/queries/customerList'

/** The running totals the reports read (see db/dialects: createReportTotals), by measure. */
export type Measure = 'customers' | 'tag' | 'group' | 'source' | 'item' | 'income' | 'owing'

export interface TotalsRow {
  key: string
  n: number
  amount: number
}

/** A measure's totals in the range, summed per key. */
export async function totalsByKey(db: Knex, measure: Measure, range: ReportRange): Promise<TotalsRow[]> {
  return allRows<TotalsRow>(
    await db.raw(`SELECT key, sum(n) AS n, sum(amount) AS amount FROM report_totals WHERE measure = ? AND day BETWEEN ? AND ? GROUP BY key`, [
      measure,
      range.fromDay,
      range.toDay,
    ]),
  )
}

export interface MonthTotalsRow extends TotalsRow {
  month: number
}

/** A measure's totals in the range, summed per month (202601) and key. */
export async function totalsByMonth(db: Knex, measure: Measure, range: ReportRange): Promise<MonthTotalsRow[]> {
  // Days are integers on both engines, so day / 100 is the month (integer division).
  return allRows<MonthTotalsRow>(
    await db.raw(
      `SELECT day / 100 AS month, key, sum(n) AS n, sum(amount) AS amount FROM report_totals
     WHERE measure = ? AND day BETWEEN ? AND ? GROUP BY day / 100, key ORDER BY month`,
      [measure, range.fromDay, range.toDay],
    ),
  )
}

/** The first and last month a measure has anything in, within the range (null when it has nothing). */
export async function monthsWithTotals(db: Knex, measure: Measure, range: ReportRange): Promise<{ first: number; last: number } | null> {
  const [row] = allRows<{ first: number | null; last: number | null }>(
    await db.raw(`SELECT min(day) / 100 AS first, max(day) / 100 AS last FROM report_totals WHERE measure = ? AND day BETWEEN ? AND ? AND n <> 0`, [
      measure,
      range.fromDay,
      range.toDay,
    ]),
  )
  return row?.first && row.last ? { first: row.first, last: row.last } : null
}
