import type { Knex } from 'knex'
import type { MergeRecord, MergeUndoResult } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { DomainError, NotFound } from '../errors'
import { NO_PROGRESS, type Progress } from '../progress'
import { requireAdmin } from '../permissions'
import { appendChanges } from '../changeLog'
import type { ChainedEntry } from '../../../db/changeChain'
import { refreshCustomerSearch } from '../../../db/search'
import { chunks } from '../../../db/idChunks'
import { formatCustomerNumber } from '../customers/normalize'
import { CASCADED, label } from './plan'
import { decodeUndo, moveRows, same, whereRow, type MergeUndoData, type Row } from './rows'
import { addToList } from '../groupedLists'

interface MergeRow {
  id: number
  survivor_id: number
  merged_ids: string
  at: string
  staff_name: string
  undo: string
  undone_at: string | null
  undone_by: string | null
}

const day = (iso: string) => iso.slice(0, 10)
const TABLE_WORDS: Record<string, string> = {
  bookings: 'booking',
  customer_plans: 'membership, pass or subscription',
  notes: 'note',
  consent_events: 'consent record',
  phones: 'phone',
  addresses: 'address',
  payment_methods: 'payment method',
  brochure_requests: 'brochure request',
  reward_entries: 'rewards entry',
  messages: 'message',
  import_keys: 'import key',
  customer_tags: 'tag',
  customer_group_members: 'group membership',
  customer_custom_values: 'custom field value',
  customer_photos: 'photo',
}

async function loadMerge(db: Knex, mergeId: number): Promise<MergeRow> {
  const row = (await db('merges').where({ id: mergeId }).first()) as MergeRow | undefined
  if (!row) throw new NotFound('This merge does not exist.')
  return row
}

/**
 * Why this merge cannot be undone now, in one sentence; null when it can.
 * Undo must put back exactly what moved, so anything that happened since to
 * what moved (or to the survivor as a whole) blocks it.
 */
