import type { Knex } from 'knex'
import type { DuplicateGroup, DuplicateGroupsPage } from '../../../preload/contract/schemas/duplicates'
import type { ServiceContext } from '../context'
import { reasonsFromText } from './scoring'
import { loadSummaries } from './summaries'

/** Where the last scan's date and size are kept (the settings table's key/value rows). */
export const LAST_SCAN_SETTING = 'duplicateScan'

/** Joins pairs into groups (records linked by any chain of pairs are one group): union–find by id. */
export function groupPairs(pairs: ReadonlyArray<readonly [number, number]>): number[][] {
  const parent = new Map<number, number>()
  const find = (id: number): number => {
    let root = id
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!
    // Shorten the path for the next look-up.
    for (let at = id; at !== root; ) {
      const next = parent.get(at)!
      parent.set(at, root)
      at = next
    }
    return root
  }
  for (const [a, b] of pairs) {
    if (!parent.has(a)) parent.set(a, a)
    if (!parent.has(b)) parent.set(b, b)
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb))
  }
  const groups = new Map<number, number[]>()
  for (const id of parent.keys()) {
    const root = find(id)
    const list = groups.get(root)
    if (list) list.push(id)
    else groups.set(root, [id])
  }
  return [...groups.values()].map((ids) => ids.sort((x, y) => x - y))
}

export function countGroups(pairs: ReadonlyArray<readonly [number, number]>): number {
  return groupPairs(pairs).length
}

interface PairRow {
  customer_a: number
  customer_b: number
  reasons: string
  score: number
}

/**
 * The last scan's findings as ranked groups, a page at a time: strongest
 * group first. Pairs of customers since deleted, erased or marked as
 * different people are not shown.
 */
export async function listDuplicateGroups(ctx: ServiceContext, page: number, pageSize: number): Promise<DuplicateGroupsPage> {
  const db = ctx.db
  const found = (await db('duplicate_pairs')
    .orderBy([{ column: 'score', order: 'desc' }, 'customer_a', 'customer_b'])
    .select('customer_a', 'customer_b', 'reasons', 'score')) as PairRow[]
  // Read apart and filtered here: joined, the planner may walk every customer to find the few paired.
  const gone = await goneSince(db)
  const pairs = gone.size ? found.filter((pair) => !gone.has(pair.customer_a) && !gone.has(pair.customer_b)) : found
  const groups = groupPairs(pairs.map((pair) => [pair.customer_a, pair.customer_b] as const))
  const groupOf = new Map<number, number>()
  groups.forEach((ids, index) => ids.forEach((id) => groupOf.set(id, index)))
  const pairsOf = groups.map(() => [] as PairRow[])
  for (const pair of pairs) pairsOf[groupOf.get(pair.customer_a)!]!.push(pair)
  const ranked = groups
    .map((ids, index) => ({ ids, pairs: pairsOf[index]!, score: pairsOf[index]![0]?.score ?? 0 }))
    .sort((x, y) => y.score - x.score || y.ids.length - x.ids.length || x.ids[0]! - y.ids[0]!)
  const shown = ranked.slice(page * pageSize, (page + 1) * pageSize)
  const summaries = await loadSummaries(db, shown.flatMap((group) => group.ids))
  const result: DuplicateGroup[] = shown.map((group) => ({
    customers: group.ids.flatMap((id) => summaries.get(id) ?? []),
    pairs: group.pairs.map((pair) => ({ customerA: pair.customer_a, customerB: pair.customer_b, reasons: reasonsFromText(pair.reasons), score: pair.score })),
    score: group.score,
  }))
  const last = await lastScan(db)
  return { groups: result, totalGroups: ranked.length, totalPairs: pairs.length, scannedAt: last?.at ?? null, scannedCustomers: last?.customers ?? 0 }
}

/** Paired customers since put in the recycle bin or erased (merged ones are gone with their pairs): one read. */
async function goneSince(db: Knex): Promise<Set<number>> {
  const paired = db('duplicate_pairs').select('customer_a as id').union((q) => q.select('customer_b as id').from('duplicate_pairs'))
  const ids = (await db('customers')
    .whereIn('id', paired)
    .where((q) => q.where('status', 'deleted').orWhereNotNull('erased_at'))
    .pluck('id')) as number[]
  return new Set(ids)
}

async function lastScan(db: Knex): Promise<{ at: string; customers: number } | null> {
  const row = (await db('settings').where('key', LAST_SCAN_SETTING).first('value')) as { value: string } | undefined
  if (!row) return null
  try {
    return JSON.parse(row.value) as { at: string; customers: number }
  } catch {
    return null
  }
}
