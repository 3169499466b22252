import type { Cell } from './sources'

/*
 * Reading the values of a file's cells the way the desk means them: dates in
 * the business's own order, yes/no in several words, money with or without a
 * symbol, lists separated by semicolons.
 */

export class BadValue extends Error {}

/** A cell as text (NFC, trimmed); dates become YYYY-MM-DD; empty is ''. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return ''
  if (cell instanceof Date) return isoDay(cell)
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : String(cell)
  if (typeof cell === 'boolean') return cell ? 'Yes' : 'No'
  // A CSV source has already taken off the apostrophe an export put before a formula-like value; in a
  // spreadsheet's or a card's own text an apostrophe is the person's.
  return cell.normalize('NFC').trim()
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10)

/** Countries that write the month first (3/4/2024 is 4 March elsewhere). */
const MONTH_FIRST = new Set(['US', 'PH', 'FM', 'MH', 'PW', 'BZ'])

/**
 * A calendar day from a date cell or text: 2024-03-04, 2024-03-04T10:00:00Z,
 * 4/3/2024 or 4.3.2024 (day first, month first in the United States), 4 Mar 2024.
 * Throws BadValue for text that is not a real day.
 */
export function cellDay(cell: Cell | undefined, country: string): string | null {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) throw new BadValue('Not a date.')
    return isoDay(cell)
  }
  const text = cellText(cell)
  if (!text) return null
  let year: number, month: number, day: number
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text)
  if (m) [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/.exec(text))) {
    const [a, b] = [Number(m[1]), Number(m[2])]
    ;[day, month] = MONTH_FIRST.has(country) ? [b, a] : [a, b]
    year = Number(m[3]!.length === 2 ? `20${m[3]}` : m[3])
    if (m[3]!.length === 2 && year > new Date().getUTCFullYear()) year -= 100
  } else if ((m = /^(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{4})$/.exec(text))) {
    day = Number(m[1])
    month = monthNumber(m[2]!)
    year = Number(m[3])
  } else throw new BadValue('Not a date.')
  const date = new Date(Date.UTC(year, month - 1, day))
  if (!month || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new BadValue('Not a date.')
  }
  return isoDay(date)
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1
}

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'agreed', 'opted in', 'opt-in', 'subscribed', 'ja', 'oui', 'sí', 'si', '✓', '✔'])
const NO = new Set(['no', 'n', 'false', '0', 'not agreed', 'opted out', 'opt-out', 'unsubscribed', 'nein', 'non'])

/** Yes, no, or nothing said (an empty cell). */
export function cellYesNo(cell: Cell | undefined): boolean | null {
  if (typeof cell === 'boolean') return cell
  if (typeof cell === 'number') {
    if (cell === 1 || cell === 0) return cell === 1
    throw new BadValue('Not yes or no.')
  }
  const text = cellText(cell).toLowerCase()
  if (!text) return null
  if (YES.has(text)) return true
  if (NO.has(text)) return false
  throw new BadValue('Not yes or no.')
}

/**
 * An amount in minor units: 45, 45.5, 45.50, £1,234.50, 1.234,50 €, (12.00)
 * for a negative. Two decimal places at most.
 */
export function cellMoney(cell: Cell | undefined): number | null {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new BadValue('Not an amount.')
    return Math.round(cell * 100)
  }
  let text = cellText(cell)
  if (!text) return null
  let negative = false
  if (/^\(.*\)$/.test(text)) {
    negative = true
    text = text.slice(1, -1)
  }
  text = text.replace(/[\s\u00a0]|[A-Za-z]{3}$|^[A-Za-z]{3}|[£$€¥₹]/g, '')
  if (text.startsWith('-')) {
    negative = !negative
    text = text.slice(1)
  }
  // The last separator followed by one or two digits is the decimal point; the others group thousands.
  const m = /^(\d{1,3}(?:([.,' ])\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/.exec(text)
  if (!m || (m[2] && m[3] && m[2] === m[3])) throw new BadValue('Not an amount.')
  const whole = Number(m[1]!.replace(/[.,' ]/g, ''))
  const cents = Number((m[4] ?? '0').padEnd(2, '0'))
  const minor = whole * 100 + cents
  if (!Number.isSafeInteger(minor)) throw new BadValue('Too large an amount.')
  return negative ? -minor : minor
}

/**
 * Several values in one cell: "VIP; Yoga", Google's "a ::: b", or — in a file
 * of unknown layout — commas when nothing else separates them. Known layouts
 * separate with semicolons, so a tag may hold a comma.
 */
export function cellList(cell: Cell | undefined, commas: boolean): string[] {
  const text = cellText(cell)
  if (!text) return []
  const parts = /;|:::|\n/.test(text) || !commas ? text.split(/\s*(?:;|:::|\n)\s*/) : text.split(/\s*,\s*/)
  return parts.map((p) => p.trim()).filter(Boolean)
}

/** Phone numbers in one cell: split on ; ::: or new lines only (a comma may be part of how a number is written). */
export function cellPhones(cell: Cell | undefined): string[] {
  const text = cellText(cell)
  if (!text) return []
  return text
    .split(/\s*(?:;|:::|\n)\s*/)
    .map((p) => p.trim())
    .filter(Boolean)
}

/** "C-000123", "c000123" or 123 → 123. */
export function cellCustomerNumber(cell: Cell | undefined): number | null {
  const text = cellText(cell)
  if (!text) return null
  const m = /^(?:C-?)?0*(\d{1,12})$/i.exec(text)
  if (!m || Number(m[1]) < 1) throw new BadValue('Not a customer number like C-000123.')
  return Number(m[1])
}