export async function undoBlocker(db: Knex, merge: MergeRow, data: MergeUndoData = decodeUndo(merge.undo)): Promise<string | null> {
  if (merge.undone_at) return `This merge was already undone on ${day(merge.undone_at)} by ${merge.undone_by ?? 'someone'}.`
  const survivorId = Number(data.survivor.id)
  if (merge.survivor_id !== survivorId) {
    return `${formatCustomerNumber(survivorId)} has since been merged into ${formatCustomerNumber(merge.survivor_id)}: undo that merge first.`
  }
  const survivor = (await db('customers').where({ id: survivorId }).first()) as Row | undefined
  if (!survivor) return `${formatCustomerNumber(survivorId)} no longer exists.`
  if (survivor.erased_at) return `${label(survivor)} has been erased since the merge, so the records cannot be separated again.`
  if (survivor.status === 'deleted') return `${label(survivor)} is in the recycle bin: restore it first, then undo the merge.`
  const later = (await db('merges')
    .where('id', '>', merge.id)
    .whereNull('undone_at')
    .where((q) => q.where({ survivor_id: survivorId }).orWhere('merged_ids', 'like', `%${survivorId}%`))
    .orderBy('id', 'desc')) as MergeRow[]
  for (const other of later) {
    const ids = JSON.parse(other.merged_ids) as number[]
    if (other.survivor_id === survivorId || ids.includes(survivorId)) {
      return `${label(survivor)} was merged again on ${day(other.at)} (merge with ${[other.survivor_id, ...ids].filter((id) => id !== survivorId).map(formatCustomerNumber).join(' and ')}): undo that merge first.`
    }
  }
  for (const m of data.merged) {
    if (await db('customers').where({ id: m.id }).first('id')) return `${formatCustomerNumber(Number(m.id))} exists again, so it cannot be restored from this merge.`
  }
  // Every row that moved is still the survivor's.
  const byTable = new Map<string, Array<number | string>>()
  for (const move of data.moved) {
    if (['customer_tags', 'customer_group_members', 'customer_custom_values', 'customer_photos'].includes(move.t)) {
      const row = (await db(move.t).where(whereRow(move.t, move.k, survivorId)).first('customer_id')) as Row | undefined
      if (!row) return `The ${TABLE_WORDS[move.t]} that came from ${formatCustomerNumber(move.from)} has been removed from ${label(survivor)} since the merge.`
      continue
    }
    addToList(byTable, move.t, move.k)
  }
  for (const [table, keys] of byTable) {
    const column = table === 'import_keys' ? 'key' : 'id'
    for (const part of chunks(keys)) {
      const rows = (await db(table).whereIn(column, part).select(column, 'customer_id')) as Row[]
      const found = new Map(rows.map((r) => [r[column] as number | string, Number(r.customer_id)]))
      for (const key of part) {
        const move = data.moved.find((m) => m.t === table && m.k === key)!
        const owner = found.get(key)
        if (owner === undefined) {
          return `A ${TABLE_WORDS[table]} that came from ${formatCustomerNumber(move.from)} has been deleted since the merge, so the records cannot be separated exactly.`
        }
        if (owner !== survivorId) {
          return `A ${TABLE_WORDS[table]} that came from ${formatCustomerNumber(move.from)} now belongs to ${formatCustomerNumber(owner)}: move it back to ${label(survivor)} first.`
        }
      }
    }
  }
  // A restored record's own links must lead to customers that are there.
  const restoring = new Set(data.merged.map((m) => Number(m.id)))
  for (const m of data.merged) {
    for (const column of ['referred_by_id', 'household_payer_id']) {
      const target = m[column] as number | null
      if (target === null || restoring.has(target) || (await db('customers').where({ id: target }).first('id'))) continue
      const merged = (await db('customer_aliases').where({ customer_id: target }).first('survivor_id')) as { survivor_id: number } | undefined
      const what = column === 'referred_by_id' ? 'was referred by' : 'was paid for by'
      return merged
        ? `${formatCustomerNumber(Number(m.id))} ${what} ${formatCustomerNumber(target)}, which has since been merged into ${formatCustomerNumber(merged.survivor_id)}: undo that merge first.`
        : `${formatCustomerNumber(Number(m.id))} ${what} ${formatCustomerNumber(target)}, which no longer exists.`
    }
  }
  // References that were turned towards the survivor are turned back on rows that are still there.
  for (const r of data.repointed) {
    const where = r.t === 'customer_aliases' ? { customer_id: r.k } : { id: r.k }
    if (await db(r.t).where(where).first(r.t === 'customer_aliases' ? 'customer_id' : 'id')) continue
    if (r.t === 'customers') {
      const merged = (await db('customer_aliases').where({ customer_id: r.k }).first('survivor_id')) as { survivor_id: number } | undefined
      return merged
        ? `${formatCustomerNumber(Number(r.k))}, whose link to ${formatCustomerNumber(Number(r.from))} this merge moved, has since been merged into ${formatCustomerNumber(merged.survivor_id)}: undo that merge first.`
        : `${formatCustomerNumber(Number(r.k))}, whose link to ${formatCustomerNumber(Number(r.from))} this merge moved, no longer exists.`
    }
    if (r.t === 'bookings' || r.t === 'reward_entries') return `A ${TABLE_WORDS[r.t]} linked to ${formatCustomerNumber(Number(r.from))} has been deleted since the merge.`
  }
  // What was folded away can come back only where it belongs.
  for (const drop of data.dropped) {
    const parent =
      drop.t === 'customer_tags' ? ['tags', drop.row.tag_id] : drop.t === 'customer_group_members' ? ['customer_groups', drop.row.group_id] : drop.t === 'customer_custom_values' ? ['custom_field_definitions', drop.row.field_id] : null
    if (parent && !(await db(parent[0] as string).where({ id: parent[1] }).first('id'))) {
      return `A ${TABLE_WORDS[drop.t]} of ${formatCustomerNumber(Number(drop.row.customer_id))} was deleted from the settings since the merge, so it cannot be put back.`
    }
    if (drop.row.customer_id === survivorId && drop.t !== 'phones' && drop.t !== 'addresses') {
      const occupied = await db(drop.t).where(whereRow(drop.t, drop.t === 'customer_custom_values' ? Number(drop.row.field_id) : survivorId, survivorId)).first('customer_id')
      const movedHere = data.moved.some((m) => m.t === drop.t && (drop.t === 'customer_photos' || m.k === drop.row.field_id))
      if (occupied && !movedHere) return `${label(survivor)}'s ${TABLE_WORDS[drop.t]} has been changed since the merge.`
    }
    if (drop.row.id !== undefined && (await db(drop.t).where({ id: drop.row.id }).first('id'))) {
      return `A ${TABLE_WORDS[drop.t]} of ${formatCustomerNumber(Number(drop.row.customer_id))} cannot be put back: its place is taken.`
    }
  }
  // The restored records must not collide with a live customer's email.
  const survivorEmailAfterUndo = same(survivor.email_normalized, data.set.email_normalized) && 'email_normalized' in data.set ? data.survivor.email_normalized : survivor.email_normalized
  for (const m of data.merged) {
    if (!m.email_normalized || !(m.status === 'active' || m.status === 'blocked')) continue
    const taken = (await db('customers')
      .where({ email_normalized: m.email_normalized })
      .whereIn('status', ['active', 'blocked'])
      .whereNot({ id: survivorId })
      .first('id', 'display_name')) as Row | undefined
    if (taken) return `The email ${String(m.email)} of ${formatCustomerNumber(Number(m.id))} is now used by ${label(taken)}.`
    if (survivorEmailAfterUndo === m.email_normalized && (survivor.status === 'active' || survivor.status === 'blocked')) {
      return `The email ${String(m.email)} of ${formatCustomerNumber(Number(m.id))} is now ${label(survivor)}'s own: change it there first.`
    }
  }
  if (Number(survivor.rewards_balance_minor) - data.rewardsAdded < 0) {
    return `${label(survivor)} has spent rewards since the merge that came from the merged records, so the balances cannot be split again.`
  }
  return null
}

