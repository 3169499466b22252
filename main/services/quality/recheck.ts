import type { Knex } from 'knex'
import { chunks } from '../../../db/idChunks'
import { getSettings } from '../app/settings'
import { allCreatedNow, loadFacts, type KnownRecord } from './facts'
import { inactiveBefore, issuesOf } from './rules'

interface IssueRow {
  category: string
  customer_id: number
  detail: string
  found_at: string
}

/**
 * Brings the queue's rows for these customers up to date, in the caller's
 * transaction: called after a save, so a fixed problem drops off at once and
 * a new one shows. A few indexed reads per customer; `settings` and the
 * saved records (`known`) when the caller has read them already.
 */
export async function recheckCustomers(
  db: Knex,
  ids: number[],
  now: Date,
  settings?: { retentionMonths: number },
  known?: readonly KnownRecord[],
): Promise<void> {
  const unique = [...new Set(ids)]
  if (!unique.length) return
  const { retentionMonths } = settings ?? (await getSettings({ db }))
  const cut = inactiveBefore(now, retentionMonths)
  const foundAt = now.toISOString()
  for (const chunk of chunks(unique)) {
    const found = (await loadFacts(db, { ids: chunk }, known)).flatMap((facts) =>
      issuesOf(facts, cut).map((issue) => ({ category: issue.category, customer_id: facts.id, detail: issue.detail, found_at: foundAt })),
    )
    await replaceIssues(db, chunk, found, allCreatedNow(known, chunk))
  }
}

/**
 * Makes these customers' rows exactly `found`, keeping when a problem that stays was first found.
 * `noneYet`: the customers were created in this transaction, so they have no rows to compare with.
 */
export async function replaceIssues(db: Knex, ids: number[], found: IssueRow[], noneYet = false): Promise<void> {
  const existing = noneYet
    ? []
    : ((await db('quality_issues').whereIn('customer_id', ids).select('category', 'customer_id', 'detail')) as Array<Omit<IssueRow, 'found_at'>>)
  const key = (r: { category: string; customer_id: number }) => `${r.category}:${r.customer_id}`
  const wanted = new Map(found.map((r) => [key(r), r]))
  for (const old of existing) {
    const now = wanted.get(key(old))
    if (!now) await db('quality_issues').where({ category: old.category, customer_id: old.customer_id }).delete()
    else {
      if (now.detail !== old.detail) await db('quality_issues').where({ category: old.category, customer_id: old.customer_id }).update({ detail: now.detail })
      wanted.delete(key(old))
    }
  }
  for (const rows of chunks([...wanted.values()], 400)) await db('quality_issues').insert(rows)
}
