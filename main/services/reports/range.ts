import type { ReportInput } from '../../../preload/contract/schemas/reports'
import { formatDay, startOfDay } from '../calendarDay'

/**
 * A report's range on the desk's calendar: as day numbers (20260131, how the
 * report totals key their days) and as UTC instants for reading rows whose
 * times are stored in UTC. Both use the machine's local time zone.
 */
export interface ReportRange {
  from: string | null
  to: string | null
  /** First and last day numbers, inclusive; open ends widen to every day. */
  fromDay: number
  toDay: number
  /** Local midnight starting `from`, and the one after `to` (exclusive), as ISO UTC; open ends widen. */
  fromUtc: string
  toUtc: string
}

export const dayNumber = (isoDay: string): number => Number(isoDay.replaceAll('-', ''))

/** 20260131 → '2026-01-31'. */
export const isoOfDay = (day: number): string => `${String(Math.floor(day / 10000)).padStart(4, '0')}-${String(Math.floor(day / 100) % 100).padStart(2, '0')}-${String(day % 100).padStart(2, '0')}`

/** 202601 → '2026-01'. */
export const monthLabel = (month: number): string => `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`

export function reportRange(input: Pick<ReportInput, 'from' | 'to'>): ReportRange {
  return {
    from: input.from,
    to: input.to,
    fromDay: input.from ? dayNumber(input.from) : 0,
    toDay: input.to ? dayNumber(input.to) : 99_991_231,
    fromUtc: input.from ? startOfDay(input.from) : '0000',
    toUtc: input.to ? startOfDay(input.to, 1) : '9999',
  }
}

/** Every month from the first to the last, inclusive, as 202601 numbers. */
export function monthsBetween(first: number, last: number): number[] {
  const months: number[] = []
  for (let m = first; m <= last; m = m % 100 === 12 ? (Math.floor(m / 100) + 1) * 100 + 1 : m + 1) months.push(m)
  return months
}

/** Whole days between a day and today, on the desk's calendar. */
export function daysBetween(earlierIso: string, laterIso: string): number {
  const [a, b] = [earlierIso, laterIso].map((v) => {
    const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number]
    return Date.UTC(y, m - 1, d)
  }) as [number, number]
  return Math.round((b - a) / 86_400_000)
}

/** "1 Jan 2026 to 31 Mar 2026", "from 1 Jan 2026", "up to …", "all time". */
export function describeRange(range: Pick<ReportRange, 'from' | 'to'>): string {
  if (range.from && range.to) return `${formatDay(range.from)} to ${formatDay(range.to)}`
  if (range.from) return `from ${formatDay(range.from)}`
  if (range.to) return `up to ${formatDay(range.to)}`
  return 'all time'
}

export const percent = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0)
export const count = (n: number): string => n.toLocaleString('en-GB')
