import type { Knex } from 'knex'
import type { DuplicateScanResult } from '../../../preload/contract/schemas/duplicates'
import type { ServiceContext } from '../context'
import { NO_PROGRESS, type Progress } from '../progress'
import { chunks } from '../../../db/idChunks'
import { compareNames, nameKeys, type PersonName } from './names'
import { scorePair, type SharedContacts } from './scoring'
import { postcodeKey } from './summaries'
import { countGroups, LAST_SCAN_SETTING } from './groups'

/** Groups up to this size are compared pair by pair; larger ones only where the names file together. */
const SMALL_BLOCK = 40
/**
 * A phone shared by more people than this is a switchboard or a placeholder
 * rather than a household's: only matching names sharing it are pairs.
 */
export const HOUSEHOLD_PHONE = 6
/** Rows read per step: each step reports progress and heeds Cancel. */
const STEP = 20_000

type Kind = keyof SharedContacts

interface Person extends PersonName {
  id: number
}

/**
 * The full scan: every live customer compared with those sharing an email, a
 * phone or a postcode — never everyone with everyone. Small groups are
 * compared pair by pair; large ones (a company's switchboard, a block of
 * flats) only between names that file together (same sounding last name with
 * the same or a nickname first name, or the two names swapped). Replaces the
 * previous findings in one transaction; pairs marked as different people are
 * left out.
 */
export async function scanForDuplicates(ctx: ServiceContext, progress: Progress = NO_PROGRESS): Promise<DuplicateScanResult> {
  const started = performance.now()
  const db = ctx.db
  const rowCount = async (table: string) => Number(((await db(table).max({ n: 'id' }).first()) as { n: number | string | null }).n ?? 0)
  // Progress in rows read: phones, addresses, then customers; comparing and saving are quick after that.
  const [phoneRows, addressRows, customerRows] = await Promise.all([rowCount('phones'), rowCount('addresses'), rowCount('customers')])
  const total = phoneRows + addressRows + customerRows + STEP
  let done = 0
  const step = (rows: number, phase: string) => {
    done = Math.min(total, done + rows)
    progress.report(done, total, phase)
    progress.checkCancelled()
  }
  step(0, 'Finding shared emails')

  const blocks: Array<{ kind: Kind; ids: number[] }> = []
  const emailKeys = (await db('customers')
    .whereNot('email_normalized', '')
    .groupBy('email_normalized')
    .havingRaw('COUNT(*) > 1')
    .pluck('email_normalized')) as string[]
  for (const part of chunks(emailKeys)) {
    const rows = (await db('customers').whereIn('email_normalized', part).select('id', 'email_normalized')) as Array<{ id: number; email_normalized: string }>
    for (const ids of groupBy(rows, (row) => row.email_normalized, (row) => row.id)) blocks.push({ kind: 'email', ids })
  }
  step(0, 'Finding shared phones')

  // Grouped by the database (its index alone); only numbers a household may share are read back.
  // A number given by more people is a switchboard or a placeholder: no reason to pair them.
  const householdNumbers = (await db('phones')
    .whereNotNull('e164')
    .groupBy('e164')
    .havingRaw('COUNT(*) > 1')
    .havingRaw('COUNT(*) <= ?', [HOUSEHOLD_PHONE])
    .pluck('e164')) as string[]
  step(phoneRows, 'Finding shared phones')
  for (const part of chunks(householdNumbers)) {
    const rows = (await db('phones').whereIn('e164', part).select('customer_id', 'e164')) as Array<{ customer_id: number; e164: string }>
    for (const ids of groupBy(rows, (row) => row.e164, (row) => row.customer_id)) blocks.push({ kind: 'phone', ids })
    progress.checkCancelled()
  }

  // Postcodes are stored as typed: grouped on their compared form (upper case, no spaces or dashes).
  const postcodeForm = "UPPER(REPLACE(REPLACE(postcode, ' ', ''), '-', ''))"
  const sharedPostcodes = (await db('addresses')
    .whereNot('postcode', '')
    .groupByRaw(postcodeForm)
    .havingRaw('COUNT(*) > 1')
    .select(db.raw(`${postcodeForm} AS postcode_key`))) as Array<{ postcode_key: string }>
  step(addressRows, 'Finding shared postcodes')
  for (const part of chunks(sharedPostcodes.map((row) => row.postcode_key))) {
    const rows = (await db('addresses').whereRaw(`${postcodeForm} IN (${part.map(() => '?').join(', ')})`, part).select('customer_id', 'postcode')) as Array<{ customer_id: number; postcode: string }>
    for (const ids of groupBy(rows, (row) => postcodeKey(row.postcode), (row) => row.customer_id)) blocks.push({ kind: 'postcode', ids })
    progress.checkCancelled()
  }

  const people = await livePeople(db, blocks, step, customerRows)
  const dismissed = await dismissedPairs(db)

  const shared = new Map<string, SharedContacts>()
  /** Contacts shared in a crowded group: they count for a pair only when the names match too. */
  const namedOnly = new Set<string>()
  const note = (a: number, b: number, kind: Kind, needsName = false) => {
    const key = a < b ? `${a},${b}` : `${b},${a}`
    if (dismissed.has(key)) return
    let contacts = shared.get(key)
    if (!contacts) shared.set(key, (contacts = { email: false, phone: false, postcode: false }))
    if (!needsName) contacts[kind] = true
    else if (!contacts[kind]) namedOnly.add(`${key}:${kind}`)
  }
  let compared = 0
  for (const block of blocks) {
    const ids = [...new Set(block.ids)].filter((id) => people.has(id))
    if (ids.length < 2) continue
    if (ids.length <= (block.kind === 'phone' ? HOUSEHOLD_PHONE : SMALL_BLOCK)) {
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) note(ids[i]!, ids[j]!, block.kind)
    } else {
      for (const filed of groupByMany(ids, (id) => nameKeys(people.get(id)!))) {
        const limited = filed.slice(0, SMALL_BLOCK)
        for (let i = 0; i < limited.length; i++) for (let j = i + 1; j < limited.length; j++) note(limited[i]!, limited[j]!, block.kind, true)
      }
    }
    if (++compared % 5_000 === 0) progress.checkCancelled()
  }

  const found: Array<{ customer_a: number; customer_b: number; reasons: string; score: number; found_at: string }> = []
  const foundAt = ctx.clock().toISOString()
  for (const [key, contacts] of shared) {
    const [a, b] = key.split(',').map(Number) as [number, number]
    const names = compareNames(people.get(a)!, people.get(b)!)
    if (names) for (const kind of ['email', 'phone', 'postcode'] as const) if (namedOnly.has(`${key}:${kind}`)) contacts[kind] = true
    const result = scorePair(contacts, names)
    if (result) found.push({ customer_a: a, customer_b: b, reasons: result.reasons.join(','), score: result.score, found_at: foundAt })
  }
  step(STEP / 2, 'Saving what was found')

  await progress.waitForWriteTurn()
  const customers = Number(((await db('customers').whereNot('status', 'deleted').whereNull('erased_at').count({ n: '*' }).first()) as { n: number | string }).n)
  const result: DuplicateScanResult = {
    customers,
    pairs: found.length,
    groups: countGroups(found.map((pair) => [pair.customer_a, pair.customer_b])),
    scannedAt: foundAt,
    seconds: 0,
  }
  await db.transaction(async (trx) => {
    await trx('duplicate_pairs').delete()
    // 5 values a row: 100 rows keep each statement well under SQLite's limits.
    for (let i = 0; i < found.length; i += 100) {
      await trx('duplicate_pairs').insert(found.slice(i, i + 100))
      if (i % 10_000 === 0) progress.checkCancelled()
    }
    result.seconds = Math.round((performance.now() - started) / 100) / 10
    await trx('settings')
      .insert({ key: LAST_SCAN_SETTING, value: JSON.stringify({ at: foundAt, customers, pairs: found.length, seconds: result.seconds }) })
      .onConflict('key')
      .merge()
  })
  step(STEP / 2, 'Done')
  return result
}

