import { qualityCategories, isPlausibleEmail, type QualityCategory, type QualityCounts, type QualityPage, type QualityRow } from '../../../preload/contract'
import { formatDay, localDay } from '../calendarDay'
import type { ServiceContext } from '../context'
import { formatCustomerNumber } from '../customers/normalize'
import { phoneProblem } from './phones'
import { addToList } from '../groupedLists'

type PageInput = { category: QualityCategory; after?: number; pageSize: number }

/**
 * The rows of the queue that still concern live people: erased and deleted
 * customers are never shown, and a customer archived since (one by one or in
 * bulk) is no longer inactive, before the next check says so too.
 */
function liveIssues(ctx: ServiceContext) {
  return ctx
    .db('quality_issues as q')
    .join('customers as c', 'c.id', 'q.customer_id')
    .whereNot('c.status', 'deleted')
    .whereNull('c.erased_at')
    .where((q) => q.whereNot('q.category', 'inactive').orWhereIn('c.status', ['active', 'blocked']))
}

/**
 * Pairs the duplicate scan found that no one dismissed, between two live
 * customers: read as they are now, so a merge or a dismissal settles a row
 * at once. Each pair is one row, on its lower customer.
 */
function liveDuplicatePairs(ctx: ServiceContext) {
  return ctx
    .db('duplicate_pairs as p')
    .join('customers as a', 'a.id', 'p.customer_a')
    .join('customers as b', 'b.id', 'p.customer_b')
    .leftJoin('duplicate_dismissals as d', function () {
      this.on('d.customer_a', 'p.customer_a').andOn('d.customer_b', 'p.customer_b')
    })
    .whereNull('d.customer_a')
    .whereNot('a.status', 'deleted')
    .whereNull('a.erased_at')
    .whereNot('b.status', 'deleted')
    .whereNull('b.erased_at')
}

/** How many customers have likely duplicates (counted on their lower-numbered record). */
export async function countLikelyDuplicates(ctx: ServiceContext): Promise<number> {
  const [row] = (await liveDuplicatePairs(ctx).countDistinct({ n: 'p.customer_a' })) as Array<{ n: number | string }>
  return Number(row?.n ?? 0)
}

/**
 * How many customers each category holds, and when the book was last
 * checked. Counts every row (up to a million): the handler runs it in the
 * read worker, never on the main thread.
 */
export async function qualityCounts(ctx: ServiceContext): Promise<QualityCounts> {
  const rows = (await liveIssues(ctx).groupBy('q.category').select('q.category').count({ n: '*' })) as Array<{ category: string; n: number | string }>
  const counts = Object.fromEntries(qualityCategories.map((c) => [c, 0])) as Record<QualityCategory, number>
  for (const row of rows) if (row.category in counts) counts[row.category as QualityCategory] = Number(row.n)
  counts.duplicate = await countLikelyDuplicates(ctx)
  const check = (await ctx.db('quality_checks').where({ id: 1 }).first('checked_at')) as { checked_at: string } | undefined
  return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0), checkedAt: check?.checked_at ?? null }
}

/** One page of a category, in customer-number order (keyset paging: as quick on the last page as on the first). */
export async function qualityPage(ctx: ServiceContext, input: PageInput): Promise<QualityPage> {
  if (input.category === 'duplicate') return duplicatePage(ctx, input)
  const query = liveIssues(ctx).where('q.category', input.category)
  if (input.after !== undefined) query.where('q.customer_id', '>', input.after)
  const found = (await query
    .orderBy('q.customer_id')
    .limit(input.pageSize + 1)
    .select('q.customer_id', 'q.detail', 'c.display_name', 'c.status', 'c.email')) as Array<{
    customer_id: number
    detail: string
    display_name: string
    status: QualityRow['status']
    email: string
  }>
  const more = found.length > input.pageSize
  const rows = found.slice(0, input.pageSize)
  const phones = input.category === 'invalidPhone' ? await phonesOf(ctx, rows.map((r) => r.customer_id)) : new Map<number, string[]>()
  return {
    rows: rows.map((r) => ({
      customerId: r.customer_id,
      number: formatCustomerNumber(r.customer_id),
      displayName: r.display_name,
      status: r.status,
      problem: problemOf(input.category, r, phones.get(r.customer_id) ?? []),
      otherIds: [],
      lastActivityAt: input.category === 'inactive' ? r.detail || null : null,
    })),
    nextAfter: more ? (rows.at(-1)?.customer_id ?? null) : null,
  }
}

