/**
 * The date ranges a report can cover: a few ready-made periods, all time, or
 * two days the desk picks. Days are the desk's calendar days (YYYY-MM-DD),
 * both ends included; whole months so monthly charts have no half bars.
 */
import { formatDay, todayIso } from '../../services/money'

export const rangeKeys = ['this-month', 'last-3-months', 'this-year', 'last-12-months', 'all', 'custom'] as const
export type RangeKey = (typeof rangeKeys)[number]

export const rangeTitles: Record<RangeKey, string> = {
  'this-month': 'This month',
  'last-3-months': 'Last 3 months',
  'this-year': 'This year',
  'last-12-months': 'Last 12 months',
  all: 'All time',
  custom: 'Custom',
}

export type PresetKey = Exclude<RangeKey, 'custom'>
const defaultRange: PresetKey = 'last-12-months'

export interface DayRange {
  from: string | null
  to: string | null
}

export interface RangeChoice extends DayRange {
  range: RangeKey
}

function day(year: number, monthIndex: number, date: number): string {
  return todayIso(new Date(year, monthIndex, date))
}

/** The days a ready-made period covers, seen from `today`: from the first of its first month to the end of this month (or year). */
export function presetDays(range: PresetKey, today = new Date()): DayRange {
  const year = today.getFullYear()
  const month = today.getMonth()
  const endOfMonth = day(year, month + 1, 0)
  switch (range) {
    case 'this-month':
      return { from: day(year, month, 1), to: endOfMonth }
    case 'last-3-months':
      return { from: day(year, month - 2, 1), to: endOfMonth }
    case 'this-year':
      return { from: day(year, 0, 1), to: day(year, 11, 31) }
    case 'last-12-months':
      return { from: day(year, month - 11, 1), to: endOfMonth }
    case 'all':
      return { from: null, to: null }
  }
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/

/** A real calendar day written YYYY-MM-DD (rejects 2026-02-30). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !isoDay.test(value)) return false
  const [y, m, d] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(y, m - 1, d)
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d
}

/** What is wrong with a custom range, in plain words; '' when it can be run. Either end may be left open. */
export function rangeProblem(from: string, to: string): { from: string; to: string } {
  const problems = { from: '', to: '' }
  if (from && !isDay(from)) problems.from = 'Enter a date, e.g. 1 March 2026.'
  if (to && !isDay(to)) problems.to = 'Enter a date, e.g. 31 March 2026.'
  if (!problems.from && !problems.to && from && to && from > to) problems.to = 'The start date must be on or before the end date.'
  return problems
}

type QueryValue = string | null | undefined | Array<string | null>

function single(value: QueryValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : undefined
}

/** The range a URL query asks for; anything unreadable falls back to the default period. */
export function rangeFromQuery(query: Record<string, QueryValue>, today = new Date()): RangeChoice {
  const range = single(query['range'])
  if (range === 'custom') {
    const from = single(query['from'])
    const to = single(query['to'])
    const okFrom = isDay(from) ? from : null
    const okTo = isDay(to) ? to : null
    if (okFrom !== null && okTo !== null && okFrom > okTo) return { range: defaultRange, ...presetDays(defaultRange, today) }
    return { range: 'custom', from: okFrom, to: okTo }
  }
  const key = (rangeKeys as readonly string[]).includes(range ?? '') ? (range as PresetKey) : defaultRange
  return { range: key, ...presetDays(key, today) }
}

/** The URL query for a range: the period's name, and its days so a link reads on its own. */
export function rangeToQuery(choice: RangeChoice): Record<string, string> {
  const query: Record<string, string> = { range: choice.range }
  if (choice.from) query['from'] = choice.from
  if (choice.to) query['to'] = choice.to
  return query
}

/** "1 Jan 2026 – 31 Mar 2026", "From 1 Jan 2026", "Up to 31 Mar 2026", "All time". */
export function describeDays(range: DayRange): string {
  if (range.from && range.to) return range.from === range.to ? formatDay(range.from) : `${formatDay(range.from)} – ${formatDay(range.to)}`
  if (range.from) return `From ${formatDay(range.from)}`
  if (range.to) return `Up to ${formatDay(range.to)}`
  return 'All time'
}
