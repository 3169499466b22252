import type { Knex } from 'knex'
import { monthsBetween, type ReportRange } from './range'
import { monthsWithTotals, type Measure } from './totals'

/**
 * The months a per-month report lists: every month of the range when both
 * ends are given (empty months included, so the chart keeps its time axis);
 * an open end stops at the first or last month with anything in it.
 */
export async function reportMonths(db: Knex, measure: Measure, range: ReportRange): Promise<number[]> {
  const data = await monthsWithTotals(db, measure, range)
  return monthsOf(range, data)
}

export function monthsOf(range: ReportRange, data: { first: number; last: number } | null): number[] {
  const first = range.from ? Math.floor(range.fromDay / 100) : data?.first
  const last = range.to ? Math.floor(range.toDay / 100) : data?.last
  if (first === undefined || last === undefined) return []
  return monthsBetween(first, last)
}
