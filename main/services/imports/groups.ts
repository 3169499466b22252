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
    // The same words on another day are another note (a migration's history repeats itself).
    notes: [...into.notes, ...row.notes.filter((n) => !into.notes.some((o) => o.body === n.body && o.day === n.day))],
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

/**
 * A customer's past bookings with their references, the same on every import of the file: one given in the file,
 * else made from what the booking is. Two alike without a reference (the same class on the same day, paid the same)
 * are two bookings: the second gets its place among them in its reference. A reference the file gives twice is one
 * booking, kept once.
 */
export function referencedBookings(customerKey: string, bookings: IncomingCustomer['bookings']): Array<{ booking: IncomingCustomer['bookings'][number]; reference: string }> {
  const seen = new Map<string, number>()
  const references = new Set<string>()
  return bookings.flatMap((booking) => {
    let what = booking.reference ?? `${booking.day}|${booking.description}|${booking.amountMinor}|${booking.paidMinor}`
    const times = (seen.get(what) ?? 0) + 1
    seen.set(what, times)
    if (booking.reference === null && times > 1) what += `|${times}`
    const reference = `IMP-${createHash('sha256').update(`${customerKey}|${what}`).digest('hex').slice(0, 12).toUpperCase()}`
    if (references.has(reference)) return []
    references.add(reference)
    return [{ booking, reference }]
  })
}

/** The customer's identity in the file, for booking references. */
export function customerKey(customer: IncomingCustomer): string {
  return groupKeys(customer)[0] ?? rowFingerprint(customer) ?? `phone:${customer.phones[0]?.e164 ?? ''}`
}
