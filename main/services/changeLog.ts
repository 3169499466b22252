import type { Knex } from 'knex'
import type { ChangeEntry, FieldChange } from '../../preload/contract'
import type { ServiceContext } from './context'
import { CHAIN_START, sealEntry, type ChainedEntry } from '../../db/changeChain'

export interface ChangeRecord {
  customerId: number | null
  entityType: string
  entityId: number
  action: string
  summary: string
  changes?: FieldChange[]
}

/** Appends one entry to the change log; call inside the transaction that made the change. */
export async function recordChange(trx: Knex, ctx: ServiceContext, record: ChangeRecord): Promise<void> {
  const entry: ChainedEntry = {
    at: ctx.clock().toISOString(),
    staff_id: ctx.staff.id,
    staff_name: ctx.staff.name,
    entity_type: record.entityType,
    entity_id: record.entityId,
    customer_id: record.customerId,
    action: record.action,
    summary: record.summary,
    changes: JSON.stringify(record.changes ?? []),
  }
  await appendChanges(trx, [entry])
}

/**
 * Appends entries, in order, each chained to the one before: the newest hash
 * is read once and the chain runs on in memory. Call inside the transaction
 * that made the changes (it holds the write lock, so nothing slips in between).
 */
export async function appendChanges(trx: Knex, entries: readonly ChainedEntry[]): Promise<void> {
  let previous = await lastChainHash(trx)
  const rows = entries.map((entry) => {
    const sealed = sealEntry(previous, entry)
    previous = sealed.hash
    return sealed
  })
  // 12 values a row keeps each statement well under SQLite's limits; rows keep their order, so ids follow the chain.
  for (let i = 0; i < rows.length; i += 200) await trx('change_log').insert(rows.slice(i, i + 200))
}

/** The hash the next change-log entry chains to: the newest entry's (read inside the writing transaction). */
export async function lastChainHash(trx: Knex): Promise<string> {
  const row = (await trx('change_log').orderBy('id', 'desc').first('hash')) as { hash: string } | undefined
  return row?.hash ?? CHAIN_START
}

/** Field-by-field before → after for every field whose value differs. */
export function diffFields(
  before: Record<string, string>,
  after: Record<string, string>,
  labels: Record<string, string>,
): FieldChange[] {
  const changes: FieldChange[] = []
  for (const key of Object.keys(labels)) {
    const b = before[key] ?? ''
    const a = after[key] ?? ''
    if (b !== a) changes.push({ field: labels[key] ?? key, before: b || null, after: a || null })
  }
  return changes
}

/** Long texts (note bodies) are cut in the change log: it records what changed, not a second copy. */
export function forLog(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** One entity's own log (e.g. a booking's history), newest first. */
export async function listEntityChanges(db: Knex, entityType: string, entityId: number): Promise<ChangeEntry[]> {
  return readChanges(db('change_log').where({ entity_type: entityType, entity_id: entityId }).orderBy('id', 'desc'))
}

/** Change-log rows as the screens show them. */
export async function readChanges(query: Knex.QueryBuilder): Promise<ChangeEntry[]> {
  const rows = (await query.select('id', 'at', 'action', 'staff_name', 'summary', 'changes')) as Array<{
    id: number
    at: string
    action: string
    staff_name: string
    summary: string
    changes: string
  }>
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    action: row.action,
    staffName: row.staff_name,
    summary: row.summary,
    changes: JSON.parse(row.changes) as FieldChange[],
  }))
}
