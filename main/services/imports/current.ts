import type { BulkConnection, BulkStatement } from '../../../db/bulk'

/** What an import compares a matched customer's record with. */
export interface CurrentCustomer {
  id: number
  status: 'active' | 'archived' | 'blocked' | 'deleted'
  first_name: string
  last_name: string
  display_name: string
  display_name_is_custom: number
  company: string
  email: string
  email_normalized: string
  marketing_consent: number
  unsubscribed: number
  /** What a change of status by the file sets beside it: kept, so undoing the import puts them back. */
  status_reason: string
  archived_at: string | null
  blocked_at: string | null
  created_at: string
  updated_at: string
  phones: Set<string>
  phoneCount: number
  address: { id: number; line1: string; line2: string; city: string; region: string; postcode: string; country: string } | null
  tags: Set<string>
  groups: Set<string>
  custom: Map<string, string>
  /** The customer's notes, each by its words alone and by its day and words (see noteKnown in apply.ts). */
  noteBodies: Set<string>
  hasPhoto: boolean
}

/** A note's key by its day and words: the same words on another day are another note. */
export function datedNote(day: string, body: string): string {
  return `${day}\u0000${body}`
}

/** Loads the matched customers of a batch with one query per table. */
export class CurrentCustomers {
  private readonly customers: BulkStatement
  private readonly phones: BulkStatement
  private readonly addresses: BulkStatement
  private readonly tags: BulkStatement
  private readonly groups: BulkStatement
  private readonly custom: BulkStatement
  private readonly notes: BulkStatement
  private readonly photos: BulkStatement

  constructor(conn: BulkConnection) {
    const inIds = `IN (${conn.listOf('int')})`
    this.customers = conn.prepare(`SELECT id, status, first_name, last_name, display_name, display_name_is_custom, company, email, email_normalized,
        marketing_consent, unsubscribed, status_reason, archived_at, blocked_at, created_at, updated_at FROM customers WHERE id ${inIds}`,
    )
    this.phones = conn.prepare(`SELECT customer_id, e164 FROM phones WHERE customer_id ${inIds}`)
    // The default address for letters first: that is the one an import fills in.
    this.addresses = conn.prepare(`SELECT customer_id, id, line1, line2, city, region, postcode, country FROM addresses WHERE customer_id ${inIds}
       ORDER BY customer_id, is_default_letters DESC, position, id`,
    )
    this.tags = conn.prepare(`SELECT ct.customer_id, t.name_normalized FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id ${inIds}`,
    )
    this.groups = conn.prepare(`SELECT gm.customer_id, g.name_normalized FROM customer_group_members gm JOIN customer_groups g ON g.id = gm.group_id WHERE gm.customer_id ${inIds}`,
    )
    this.custom = conn.prepare(`SELECT customer_id, field_id, value FROM customer_custom_values WHERE customer_id ${inIds}`,
    )
    this.notes = conn.prepare(`SELECT customer_id, body, substr(created_at, 1, 10) AS day FROM notes WHERE customer_id ${inIds}`)
    this.photos = conn.prepare(`SELECT customer_id FROM customer_photos WHERE customer_id ${inIds}`)
  }

  async load(ids: readonly number[]): Promise<Map<number, CurrentCustomer>> {
    const found = new Map<number, CurrentCustomer>()
    if (!ids.length) return found
    const list = JSON.stringify([...new Set(ids)])
    type Row = Omit<CurrentCustomer, 'phones' | 'phoneCount' | 'address' | 'tags' | 'groups' | 'custom' | 'noteBodies' | 'hasPhoto'>
    for (const row of await this.customers.all<Row>(list)) {
      found.set(row.id, {
        ...row,
        phones: new Set(),
        phoneCount: 0,
        address: null,
        tags: new Set(),
        groups: new Set(),
        custom: new Map(),
        noteBodies: new Set(),
        hasPhoto: false,
      })
    }
    for (const p of await this.phones.all<{ customer_id: number; e164: string | null }>(list)) {
      const c = found.get(p.customer_id)!
      c.phoneCount++
      if (p.e164) c.phones.add(p.e164)
    }
    for (const { customer_id, ...address } of await this.addresses.all<NonNullable<CurrentCustomer['address']> & { customer_id: number }>(list)) {
      const c = found.get(customer_id)!
      c.address ??= address
    }
    for (const t of await this.tags.all<{ customer_id: number; name_normalized: string }>(list)) found.get(t.customer_id)!.tags.add(t.name_normalized)
    for (const g of await this.groups.all<{ customer_id: number; name_normalized: string }>(list)) found.get(g.customer_id)!.groups.add(g.name_normalized)
    for (const v of await this.custom.all<{ customer_id: number; field_id: number; value: string }>(list)) found.get(v.customer_id)!.custom.set(String(v.field_id), v.value)
    for (const n of await this.notes.all<{ customer_id: number; body: string; day: string }>(list)) {
      const bodies = found.get(n.customer_id)!.noteBodies
      bodies.add(n.body)
      bodies.add(datedNote(n.day, n.body))
    }
    for (const p of await this.photos.all<{ customer_id: number }>(list)) found.get(p.customer_id)!.hasPhoto = true
    return found
  }
}

