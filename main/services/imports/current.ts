import type { Database } from 'better-sqlite3'

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
  created_at: string
  phones: Set<string>
  phoneCount: number
  address: { id: number; line1: string; line2: string; city: string; region: string; postcode: string; country: string } | null
  tags: Set<string>
  groups: Set<string>
  custom: Map<string, string>
  noteBodies: Set<string>
  hasPhoto: boolean
}

/** Loads the matched customers of a batch with one query per table. */
export class CurrentCustomers {
  private readonly customers
  private readonly phones
  private readonly addresses
  private readonly tags
  private readonly groups
  private readonly custom
  private readonly notes
  private readonly photos

  constructor(conn: Database) {
    const inIds = `IN (SELECT value FROM json_each(?))`
    this.customers = conn.prepare<[string], Omit<CurrentCustomer, 'phones' | 'phoneCount' | 'address' | 'tags' | 'groups' | 'custom' | 'noteBodies' | 'hasPhoto'>>(
      `SELECT id, status, first_name, last_name, display_name, display_name_is_custom, company, email, email_normalized,
        marketing_consent, unsubscribed, created_at FROM customers WHERE id ${inIds}`,
    )
    this.phones = conn.prepare<[string], { customer_id: number; e164: string | null }>(`SELECT customer_id, e164 FROM phones WHERE customer_id ${inIds}`)
    // The default address for letters first: that is the one an import fills in.
    this.addresses = conn.prepare<[string], NonNullable<CurrentCustomer['address']> & { customer_id: number }>(
      `SELECT customer_id, id, line1, line2, city, region, postcode, country FROM addresses WHERE customer_id ${inIds}
       ORDER BY customer_id, is_default_letters DESC, position, id`,
    )
    this.tags = conn.prepare<[string], { customer_id: number; name_normalized: string }>(
      `SELECT ct.customer_id, t.name_normalized FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id ${inIds}`,
    )
    this.groups = conn.prepare<[string], { customer_id: number; name_normalized: string }>(
      `SELECT gm.customer_id, g.name_normalized FROM customer_group_members gm JOIN customer_groups g ON g.id = gm.group_id WHERE gm.customer_id ${inIds}`,
    )
    this.custom = conn.prepare<[string], { customer_id: number; field_id: number; value: string }>(
      `SELECT customer_id, field_id, value FROM customer_custom_values WHERE customer_id ${inIds}`,
    )
    this.notes = conn.prepare<[string], { customer_id: number; body: string }>(`SELECT customer_id, body FROM notes WHERE customer_id ${inIds}`)
    this.photos = conn.prepare<[string], { customer_id: number }>(`SELECT customer_id FROM customer_photos WHERE customer_id ${inIds}`)
  }

  load(ids: readonly number[]): Map<number, CurrentCustomer> {
    const found = new Map<number, CurrentCustomer>()
    if (!ids.length) return found
    const list = JSON.stringify([...new Set(ids)])
    for (const row of this.customers.all(list)) {
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
    for (const p of this.phones.all(list)) {
      const c = found.get(p.customer_id)!
      c.phoneCount++
      if (p.e164) c.phones.add(p.e164)
    }
    for (const { customer_id, ...address } of this.addresses.all(list)) {
      const c = found.get(customer_id)!
      c.address ??= address
    }
    for (const t of this.tags.all(list)) found.get(t.customer_id)!.tags.add(t.name_normalized)
    for (const g of this.groups.all(list)) found.get(g.customer_id)!.groups.add(g.name_normalized)
    for (const v of this.custom.all(list)) found.get(v.customer_id)!.custom.set(String(v.field_id), v.value)
    for (const n of this.notes.all(list)) found.get(n.customer_id)!.noteBodies.add(n.body)
    for (const p of this.photos.all(list)) found.get(p.customer_id)!.hasPhoto = true
    return found
  }
}

