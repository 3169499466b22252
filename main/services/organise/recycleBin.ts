import type { Knex } from 'knex'
import type { CustomerDetail, RecycledCustomer, RecyclePurgeResult } from '../../../preload/contract'
import { refreshCustomerSearch, rewriteCustomerSearch } from '../../../db/search'
import { assertEmailFree } from '../customers/customers'
import { formatCustomerNumber, normalizeEmail } from '../customers/normalize'
import { loadCustomer, logCustomerChange } from '../customers/records'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { Conflict } from '../errors'
import { getSettings } from '../app/settings'
import { chunks } from '../../../db/idChunks'
import { clearWriteAheadLog, removePersonRows } from '../privacy/erasure'
import { erasedRefusal } from '../privacy/erased'
import { REVOKED, revokeAccountTokens } from '../siteAccounts/revoke'
import { NO_PROGRESS, type Progress } from '../progress'

const DAY_MS = 86_400_000
/** The bin is emptied after a month by default; more than this many at once is shown newest first, the rest on the next look. */
const BIN_LIST_LIMIT = 1000

interface BinRow {
  id: number
  display_name: string
  email: string
  deleted_at: string
  deleted_by: string | null
}

function toRecycled(row: BinRow, days: number): RecycledCustomer {
  return {
    id: row.id,
    number: formatCustomerNumber(row.id),
    displayName: row.display_name,
    email: row.email,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by ?? '',
    purgeOn: new Date(Date.parse(row.deleted_at) + days * DAY_MS).toISOString(),
  }
}

function binQuery(db: Knex): Knex.QueryBuilder {
  return db('customers as c')
    .where('c.status', 'deleted')
    .select(
      'c.id',
      'c.display_name',
      'c.email',
      'c.deleted_at',
      // Who deleted it is in the log already; the (customer_id, id) index finds it.
      db.raw(
        `(SELECT l.staff_name FROM change_log l WHERE l.customer_id = c.id AND l.action = 'customer.deleted' ORDER BY l.id DESC LIMIT 1) AS deleted_by`,
      ),
    )
}

/**
 * Moves a customer to the recycle bin: out of every tab, search and count,
 * email free for someone else; everything kept until the bin is emptied.
 */
export async function deleteCustomer(ctx: ServiceContext, id: number): Promise<RecycledCustomer> {
  const { recycleBinDays } = await getSettings(ctx)
  return ctx.db.transaction(async (trx) => {
    const before = await loadCustomer(trx, id)
    if (before.erasedAt) throw erasedRefusal(before.number, before.erasedAt)
    if (before.status === 'deleted') throw new Conflict(`${before.displayName} (${before.number}) is already in the recycle bin.`)
    const now = ctx.clock().toISOString()
    await trx('customers').where({ id }).update({ status: 'deleted', status_before_delete: before.status, deleted_at: now, updated_at: now })
    // Restoring from the bin does not bring the online booking site's links back.
    await revokeAccountTokens(trx, [id], REVOKED.deleted, now)
    const after = await loadCustomer(trx, id)
    await logCustomerChange(trx, ctx, {
      action: 'customer.deleted',
      summary: `Moved ${before.displayName} to the recycle bin`,
      before,
      after,
    })
    const [row] = (await binQuery(trx).where('c.id', id)) as BinRow[]
    return toRecycled(row!, recycleBinDays)
  })
}

/** Deleted at or before this moment: past their time in the bin, due to be removed for good. */
async function expiryCutoff(ctx: ServiceContext): Promise<{ cutoff: string; days: number }> {
  const { recycleBinDays } = await getSettings(ctx)
  return { cutoff: new Date(ctx.clock().getTime() - recycleBinDays * DAY_MS).toISOString(), days: recycleBinDays }
}

/**
 * The recycle bin, newest first. Customers past their time are left out:
 * they are being removed for good in the background (see purgeExpiredCustomers).
 */
