import type { BulkConnection, BulkStatement } from '../../../db/bulk'
import { foldName } from '../organise/names'
import { rowFingerprint, type IncomingCustomer } from './groups'
import { addToList } from '../groupedLists'

/** How an incoming customer was found in the address book. */
export type MatchedBy = 'number' | 'legacy' | 'email' | 'phone' | 'row'

export interface Match {
  id: number
  by: MatchedBy
}

/**
 * Finds the customers a batch of incoming customers already are, with a
 * handful of indexed look-ups per batch: the customer number (unless the
 * emails disagree: another desk's export numbers its own customers), the ID in the
 * earlier system (remembered from an earlier import), the email, then — for a
 * row without an email only, and only when the names agree — the phone; a
 * row with none of those by what it said last time (its fingerprint).
 * Customers in the recycle bin are not matched.
 */
export class CustomerMatcher {
  private readonly byNumber: BulkStatement
  private readonly byKey: BulkStatement
  private readonly byEmail: BulkStatement
  private readonly byPhone: BulkStatement

  constructor(conn: BulkConnection) {
    this.byNumber = conn.prepare(
      `SELECT id, email_normalized, first_name, last_name, company FROM customers WHERE id IN (${conn.listOf('int')}) AND status <> 'deleted'`,
    )
    this.byKey = conn.prepare(
      `SELECT k.key, k.customer_id FROM import_keys k JOIN customers c ON c.id = k.customer_id
       WHERE k.key IN (${conn.listOf('text')}) AND c.status <> 'deleted'`,
    )
    // A live customer before an archived one with the same email.
    this.byEmail = conn.prepare(
      `SELECT id, email_normalized FROM customers
       WHERE email_normalized IN (${conn.listOf('text')}) AND status <> 'deleted'
       ORDER BY CASE WHEN status IN ('active', 'blocked') THEN 0 ELSE 1 END, id DESC`,
    )
    this.byPhone = conn.prepare(
      `SELECT p.e164, c.id, c.first_name, c.last_name, c.company FROM phones p JOIN customers c ON c.id = p.customer_id
       WHERE p.e164 IN (${conn.listOf('text')}) AND c.status <> 'deleted' ORDER BY c.id`,
    )
  }

  async find(batch: readonly IncomingCustomer[]): Promise<Array<Match | null>> {
    type Numbered = { id: number; email_normalized: string; first_name: string; last_name: string; company: string }
    const numbers = new Map(
      (await this.byNumber.all<Numbered>(json(batch.flatMap((c) => (c.customerNumber === null ? [] : [c.customerNumber]))))).map((r) => [r.id, r]),
    )
    const keys = new Map(
      (await this.byKey.all<{ key: string; customer_id: number }>(json(batch.flatMap((c) => [c.legacyId ? `legacy:${c.legacyId}` : null, rowFingerprint(c)].filter(Boolean))))).map((r) => [r.key, r.customer_id]),
    )
    const emails = new Map<string, number>()
    for (const row of await this.byEmail.all<{ id: number; email_normalized: string }>(json(batch.flatMap((c) => (c.emailKey ? [c.emailKey] : []))))) {
      if (!emails.has(row.email_normalized)) emails.set(row.email_normalized, row.id)
    }
    const withoutEmail = batch.filter((c) => !c.emailKey && c.phones.length)
    const phones = new Map<string, Array<{ id: number; first_name: string; last_name: string; company: string }>>()
    for (const row of await this.byPhone.all<{ e164: string; id: number; first_name: string; last_name: string; company: string }>(json(withoutEmail.flatMap((c) => c.phones.map((p) => p.e164))))) {
      addToList(phones, row.e164, row)
    }

    return batch.map((c) => {
      const numbered = c.customerNumber === null ? undefined : numbers.get(c.customerNumber)
      if (numbered !== undefined && sameByNumber(c, numbered)) return { id: c.customerNumber!, by: 'number' }
      const legacy = c.legacyId ? keys.get(`legacy:${c.legacyId}`) : undefined
      if (legacy !== undefined) return { id: legacy, by: 'legacy' }
      const email = c.emailKey ? emails.get(c.emailKey) : undefined
      if (email !== undefined) return { id: email, by: 'email' }
      if (!c.emailKey) {
        for (const phone of c.phones) {
          // A shared phone is not enough to be the same person (a household shares a landline, a company its
          // switchboard): a name or company both have must be the same, and none may disagree.
          const owner = phones.get(phone.e164)?.find((o) => compareNames(c, o) === 'agree')
          if (owner) return { id: owner.id, by: 'phone' }
        }
      }
      const fingerprint = rowFingerprint(c)
      const row = fingerprint ? keys.get(fingerprint) : undefined
      return row === undefined ? null : { id: row, by: 'row' }
    })
  }
}

function json(values: ReadonlyArray<string | number | null>): string {
  return JSON.stringify(values)
}

/**
 * Whether a row numbered like this book's customer is that customer. Another desk's export numbers its own
 * customers: the same number is someone else when the names disagree, or when the emails disagree and the row
 * names nobody the record confirms. The same email is the same person, renamed or not; a row with no name that
 * gives a number and a new email is this customer's new email.
 */
function sameByNumber(incoming: IncomingCustomer, record: Named & { email_normalized: string }): boolean {
  if (incoming.emailKey && incoming.emailKey === record.email_normalized) return true
  const { firstName, lastName, company } = incoming.record
  if (!firstName && !lastName && !company) return true
  const names = compareNames(incoming, record)
  return incoming.emailKey && record.email_normalized ? names === 'agree' : names !== 'disagree'
}

type Named = { first_name: string; last_name: string; company: string }

/**
 * How a row's first name, last name and company compare with a record's, each where both have it: one differs
 * (disagree), none differs and at least one is the same (agree), or none to compare.
 */
function compareNames(incoming: IncomingCustomer, existing: Named): 'agree' | 'disagree' | 'none' {
  let agreed = false
  for (const [a, b] of [
    [incoming.record.firstName, existing.first_name],
    [incoming.record.lastName, existing.last_name],
    [incoming.record.company, existing.company],
  ] as const) {
    if (!a || !b) continue
    if (foldName(a) !== foldName(b)) return 'disagree'
    agreed = true
  }
  return agreed ? 'agree' : 'none'
}
