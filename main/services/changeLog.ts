import type { Knex } from 'knex'
import type { ChangeEntry, FieldChange } from '../../preload/contract'
import type { ServiceContext } from './context'

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
  await trx('change_log').insert({
    at: ctx.clock().toISOString(),
    staff_id: ctx.staff.id,
    staff_name: ctx.staff.name,
    entity_type: record.entityType,
    entity_id: record.entityId,
    customer_id: record.customerId,
    action: record.action,
    summary: record.summary,
    changes: JSON.stringify(record.changes ?? []),
  })
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

export async function listCustomerChanges(ctx: ServiceContext, customerId: number, limit: number): Promise<ChangeEntry[]> {
  const rows = (await ctx.db('change_log')
    .where({ customer_id: customerId })
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'at', 'action', 'staff_name', 'summary', 'changes')) as Array<{
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
