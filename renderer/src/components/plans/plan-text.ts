import type { PlanKind, PlanProduct, Settings } from '../../../../preload/contract'
import { formatMinor } from '../../services/money'

/** Wording for plans in the catalogue, the sell dialog and the Collections due page. */

export const planKindLabels: Record<PlanKind, string> = { membership: 'Membership', pass: 'Pass', subscription: 'Subscription' }
export const planKindColours: Record<PlanKind, string> = { membership: 'primary', pass: 'teal', subscription: 'deep-purple' }

const units: Record<string, [string, string]> = { day: ['day', 'days'], week: ['week', 'weeks'], month: ['month', 'months'], year: ['year', 'years'] }

function lengthText(count: number, unit: string): string {
  const [one, many] = units[unit] ?? [unit, `${unit}s`]
  return `${count} ${count === 1 ? one : many}`
}

/** "12 months", "10 credits · valid 3 months", "every month". */
export function productTermsText(p: Pick<PlanProduct, 'kind' | 'lengthCount' | 'lengthUnit' | 'credits' | 'interval'>): string {
  if (p.kind === 'subscription') return `Collected every ${p.interval ?? 'month'}`
  const length = p.lengthCount !== null && p.lengthUnit !== null ? lengthText(p.lengthCount, p.lengthUnit) : null
  if (p.kind === 'membership') return length ? `Lasts ${length}` : ''
  const credits = `${p.credits ?? 0} ${p.credits === 1 ? 'credit' : 'credits'}`
  return length ? `${credits} · valid ${length}` : `${credits} · never expires`
}

/** "£30.00 / month" for a subscription, the price otherwise. */
export function productPriceText(p: Pick<PlanProduct, 'kind' | 'priceMinor' | 'currency' | 'interval'>): string {
  const price = formatMinor(p.priceMinor, p.currency)
  return p.kind === 'subscription' ? `${price} / ${p.interval ?? 'month'}` : price
}

/** "Standard (20%)", "Reduced (5%)", or the rate alone when Settings no longer lists it. */
export function taxRateText(rateBp: number | null, settings: Pick<Settings, 'taxRates'> | null): string {
  const rates = settings?.taxRates ?? []
  const percent = (bp: number) => `${(bp / 100).toLocaleString('en-GB', { maximumFractionDigits: 2 })}%`
  if (rateBp === null) return rates[0] ? `Standard (${percent(rates[0].rateBp)})` : 'Standard'
  const named = rates.find((r) => r.rateBp === rateBp)
  return named ? `${named.name} (${percent(rateBp)})` : percent(rateBp)
}
