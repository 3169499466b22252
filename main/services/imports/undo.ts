import type { Knex } from 'knex'
import type { ImportCounts, ImportRecord, ImportUndoResult } from '../../../preload/contract'
import { refreshCustomerSearch } from '../../../db/search'
import { isServerConnection } from '../../../db/bulk'
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
  created_lists: string | null
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

type Run = { first: number; last: number }

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
    if (record.state === 'running') throw new Conflict(`The import of ${record.file_name} is still running: cancel it instead, and nothing it wrote is kept.`)
    const result = await takeBack(trx, ctx, record, progress, `Import of ${record.file_name} undone: the values before it are back`)
    await trx('imports').where({ id }).update({ state: 'undone', undone_at: ctx.clock().toISOString(), undone_by_name: ctx.staff.name })
    return result
  })
}

/**
 * Takes back what an import wrote in its earlier turns when it was cancelled
 * or failed: afterwards it is as if it never ran (its record goes too). When a
 * customer it created has been booked meanwhile, what it wrote is kept and
 * listed as a finished import, to undo later; the refusal says why.
 */
export async function rollBackStoppedImport(ctx: ServiceContext, id: number, counts: ImportCounts, progress: Progress): Promise<void> {
  try {
    await forget(ctx, id, progress, null)
  } catch (error) {
    if (!(error instanceof BookedSince)) throw error
    await ctx.db('imports').where({ id }).update({ ...counts, state: 'done', alive_at: null })
    throw new Conflict(
      `The import stopped, but the ${counts.created.toLocaleString('en-GB')} customers it had added so far were kept: ${error.names} had bookings or payments ` +
        'meanwhile, and taking the import back would remove them with their history. It is listed in Settings → Imports, to undo once they are archived or merged.',
      { keptImport: { created: counts.created } },
    )
  }
}

/**
 * Imports cut off while they ran (the app or the machine stopped): each is
 * taken back whole, as a cancelled one is. One whose last turn was committed
 * after `staleBefore` may still be running on another desk and is left alone.
 * Returns how many were taken back.
 */
export async function rollBackInterruptedImports(ctx: ServiceContext, progress: Progress, staleBefore: string | null): Promise<number> {
  const running = (await interrupted(ctx.db, staleBefore).orderBy('id', 'desc').pluck('id')) as number[]
  let taken = 0
  for (const id of running) {
    try {
      if (await forget(ctx, id, progress, staleBefore)) taken++
    } catch (error) {
      if (!(error instanceof BookedSince)) throw error
      // A customer it created has been booked since: what it wrote stays, listed to undo later.
      await ctx.db('imports').where({ id, state: 'running' }).update({ state: 'done', alive_at: null })
    }
  }
  return taken
}

/** How long after its last committed turn an import on a server is taken for cut off (another desk may be running it). */
const SERVER_IMPORT_SILENCE_MS = 2 * 60_000

/**
 * Which running imports count as cut off: in a file, every one (the file is
 * this desk's alone while open); on a server, those silent since this time.
 */
export function cutOffBefore(db: Knex): string | null {
  return isServerConnection(db) ? new Date(Date.now() - SERVER_IMPORT_SILENCE_MS).toISOString() : null
}

/** Whether any import was cut off while it ran (a cheap look, before starting the work of taking it back). */
export async function hasInterruptedImports(ctx: ServiceContext, staleBefore: string | null): Promise<boolean> {
  return Boolean(await interrupted(ctx.db, staleBefore).first('id'))
}

function interrupted(db: Knex, staleBefore: string | null): Knex.QueryBuilder {
  const query = db('imports').where({ state: 'running' })
  return staleBefore === null ? query : query.where((q) => void q.whereNull('alive_at').orWhere('alive_at', '<', staleBefore))
}

