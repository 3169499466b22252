import type { Knex } from 'knex'
import type { z } from 'zod'
import type { BulkAction, bulkInput, BulkResult, FieldChange } from '../../../preload/contract'
import { refreshCustomerSearch } from '../../../db/search'
import { allRows, selectAllMatchingIds } from '../../../db/queries/customerList'
import { followMergedNumber, searchAndFilters } from '../customers/list'
import type { ServiceContext } from '../context'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { NO_PROGRESS, type Progress } from '../progress'
import { chunks } from '../../../db/idChunks'
import { loadGroup } from './groups'
import { findOrCreateTag } from './tags'
import { addPendingRequests } from '../brochures'
import { appendChanges } from '../changeLog'
import { REVOKED, revokeAccountTokens } from '../siteAccounts/revoke'

type BulkInput = z.output<typeof bulkInput>

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',')

/** Resolves the selection to existing customers outside the recycle bin, refusing if it no longer matches what was seen. */
export async function resolveSelection(trx: Knex, selection: BulkInput['selection']): Promise<number[]> {
  if (selection.kind === 'filter') {
    const { plan, filters } = searchAndFilters(selection.filter)
    await followMergedNumber(trx, plan)
    const ids = await selectAllMatchingIds(trx, selection.tab, plan, filters)
    if (ids.length !== selection.expectedCount) {
      throw new Conflict(`The list changed since you selected it: ${ids.length} customers match now. Check and try again.`)
    }
    return ids
  }
  const ids = [...new Set(selection.ids)]
  let found = 0
  for (const chunk of chunks(ids)) {
    const rows = allRows<{ n: number }>(
      await trx.raw(`SELECT count(*) AS n FROM customers WHERE id IN (${placeholders(chunk.length)}) AND status <> 'deleted'`, chunk),
    )
    found += Number(rows[0]?.n ?? 0)
  }
  if (found !== ids.length) {
    const missing = ids.length - found
    throw ValidationFailed.field(
      'selection',
      `${missing} of the selected customers no longer exist or were deleted meanwhile. Reload the list and select again.`,
    )
  }
  return ids
}

interface Plan {
  /** Runs the action on one chunk of ids and returns the ids it really changed. */
  apply: (chunk: number[]) => Promise<number[]>
  action: string
  summary: string
  change: FieldChange
  /** What the log entry is about: the tag or list, or (when absent) the customer. */
  entity?: { type: string; id: number }
  /** The action writes its own change log entries (one per record it adds). */
  logsItself?: boolean
}

async function planAction(trx: Knex, ctx: ServiceContext, action: BulkAction): Promise<Plan> {
  const now = ctx.clock().toISOString()
  const returning = async (sql: string, bindings: Knex.Value[]) => allRows<{ id: number }>(await trx.raw(sql, bindings)).map((r) => Number(r.id))
  switch (action.kind) {
    case 'tag': {
      const tag = await findOrCreateTag(trx, ctx, action.tagName)
      return {
        action: 'tag.added',
        entity: { type: 'tag', id: tag.id },
        summary: `Bulk: tagged “${tag.name}”`,
        change: { field: 'Tags', before: null, after: tag.name },
        // ON CONFLICT DO NOTHING skips customers who have the tag; RETURNING names only the new links.
        apply: (chunk) =>
          returning(
            `INSERT INTO customer_tags (customer_id, tag_id, created_at) VALUES ${chunk.map(() => '(?, ?, ?)').join(',')}
             ON CONFLICT DO NOTHING RETURNING customer_id AS id`,
            chunk.flatMap((id) => [id, tag.id, now]),
          ),
      }
    }
    case 'untag': {
      const tag = (await trx('tags').where({ id: action.tagId }).first('id', 'name')) as { id: number; name: string } | undefined
      if (!tag) throw new NotFound('This tag no longer exists; reload the tags.')
      return {
        action: 'tag.removed',
        entity: { type: 'tag', id: tag.id },
        summary: `Bulk: removed the tag “${tag.name}”`,
        change: { field: 'Tags', before: tag.name, after: null },
        apply: (chunk) =>
          returning(`DELETE FROM customer_tags WHERE tag_id = ? AND customer_id IN (${placeholders(chunk.length)}) RETURNING customer_id AS id`, [
            tag.id,
            ...chunk,
          ]),
      }
    }
    case 'addToGroup': {
      const group = await loadGroup(trx, action.groupId, 'action.groupId')
      return {
        action: 'group.added',
        entity: { type: 'group', id: group.id },
        summary: `Bulk: added to the list “${group.name}”`,
        change: { field: 'Lists', before: null, after: group.name },
        apply: (chunk) =>
          returning(
            `INSERT INTO customer_group_members (customer_id, group_id, created_at) VALUES ${chunk.map(() => '(?, ?, ?)').join(',')}
             ON CONFLICT DO NOTHING RETURNING customer_id AS id`,
            chunk.flatMap((id) => [id, group.id, now]),
          ),
      }
    }
    case 'removeFromGroup': {
      const group = await loadGroup(trx, action.groupId, 'action.groupId')
      return {
        action: 'group.removed',
        entity: { type: 'group', id: group.id },
        summary: `Bulk: removed from the list “${group.name}”`,
        change: { field: 'Lists', before: group.name, after: null },
        apply: (chunk) =>
          returning(
            `DELETE FROM customer_group_members WHERE group_id = ? AND customer_id IN (${placeholders(chunk.length)}) RETURNING customer_id AS id`,
            [group.id, ...chunk],
          ),
      }
    }
    case 'archive':
      return {
        action: 'customer.archived',
        summary: 'Bulk: archived',
        change: { field: 'Status', before: 'Active or blocked', after: 'Archived' },
        // Already archived customers are left alone and count as unchanged. The counter trigger follows the status.
        apply: async (chunk) => {
          const ids = await returning(
            `UPDATE customers SET status = 'archived', status_reason = '', archived_at = ?, updated_at = ?
             WHERE id IN (${placeholders(chunk.length)}) AND status IN ('active', 'blocked') RETURNING id`,
            [now, now, ...chunk],
          )
          await refreshCustomerSearch(trx, ids)
          await revokeAccountTokens(trx, ids, REVOKED.archived, now)
          return ids
        },
      }
    case 'requestBrochure':
      return {
        action: 'brochure.requested',
        summary: 'Brochure requested',
        change: { field: 'Brochure', before: null, after: 'Requested' },
        logsItself: true,
        apply: (chunk) => addPendingRequests(trx, ctx, chunk),
      }
  }
}

