/**
 * How days, moments and money are written. Times are stored as ISO-8601 UTC;
 * an export names them unambiguously in UTC too ("Customer since" is the UTC
 * day, as the list's "created between" filter counts it).
 */

/** The business currency's digits and its spreadsheet number format. */
export interface MoneyFormat {
  currency: string
  /** Decimal places of the currency (2 for GBP, 0 for JPY). */
  digits: number
  /** Excel number format, e.g. `"£"#,##0.00`. */
  excelFormat: string
}

const SYMBOLS: Record<string, string> = { GBP: '£', EUR: '€', USD: '$' }

export function moneyFormatOf(currency: string): MoneyFormat {
  let digits = 2
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    // An unknown code keeps two places.
  }
  const number = digits > 0 ? `#,##0.${'0'.repeat(digits)}` : '#,##0'
  const symbol = SYMBOLS[currency]
  return { currency, digits, excelFormat: symbol ? `"${symbol}"${number}` : `${number} "${currency}"` }
}

/** "12.50" from 1250 with 2 digits; "-0.05" from -5: exact, with no floating-point rounding. */
export function decimalOfMinor(minor: number, digits: number): string {
  if (digits === 0) return String(minor)
  const whole = String(Math.abs(minor)).padStart(digits + 1, '0')
  return `${minor < 0 ? '-' : ''}${whole.slice(0, -digits)}.${whole.slice(-digits)}`
}

/** The amount as a number of currency units, for a spreadsheet cell. */
export function unitsOfMinor(minor: number, digits: number): number {
  return minor / 10 ** digits
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/

/** "2026-03-10" from a day or from a stored moment (its UTC day). */
export function dayOf(value: string): string {
  if (value.length === 10 || ISO_UTC.test(value)) return value.slice(0, 10)
  return new Date(value).toISOString().slice(0, 10)
}

/** "2026-03-10T12:00:00Z" from a stored moment. */
export function momentOf(value: string): string {
  if (ISO_UTC.test(value)) return `${value.slice(0, 19)}Z`
  return `${new Date(value).toISOString().slice(0, 19)}Z`
}

const MS_PER_DAY = 86_400_000
/** Excel counts days from 1899-12-30 (its 1900 leap-year bug included), so 1970-01-01 is day 25569. */
const EXCEL_EPOCH_DAYS = 25_569

/** A spreadsheet date (a whole day count) for a day or a stored moment (its UTC day): "2026-03-10" → 46091. */
export function excelDay(value: string): number {
  // A bare ISO day parses as UTC midnight.
  return Math.floor(Date.parse(value) / MS_PER_DAY) + EXCEL_EPOCH_DAYS
}

/** A spreadsheet date-time (days and the fraction of a day) for a stored moment, in UTC, to the second. */
export function excelMoment(value: string): number {
  return Math.floor(Date.parse(value) / 1000) / 86_400 + EXCEL_EPOCH_DAYS
}
