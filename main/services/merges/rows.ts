import type { Knex } from 'knex'
import { chunks } from '../../../db/idChunks'
import { addToList } from '../groupedLists'

/** A database row as read, kept whole so that undo can write it back exactly. */
export type Row = Record<string, unknown>

/**
 * Tables of rows that belong to one customer by `customer_id` and are named by
 * their own key: `id`, or (for memberships of a tag, a group, a custom field)
 * the other half of the key, or the import key itself. The photo is one row.
 */
export const KEY_OF: Record<string, string> = {
  bookings: 'id',
  customer_plans: 'id',
  notes: 'id',
  consent_events: 'id',
  phones: 'id',
  addresses: 'id',
  payment_methods: 'id',
  brochure_requests: 'id',
  reward_entries: 'id',
  messages: 'id',
  import_keys: 'key',
  customer_tags: 'tag_id',
  customer_group_members: 'group_id',
  customer_custom_values: 'field_id',
  customer_photos: 'customer_id',
}

/** How a row of `table` is found: by its own id, or by its owner and the other half of its key. */
export function whereRow(table: string, key: number | string, owner: number): Row {
  const column = KEY_OF[table]!
  if (column === 'id' || column === 'key') return { [column]: key }
  if (column === 'customer_id') return { customer_id: owner }
  return { customer_id: owner, [column]: key }
}

/** One row moved to the survivor: where it came from and the columns it had before (flags, positions). */
export interface MovedRow {
  t: string
  k: number | string
  from: number
  was?: Row
  set?: Row
}

/** Tables keyed by their owner (one row per customer and tag, group, field or photo): moved one by one. */
const OWNER_KEYED = ['customer_tags', 'customer_group_members', 'customer_custom_values', 'customer_photos']

/**
 * Moves rows to the survivor (`in`) or back to the records they came from
 * (`back`): a row with columns of its own to change (or keyed by its owner)
 * one by one, the rest together per table and owner.
 */
export async function moveRows(trx: Knex, moves: readonly MovedRow[], survivorId: number, direction: 'in' | 'back', tick: (n?: number) => void): Promise<void> {
  const plain = new Map<string, Array<number | string>>()
  for (const move of moves) {
    const own = direction === 'in' ? move.set : move.was
    if (own || OWNER_KEYED.includes(move.t)) {
      const [owner, to] = direction === 'in' ? [move.from, survivorId] : [survivorId, move.from]
      await trx(move.t).where(whereRow(move.t, move.k, owner)).update({ customer_id: to, ...own })
      tick()
      continue
    }
    const group = `${move.t}\u0000${move.from}`
    addToList(plain, group, move.k)
  }
  for (const [group, keys] of plain) {
    const [table, fromText] = group.split('\u0000') as [string, string]
    const from = Number(fromText)
    const [owner, to] = direction === 'in' ? [from, survivorId] : [survivorId, from]
    const column = table === 'import_keys' ? 'key' : 'id'
    for (const part of chunks(keys)) {
      await trx(table).whereIn(column, part).where({ customer_id: owner }).update({ customer_id: to })
      tick(part.length)
    }
  }
}

/** A row removed because the survivor keeps the same thing (a tag, a phone), or replaced by a chosen value. */
export interface DroppedRow {
  t: string
  row: Row
}

/** A reference to a merged record turned towards the survivor (or cleared): table, column, row, before and after. */
export interface Repointed {
  t: string
  c: string
  k: number | string
  from: number | null
  to: number | null
}

/** Everything undo needs, stored with the merge. */
export interface MergeUndoData {
  v: 1
  /** The survivor's row as it was before. */
  survivor: Row
  /** The survivor's columns the merge wrote, with the values it wrote. */
  set: Row
  /** Rewards balances of the merged records, added to the survivor's. */
  rewardsAdded: number
  merged: Row[]
  moved: MovedRow[]
  dropped: DroppedRow[]
  repointed: Repointed[]
  /** Duplicate pairs and dismissals that named a merged record (they went with it). */
  cascaded: DroppedRow[]
}

/** Blobs (a photo) survive JSON as base64. */
export function encodeUndo(data: MergeUndoData): string {
  return JSON.stringify(data, (_key, value: unknown) => {
    if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      return { $b64: Buffer.from((value as { data: number[] }).data).toString('base64') }
    }
    return value
  })
}

export function decodeUndo(text: string): MergeUndoData {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && typeof (value as { $b64?: unknown }).$b64 === 'string') {
      return Buffer.from((value as { $b64: string }).$b64, 'base64')
    }
    return value
  }) as MergeUndoData
}

/** Rows of `table` owned by any of `customerIds`. */
export async function rowsOf(db: Knex, table: string, customerIds: readonly number[]): Promise<Row[]> {
  const rows: Row[] = []
  for (const ids of chunks(customerIds)) rows.push(...((await db(table).whereIn('customer_id', ids)) as Row[]))
  return rows
}

export function same(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b)
  // A flag reads as 0/1 from SQLite and false/true from PostgreSQL, and a merge's record keeps what it wrote.
  const plain = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value)
  return plain(a) === plain(b) || (a == null && b == null)
}

/** The phone a person would call: its E.164 form, else its digits. */
export function phoneKey(row: Row): string {
  return (row.e164 as string | null) || String(row.number).replace(/\D/g, '')
}

/** The same address written alike: case, spacing and postcode spaces ignored. */
export function addressKey(row: Row): string {
  const part = (v: unknown) => String(v ?? '').normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim()
  return [part(row.line1), part(row.line2), part(row.city), part(row.postcode).replace(/ /g, ''), part(row.country)].join('|')
}
