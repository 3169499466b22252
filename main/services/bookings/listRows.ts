import type { Knex } from 'knex'
import type { BookingAddress, BookingListRow } from '../../../preload/contract'
import { addressSummary } from '../letterAddresses'
import { formatCustomerNumber } from '../customers/normalize'
import { BOOKING_ROW_COLUMNS, assigneeNames, toBookingRow, type BookingRecord } from './rows'

/** Columns a list row needs from `bookings as b`. */
export const LIST_ROW_COLUMNS = [...BOOKING_ROW_COLUMNS.map((c) => `b.${c}`), 'b.customer_id', 'b.address_id'] as const

export type ListRowRecord = Pick<BookingRecord, (typeof BOOKING_ROW_COLUMNS)[number]> & { customer_id: number | null; address_id: number | null }

interface AddressRecord {
  id: number
  label: string
  line1: string
  line2: string
  city: string
  region: string
  postcode: string
  country: string
}

export function toBookingAddress(row: AddressRecord): BookingAddress {
  return { id: row.id, label: row.label, text: addressSummary(row) }
}

export async function loadAddresses(db: Knex, ids: number[]): Promise<Map<number, BookingAddress>> {
  if (!ids.length) return new Map()
  const rows = (await db('addresses')
    .whereIn('id', [...new Set(ids)])
    .select('id', 'label', 'line1', 'line2', 'city', 'region', 'postcode', 'country')) as AddressRecord[]
  return new Map(rows.map((r) => [r.id, toBookingAddress(r)]))
}

/** A page's rows with who booked each and where a home service is done (two lookups for the page, never per row). */
export async function toListRows(db: Knex, records: ListRowRecord[]): Promise<BookingListRow[]> {
  const customerIds = [...new Set(records.flatMap((r) => (r.customer_id === null ? [] : [r.customer_id])))]
  const [customers, addresses, assignees] = await Promise.all([
    customerIds.length
      ? (db('customers').whereIn('id', customerIds).select('id', 'display_name') as Promise<Array<{ id: number; display_name: string }>>)
      : Promise.resolve([]),
    loadAddresses(
      db,
      records.flatMap((r) => (r.address_id === null ? [] : [r.address_id])),
    ),
    assigneeNames(db, records),
  ])
  const names = new Map(customers.map((c) => [c.id, c.display_name]))
  return records.map((r) => {
    const name = r.customer_id === null ? undefined : names.get(r.customer_id)
    return {
      ...toBookingRow(r, assignees),
      customer: r.customer_id !== null && name !== undefined ? { id: r.customer_id, number: formatCustomerNumber(r.customer_id), displayName: name } : null,
      address: r.address_id === null ? null : (addresses.get(r.address_id) ?? null),
    }
  })
}
