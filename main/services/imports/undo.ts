import type { Knex } from 'knex'
import type { ImportCounts, ImportRecord, ImportUndoResult } from '../../../preload/contract'
import { refreshCustomerSearch } from '../../../db/search'
import { allRows } from '../../../db/queries/customerList'
import type { ServiceContext } from '../context'
import { Conflict, NotFound } from '../errors'
import { recordChange } from '../changeLog'
import { foldForSort, formatCustomerNumber } from '../customers/normalize'
import type { Progress } from '../progress'
import type { UndoRecord } from './apply'

interface ImportRow extends ImportCounts {
  id: number
  file_name: string
  format: string
  match_mode: ImportRecord['match']
  staff_name: string
  started_at: string
  finished_at: string
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
    ...countsOf(r),
    state: r.state,
    undoneAt: r.undone_at,
    undoneBy: r.undone_by_name,
  }))
}

function countsOf(r: ImportCounts): ImportCounts {
  const { rows, created, updated, unchanged, skipped, rejected, notes, bookings } = r
  return { rows, created, updated, unchanged, skipped, rejected, notes, bookings }
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
    const record = (await trx('imports').where({ id }).first()) as (ImportRow & { first_created_id: number | null; last_created_id: number | null }) | undefined
    if (!record) throw new NotFound('This import is not in the list of imports.')
    if (record.state === 'undone') throw new Conflict(`The import of ${record.file_name} was already undone.`)
    const created = record.first_created_id === null ? null : { first: record.first_created_id, last: Number(record.last_created_id) }
    const importedBookings = allRows<{ undo: string }>(await trx('import_changes').where({ import_id: id, created: true }).select('undo')).flatMap(
      (r) => (JSON.parse(r.undo) as UndoRecord).bookings ?? [],
    )
    if (created) await refuseWhenBookedSince(trx, created, importedBookings, record.finished_at)
    const updates = Number((await trx('import_changes').where({ import_id: id, created: false }).count({ n: '*' }))[0]?.n ?? 0)
    const total = updates + (created ? created.last - created.first + 1 : 0)
    const result: ImportUndoResult = { removed: 0, restored: 0, keptLaterEdits: 0 }
    let done = 0

    let after = 0
    for (;;) {
      progress.checkCancelled()
      const journal = (await trx('import_changes')
        .where({ import_id: id, created: false })
        .where('id', '>', after)
        .orderBy('id')
        .limit(CHUNK)
        .select('id', 'customer_id', 'undo')) as Array<{ id: number; customer_id: number; undo: string }>
      if (!journal.length) break
      after = journal[journal.length - 1]!.id
      for (const entry of journal) {
        result.keptLaterEdits += await restore(trx, entry.customer_id, JSON.parse(entry.undo) as UndoRecord)
        result.restored++
        await recordChange(trx, ctx, {
          customerId: entry.customer_id,
          entityType: 'customer',
          entityId: entry.customer_id,
          action: 'customer.importUndone',
          summary: `Import of ${record.file_name} undone: the values before it are back`,
        })
      }
      await refreshCustomerSearch(trx, journal.map((e) => e.customer_id))
      done += journal.length
      progress.report(done, total, 'Putting back what it changed')
    }

    // Past bookings outlive a removed customer (kept for the accounts), so the import's own go first.
    for (let i = 0; i < importedBookings.length; i += CHUNK) await trx('bookings').whereIn('id', importedBookings.slice(i, i + CHUNK)).delete()
    for (let from = created?.first ?? 1; created && from <= created.last; from += CHUNK) {
      progress.checkCancelled()
      const to = Math.min(from + CHUNK - 1, created.last)
      const ids = (await trx('customers').whereBetween('id', [from, to]).pluck('id')) as number[]
      result.removed += await trx('customers').whereBetween('id', [from, to]).delete()
      await refreshCustomerSearch(trx, ids)
      done += to - from + 1
      progress.report(done, total, 'Removing the customers it created')
    }
    await trx('import_keys').where({ import_id: id }).delete()
    await trx('imports').where({ id }).update({ state: 'undone', undone_at: ctx.clock().toISOString(), undone_by_name: ctx.staff.name })
    return result
  })
}

async function refuseWhenBookedSince(trx: Knex, created: { first: number; last: number }, importedBookings: number[], importedAt: string): Promise<void> {
  const since = (await trx('bookings as b')
    .join('customers as c', 'c.id', 'b.customer_id')
    .whereBetween('b.customer_id', [created.first, created.last])
    .where((q) => {
      void q.whereNotIn('b.id', importedBookings.length ? importedBookings : [0]).orWhereExists(
        trx('payments as p').whereRaw('p.booking_id = b.id').where('p.created_at', '>', importedAt),
      )
    })
    .distinct('c.id', 'c.display_name')
    .limit(4)) as Array<{ id: number; display_name: string }>
  if (!since.length) return
  const names = since.slice(0, 3).map((c) => `${c.display_name} (${formatCustomerNumber(c.id)})`)
  const more = since.length > 3 ? ' and others' : ''
  throw new Conflict(
    `This import cannot be undone: customers it created have had bookings or payments since — ${names.join(', ')}${more}. ` +
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
