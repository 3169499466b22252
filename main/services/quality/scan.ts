import type { Knex } from 'knex'
import { qualityCategories, type QualityCategory, type QualityScanResult } from '../../../preload/contract'
import { chunks } from '../../../db/idChunks'
import { getSettings } from '../app/settings'
import type { ServiceContext } from '../context'
import { NO_PROGRESS, type Progress } from '../progress'
import { loadFacts } from './facts'
import { countLikelyDuplicates } from './queue'
import { recheckCustomers } from './recheck'
import { inactiveBefore, issuesOf } from './rules'
import { addToList } from '../groupedLists'

/** Customers read per step: a few indexed range reads each, so progress moves and Cancel is heard often. */
const STEP = 5000
/** Rows per insert: SQLite's multi-row insert allows at most 500. */
const INSERT_ROWS = 400

interface IssueRow {
  category: QualityCategory
  customer_id: number
  detail: string
  found_at: string
}

const zeroCounts = (): Record<QualityCategory, number> => Object.fromEntries(qualityCategories.map((c) => [c, 0])) as Record<QualityCategory, number>

/**
 * Checks every customer and brings the queue up to date. Reads the whole
 * book first without holding up the desk's saves, comparing with the rows
 * kept, then writes only what changed, in one transaction (Cancel before
 * then changes nothing). Customers saved meanwhile were re-checked by their
 * own save and are checked once more as it ends.
 */
export async function scanQuality(ctx: ServiceContext, progress: Progress = NO_PROGRESS): Promise<QualityScanResult> {
  const started = performance.now()
  const now = ctx.clock()
  const startedAt = now.toISOString()
  const { retentionMonths } = await getSettings(ctx)
  const cut = inactiveBefore(now, retentionMonths)
  const bounds = (await ctx.db('customers').min({ lo: 'id' }).max({ hi: 'id' }).first()) as { lo: number | null; hi: number | null }
  const lo = bounds.lo ?? 1
  const hi = bounds.hi ?? 0
  const counts = zeroCounts()
  const inserts: IssueRow[] = []
  const updates: IssueRow[] = []
  const deletes = new Map<QualityCategory, number[]>()
  let customers = 0

  progress.report(0, Math.max(0, hi - lo + 1), 'Checking customers')
  for (let from = lo; from <= hi; from += STEP) {
    progress.checkCancelled()
    const to = Math.min(hi, from + STEP - 1)
    const facts = await loadFacts(ctx.db, { from, to })
    const kept = (await ctx.db('quality_issues').whereBetween('customer_id', [from, to]).select('category', 'customer_id', 'detail')) as Array<
      Pick<IssueRow, 'category' | 'customer_id' | 'detail'>
    >
    const old = new Map(kept.map((r) => [`${r.category}:${r.customer_id}`, r]))
    for (const f of facts) {
      customers++
      for (const issue of issuesOf(f, cut)) {
        counts[issue.category]++
        const key = `${issue.category}:${f.id}`
        const before = old.get(key)
        const row = { category: issue.category, customer_id: f.id, detail: issue.detail, found_at: startedAt }
        if (!before) inserts.push(row)
        else {
          if (before.detail !== issue.detail) updates.push(row)
          old.delete(key)
        }
      }
    }
    // A fix made in bulk (emails for everyone) puts a hundred thousand of one kind here.
    for (const gone of old.values()) addToList(deletes, gone.category, gone.customer_id)
    progress.report(to - lo + 1, hi - lo + 1, 'Checking customers')
  }

  progress.checkCancelled()
  await progress.waitForWriteTurn()
  const total = inserts.length + updates.length + [...deletes.values()].reduce((n, ids) => n + ids.length, 0)
  await ctx.db.transaction(async (trx) => {
    let done = 0
    progress.report(0, total, 'Saving the queue')
    for (const [category, ids] of deletes) {
      for (const chunk of chunks(ids)) {
        progress.checkCancelled()
        await trx('quality_issues').where({ category }).whereIn('customer_id', chunk).delete()
        done += chunk.length
        progress.report(done, total, 'Saving the queue')
      }
    }
    for (const row of updates) await trx('quality_issues').where({ category: row.category, customer_id: row.customer_id }).update({ detail: row.detail })
    done += updates.length
    for (const chunk of chunks(inserts, INSERT_ROWS)) {
      progress.checkCancelled()
      await trx('quality_issues').insert(chunk).onConflict(['category', 'customer_id']).merge(['detail'])
      done += chunk.length
      progress.report(done, total, 'Saving the queue')
    }
    progress.checkCancelled()
    await recheckCustomers(trx, await changedSince(trx, startedAt), now)
    const ms = Math.round(performance.now() - started)
    await trx('quality_checks').insert({ id: 1, checked_at: startedAt, customers, ms }).onConflict('id').merge()
  })
  counts.duplicate = await countLikelyDuplicates(ctx)
  return { customers, counts, ms: Math.round(performance.now() - started) }
}

/** Customers whose record, brochure requests or consent changed since the scan began reading. */
async function changedSince(db: Knex, since: string): Promise<number[]> {
  const rows = (await db
    .select('id as customer_id')
    .from('customers')
    .where('updated_at', '>=', since)
    .union((q) => q.select('customer_id').from('brochure_requests').where('updated_at', '>=', since))
    .union((q) => q.select('customer_id').from('consent_events').where('at', '>=', since))) as Array<{ customer_id: number }>
  return rows.map((r) => r.customer_id)
}