/** The merges of one customer's record (as survivor, or naming its old number), newest first, with Undo where it can be. */
export async function mergesForCustomer(ctx: ServiceContext, customerId: number): Promise<MergeRecord[]> {
  const rows = (await ctx.db('merges').where({ survivor_id: customerId }).orderBy('id', 'desc').limit(20)) as MergeRow[]
  const out: MergeRecord[] = []
  for (const row of rows) {
    const data = decodeUndo(row.undo)
    const mergedIds = JSON.parse(row.merged_ids) as number[]
    out.push({
      id: row.id,
      survivorId: row.survivor_id,
      survivorNumber: formatCustomerNumber(row.survivor_id),
      mergedIds,
      mergedNumbers: mergedIds.map(formatCustomerNumber),
      mergedNames: data.merged.map((m) => String(m.display_name)),
      at: row.at,
      staffName: row.staff_name,
      undoneAt: row.undone_at,
      undoneBy: row.undone_by,
      undoBlockedBy: row.undone_at ? null : await undoBlocker(ctx.db, row, data),
    })
  }
  return out
}

/** The job's name, refusing at once what the job would refuse. */
export async function describeUndo(ctx: ServiceContext, mergeId: number): Promise<string> {
  requireAdmin(ctx, 'Only an administrator can undo a merge.')
  const merge = await loadMerge(ctx.db, mergeId)
  const blocker = await undoBlocker(ctx.db, merge)
  if (blocker) throw new DomainError('CONFLICT', `The merge cannot be undone. ${blocker}`)
  return `Undoing the merge into ${formatCustomerNumber(merge.survivor_id)}`
}

/**
 * Restores the merged records with their own ids and values and moves back
 * exactly what moved, in one transaction; the survivor's fields go back to
 * what they were unless someone has changed them since (then the newer value
 * stays). Refused, with the reason, when anything since makes that inexact.
 */
