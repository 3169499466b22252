import { createHash } from 'node:crypto'
import type { IncomingRow } from './rows'

/**
 * Rows of one file that are about the same customer (the same customer
 * number, ID in the earlier system or email) become one incoming customer:
 * the first value of each field wins, lists are joined, and every note and
 * past booking is kept.
 */
export interface IncomingCustomer extends Omit<IncomingRow, 'line' | 'photo'> {
  lines: number[]
  photo: { base64: string; width: number; height: number } | null
}

/** The keys that make rows one customer, strongest first. */
export function groupKeys(row: Pick<IncomingRow, 'customerNumber' | 'legacyId' | 'emailKey'>): string[] {
  const keys: string[] = []
  if (row.customerNumber !== null) keys.push(`number:${row.customerNumber}`)
  if (row.legacyId) keys.push(`legacy:${row.legacyId}`)
  if (row.emailKey) keys.push(`email:${row.emailKey}`)
  return keys
}

export function startCustomer(row: IncomingRow, photo: IncomingCustomer['photo']): IncomingCustomer {
  // Written out, not spread: an import starts a million of these, and a rest or spread costs microseconds each.
  const { customerNumber, legacyId, emailKey, record, phones, address, tags, groups, custom, notes, bookings } = row
  return { customerNumber, legacyId, emailKey, record, phones, address, tags, groups, custom, notes, bookings, lines: [row.line], photo }
}

export function mergeInto(into: IncomingCustomer, row: IncomingRow, photo: IncomingCustomer['photo']): IncomingCustomer {
  const record = { ...into.record }
  for (const [key, value] of Object.entries(row.record) as Array<[keyof IncomingRow['record'], never]>) {
    if (record[key] === '' || record[key] === null) record[key] = value
  }
  const e164s = new Set(into.phones.map((p) => p.e164))
  const lower = (list: string[]) => new Set(list.map((v) => v.toLowerCase()))
  const tags = lower(into.tags)
  const groups = lower(into.groups)
  return {
    ...into,
    lines: [...into.lines, row.line],
    customerNumber: into.customerNumber ?? row.customerNumber,
    legacyId: into.legacyId ?? row.legacyId,
    emailKey: into.emailKey || row.emailKey,
    record,
    phones: [...into.phones, ...row.phones.filter((p) => !e164s.has(p.e164))],
    address: into.address ?? row.address,
    tags: [...into.tags, ...row.tags.filter((t) => !tags.has(t.toLowerCase()))],
    groups: [...into.groups, ...row.groups.filter((g) => !groups.has(g.toLowerCase()))],
    custom: { ...row.custom, ...into.custom },
    notes: [...into.notes, ...row.notes.filter((n) => !into.notes.some((o) => o.body === n.body))],
    bookings: [...into.bookings, ...row.bookings],
    photo: into.photo ?? photo,
  }
}

/**
 * What identifies a customer with no number, earlier ID, email or phone, so
 * importing the same file again finds them: their name, company and address.
 */
export function rowFingerprint(customer: IncomingCustomer): string | null {
  if (customer.customerNumber !== null || customer.legacyId || customer.emailKey || customer.phones.length) return null
  const { firstName, lastName, company } = customer.record
  const parts = [firstName, lastName, company, customer.address?.line1 ?? '', customer.address?.postcode ?? ''].map((p) => p.toLowerCase())
  return `row:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40)}`
}

/** A past booking's reference: the same booking of the same customer gets the same one on every import. */
export function bookingReference(customerKey: string, booking: IncomingCustomer['bookings'][number]): string {
  const what = booking.reference ?? `${booking.day}|${booking.description}|${booking.amountMinor}|${booking.paidMinor}`
  return `IMP-${createHash('sha256').update(`${customerKey}|${what}`).digest('hex').slice(0, 12).toUpperCase()}`
}

/** The customer's identity in the file, for booking references. */
export function customerKey(customer: IncomingCustomer): string {
  return groupKeys(customer)[0] ?? rowFingerprint(customer) ?? `phone:${customer.phones[0]?.e164 ?? ''}`
}
