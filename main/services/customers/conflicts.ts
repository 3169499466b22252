import type { Knex } from 'knex'
import type { CustomerDetail, FieldConflict, FieldChange } from '../../../preload/contract'
import { Conflict } from '../errors'
import { FIELD_LABELS, snapshot } from './records'

/** The record a save would make: the one there now with the saved fields in place (for comparing, field by field). */
export type SavedFields = Pick<CustomerDetail, 'firstName' | 'lastName' | 'displayName' | 'company' | 'email' | 'source' | 'phones' | 'addresses'>

/**
 * Refuses a save made from an older copy of the record than the one stored:
 * another desk (or task) changed it meanwhile. The refusal carries the record
 * now and every field where it differs from the save, with who changed that
 * field last and when (from the change log), so the desk can choose per field.
 */
export async function assertSameVersion(trx: Knex, current: CustomerDetail, loadedVersion: number | undefined, yours: SavedFields): Promise<void> {
  if (loadedVersion === undefined || loadedVersion === current.version) return
  const theirs = snapshot(current)
  const mine = snapshot({ ...current, ...yours })
  const keys = Object.keys(FIELD_LABELS).filter((key) => (theirs[key] ?? '') !== (mine[key] ?? ''))
  const last = await lastChangeOfFields(trx, current.id, keys.map((key) => FIELD_LABELS[key]!))
  const fields: FieldConflict[] = keys.map((key) => {
    const field = FIELD_LABELS[key]!
    return { key, field, theirs: theirs[key] ?? '', yours: mine[key] ?? '', by: last.get(field)?.by ?? null, at: last.get(field)?.at ?? null }
  })
  const who = [...new Set(fields.flatMap((f) => (f.by ? [f.by] : [])))]
  const message = `${current.displayName} was changed ${who.length ? `by ${who.join(' and ')} ` : ''}on another desk since you opened the record. Choose what to keep, then save again.`
  throw new Conflict(message, { changedMeanwhile: { version: current.version, current, fields } })
}

/** For each field name: the newest change-log entry of this customer that changed it. */
async function lastChangeOfFields(trx: Knex, customerId: number, fields: string[]): Promise<Map<string, { by: string; at: string }>> {
  const found = new Map<string, { by: string; at: string }>()
  if (!fields.length) return found
  // Newest first, a page at a time, until every field is found or the record's history ends.
  let before: number | null = null
  for (;;) {
    const query = trx('change_log').where({ customer_id: customerId, entity_type: 'customer', entity_id: customerId })
    if (before !== null) query.where('id', '<', before)
    const rows = (await query
      .orderBy('id', 'desc')
      .limit(100)
      .select('id', 'at', 'staff_name', 'changes')) as Array<{ id: number; at: string; staff_name: string; changes: string }>
    for (const row of rows) {
      for (const change of JSON.parse(row.changes) as FieldChange[]) {
        if (fields.includes(change.field) && !found.has(change.field)) found.set(change.field, { by: row.staff_name, at: row.at })
      }
    }
    if (rows.length < 100 || found.size === fields.length) return found
    before = rows[rows.length - 1]!.id
  }
}
