import type { Knex } from 'knex'
import type { DuplicateCustomer } from '../../../preload/contract/schemas/duplicates'
import type { CustomerStatus } from '../../../preload/contract/schemas/common'
import { chunks } from '../../../db/idChunks'
import { formatCustomerNumber } from '../customers/normalize'

interface CustomerRow {
  id: number
  display_name: string
  email: string
  status: CustomerStatus
  created_at: string
}

/** Customers as warnings and groups show them, by id; the recycle bin's and erased people are left out. */
export async function loadSummaries(db: Knex, ids: readonly number[]): Promise<Map<number, DuplicateCustomer>> {
  const found = new Map<number, DuplicateCustomer>()
  for (const part of chunks([...new Set(ids)])) {
    const rows = (await db('customers')
      .whereIn('id', part)
      .whereNot('status', 'deleted')
      .whereNull('erased_at')
      .select('id', 'display_name', 'email', 'status', 'created_at')) as CustomerRow[]
    for (const row of rows) {
      found.set(row.id, {
        id: row.id,
        number: formatCustomerNumber(row.id),
        displayName: row.display_name,
        email: row.email,
        phone: '',
        postcode: '',
        status: row.status,
        createdAt: row.created_at,
      })
    }
    const live = rows.map((row) => row.id)
    const phones = (await db('phones').whereIn('customer_id', live).orderBy([{ column: 'is_primary', order: 'desc' }, 'position']).select('customer_id', 'number')) as Array<{
      customer_id: number
      number: string
    }>
    for (const phone of phones) {
      const summary = found.get(phone.customer_id)
      if (summary && !summary.phone) summary.phone = phone.number
    }
    const addresses = (await db('addresses').whereIn('customer_id', live).whereNot('postcode', '').orderBy('position').select('customer_id', 'postcode')) as Array<{
      customer_id: number
      postcode: string
    }>
    for (const address of addresses) {
      const summary = found.get(address.customer_id)
      if (summary && !summary.postcode) summary.postcode = address.postcode
    }
  }
  return found
}

/** The two ids of a pair as stored: the lower first. */
export function orderedPair(one: number, other: number): [number, number] {
  return one < other ? [one, other] : [other, one]
}

/** A postcode as compared: upper case without spaces ("ba1 1aa" = "BA11AA"). */
export function postcodeKey(postcode: string): string {
  return postcode.normalize('NFC').toUpperCase().replace(/[\s-]+/g, '')
}

/** The ways one postcode may have been typed, to find it in the postcode index as stored. */
export function postcodeSpellings(postcode: string): string[] {
  const typed = postcode.trim()
  const compact = postcodeKey(typed)
  if (!compact) return []
  const spellings = new Set([typed, typed.toUpperCase(), typed.toLowerCase(), compact, compact.toLowerCase()])
  // British and Canadian postcodes are written with a space before the last three characters.
  if (compact.length > 4) {
    const spaced = `${compact.slice(0, -3)} ${compact.slice(-3)}`
    spellings.add(spaced).add(spaced.toLowerCase())
  }
  // Polish (31-147), Dutch (1012 AB) and others with a space or a dash inside.
  if (/^\d{4,6}$|^\d{4}[A-Z]{2}$/.test(compact)) {
    for (let at = 2; at <= compact.length - 2; at++) spellings.add(`${compact.slice(0, at)} ${compact.slice(at)}`).add(`${compact.slice(0, at)}-${compact.slice(at)}`)
  }
  return [...spellings]
}