/** Customers with likely duplicates, each with the others (most likely first), in customer-number order. */
async function duplicatePage(ctx: ServiceContext, input: PageInput): Promise<QualityPage> {
  const query = liveDuplicatePairs(ctx).distinct('p.customer_a', 'a.display_name', 'a.status')
  if (input.after !== undefined) query.where('p.customer_a', '>', input.after)
  const found = (await query.orderBy('p.customer_a').limit(input.pageSize + 1)) as Array<{ customer_a: number; display_name: string; status: QualityRow['status'] }>
  const more = found.length > input.pageSize
  const rows = found.slice(0, input.pageSize)
  const others = new Map<number, number[]>()
  if (rows.length) {
    const pairs = (await liveDuplicatePairs(ctx)
      .whereIn(
        'p.customer_a',
        rows.map((r) => r.customer_a),
      )
      .orderBy([{ column: 'p.customer_a' }, { column: 'p.score', order: 'desc' }, { column: 'p.customer_b' }])
      .select('p.customer_a', 'p.customer_b')) as Array<{ customer_a: number; customer_b: number }>
    for (const p of pairs) addToList(others, p.customer_a, p.customer_b)
  }
  return {
    rows: rows.map((r) => {
      const otherIds = others.get(r.customer_a) ?? []
      return {
        customerId: r.customer_a,
        number: formatCustomerNumber(r.customer_a),
        displayName: r.display_name,
        status: r.status,
        problem: problemOf('duplicate', { detail: otherIds.map(formatCustomerNumber).join(', '), email: '' }, []),
        otherIds,
        lastActivityAt: null,
      }
    }),
    nextAfter: more ? (rows.at(-1)?.customer_a ?? null) : null,
  }
}

/** Each customer's numbers that cannot be dialled, as sentences. */
async function phonesOf(ctx: ServiceContext, ids: number[]): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>()
  if (!ids.length) return found
  const phones = (await ctx.db('phones').whereIn('customer_id', ids).orderBy(['customer_id', 'position']).select('customer_id', 'number', 'e164')) as Array<{
    customer_id: number
    number: string
    e164: string | null
  }>
  for (const p of phones) {
    const problem = phoneProblem(p.number, p.e164)
    if (problem) addToList(found, p.customer_id, problem)
  }
  return found
}

function problemOf(category: QualityCategory, row: { detail: string; email: string }, phoneProblems: string[]): string {
  switch (category) {
    case 'missingEmail':
      return 'No email address.'
    case 'invalidEmail':
      // Checked again as shown: the record may have been put right since the last check.
      return isPlausibleEmail(row.email.trim()) ? 'The email address was corrected after the last check.' : `“${row.email}” is not a valid email address.`
    case 'invalidPhone':
      return phoneProblems.join(' ') || 'The phone numbers were corrected after the last check.'
    case 'duplicate':
      return `May be the same person as ${row.detail}.`
    case 'noPostalAddress':
      return 'A brochure is waiting to be posted, but there is no postal address.'
    case 'consentWithoutEvidence':
      return 'Marked as agreeing to marketing, with no record of when or how they agreed.'
    case 'inactive':
      return row.detail ? `No booking, payment or change since ${formatDay(localDay(new Date(row.detail)))}.` : 'No booking, payment or change for a long time.'
  }
}
