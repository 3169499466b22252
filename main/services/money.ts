const formatters = new Map<string, { formatter: Intl.NumberFormat; scale: number }>()

/** "£12.50" from 1250 GBP: minor units shown with the currency's own decimals, for messages and the change log. */
export function formatMoney(amountMinor: number, currency: string): string {
  let known = formatters.get(currency)
  if (!known) {
    const formatter = new Intl.NumberFormat('en-GB', { style: 'currency', currency })
    // Asked once: resolvedOptions() builds a new object each time, which a statement of thousands of lines feels.
    known = { formatter, scale: 10 ** (formatter.resolvedOptions().maximumFractionDigits ?? 2) }
    formatters.set(currency, known)
  }
  return known.formatter.format(amountMinor / known.scale)
}
