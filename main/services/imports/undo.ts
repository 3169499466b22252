import type { Knex } from 'knex'
import type { ImportRecord, ImportUndoResult } from '../../../preload/contract'
import { refreshCustomerSearch } from '../../../db/search'
import { allRows } from '../../../db/queries/customerList'
import type { ServiceContext } from '../context'
import { Conflict, NotFound } from '../errors'
import { recordChange } from '../changeLog'
import { foldForSort, formatCustomerNumber } from '../customers/normalize'
import type { Progress } from '../progress'
import type { UndoRecord } from './apply'

interface ImportRow {
  id: number
  file_name: string
  format: string
  match_mode: ImportRecord['match']
  staff_name: string
  started_at: string
  finished_at: string
  rows: number
  created: number
  updated: number
  unchanged: number
  skipped: number
  rejected: number
  notes: number
  bookings: number
  state: ImportRecord['state']
  undone_at: string | null
  undone_by_name: string | null
}

/** Past imports, newest first, for Settings → Imports. */
export async function listImports(ctx: ServiceContext): Promise<ImportRecord[]> {
  const rows = (await ctx.db('imports').orderBy('id', 'desc').limit(200)) as ImportRow[]
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    format: r.format,
    staffName: r.staff_name,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    match: r.match_mode,
    rows: r.rows,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    skipped: r.skipped,
    rejected: r.rejected,
    notes: r.notes,
    bookings: r.bookings,
    state: r.state,
    undoneAt: r.undone_at,
    undoneBy: r.undone_by_name,
  }))
}

interface JournalRow {
  customer_id: number
  created: number | boolean
  undo: string
}

const CHUNK = 500

/**
 * Rolls a whole import back in one transaction: the customers it created are
 * removed (with the notes and past bookings it brought), those it updated get
 * their old values back — except a value someone has changed since, which is
 * left as it is and counted. Refused, with the customers named, when any
 * customer it created has had bookings or payments since.
 */
export async function undoImport(ctx: ServiceContext, id: number, progress: Progress): Promise<ImportUndoResult> {
  return ctx.db.transaction(async (trx) => {
    const record = (await trx('imports').where({ id }).first()) as ImportRow | undefined
    if (!record) throw new NotFound('This import is not in the list of imports.')
    if (record.state === 'undone') throw new Conflict(`The import of ${record.file_name} was already undone.`)
    await refuseWhenBookedSince(trx, id, record.finished_at)
    const total = Number((await trx('import_changes').where({ import_id: id }).count({ n: '*' }))[0]?.n ?? 0)
    const result: ImportUndoResult = { removed: 0, restored: 0, keptLaterEdits: 0 }
    let after = 0
    let done = 0
    for (;;) {
      progress.checkCancelled()
      const journal = (await trx('import_changes').where({ import_id: id }).where('id', '>', after).orderBy('id').limit(CHUNK).select('id', 'customer_id', 'created', 'undo')) as Array<
        JournalRow & { id: number }
      >
      if (!journal.length) break
      after = journal[journal.length - 1]!.id
      const touched: number[] = []
      for (const entry of journal) {
        const undo = JSON.parse(entry.undo) as UndoRecord
        if (entry.created) {
          if (undo.bookings?.length) await trx('bookings').whereIn('id', undo.bookings).delete()
          const removed = await trx('customers').where({ id: entry.customer_id }).delete()
          result.removed += removed
        } else {
          result.keptLaterEdits += await restore(trx, entry.customer_id, undo)
          result.restored++
          await recordChange(trx, ctx, {
            customerId: entry.customer_id,
            entityType: 'customer',
            entityId: entry.customer_id,
            action: 'customer.importUndone',
            summary: `Import of ${record.file_name} undone: the values before it are back`,
          })
        }
        touched.push(entry.customer_id)
      }
      await refreshCustomerSearch(trx, touched)
      done += journal.length
      progress.report(done, total, 'Undoing the import')
    }
    await trx('import_keys').where({ import_id: id }).delete()
    await trx('imports').where({ id }).update({ state: 'undone', undone_at: ctx.clock().toISOString(), undone_by_name: ctx.staff.name })
    return result
  })
}