export async function undoMerge(ctx: ServiceContext, mergeId: number, progress: Progress = NO_PROGRESS): Promise<MergeUndoResult> {
  requireAdmin(ctx, 'Only an administrator can undo a merge.')
  await progress.waitForWriteTurn()
  return ctx.db.transaction(async (trx) => {
    const merge = await loadMerge(trx, mergeId)
    const data = decodeUndo(merge.undo)
    const blocker = await undoBlocker(trx, merge, data)
    if (blocker) throw new DomainError('CONFLICT', `The merge cannot be undone. ${blocker}`)
    const survivorId = Number(data.survivor.id)
    const now = ctx.clock().toISOString()
    const steps = data.moved.length + data.dropped.length + data.repointed.length + 1
    let done = 0
    const tick = (n = 1) => {
      done += n
      if (done % 200 < n) {
        progress.checkCancelled()
        progress.report(Math.min(done, steps), steps, 'Moving everything back')
      }
    }

    // The survivor's own values first (its email may be the one a restored record needs).
    const current = (await trx('customers').where({ id: survivorId }).first()) as Row
    const back: Row = {}
    for (const [column, value] of Object.entries(data.set)) if (same(current[column], value)) back[column] = data.survivor[column]
    if (data.rewardsAdded !== 0) back.rewards_balance_minor = Number(current.rewards_balance_minor) - data.rewardsAdded
    // Links to other customers wait until the records they name are back.
    const links = ['referred_by_id', 'household_payer_id']
    const ownLinks = Object.fromEntries(Object.entries(back).filter(([column]) => links.includes(column)))
    const own = Object.fromEntries(Object.entries(back).filter(([column]) => !links.includes(column)))
    if (Object.keys(own).length) await trx('customers').where({ id: survivorId }).update(own)

    // The records themselves, then their links to each other.
    await trx('customers').insert(data.merged.map((m) => ({ ...m, referred_by_id: null, household_payer_id: null })))
    for (const m of data.merged) {
      const set = Object.fromEntries(links.filter((c) => m[c] !== null).map((c) => [c, m[c]]))
      if (Object.keys(set).length) await trx('customers').where({ id: m.id }).update(set)
    }
    if (Object.keys(ownLinks).length) await trx('customers').where({ id: survivorId }).update(ownLinks)

    await moveRows(trx, data.moved, survivorId, 'back', tick)
    for (const drop of data.dropped) {
      await trx(drop.t).insert(drop.row)
      tick()
    }
    for (const r of data.repointed) {
      const where = r.t === 'customer_aliases' ? { customer_id: r.k } : { id: r.k }
      await trx(r.t).where(where).where((q) => (r.to === null ? q.whereNull(r.c) : q.where(r.c, r.to))).update({ [r.c]: r.from })
      tick()
    }
    for (const c of data.cascaded) {
      // Only where every customer it names is there (the other of a pair may have gone since).
      const named = [...new Set((CASCADED[c.t] ?? []).map((column) => Number(c.row[column])))]
      const found = (await trx('customers').whereIn('id', named).count({ n: '*' })) as Array<{ n: number }>
      if (Number(found[0]!.n) === named.length) await trx(c.t).insert(c.row).onConflict().ignore()
    }

    await trx('customer_aliases').where({ merge_id: mergeId }).delete()
    await trx('merges').where({ id: mergeId }).update({ undone_at: now, undone_by: ctx.staff.name })
    const restoredIds = data.merged.map((m) => Number(m.id))
    await refreshCustomerSearch(trx, [survivorId, ...restoredIds])

    const survivor = (await trx('customers').where({ id: survivorId }).first('id', 'display_name')) as Row
    const base = { at: now, staff_id: ctx.staff.id, staff_name: ctx.staff.name, entity_type: 'customer' }
    const entries: ChainedEntry[] = [
      {
        ...base,
        entity_id: survivorId,
        customer_id: survivorId,
        action: 'customer.mergeUndone',
        summary: `Undid the merge of ${data.merged.map(label).join(' and ')} into this record`,
        changes: JSON.stringify([{ field: 'Merged from', before: data.merged.map(label).join(', '), after: null }]),
      },
      ...data.merged.map((m) => ({
        ...base,
        entity_id: Number(m.id),
        customer_id: Number(m.id),
        action: 'customer.unmerged',
        summary: `Restored: the merge into ${label(survivor)} was undone`,
        changes: JSON.stringify([{ field: 'Merged into', before: label(survivor), after: null }]),
      })),
    ]
    await appendChanges(trx, entries)
    progress.report(steps, steps, 'Done')
    return { mergeId, survivorId, restoredIds, restoredNumbers: restoredIds.map(formatCustomerNumber) }
  })
}