/** Takes the running import back and removes its record; false when it was no longer running (or, on a server, heard from since `staleBefore`). */
async function forget(ctx: ServiceContext, id: number, progress: Progress, staleBefore: string | null): Promise<boolean> {
  // Taking back is not itself cancelled: Cancel was what started it.
  const steady: Progress = { ...progress, checkCancelled: () => {} }
  return ctx.db.transaction(async (trx) => {
    // Looked at again under the write lock: another desk may have taken it back, or its import finished or wrote a turn.
    const record = (await interrupted(trx, staleBefore).where({ id }).first()) as ImportRow | undefined
    if (!record) return false
    await takeBack(trx, ctx, record, steady, `Import of ${record.file_name} stopped before the end: the values before it are back`)
    await trx('imports').where({ id }).delete()
    return true
  })
}

async function takeBack(trx: Knex, ctx: ServiceContext, record: ImportRow, progress: Progress, summary: string): Promise<ImportUndoResult> {
  const id = record.id
  const created = (await trx('import_created').where({ import_id: id }).orderBy('first_id').select('first_id', 'last_id')) as Array<{
    first_id: number
    last_id: number
  }>
  const runs: Run[] = created.map((r) => ({ first: Number(r.first_id), last: Number(r.last_id) }))
  const importedBookings = allRows<{ undo: string }>(await trx('import_changes').where({ import_id: id, created: true }).select('undo')).flatMap(
    (r) => (JSON.parse(r.undo) as UndoRecord).bookings ?? [],
  )
  if (runs.length) await refuseWhenBookedSince(trx, runs, importedBookings, record.finished_at)
  await refuseWhenPaidSince(trx, id, record.finished_at)
  const updates = Number((await trx('import_changes').where({ import_id: id, created: false }).count({ n: '*' }))[0]?.n ?? 0)
  const total = updates + runs.reduce((sum, run) => sum + run.last - run.first + 1, 0)
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
      result.keptLaterEdits += await restore(trx, entry.customer_id, JSON.parse(entry.undo) as UndoRecord, { ctx, fileName: record.file_name })
      result.restored++
      await recordChange(trx, ctx, { customerId: entry.customer_id, entityType: 'customer', entityId: entry.customer_id, action: 'customer.importUndone', summary })
    }
    await refreshCustomerSearch(trx, journal.map((e) => e.customer_id))
    done += journal.length
    progress.report(done, total, 'Putting back what it changed')
  }

  // Past bookings outlive a removed customer (kept for the accounts), so the import's own go first.
  for (let i = 0; i < importedBookings.length; i += CHUNK) await trx('bookings').whereIn('id', importedBookings.slice(i, i + CHUNK)).delete()
  for (const run of runs) {
    for (let from = run.first; from <= run.last; from += CHUNK) {
      progress.checkCancelled()
      const to = Math.min(from + CHUNK - 1, run.last)
      const ids = (await trx('customers').whereBetween('id', [from, to]).pluck('id')) as number[]
      result.removed += await trx('customers').whereBetween('id', [from, to]).delete()
      await refreshCustomerSearch(trx, ids)
      done += to - from + 1
      progress.report(done, total, 'Removing the customers it created')
    }
  }
  await trx('import_keys').where({ import_id: id }).delete()
  await removeUnusedLists(trx, record.created_lists)
  return result
}

/** The tags and lists the import made, unless someone has put them to use since. */
async function removeUnusedLists(trx: Knex, createdLists: string | null): Promise<void> {
  const made = createdLists ? (JSON.parse(createdLists) as { tags: number[]; groups: number[] }) : { tags: [], groups: [] }
  if (made.tags.length) {
    await trx('tags')
      .whereIn('id', made.tags)
      .whereNotExists(trx('customer_tags').whereRaw('customer_tags.tag_id = tags.id'))
      .delete()
  }
  if (made.groups.length) {
    await trx('customer_groups')
      .whereIn('id', made.groups)
      .whereNotExists(trx('customer_group_members').whereRaw('customer_group_members.group_id = customer_groups.id'))
      .whereNotExists(trx('catalogue_item_groups').whereRaw('catalogue_item_groups.group_id = customer_groups.id'))
      .whereNotExists(trx('price_option_groups').whereRaw('price_option_groups.group_id = customer_groups.id'))
      .delete()
  }
}

