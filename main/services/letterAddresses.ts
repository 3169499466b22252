import type { Knex } from 'knex'
import { chunks } from '../../db/idChunks'
import type { PostalAddress } from '../pdf/address'

/*
 * Where a customer's post goes, one rule for everything printed for them
 * (statements, brochure letters, labels).
 */

export type { PostalAddress }

/** A letter can be delivered with a street line and a town or a postcode. */
export function isPostable(address: PostalAddress): boolean {
  return address.line1.trim() !== '' && (address.city.trim() !== '' || address.postcode.trim() !== '')
}

/** "1 High St, Flat 2, Bath, BA1 1AA, GB" — the parts there are, on one line. */
export function addressSummary(address: PostalAddress | null): string {
  if (!address) return ''
  const place = [address.city, address.region, address.postcode].map((part) => part.trim()).filter(Boolean).join(' ')
  return [address.line1, address.line2, place, address.country]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(', ')
}

/**
 * Where each customer's letters go: the address chosen for letters when it
 * is postable, else their first postable one, else (to show what is missing)
 * whatever they have first. Customers with no address at all are absent.
 */
export async function letterAddresses(db: Knex, customerIds: number[]): Promise<Map<number, PostalAddress>> {
  const found = new Map<number, PostalAddress>()
  for (const chunk of chunks([...new Set(customerIds)])) {
    const rows = (await db('addresses')
      .whereIn('customer_id', chunk)
      .orderBy([{ column: 'customer_id' }, { column: 'is_default_letters', order: 'desc' }, { column: 'position' }, { column: 'id' }])
      .select('customer_id', 'line1', 'line2', 'city', 'region', 'postcode', 'country')) as Array<PostalAddress & { customer_id: number }>
    for (const { customer_id: customerId, ...address } of rows) {
      const kept = found.get(customerId)
      if (!kept || (!isPostable(kept) && isPostable(address))) found.set(customerId, address)
    }
  }
  return found
}