/** Live customers (not in the recycle bin, not erased) met in any group, with their names. */
async function livePeople(db: Knex, blocks: ReadonlyArray<{ ids: number[] }>, step: (rows: number, phase: string) => void, customerRows: number): Promise<Map<number, Person>> {
  const wanted = new Set<number>()
  for (const block of blocks) for (const id of block.ids) wanted.add(id)
  const people = new Map<number, Person>()
  const keep = (rows: Array<{ id: number; first_name: string; last_name: string; status: string; erased_at: string | null }>) => {
    for (const row of rows) {
      if (wanted.has(row.id) && row.status !== 'deleted' && row.erased_at === null) people.set(row.id, { id: row.id, firstName: row.first_name, lastName: row.last_name })
    }
  }
  const columns = ['id', 'first_name', 'last_name', 'status', 'erased_at']
  if (wanted.size < customerRows / 20) {
    // Few: looked up by id.
    for (const part of chunks([...wanted])) keep(await db('customers').whereIn('id', part).select(columns))
    step(customerRows, 'Comparing names')
    return people
  }
  // Many: one pass in id order is cheaper than looking each up.
  for (let after = 0; ; ) {
    const rows = (await db('customers').where('id', '>', after).orderBy('id').limit(STEP * 2).select(columns)) as Parameters<typeof keep>[0]
    if (rows.length === 0) break
    keep(rows)
    after = rows[rows.length - 1]!.id
    step(rows.length, 'Comparing names')
  }
  return people
}

async function dismissedPairs(db: Knex): Promise<Set<string>> {
  const rows = (await db('duplicate_dismissals').select('customer_a', 'customer_b')) as Array<{ customer_a: number; customer_b: number }>
  return new Set(rows.map((row) => `${row.customer_a},${row.customer_b}`))
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string, id: (row: T) => number): number[][] {
  const groups = new Map<string, number[]>()
  for (const row of rows) {
    const k = key(row)
    const list = groups.get(k)
    if (list) list.push(id(row))
    else groups.set(k, [id(row)])
  }
  return [...groups.values()].filter((ids) => new Set(ids).size > 1)
}

function groupByMany(ids: readonly number[], keys: (id: number) => string[]): number[][] {
  const groups = new Map<string, number[]>()
  for (const id of ids) {
    for (const k of keys(id)) {
      const list = groups.get(k)
      if (list) list.push(id)
      else groups.set(k, [id])
    }
  }
  return [...groups.values()].filter((list) => list.length > 1)
}