export async function listRecycleBin(ctx: ServiceContext): Promise<RecycledCustomer[]> {
  const { cutoff, days } = await expiryCutoff(ctx)
  const rows = (await binQuery(ctx.db)
    .where('c.deleted_at', '>', cutoff)
    .orderBy('c.deleted_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(BIN_LIST_LIMIT)) as BinRow[]
  return rows.map((row) => toRecycled(row, days))
}

/** Whether anyone in the bin is past their time (the bin's own index answers at once). */
export async function hasExpiredCustomers(ctx: ServiceContext): Promise<boolean> {
  const { cutoff } = await expiryCutoff(ctx)
  return Boolean(await ctx.db('customers').where('status', 'deleted').where('deleted_at', '<=', cutoff).first('id'))
}

/** Back to the status it had, if its email is still free among live customers. */
export async function restoreCustomer(ctx: ServiceContext, id: number): Promise<CustomerDetail> {
  return ctx.db.transaction(async (trx) => {
    const before = await loadCustomer(trx, id)
    if (before.status !== 'deleted') throw new Conflict(`${before.displayName} (${before.number}) is not in the recycle bin.`)
    const row = (await trx('customers').where({ id }).first('status_before_delete')) as { status_before_delete: string | null }
    const status = row.status_before_delete === 'archived' || row.status_before_delete === 'blocked' ? row.status_before_delete : 'active'
    if (status !== 'archived') await assertEmailFree(trx, normalizeEmail(before.email), id)
    await trx('customers')
      .where({ id })
      .update({ status, status_before_delete: null, deleted_at: null, updated_at: ctx.clock().toISOString() })
    // The search index may have been emptied of it meanwhile (a rebuild): make sure it is findable again.
    await refreshCustomerSearch(trx, [id])
    const after = await loadCustomer(trx, id)
    await logCustomerChange(trx, ctx, {
      action: 'customer.restored',
      summary: `Restored ${after.displayName} from the recycle bin`,
      before,
      after,
    })
    return after
  })
}

/**
 * Removes customers for good: their personal rows as an erasure removes them,
 * then the row and, by ON DELETE CASCADE, what is left of it. The change log
 * keeps its entries (append-only, no foreign key) with the personal values
 * redacted, and records the removal by customer number only. Then the search
 * index is rewritten so no removed string stays in its pages: seconds in a
 * large file, so this runs as a job.
 */
async function purgeCustomers(trx: Knex, ctx: ServiceContext, ids: number[], summary: string, progress: Progress): Promise<void> {
  const at = ctx.clock().toISOString()
  // The index rewrite is about as long as everything before it at a million customers: counted as one more step.
  const total = ids.length + 1
  let done = 0
  progress.report(0, total, 'Removing personal data')
  for (const chunk of chunks(ids)) {
    await removePersonRows(trx, chunk, at)
    await trx('customers').whereIn('id', chunk).where('status', 'deleted').delete()
    await refreshCustomerSearch(trx, chunk)
    for (const id of chunk) {
      await recordChange(trx, ctx, { customerId: id, entityType: 'customer', entityId: id, action: 'customer.purged', summary: `${summary}: ${formatCustomerNumber(id)}` })
    }
    done += chunk.length
    progress.checkCancelled()
    progress.report(done, total, 'Removing personal data')
  }
  progress.report(done, total, 'Rewriting the search index')
  await rewriteCustomerSearch(trx)
  progress.checkCancelled()
}

async function binnedCustomer(db: Knex, id: number): Promise<CustomerDetail> {
  const customer = await loadCustomer(db, id)
  if (customer.status !== 'deleted') {
    throw new Conflict(`${customer.displayName} (${customer.number}) is not in the recycle bin; delete them first.`)
  }
  return customer
}

/** The job's label, after checking the customer is in the bin (refused at once otherwise). */
export async function describePurge(ctx: ServiceContext, id: number): Promise<string> {
  const customer = await binnedCustomer(ctx.db, id)
  return `Deleting ${customer.displayName} (${customer.number}) for good`
}

/** Removes one customer in the bin for good now; all or nothing. */
export async function purgeCustomer(ctx: ServiceContext, id: number, progress: Progress = NO_PROGRESS): Promise<RecyclePurgeResult> {
  await ctx.db.transaction(async (trx) => {
    await binnedCustomer(trx, id)
    await purgeCustomers(trx, ctx, [id], 'Removed for good from the recycle bin', progress)
  })
  // The removed values must not linger in the write-ahead log either.
  progress.report(2, 2, 'Clearing the write-ahead log')
  return { purged: 1, checkpointed: await clearWriteAheadLog(ctx.db) }
}

/** Empties the bin of everything deleted more than `recycleBinDays` ago (by the injected clock). */
export async function purgeExpiredCustomers(ctx: ServiceContext, progress: Progress = NO_PROGRESS): Promise<RecyclePurgeResult> {
  const { cutoff, days } = await expiryCutoff(ctx)
  const purged = await ctx.db.transaction(async (trx) => {
    const rows = (await trx('customers').where('status', 'deleted').where('deleted_at', '<=', cutoff).select('id')) as Array<{ id: number }>
    if (rows.length) {
      await purgeCustomers(
        trx,
        ctx,
        rows.map((r) => r.id),
        `Removed for good after ${days} days in the recycle bin`,
        progress,
      )
    }
    return rows.length
  })
  if (!purged) return { purged, checkpointed: false }
  progress.report(purged + 1, purged + 1, 'Clearing the write-ahead log')
  return { purged, checkpointed: await clearWriteAheadLog(ctx.db) }
}