/** One log row per changed customer, chained in the order the customers were changed. */
async function logChanged(trx: Knex, ctx: ServiceContext, ids: number[], plan: Plan): Promise<void> {
  const at = ctx.clock().toISOString()
  const changes = JSON.stringify([plan.change])
  await appendChanges(
    trx,
    ids.map((id) => ({
      at,
      staff_id: ctx.staff.id,
      staff_name: ctx.staff.name,
      entity_type: plan.entity?.type ?? 'customer',
      entity_id: plan.entity?.id ?? id,
      customer_id: id,
      action: plan.action,
      summary: plan.summary,
      changes,
    })),
  )
}

/**
 * Tags, untags, adds to or removes from a list, archives, or requests a
 * brochure for every selected customer, all in ONE transaction: either every customer is done or none
 * (Cancel included). The selection is checked first (ids exist; a filter
 * still matches the count the receptionist saw). Statements go in chunks of
 * 500 ids, with progress after each. Runs as a job, off the main thread.
 */
export async function runBulkAction(ctx: ServiceContext, input: BulkInput, progress: Progress = NO_PROGRESS): Promise<BulkResult> {
  return ctx.db.transaction(async (trx) => {
    const ids = await resolveSelection(trx, input.selection)
    const plan = await planAction(trx, ctx, input.action)
    const changed: number[] = []
    let done = 0
    progress.report(0, ids.length)
    for (const chunk of chunks(ids)) {
      progress.checkCancelled()
      changed.push(...(await plan.apply(chunk)))
      done += chunk.length
      progress.report(done, ids.length)
    }
    progress.checkCancelled()
    if (!plan.logsItself) await logChanged(trx, ctx, changed, plan)
    return { selected: ids.length, changed: changed.length }
  })
}

const VERBS: Record<BulkAction['kind'], (who: string) => string> = {
  tag: (who) => `Tagging ${who}`,
  untag: (who) => `Removing a tag from ${who}`,
  addToGroup: (who) => `Adding ${who} to a list`,
  removeFromGroup: (who) => `Removing ${who} from a list`,
  archive: (who) => `Archiving ${who}`,
  requestBrochure: (who) => `Requesting a brochure for ${who}`,
}

/** What a bulk job is called while it runs, and how many customers it will go through. */
export function describeBulkAction(input: BulkInput): { label: string; total: number } {
  const total = input.selection.kind === 'ids' ? new Set(input.selection.ids).size : input.selection.expectedCount
  const who = `${total.toLocaleString('en-GB')} customer${total === 1 ? '' : 's'}`
  const label = VERBS[input.action.kind](who)
  return { label: input.action.kind === 'tag' ? `${label} “${input.action.tagName}”` : label, total }
}
