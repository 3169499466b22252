import type { Knex } from 'knex'
import type { PaymentMethod } from '../../../preload/contract'
import { passesLuhn } from '../../../preload/contract/text'

export { passesLuhn }

/**
 * The card field's own, stricter rule: a run of 12–19 digits (every space and
 * dash ignored) passing the Luhn check. Free text uses the contract's
 * `containsCardNumber`, which reads runs as typed.
 */
export function containsCardNumber(text: string): boolean {
  const runs = text.replace(/[\s-]/g, '').match(/\d+/g) ?? []
  return runs.some((run) => run.length >= 12 && run.length <= 19 && passesLuhn(run))
}

/** A card is valid to the last moment of its expiry month (UTC). */
export function isCardExpired(expMonth: number, expYear: number, now: Date): boolean {
  const firstInstantAfter = Date.UTC(expYear, expMonth, 1)
  return now.getTime() >= firstInstantAfter
}

export const BRAND_LABELS: Record<PaymentMethod['brand'], string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  maestro: 'Maestro',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  other: 'Card',
}

/** How a card is named in the change log: brand and last four digits, nothing else. */
export function cardLabel(card: { brand: PaymentMethod['brand']; last4: string }): string {
  return `${BRAND_LABELS[card.brand]} ending ${card.last4}`
}

export interface PaymentMethodRow {
  id: number
  customer_id: number
  brand: PaymentMethod['brand']
  last4: string
  exp_month: number
  exp_year: number
  is_default: number | boolean
  created_at: string
}

/** The customer's cards: the default first, then the newest. */
export async function loadPaymentMethods(db: Knex, customerId: number, now: Date): Promise<PaymentMethod[]> {
  const rows = (await db('payment_methods')
    .where({ customer_id: customerId })
    .orderBy('is_default', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')) as PaymentMethodRow[]
  return rows.map((row) => ({
    id: row.id,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
    isDefault: Boolean(row.is_default),
    expired: isCardExpired(row.exp_month, row.exp_year, now),
  }))
}
