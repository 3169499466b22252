import type { Knex } from 'knex'
import type { MergePreview, MergeResult } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { DomainError } from '../errors'
import { NO_PROGRESS, type Progress } from '../progress'
import { requireAdmin } from '../permissions'
import { appendChanges } from '../changeLog'
import type { ChainedEntry } from '../../../db/changeChain'
import { refreshCustomerSearch } from '../../../db/search'
import { backupBeforeBulkChange } from '../backups'
import { formatCustomerNumber } from '../customers/normalize'
import { getSettings } from '../app/settings'
import { CASCADED, label, planMerge, type MergePlan } from './plan'
import { encodeUndo, moveRows, type MergeUndoData, type Row } from './rows'
import { REVOKED, revokeAccountTokens } from '../siteAccounts/revoke'

export interface MergeRequest {
  customerIds: number[]
  survivorId: number
  choices: Record<string, number>
}

const ADMIN_ONLY = 'Only an administrator can merge customers.'

/** What a merge would do, for the person to check and choose before anything is written. */
export async function previewMerge(ctx: ServiceContext, customerIds: number[], survivorId: number, choices: Record<string, number> = {}): Promise<MergePreview> {
  requireAdmin(ctx, ADMIN_ONLY)
  const plan = await planMerge(ctx.db, customerIds, survivorId, choices)
  return {
    survivorId,
    customers: plan.all.map((r) => ({
      id: Number(r.id),
      number: formatCustomerNumber(Number(r.id)),
      displayName: String(r.display_name),
      email: String(r.email),
      status: r.status as MergePreview['customers'][number]['status'],
      createdAt: String(r.created_at),
    })),
    fields: plan.fields,
    counts: plan.counts,
    conflicts: plan.conflicts,
    consent: plan.consent,
    rewardsBalanceMinor: Number(plan.survivor.rewards_balance_minor) + plan.rewardsAdded,
    currency: (await getSettings(ctx)).currency,
    totalRows: plan.totalRows,
    canMerge: !plan.conflicts.some((c) => c.level === 'block'),
  }
}

function refuseBlocked(plan: MergePlan): void {
  const blocks = plan.conflicts.filter((c) => c.level === 'block')
  if (blocks.length) throw new DomainError('CONFLICT', `Nothing was merged. ${blocks.map((b) => b.message).join(' ')}`)
}

/** The job's name, refusing at once what the job would refuse. */
export async function describeMerge(ctx: ServiceContext, request: MergeRequest): Promise<string> {
  requireAdmin(ctx, ADMIN_ONLY)
  const plan = await planMerge(ctx.db, request.customerIds, request.survivorId, request.choices)
  refuseBlocked(plan)
  return `Merging ${plan.merged.map((r) => formatCustomerNumber(Number(r.id))).join(' and ')} into ${formatCustomerNumber(request.survivorId)}`
}

const SUMMARY_COUNT_KEYS = new Set(['bookings', 'customer_plans', 'notes', 'phones', 'addresses', 'customer_tags', 'customer_group_members', 'payment_methods'])

/**
 * Merges two or three records into the survivor, in one transaction: every
 * related row moves (duplicates folded into the survivor's own), the chosen
 * values are written, references follow, the merged records are deleted and
 * their numbers become aliases of the survivor. What was done is kept with
 * the merge so that undo can put everything back.
 */
