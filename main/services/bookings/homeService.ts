import type { Knex } from 'knex'
import { ValidationFailed } from '../errors'
import { addressSummary } from '../letterAddresses'

interface AddressRow {
  id: number
  customer_id: number
  line1: string
  line2: string
  city: string
  region: string
  postcode: string
  country: string
}

/**
 * Where a home service is done: a booking of an item done at the customer's
 * address records one of that customer's addresses — the one chosen, else
 * their default service address, else their first. Refused when the customer
 * has none, or the address chosen is someone else's. Null when no item
 * booked is done at the customer's.
 */
export async function homeServiceAddress(
  db: Knex,
  customer: { id: number; displayName: string },
  itemIds: number[],
  addressId: number | null,
): Promise<{ id: number; text: string } | null> {
  const atHome = (await db('catalogue_items')
    .whereIn('id', [...new Set(itemIds)])
    .where('at_customer_address', true)
    .orderBy('name')
    .pluck('name')) as string[]
  if (!atHome.length) {
    if (addressId !== null) throw ValidationFailed.field('addressId', 'Nothing booked here is done at the customer’s address; leave the address out.')
    return null
  }
  const columns = ['id', 'customer_id', 'line1', 'line2', 'city', 'region', 'postcode', 'country']
  let address: AddressRow | undefined
  if (addressId !== null) {
    address = (await db('addresses').where({ id: addressId }).first(columns)) as AddressRow | undefined
    if (!address || address.customer_id !== customer.id) {
      throw ValidationFailed.field('addressId', `That address is not one of ${customer.displayName}’s. Choose one of their addresses.`)
    }
  } else {
    address = (await db('addresses')
      .where({ customer_id: customer.id })
      .orderBy([{ column: 'is_default_service', order: 'desc' }, { column: 'position' }, { column: 'id' }])
      .first(columns)) as AddressRow | undefined
    if (!address) {
      throw ValidationFailed.field(
        'addressId',
        `${atHome.join(', ')} ${atHome.length === 1 ? 'is' : 'are'} done at the customer’s address, and ${customer.displayName} has no address yet. Add one to their profile, then book.`,
      )
    }
  }
  return { id: address.id, text: addressSummary(address) }
}
