const formatters = new Map<string, Intl.NumberFormat>()

/** "£12.50" from 1250 GBP: minor units shown with the currency's own decimals, for messages and the change log. */
export function formatMoney(amountMinor: number, currency: string): string {
  let formatter = formatters.get(currency)
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-GB', { style: 'currency', currency })
    formatters.set(currency, formatter)
  }
  const decimals = formatter.resolvedOptions().maximumFractionDigits ?? 2
  return formatter.format(amountMinor / 10 ** decimals)
}