export async function mergeCustomers(ctx: ServiceContext, request: MergeRequest, progress: Progress = NO_PROGRESS): Promise<MergeResult> {
  requireAdmin(ctx, ADMIN_ONLY)
  const sizing = await planMerge(ctx.db, request.customerIds, request.survivorId, request.choices)
  refuseBlocked(sizing)
  // Made before the write turn is asked for, as an import's is: the desk keeps saving while it is copied and checked.
  await backupBeforeBulkChange(ctx, 'merge', sizing.totalRows, progress)
  await progress.waitForWriteTurn()
  return ctx.db.transaction(async (trx) => {
    // Planned again inside the write turn: nothing can change between plan and write.
    const plan = await planMerge(trx, request.customerIds, request.survivorId, request.choices)
    refuseBlocked(plan)
    const survivorId = Number(plan.survivor.id)
    const mergedIds = plan.merged.map((r) => Number(r.id))
    const now = ctx.clock().toISOString()
    const steps = plan.moved.length + plan.dropped.length + plan.repointed.length + 1
    let done = 0
    const tick = (n = 1) => {
      done += n
      if (done % 200 < n) {
        progress.checkCancelled()
        progress.report(Math.min(done, steps), steps, 'Moving bookings, notes and the rest')
      }
    }

    // Links emailed to the merged records stop working, before any of their rows move; undo does not bring them back.
    await revokeAccountTokens(trx, mergedIds, REVOKED.merged, now)
    // The survivor taking another record's email: its own links went to the address it no longer has.
    if ('email_normalized' in plan.set) await revokeAccountTokens(trx, [survivorId], REVOKED.emailChanged, now)
    // Rows that are folded into the survivor's own go first (tags, phones, a replaced photo…).
    for (const drop of plan.dropped) {
      const key = drop.t === 'customer_tags' ? 'tag_id' : drop.t === 'customer_group_members' ? 'group_id' : drop.t === 'customer_custom_values' ? 'field_id' : null
      if (drop.t === 'addresses') {
        for (const r of plan.repointed.filter((p) => p.t === 'bookings' && p.from === drop.row.id)) {
          await trx('bookings').where({ id: r.k }).update({ address_id: r.to })
        }
      }
      await trx(drop.t).where(key ? { customer_id: drop.row.customer_id, [key]: drop.row[key] } : drop.t === 'customer_photos' ? { customer_id: drop.row.customer_id } : { id: drop.row.id }).delete()
      tick()
    }
    await moveRows(trx, plan.moved, survivorId, 'in', tick)
    for (const r of plan.repointed) {
      if (r.t === 'bookings') continue
      await trx(r.t).where(r.t === 'customer_aliases' ? { customer_id: r.k } : { id: r.k }).update({ [r.c]: r.to })
      tick()
    }
    for (const [table, columns] of Object.entries(CASCADED)) {
      for (const column of columns) await trx(table).whereIn(column, mergedIds).delete()
    }

    // The merged records go; the survivor takes the chosen values.
    await trx('customers').whereIn('id', mergedIds).delete()
    const set: Row = { ...plan.set, updated_at: now }
    if (plan.rewardsAdded !== 0) set.rewards_balance_minor = Number(plan.survivor.rewards_balance_minor) + plan.rewardsAdded
    const { rewards_balance_minor: _balance, ...written } = set
    await trx('customers').where({ id: survivorId }).update(set)

    const undo: MergeUndoData = {
      v: 1,
      survivor: plan.survivor,
      set: written,
      rewardsAdded: plan.rewardsAdded,
      merged: plan.merged,
      moved: plan.moved,
      dropped: plan.dropped,
      repointed: plan.repointed,
      cascaded: plan.cascaded,
    }
    const [mergeId] = (await trx('merges')
      .insert({ survivor_id: survivorId, merged_ids: JSON.stringify(mergedIds), at: now, staff_id: ctx.staff.id, staff_name: ctx.staff.name, undo: encodeUndo(undo) })
      .returning('id')) as Array<{ id: number } | number>
    const id = typeof mergeId === 'object' ? mergeId.id : Number(mergeId)
    await trx('customer_aliases').insert(mergedIds.map((m) => ({ customer_id: m, survivor_id: survivorId, merge_id: id })))
    await refreshCustomerSearch(trx, [survivorId, ...mergedIds])
    await logMerge(trx, ctx, plan, now)
    progress.report(steps, steps, 'Done')
    return {
      mergeId: id,
      survivorId,
      survivorNumber: formatCustomerNumber(survivorId),
      mergedNumbers: mergedIds.map(formatCustomerNumber),
      moved: plan.moved.length,
    }
  })
}

/** One entry on the survivor, one on each merged record (under its own number, which its history keeps). */
async function logMerge(trx: Knex, ctx: ServiceContext, plan: MergePlan, at: string): Promise<void> {
  const survivorId = Number(plan.survivor.id)
  const moved = plan.counts.filter((c) => SUMMARY_COUNT_KEYS.has(c.key) && c.moves > 0).map((c) => `${c.moves} ${c.label.toLowerCase()}`)
  const changes = plan.fields
    .filter((f) => f.values.find((v) => v.customerId === survivorId)!.text !== f.values.find((v) => v.customerId === plan.chosen[f.key]!)!.text)
    .map((f) => ({
      field: f.label,
      before: f.values.find((v) => v.customerId === survivorId)!.text || null,
      after: f.values.find((v) => v.customerId === plan.chosen[f.key]!)!.text || null,
    }))
  const base = { at, staff_id: ctx.staff.id, staff_name: ctx.staff.name, entity_type: 'customer' }
  const entries: ChainedEntry[] = [
    {
      ...base,
      entity_id: survivorId,
      customer_id: survivorId,
      action: 'customer.merged',
      summary: `Merged ${plan.merged.map(label).join(' and ')} into this record${moved.length ? `: ${moved.join(', ')} moved` : ''}`,
      changes: JSON.stringify([{ field: 'Merged from', before: null, after: plan.merged.map(label).join(', ') }, ...changes]),
    },
    ...plan.merged.map((row) => ({
      ...base,
      entity_id: Number(row.id),
      customer_id: Number(row.id),
      action: 'customer.mergedInto',
      summary: `Merged into ${label(plan.survivor)}`,
      changes: JSON.stringify([{ field: 'Merged into', before: null, after: label(plan.survivor) }]),
    })),
  ]
  await appendChanges(trx, entries)
}