async function refuseWhenBookedSince(trx: Knex, runs: readonly Run[], importedBookings: number[], importedAt: string): Promise<void> {
  const since = (await trx('bookings as b')
    .join('customers as c', 'c.id', 'b.customer_id')
    .where((q) => {
      for (const run of runs) void q.orWhereBetween('b.customer_id', [run.first, run.last])
    })
    .where((q) => {
      void q.whereNotIn('b.id', importedBookings.length ? importedBookings : [0]).orWhereExists(
        trx('payments as p').whereRaw('p.booking_id = b.id').where('p.created_at', '>', importedAt),
      )
    })
    .distinct('c.id', 'c.display_name')
    .limit(4)) as Array<{ id: number; display_name: string }>
  if (!since.length) return
  const names = since.slice(0, 3).map((c) => `${c.display_name} (${formatCustomerNumber(c.id)})`)
  throw new BookedSince(`${names.join(', ')}${since.length > 3 ? ' and others' : ''}`)
}

/**
 * Past bookings the import brought in for customers it updated (not created), paid at the desk since: taking the
 * import back removes those bookings, and the payments would go with them, out of the accounts.
 */
async function refuseWhenPaidSince(trx: Knex, importId: number, importedAt: string): Promise<void> {
  const paid: Array<{ id: number; display_name: string }> = []
  for (let after = 0; paid.length < 4; ) {
    const journal = (await trx('import_changes')
      .where({ import_id: importId, created: false })
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .select('id', 'undo')) as Array<{ id: number; undo: string }>
    if (!journal.length) break
    after = journal[journal.length - 1]!.id
    const bookings = journal.flatMap((entry) => (JSON.parse(entry.undo) as UndoRecord).bookings ?? [])
    if (!bookings.length) continue
    const since = (await trx('bookings as b')
      .join('customers as c', 'c.id', 'b.customer_id')
      .whereIn('b.id', bookings)
      .whereExists(trx('payments as p').whereRaw('p.booking_id = b.id').where('p.created_at', '>', importedAt))
      .distinct('c.id', 'c.display_name')
      .limit(4 - paid.length)) as Array<{ id: number; display_name: string }>
    paid.push(...since)
  }
  if (!paid.length) return
  const names = paid.slice(0, 3).map((c) => `${c.display_name} (${formatCustomerNumber(c.id)})`)
  throw new BookedSince(
    `${names.join(', ')}${paid.length > 3 ? ' and others' : ''}`,
    `This import cannot be undone: past bookings it brought in have been paid at the desk since — ${names.join(', ')}${paid.length > 3 ? ' and others' : ''}. ` +
      'Undoing it would remove those bookings with their payments. Refund or move the payments first.',
  )
}

/** Customers the import created have had bookings or payments since (or its past bookings, payments): taking it back would remove them with their history. */
class BookedSince extends Conflict {
  constructor(
    readonly names: string,
    message = `This import cannot be undone: customers it created have had bookings or payments since — ${names}. ` +
      'Undoing it would remove them with their history. Archive or merge those customers instead.',
  ) {
    super(message)
  }
}

/** Puts back what the import changed on one customer; returns how many later edits were left as they are. */
async function restore(trx: Knex, customerId: number, undo: UndoRecord, by: { ctx: ServiceContext; fileName: string }): Promise<number> {
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
  // Last changed when it was before, unless someone has changed the customer since.
  if (undo.updatedAt) await trx('customers').where({ id: customerId, updated_at: undo.updatedAt[1] }).update({ updated_at: undo.updatedAt[0] })
  if (undo.consent) {
    const back = await trx('customers').where({ id: customerId, marketing_consent: undo.consent.after[0] }).update({ marketing_consent: undo.consent.before[0] })
    // The consent history says so too: the import's event stays, with the one that takes it back after it.
    if (back) {
      const granted = Boolean(undo.consent.before[0])
      await trx('consent_events').insert({
        customer_id: customerId,
        at: by.ctx.clock().toISOString(),
        staff_id: by.ctx.staff.id,
        staff_name: by.ctx.staff.name,
        kind: 'marketing',
        granted,
        channel: 'import',
        wording: `${granted ? 'Agreed' : 'Withdrawn'} again: the import of ${by.fileName} was undone`,
      })
    }
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
