import type { Knex } from 'knex'
import type { z } from 'zod'
import type { duplicateCheckInput, DuplicateCheck, DuplicateMatch, DuplicateReason } from '../../../preload/contract/schemas/duplicates'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { normalizeEmail, normalizePhone } from '../customers/normalize'
import { findTombstone } from '../privacy/tombstones'
import { chunks } from '../../../db/idChunks'
import { compareNames, foldName } from './names'
import { scorePair } from './scoring'
import { HOUSEHOLD_PHONE } from './scan'
import { loadSummaries, postcodeSpellings } from './summaries'

export type DuplicateCheckRequest = z.output<typeof duplicateCheckInput>

/** Enough of an email to look it up: something@somewhere.tld. */
const COMPLETE_EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]{2,}$/

/** Customers sharing a postcode are compared by name only up to this many (a block of flats, a company's address). */
const POSTCODE_NEIGHBOURS = 500

/**
 * Likely duplicates of the details typed so far: who has this email or one of
 * these phones, and who with a very similar name (nickname, near spelling,
 * swapped) shares the postcode. Only indexed look-ups (email, E.164 phone,
 * postcode), so it answers as fast at a million customers as at a hundred.
 * Pairs marked as different people are not offered again.
 */
export async function checkDuplicates(ctx: ServiceContext, input: DuplicateCheckRequest): Promise<DuplicateCheck> {
  const db = ctx.db
  const email = input.email && COMPLETE_EMAIL.test(input.email) ? normalizeEmail(input.email) : ''
  const typedPhones = (input.phones ?? []).filter((phone) => phone.replace(/\D/g, '').length >= 6)
  const country = input.country || (typedPhones.length ? (await getSettings(ctx)).defaultCountry : '')
  const phones = [...new Set(typedPhones.map((phone) => e164Of(phone, country)).filter((e164): e164 is string => e164 !== null))]
  const name = { firstName: input.firstName ?? '', lastName: input.lastName ?? '' }
  const hasName = foldName(name.firstName) !== '' || foldName(name.lastName) !== ''
  const postcodes = hasName && input.postcode ? postcodeSpellings(input.postcode) : []

  const [byEmail, byPhone, byPostcode, erased] = await Promise.all([
    email ? (db('customers').where('email_normalized', email).limit(20).pluck('id') as Promise<number[]>) : Promise.resolve([]),
    // A few holders per number at most: one given by more people is a switchboard, not a household's.
    phones.length ? phoneHolders(db, phones) : Promise.resolve([] as PhoneHolder[]),
    postcodes.length
      ? (db('addresses').whereIn('postcode', postcodes).limit(POSTCODE_NEIGHBOURS).pluck('customer_id') as Promise<number[]>)
      : Promise.resolve([]),
    email || phones.length ? findTombstone(db, { email: email || null, phones, defaultCountry: country || undefined }) : Promise.resolve(null),
  ])
  const known = new Map<number, NameRow>()
  for (const row of byPhone) if (row.status !== 'deleted' && row.erased_at === null) known.set(row.customer_id, { id: row.customer_id, first_name: row.first_name, last_name: row.last_name })
  const matches = await scoreCandidates(db, known, {
    name,
    emails: new Set(byEmail),
    phones: new Set(byPhone.map((row) => row.customer_id)),
    postcodes: new Set(byPostcode),
    exclude: input.excludeCustomerId ?? null,
  })
  return { matches: matches.slice(0, 5), erased: erased ? { at: erased.erasedAt, kind: erased.kind } : null }
}

/** Who holds these numbers, with their names; numbers held by more than a household are left out. */
async function phoneHolders(db: Knex, phones: string[]): Promise<PhoneHolder[]> {
  const holders: PhoneHolder[] = []
  for (const e164 of phones) {
    const rows = (await db('phones as p')
      .join('customers as c', 'c.id', 'p.customer_id')
      .where('p.e164', e164)
      .limit(HOUSEHOLD_PHONE + 1)
      .select('p.customer_id', 'p.e164', 'c.first_name', 'c.last_name', 'c.status', 'c.erased_at')) as PhoneHolder[]
    if (rows.length <= HOUSEHOLD_PHONE) holders.push(...rows)
  }
  return holders
}

function e164Of(phone: string, country: string): string | null {
  try {
    return normalizePhone(phone, country).e164
  } catch {
    return null
  }
}

interface NameRow {
  id: number
  first_name: string
  last_name: string
}

interface PhoneHolder {
  customer_id: number
  e164: string
  first_name: string
  last_name: string
  status: string
  erased_at: string | null
}

