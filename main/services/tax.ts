import type { Knex } from 'knex'
import type { Settings, TaxStatus } from '../../preload/contract'

/*
 * Tax on one line of an order (places at a session, or a plan sold or
 * collected). Amounts are integer minor units; rates are basis points.
 *
 * Rounding is per line: the tax of a line is worked out on the line's whole
 * amount (unit price × quantity) and rounded once to the nearest minor unit,
 * halves away from zero. An invoice's tax per rate is the sum of its lines'
 * tax, so every total is a sum of stored integers and never drifts.
 *
 * A catalogue price is quoted at the item's rate (the standard rate unless
 * the item names another). When prices include tax, a standard customer pays
 * exactly the listed price and the tax is the part of it at that rate; an
 * exempt customer pays the net part only; a special-rate customer pays the
 * net part plus tax at their own rate. When prices exclude tax, the listed
 * price is the net and tax at the customer's rate is added.
 */

/** The customer's side of tax: standard, exempt, or their own rate. */
export interface CustomerTax {
  status: TaxStatus
  /** Basis points; only for "special". */
  rateBp: number | null
}

/** What a line charges, as stored on the line. */
export interface LineTax {
  /** What the customer pays for the line, tax included. */
  totalMinor: number
  taxMinor: number
  /** The rate charged (0 for exempt or when the business charges no tax). */
  taxRateBp: number
}

/** Rounds a non-negative ratio to the nearest integer, halves up, exactly (no floating point). */
function roundedDivision(numerator: bigint, denominator: bigint): number {
  return Number((2n * numerator + denominator) / (2n * denominator))
}

/** The tax inside a gross amount at a rate: gross × rate / (10000 + rate), rounded. */
export function taxIncluded(grossMinor: number, rateBp: number): number {
  if (rateBp === 0 || grossMinor === 0) return 0
  const sign = grossMinor < 0 ? -1 : 1
  return sign * roundedDivision(BigInt(Math.abs(grossMinor)) * BigInt(rateBp), BigInt(10000 + rateBp))
}

/** The tax added to a net amount at a rate: net × rate / 10000, rounded. */
export function taxAdded(netMinor: number, rateBp: number): number {
  if (rateBp === 0 || netMinor === 0) return 0
  const sign = netMinor < 0 ? -1 : 1
  return sign * roundedDivision(BigInt(Math.abs(netMinor)) * BigInt(rateBp), 10000n)
}

/**
 * The rate an item or plan is priced at: its own, or the standard rate (the
 * first in Settings); 0 when the business lists no rates.
 */
export function itemRate(settings: Pick<Settings, 'taxRates'>, itemRateBp: number | null): number {
  return itemRateBp ?? settings.taxRates[0]?.rateBp ?? 0
}

/** Prices a line: listed unit price × quantity, at the item's rate, for this customer. */
export function priceLine(
  settings: Pick<Settings, 'pricesIncludeTax' | 'taxRates'>,
  customer: CustomerTax,
  line: { unitMinor: number; quantity: number; itemRateBp: number | null },
): LineTax {
  const listed = line.unitMinor * line.quantity
  // A business that lists no rates charges no tax at all, whoever the customer.
  if (settings.taxRates.length === 0) return { totalMinor: listed, taxMinor: 0, taxRateBp: 0 }
  const quoted = itemRate(settings, line.itemRateBp)
  const charged = customer.status === 'exempt' ? 0 : customer.status === 'special' ? (customer.rateBp ?? quoted) : quoted
  if (settings.pricesIncludeTax) {
    if (charged === quoted) {
      const tax = taxIncluded(listed, quoted)
      return { totalMinor: listed, taxMinor: tax, taxRateBp: charged }
    }
    const net = listed - taxIncluded(listed, quoted)
    const tax = taxAdded(net, charged)
    return { totalMinor: net + tax, taxMinor: tax, taxRateBp: charged }
  }
  const tax = taxAdded(listed, charged)
  return { totalMinor: listed + tax, taxMinor: tax, taxRateBp: charged }
}

/** The customer's tax status and special rate, as the record keeps them. */
export async function customerTaxOf(db: Knex, customerId: number): Promise<CustomerTax> {
  const row = (await db('customers').where({ id: customerId }).first('tax_status', 'tax_rate_bp')) as
    | { tax_status: TaxStatus; tax_rate_bp: number | null }
    | undefined
  return { status: row?.tax_status ?? 'standard', rateBp: row?.tax_rate_bp ?? null }
}
