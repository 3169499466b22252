import { createHmac } from 'node:crypto'
import type { Knex } from 'knex'
import type { BulkConnection, BulkStatement } from '../../../db/bulk'
import { normalizeEmail, normalizePhone } from '../customers/normalize'

/**
 * Tombstones remember an erased person by keyed hashes of their normalised
 * email and E.164 phones, never the values: a later create, booking or import
 * of the same contact can say "erased on DATE" without the file holding who it
 * was. The key is random per customer file (made by the erasure migration),
 * so the hashes cannot be matched against a list of known addresses elsewhere.
 */
export const TOMBSTONE_KEY_SETTING = 'tombstoneKey'

export type TombstoneKind = 'email' | 'phone'

export interface TombstoneMatch {
  /** When the person was erased (ISO-8601). */
  erasedAt: string
  /** Which of the contacts matched. */
  kind: TombstoneKind
}

export interface ContactKeys {
  email?: string | null
  /** As typed or E.164; typed numbers are read in `defaultCountry` (the business's, when left out). */
  phones?: readonly (string | null | undefined)[]
  defaultCountry?: string
}

/** The file's tombstone key, and the business's country when typed numbers need one: one read. */
async function keyAndCountry(db: Knex): Promise<{ key: Buffer; country: string }> {
  const rows = (await db('settings').whereIn('key', [TOMBSTONE_KEY_SETTING, 'defaultCountry']).select('key', 'value')) as Array<{ key: string; value: string }>
  const value = (name: string) => rows.find((r) => r.key === name)?.value
  const key = value(TOMBSTONE_KEY_SETTING)
  if (!key) throw new Error('The customer file has no tombstone key')
  const country = value('defaultCountry')
  return { key: Buffer.from(JSON.parse(key) as string, 'hex'), country: country ? (JSON.parse(country) as string) : 'GB' }
}

const hmac = (key: Buffer, kind: TombstoneKind, value: string) => createHmac('sha256', key).update(`${kind}:${value}`).digest('hex')

/** The E.164 form of a number as typed, or null when it is no phone number. */
function e164Of(phone: string, defaultCountry: string): string | null {
  try {
    return normalizePhone(phone, defaultCountry).e164
  } catch {
    return null
  }
}

/** A contact's keyed hash, with the normalised value it was made from. */
export interface ContactHash {
  kind: TombstoneKind
  keyHash: string
  /** The normalised email or E.164 number. */
  value: string
}

/** The keyed hashes of a person's contacts, as tombstones hold them: the email's first, then the phones' in order. */
export async function tombstoneHashes(db: Knex, contacts: ContactKeys): Promise<ContactHash[]> {
  const email = contacts.email ? normalizeEmail(contacts.email) : ''
  const typed = (contacts.phones ?? []).filter((p): p is string => Boolean(p && p.trim()))
  if (!email && !typed.length) return []
  const { key, country } = await keyAndCountry(db)
  const hashes: ContactHash[] = []
  if (email) hashes.push({ kind: 'email', keyHash: hmac(key, 'email', email), value: email })
  const phones = new Set(typed.map((p) => e164Of(p, contacts.defaultCountry ?? country)).filter((p): p is string => p !== null))
  for (const phone of phones) hashes.push({ kind: 'phone', keyHash: hmac(key, 'phone', phone), value: phone })
  return hashes
}

/** Every contact of these that belonged to someone erased, with when, in the order given: two reads however many contacts. */
export async function matchTombstones(db: Knex, contacts: ContactKeys): Promise<Array<TombstoneMatch & { value: string }>> {
  const hashes = await tombstoneHashes(db, contacts)
  if (!hashes.length) return []
  // A hash is keyed by its kind, so the pair's index answers both lists at once.
  const rows = (await db('tombstones')
    .whereIn('kind', [...new Set(hashes.map((h) => h.kind))])
    .whereIn(
      'key_hash',
      hashes.map((h) => h.keyHash),
    )
    .select('kind', 'key_hash', 'erased_at')) as Array<{ kind: TombstoneKind; key_hash: string; erased_at: string }>
  return hashes.flatMap((h) => {
    const row = rows.find((r) => r.kind === h.kind && r.key_hash === h.keyHash)
    return row ? [{ erasedAt: row.erased_at, kind: h.kind, value: h.value }] : []
  })
}

/**
 * Whether this email or any of these phones belonged to someone erased: the
 * latest erasure that matches, or null. Safe to call as a person types.
 */
export async function findTombstone(db: Knex, contacts: ContactKeys): Promise<TombstoneMatch | null> {
  let found: TombstoneMatch | null = null
  for (const { erasedAt, kind } of await matchTombstones(db, contacts)) {
    if (!found || erasedAt > found.erasedAt) found = { erasedAt, kind }
  }
  return found
}

/** Writes the tombstones of an erased person's contacts (inside the erasing transaction). */
export async function writeTombstones(trx: Knex, contacts: ContactKeys, erasedAt: string): Promise<number> {
  const hashes = await tombstoneHashes(trx, contacts)
  for (const { kind, keyHash } of hashes) {
    await trx('tombstones').insert({ kind, key_hash: keyHash, erased_at: erasedAt }).onConflict(['kind', 'key_hash']).merge({ erased_at: erasedAt })
  }
  return hashes.length
}

/**
 * The same look-up on a bulk connection, for the import's writer: the key is
 * read once and each row costs one indexed look-up per contact.
 */
export class TombstoneChecker {
  private key: Buffer | null | undefined
  private readonly readKey: BulkStatement
  private readonly find: BulkStatement
  private readonly any: BulkStatement

  constructor(conn: BulkConnection) {
    this.readKey = conn.prepare('SELECT value FROM settings WHERE key = ?')
    this.find = conn.prepare('SELECT erased_at FROM tombstones WHERE kind = ? AND key_hash = ?')
    this.any = conn.prepare('SELECT 1 AS found FROM tombstones LIMIT 1')
  }

  /** The erasure this normalised email or any of these E.164 phones belonged to, or null. */
  async check(emailNormalized: string, e164s: readonly (string | null)[]): Promise<TombstoneMatch | null> {
    if (this.key === undefined) {
      // A file where nobody was ever erased (most) spares each row its keyed hashes and look-ups. Asked once:
      // the import writes under the write lock, so no erasure can add a tombstone while it runs.
      const anyone = await this.any.get<{ found: number }>()
      const row = anyone ? await this.readKey.get<{ value: string }>(TOMBSTONE_KEY_SETTING) : undefined
      this.key = row ? Buffer.from(JSON.parse(row.value) as string, 'hex') : null
    }
    const key = this.key
    if (!key) return null
    const look = async (kind: TombstoneKind, value: string) => (await this.find.get<{ erased_at: string }>(kind, hmac(key, kind, value)))?.erased_at
    const byEmail = emailNormalized ? await look('email', emailNormalized) : undefined
    if (byEmail) return { erasedAt: byEmail, kind: 'email' }
    for (const phone of e164s) {
      const at = phone ? await look('phone', phone) : undefined
      if (at) return { erasedAt: at, kind: 'phone' }
    }
    return null
  }
}
