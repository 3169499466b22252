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
  const addressCount = Number(((await db('addresses').whereNot('postcode', '').count({ n: '*' }).first()) as { n: number | string }).n)
  // Progress in rows: the address pass, then the people compared; the other steps are quick.
  const total = addressCount + 2 * STEP
  let done = 0
  const step = (rows: number, phase: string) => {
    done = Math.min(total, done + rows)
    progress.report(done, total, phase)
    progress.checkCancelled()
  }
  step(0, 'Finding shared emails and phones')

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
  const phoneKeys = (await db('phones').whereNotNull('e164').groupBy('e164').havingRaw('COUNT(*) > 1').pluck('e164')) as string[]
  for (const part of chunks(phoneKeys)) {
    const rows = (await db('phones').whereIn('e164', part).select('customer_id', 'e164')) as Array<{ customer_id: number; e164: string }>
    for (const ids of groupBy(rows, (row) => row.e164, (row) => row.customer_id)) blocks.push({ kind: 'phone', ids })
  }
  step(STEP / 2, 'Finding shared postcodes')

  // Postcodes are stored as typed, so they are compared in one pass here rather than grouped in SQL.
  const byPostcode = new Map<string, number | number[]>()
  for (let after = 0; ; ) {
    const rows = (await db('addresses').where('id', '>', after).whereNot('postcode', '').orderBy('id').limit(STEP).select('id', 'customer_id', 'postcode')) as Array<{
      id: number
      customer_id: number
      postcode: string
    }>
    if (rows.length === 0) break
    for (const row of rows) {
      const key = postcodeKey(row.postcode)
      if (!key) continue
      const seen = byPostcode.get(key)
      if (seen === undefined) byPostcode.set(key, row.customer_id)
      else if (typeof seen === 'number') {
        if (seen !== row.customer_id) byPostcode.set(key, [seen, row.customer_id])
      } else seen.push(row.customer_id)
    }
    after = rows[rows.length - 1]!.id
    step(rows.length, 'Finding shared postcodes')
  }
  for (const ids of byPostcode.values()) if (typeof ids !== 'number') blocks.push({ kind: 'postcode', ids: [...new Set(ids)] })
  byPostcode.clear()

  const people = await livePeople(db, [...new Set(blocks.flatMap((block) => block.ids))])
  step(STEP / 2, 'Comparing names')
  const dismissed = await dismissedPairs(db)

  const shared = new Map<string, SharedContacts>()
  const note = (a: number, b: number, kind: Kind) => {
    const key = a < b ? `${a},${b}` : `${b},${a}`
    if (dismissed.has(key)) return
    let contacts = shared.get(key)
    if (!contacts) shared.set(key, (contacts = { email: false, phone: false, postcode: false }))
    contacts[kind] = true
  }
  let compared = 0
  for (const block of blocks) {
    const ids = [...new Set(block.ids)].filter((id) => people.has(id))
    if (ids.length < 2) continue
    if (ids.length <= SMALL_BLOCK) {
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) note(ids[i]!, ids[j]!, block.kind)
    } else {
      for (const filed of groupByMany(ids, (id) => nameKeys(people.get(id)!))) {
        const limited = filed.slice(0, SMALL_BLOCK)
        for (let i = 0; i < limited.length; i++) for (let j = i + 1; j < limited.length; j++) note(limited[i]!, limited[j]!, block.kind)
      }
    }
    if (++compared % 5_000 === 0) progress.checkCancelled()
  }

  const found: Array<{ customer_a: number; customer_b: number; reasons: string; score: number; found_at: string }> = []
  const foundAt = ctx.clock().toISOString()
  for (const [key, contacts] of shared) {
    const [a, b] = key.split(',').map(Number) as [number, number]
    const result = scorePair(contacts, compareNames(people.get(a)!, people.get(b)!))
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

/** Live customers (not in the recycle bin, not erased) among these ids, with their names. */
async function livePeople(db: Knex, ids: number[]): Promise<Map<number, Person>> {
  const people = new Map<number, Person>()
  for (const part of chunks(ids)) {
    const rows = (await db('customers')
      .whereIn('id', part)
      .whereNot('status', 'deleted')
      .whereNull('erased_at')
      .select('id', 'first_name', 'last_name')) as Array<{ id: number; first_name: string; last_name: string }>
    for (const row of rows) people.set(row.id, { id: row.id, firstName: row.first_name, lastName: row.last_name })
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
