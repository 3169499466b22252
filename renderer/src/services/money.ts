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

/**
 * "123.45" → 12345; null when it is not an amount. Accepts a leading symbol,
 * thousands separators and up to the currency's number of decimals.
 */
export function inputToMinor(text: string, currency: string): number | null {
  const cleaned = text.replace(/[^\d.,-]/g, '').replace(/,/g, '')
  if (cleaned === '') return 0
  const digits = minorDigits(currency)
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{0,${digits}})?$`) : /^\d+$/
  if (!pattern.test(cleaned)) return null
  const [whole, fraction = ''] = cleaned.split('.')
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || 0)
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