interface Candidates {
  name: { firstName: string; lastName: string }
  emails: Set<number>
  phones: Set<number>
  postcodes: Set<number>
  /** The record being checked, when it exists: never its own duplicate, and its dismissed pairs stay dismissed. */
  exclude: number | null
}

/** Scores every candidate; `known` holds those whose names were read already (live ones only). */
async function scoreCandidates(db: Knex, known: Map<number, NameRow>, candidates: Candidates): Promise<DuplicateMatch[]> {
  const ids = new Set([...candidates.emails, ...candidates.phones, ...candidates.postcodes])
  if (candidates.exclude !== null) ids.delete(candidates.exclude)
  if (ids.size === 0) return []
  const dismissed = candidates.exclude === null ? new Set<number>() : await dismissedWith(db, candidates.exclude)
  const rows: NameRow[] = [...ids].flatMap((id) => known.get(id) ?? [])
  const unread = [...ids].filter((id) => !known.has(id) && !candidates.phones.has(id))
  for (const part of chunks(unread)) {
    rows.push(...((await db('customers').whereIn('id', part).whereNot('status', 'deleted').whereNull('erased_at').select('id', 'first_name', 'last_name')) as NameRow[]))
  }
  const scored: Array<{ id: number; reasons: DuplicateReason[]; score: number }> = []
  for (const row of rows) {
    if (dismissed.has(row.id)) continue
    const nameMatch = compareNames(candidates.name, { firstName: row.first_name, lastName: row.last_name })
    const result = scorePair({ email: candidates.emails.has(row.id), phone: candidates.phones.has(row.id), postcode: candidates.postcodes.has(row.id) }, nameMatch)
    if (result) scored.push({ id: row.id, ...result })
  }
  scored.sort((a, b) => b.score - a.score || a.id - b.id)
  const top = scored.slice(0, 10)
  const summaries = await loadSummaries(db, top.map((match) => match.id))
  return top.flatMap(({ id, reasons, score }) => {
    const customer = summaries.get(id)
    return customer ? [{ customer, reasons, score }] : []
  })
}

/** Customers someone has said are a different person from this one. */
export async function dismissedWith(db: Knex, customerId: number): Promise<Set<number>> {
  const [asA, asB] = await Promise.all([
    db('duplicate_dismissals').where('customer_a', customerId).pluck('customer_b') as Promise<number[]>,
    db('duplicate_dismissals').where('customer_b', customerId).pluck('customer_a') as Promise<number[]>,
  ])
  return new Set([...asA, ...asB])
}

/**
 * Likely duplicates of one saved customer (for the profile): checked against
 * their current details as a new record would be, joined with what the last
 * full scan found about them.
 */
export async function duplicatesOfCustomer(ctx: ServiceContext, customerId: number): Promise<DuplicateMatch[]> {
  const db = ctx.db
  const customer = (await db('customers').where('id', customerId).first('first_name', 'last_name', 'email')) as
    | { first_name: string; last_name: string; email: string }
    | undefined
  if (!customer) return []
  const phones = (await db('phones').where('customer_id', customerId).pluck('number')) as string[]
  const postcode = ((await db('addresses').where('customer_id', customerId).whereNot('postcode', '').orderBy('position').first('postcode')) as
    | { postcode: string }
    | undefined)?.postcode
  const live = await checkDuplicates(ctx, {
    email: customer.email,
    phones: phones.slice(0, 10),
    firstName: customer.first_name,
    lastName: customer.last_name,
    postcode,
    excludeCustomerId: customerId,
  })
  const stored = (await db('duplicate_pairs')
    .where('customer_a', customerId)
    .orWhere('customer_b', customerId)
    .select('customer_a', 'customer_b', 'reasons', 'score')) as Array<{ customer_a: number; customer_b: number; reasons: string; score: number }>
  const byId = new Map(live.matches.map((match) => [match.customer.id, match]))
  const missing = stored.filter((pair) => !byId.has(pair.customer_a === customerId ? pair.customer_b : pair.customer_a))
  if (missing.length) {
    const summaries = await loadSummaries(db, missing.map((pair) => (pair.customer_a === customerId ? pair.customer_b : pair.customer_a)))
    for (const pair of missing) {
      const other = pair.customer_a === customerId ? pair.customer_b : pair.customer_a
      const summary = summaries.get(other)
      if (summary) byId.set(other, { customer: summary, reasons: pair.reasons.split(',') as DuplicateReason[], score: pair.score })
    }
  }
  return [...byId.values()].sort((a, b) => b.score - a.score || a.customer.id - b.customer.id)
}

