/** Money on the profile: integer minor units in the business currency. */

const formatters = new Map<string, Intl.NumberFormat>()

function formatterFor(currency: string): Intl.NumberFormat {
  const code = /^[A-Z]{3}$/.test(currency) ? currency : 'GBP'
  let formatter = formatters.get(code)
  if (!formatter) {
    formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency: code })
    formatters.set(code, formatter)
  }
  return formatter
}

/** Digits after the decimal point for a currency (2 for GBP, 0 for JPY). */
export function minorDigits(currency: string): number {
  return formatterFor(currency).resolvedOptions().maximumFractionDigits ?? 2
}

/** 12345 GBP → "£123.45". */
export function formatMinor(minorUnits: number, currency: string): string {
  return formatterFor(currency).format(minorUnits / 10 ** minorDigits(currency))
}

/** The currency symbol alone ("£"), for money input prefixes. */
export function currencySymbol(currency: string): string {
  return formatterFor(currency).formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency
}

/** 12345 → "123.45": how an amount is shown in an input. */
export function minorToInput(minorUnits: number, currency: string): string {
  const digits = minorDigits(currency)
  return (minorUnits / 10 ** digits).toFixed(digits)
}

/** An amount the desk typed that cannot be read as money; the message says why, in plain words. */
export class AmountError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AmountError'
  }
}

/** Larger amounts than this are refused before any arithmetic (the backend's limit is 10,000,000.00). */
const MAX_WHOLE_DIGITS = 9

/**
 * "12.50" → 1250: a typed amount to integer minor units, by string handling
 * only (no floating point, so "0.29" is 29, never 28.999…). Accepts a leading
 * currency symbol or code ("GBP 12"), spaces and thousands commas ("£1,234.5" → 123450); `digits`
 * is how many decimals the currency has (2 for GBP, 0 for JPY).
 * Throws `AmountError` with a readable message otherwise.
 */
export function parseMinor(text: string, digits = 2): number {
  const trimmed = text.trim().replace(/^(\p{Sc}|[A-Z]{3}(?=[\s\d]))\s*/u, '').replace(/\s+/g, '')
  if (trimmed === '') throw new AmountError('Enter an amount.')
  if (trimmed.startsWith('-')) throw new AmountError('Amounts cannot be negative.')
  if (!/^(\d{1,3}(,\d{3})+|\d*)(\.\d*)?$/.test(trimmed) || !/\d/.test(trimmed)) {
    throw new AmountError(digits > 0 ? 'Enter an amount like 12.50.' : 'Enter a whole amount like 12.')
  }
  const [whole = '', fraction = ''] = trimmed.replace(/,/g, '').split('.')
  if (fraction.length > digits) {
    throw new AmountError(digits > 0 ? `At most ${digits} decimals, e.g. 12.50.` : 'This currency has no decimals.')
  }
  const wholeDigits = whole.replace(/^0+(?=\d)/, '')
  if (wholeDigits.length > MAX_WHOLE_DIGITS) throw new AmountError('That amount is too large.')
  return Number.parseInt(`${wholeDigits || '0'}${fraction.padEnd(digits, '0')}`, 10)
}

/** `parseMinor` for a currency code: the number of decimals follows the currency. */
export function parseMinorIn(text: string, currency: string): number {
  return parseMinor(text, minorDigits(currency))
}

/** The readable problem with a typed amount, or '' when it reads as money. */
export function amountProblem(text: string, currency: string): string {
  try {
    parseMinorIn(text, currency)
    return ''
  } catch (error) {
    return error instanceof AmountError ? error.message : 'Enter an amount like 12.50.'
  }
}

/** Today as YYYY-MM-DD in local time (reminder days are calendar days). */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** "2026-01-31" → "31 Jan 2026" without time-zone drift. */
export function formatDay(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!match) return iso
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
}