async function refuseWhenBookedSince(trx: Knex, importId: number, importedAt: string): Promise<void> {
  const created = trx('import_changes').where({ import_id: importId, created: true }).select('customer_id')
  const imported = allRows<{ undo: string }>(await trx('import_changes').where({ import_id: importId, created: true }).select('undo'))
    .flatMap((r) => (JSON.parse(r.undo) as UndoRecord).bookings ?? [])
  const booked = (await trx('bookings as b')
    .join('customers as c', 'c.id', 'b.customer_id')
    .whereIn('b.customer_id', created)
    .whereNotIn('b.id', imported.length ? imported : [0])
    .distinct('c.id', 'c.display_name')
    .limit(4)) as Array<{ id: number; display_name: string }>
  const paid = booked.length
    ? []
    : ((await trx('payments as p')
        .join('bookings as b', 'b.id', 'p.booking_id')
        .join('customers as c', 'c.id', 'b.customer_id')
        .whereIn('b.id', imported.length ? imported : [0])
        .where('p.created_at', '>', importedAt)
        .distinct('c.id', 'c.display_name')
        .limit(4)) as Array<{ id: number; display_name: string }>)
  const since = booked.length ? booked : paid
  if (!since.length) return
  const names = since.slice(0, 3).map((c) => `${c.display_name} (${formatCustomerNumber(c.id)})`)
  const more = since.length > 3 ? ' and others' : ''
  throw new Conflict(
    `This import cannot be undone: customers it created have had ${booked.length ? 'bookings' : 'payments'} since — ${names.join(', ')}${more}. ` +
      'Undoing it would remove them with their history. Archive or merge those customers instead.',
  )
}

/** Puts back what the import changed on one customer; returns how many later edits were left as they are. */
async function restore(trx: Knex, customerId: number, undo: UndoRecord): Promise<number> {
  let kept = 0
  if (undo.columns) {
    const current = (await trx('customers').where({ id: customerId }).first()) as Record<string, unknown> | undefined
    if (current) {
      const back: Record<string, unknown> = {}
      for (const [column, [before, after]] of Object.entries(undo.columns)) {
        if (current[column] === after) back[column] = before
        else kept++
      }
      if (typeof back.display_name === 'string') back.sort_name = foldForSort(back.display_name)
      if (Object.keys(back).length) await trx('customers').where({ id: customerId }).update(back)
    }
  }
  if (undo.consent) {
    await trx('customers').where({ id: customerId, marketing_consent: undo.consent.after[0] }).update({ marketing_consent: undo.consent.before[0] })
  }
  if (undo.phones?.length) await trx('phones').whereIn('id', undo.phones).where({ customer_id: customerId }).delete()
  if (undo.address?.added) await trx('addresses').where({ id: undo.address.id, customer_id: customerId }).delete()
  else if (undo.address?.parts) {
    const current = (await trx('addresses').where({ id: undo.address.id }).first()) as Record<string, string> | undefined
    if (current) {
      const back: Record<string, string> = {}
      for (const [part, [before, after]] of Object.entries(undo.address.parts)) {
        if (current[part] === after) back[part] = before
        else kept++
      }
      if (Object.keys(back).length) await trx('addresses').where({ id: undo.address.id }).update(back)
    }
  }
  if (undo.tags?.length) await trx('customer_tags').where({ customer_id: customerId }).whereIn('tag_id', undo.tags).delete()
  if (undo.groups?.length) await trx('customer_group_members').where({ customer_id: customerId }).whereIn('group_id', undo.groups).delete()
  for (const [field, [before, after]] of Object.entries(undo.custom ?? {})) {
    const where = { customer_id: customerId, field_id: Number(field) }
    const current = (await trx('customer_custom_values').where(where).first('value')) as { value: string } | undefined
    if (current?.value !== after) {
      kept++
      continue
    }
    if (before === null) await trx('customer_custom_values').where(where).delete()
    else await trx('customer_custom_values').where(where).update({ value: before })
  }
  if (undo.notes?.length) await trx('notes').whereIn('id', undo.notes).where({ customer_id: customerId }).delete()
  if (undo.bookings?.length) await trx('bookings').whereIn('id', undo.bookings).where({ customer_id: customerId }).delete()
  if (undo.photo) await trx('customer_photos').where({ customer_id: customerId }).delete()
  return kept
}
