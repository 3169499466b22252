/**
 * The periods a statement offers: ready-made ones ending today (a statement
 * never runs into days still to come) or two days the desk picks. Days are
 * the desk's calendar days, YYYY-MM-DD, both ends included.
 */
import { todayIso } from '../../services/money'

export const statementPeriods = ['this-month', 'last-3-months', 'this-year', 'custom'] as const
export type StatementPeriod = (typeof statementPeriods)[number]

export const periodTitles: Record<StatementPeriod, string> = {
  'this-month': 'This month',
  'last-3-months': 'Last 3 months',
  'this-year': 'This year',
  custom: 'Custom',
}

/** From the first of this month, of the month two before it (three calendar months), or of January, to today. */
export function periodDays(period: Exclude<StatementPeriod, 'custom'>, today = new Date()): { from: string; to: string } {
  const year = today.getFullYear()
  const month = today.getMonth()
  const first = period === 'this-month' ? new Date(year, month, 1) : period === 'last-3-months' ? new Date(year, month - 2, 1) : new Date(year, 0, 1)
  return { from: todayIso(first), to: todayIso(today) }
}
