import type { Knex } from 'knex'
import { dialectOf, type SearchPlan } from '../dialects'

export type SortKey = 'number' | 'name' | 'email' | 'createdAt'
export type Direction = 'asc' | 'desc'
export type Status = 'active' | 'archived' | 'blocked'

/**
 * Above this many matches a search is shown newest first instead of sorted:
 * sorting needs every match's row (a random read each), ~2 µs apiece at 1M.
 */
export const SORTABLE_MATCHES = 2000
/** Filtered counts stop here: an exact count of a million rows would stall the list. */
export const COUNT_CAP = 1000

const SORT_COLUMN: Record<SortKey, string | null> = {
  number: null,
  name: 'c.sort_name',
  email: 'c.email_normalized',
  createdAt: 'c.created_at',
}

export interface ListFilters {
  tagIds: number[]
  groupIds: number[]
  /** Start of the folded display name (a one-letter search). */
  namePrefix: string | null
  marketingConsent: 'any' | 'yes' | 'no'
  /** Inclusive days (YYYY-MM-DD), compared with the ISO created_at. */
  createdFrom: string | null
  createdTo: string | null
  /** Custom field equals a canonical value. */
  customFields: Array<{ fieldId: number; value: string }>
  /** Only customers with a booking that still owes money. */
  owing: boolean
}

/** True when anything narrows the tab beyond the maintained counters. */
export function hasFilters(filters: ListFilters): boolean {
  return (
    filters.tagIds.length > 0 ||
    filters.groupIds.length > 0 ||
    filters.namePrefix !== null ||
    filters.marketingConsent !== 'any' ||
    filters.createdFrom !== null ||
    filters.createdTo !== null ||
    filters.customFields.length > 0 ||
    filters.owing
  )
}

export interface ListQuery extends ListFilters {
  status: Status
  /** The index part of a search, or null. */
  plan: SearchPlan | null
  /** The search's matches when already read (a set small enough to sort); used instead of `plan`. */
  matchIds?: readonly number[]
  sort: SortKey
  direction: Direction
  /** Where the page starts: after/before a keyset position, or from either end. */
  from: { kind: 'start' } | { kind: 'end' } | { kind: 'after'; key: KeyValue } | { kind: 'before'; key: KeyValue }
  limit: number
}

/** A keyset position: the sort value (absent when sorting by number) and the id. */
export interface KeyValue {
  value: string | number | null
  id: number
}

interface PageKey {
  id: number
  sort_value: string | number
}

export interface ListRowRecord {
  id: number
  display_name: string
  company: string
  email: string
  status: Status
  status_reason: string
  created_at: string
  sort_value: string | number
  phone: string | null
}

const ROW_COLUMNS = `c.id, c.display_name, c.company, c.email, c.status, c.status_reason, c.created_at,
  (SELECT p.number FROM phones p WHERE p.customer_id = c.id ORDER BY p.is_primary DESC, p.position LIMIT 1) AS phone`

/** The condition of the bookings_owing partial index. */
const OWING = 'b.outstanding_minor > 0'

function filterSql(query: ListFilters): { sql: string; bindings: Knex.Value[] } {
  const parts: string[] = []
  const bindings: Knex.Value[] = []
  if (query.namePrefix) {
    parts.push('c.sort_name >= ? AND c.sort_name < ?')
    bindings.push(query.namePrefix, nextString(query.namePrefix))
  }
  // EXISTS lets SQLite walk the sort index and stop at the page size, where IN + sort would read every tagged row.
  if (query.tagIds.length) {
    parts.push(`EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id IN (${query.tagIds.map(() => '?').join(',')}))`)
    bindings.push(...query.tagIds)
  }
  if (query.groupIds.length) {
    parts.push(
      `EXISTS (SELECT 1 FROM customer_group_members gm WHERE gm.customer_id = c.id AND gm.group_id IN (${query.groupIds.map(() => '?').join(',')}))`,
    )
    bindings.push(...query.groupIds)
  }
  if (query.marketingConsent !== 'any') {
    // TRUE/FALSE literals read the same in SQLite (1/0) and PostgreSQL (boolean).
    parts.push(`c.marketing_consent = ${query.marketingConsent === 'yes' ? 'TRUE' : 'FALSE'}`)
  }
  // created_at is an ISO string, so whole days compare as text: from the day's start to before the next day.
  if (query.createdFrom) {
    parts.push('c.created_at >= ?')
    bindings.push(query.createdFrom)
  }
  if (query.createdTo) {
    parts.push('c.created_at < ?')
    bindings.push(nextDay(query.createdTo))
  }
  for (const condition of query.customFields) {
    parts.push('EXISTS (SELECT 1 FROM customer_custom_values v WHERE v.customer_id = c.id AND v.field_id = ? AND v.value = ?)')
    bindings.push(condition.fieldId, condition.value)
  }
  // Repeats the partial index's condition word for word so the probe reads bookings_owing, never the bookings.
  if (query.owing) parts.push(`EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.id AND ${OWING})`)
  return { sql: parts.map((p) => ` AND ${p}`).join(''), bindings }
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/**
 * The ids matching a search across all tabs, at most `cap + 1` of them. The
 * index is read once; a small enough set is then sorted and counted from this
 * list rather than by running the search again.
 */
export async function matchIdsCapped(db: Knex, plan: SearchPlan, cap: number): Promise<number[]> {
  const match = dialectOf(db).matchSql(plan)
  if (!match) return []
  // In the index's own order: walking it backwards is several times slower for broad searches (FTS5 reads the whole list first).
  const rows = allRows<{ id: number }>(await db.raw(`SELECT id FROM (${match.sql}) m LIMIT ?`, [...match.bindings, cap + 1]))
  return rows.map((r) => Number(r.id))
}

/** One page in the requested sort, for the whole table or a search small enough to sort. */
export async function selectSortedPage(db: Knex, query: ListQuery): Promise<ListRowRecord[]> {
  const column = SORT_COLUMN[query.sort]
  const reverse = query.from.kind === 'before' || query.from.kind === 'end'
  const ascending = (query.direction === 'asc') !== reverse
  const dir = ascending ? 'ASC' : 'DESC'
  const cmp = ascending ? '>' : '<'
  const filters = filterSql(query)
  const bindings: Knex.Value[] = []
  let from = 'customers c'
  let where = 'c.status = ?'
  if (query.matchIds || query.plan) {
    const match = query.matchIds ? dialectOf(db).idListSql(query.matchIds) : dialectOf(db).matchSql(query.plan!)
    if (!match) return []
    // CROSS JOIN makes SQLite drive the loop from the (small) match set.
    from = `(${match.sql}) m CROSS JOIN customers c`
    where = `c.id = m.id AND c.status = ?`
    bindings.push(...match.bindings)
  }
  bindings.push(query.status, ...filters.bindings)
  let keyset = ''
  if (query.from.kind === 'after' || query.from.kind === 'before') {
    if (column) {
      keyset = ` AND (${column}, c.id) ${cmp} (?, ?)`
      bindings.push(query.from.key.value, query.from.key.id)
    } else {
      keyset = ` AND c.id ${cmp} ?`
      bindings.push(query.from.key.id)
    }
  }
  const order = column ? `${column} ${dir}, c.id ${dir}` : `c.id ${dir}`
  const sql = `SELECT c.id, ${column ?? 'c.id'} AS sort_value FROM ${from}
    WHERE ${where}${filters.sql}${keyset} ORDER BY ${order} LIMIT ?`
  const keys = allRows<PageKey>(await db.raw(sql, [...bindings, query.limit]))
  return loadRows(db, reverse ? keys.reverse() : keys)
}

/**
 * Fetches the displayed columns for one page of keys, in order. Done apart
 * from sorting so the per-row work (primary phone) runs for the page only.
 */
async function loadRows(db: Knex, keys: PageKey[]): Promise<ListRowRecord[]> {
  if (!keys.length) return []
  const rows = allRows<Omit<ListRowRecord, 'sort_value'>>(
    await db.raw(`SELECT ${ROW_COLUMNS} FROM customers c WHERE c.id IN (${keys.map(() => '?').join(',')})`, keys.map((k) => k.id)),
  )
  const byId = new Map(rows.map((r) => [r.id, r]))
  return keys.flatMap((k) => {
    const row = byId.get(k.id)
    return row ? [{ ...row, sort_value: k.sort_value }] : []
  })
}

/** One page of a broad search, newest first, walking the index by id so nothing is sorted. */
export async function selectNewestPage(db: Knex, query: ListQuery): Promise<ListRowRecord[]> {
  if (!query.plan) throw new Error('selectNewestPage needs a search')
  const reverse = query.from.kind === 'before' || query.from.kind === 'end'
  const range =
    query.from.kind === 'after' ? { below: query.from.key.id } : query.from.kind === 'before' ? { above: query.from.key.id } : {}
  const match = dialectOf(db).matchInIdOrder(query.plan, range)
  if (!match) return []
  const filters = filterSql(query)
  const sql = `SELECT c.id, c.id AS sort_value FROM ${match.from} CROSS JOIN customers c
    WHERE ${match.where} AND c.id = ${match.idExpr} AND c.status = ?${filters.sql}
    ORDER BY ${match.idExpr} ${reverse ? 'ASC' : 'DESC'} LIMIT ?`
  const keys = allRows<PageKey>(await db.raw(sql, [...match.bindings, query.status, ...filters.bindings, query.limit]))
  return loadRows(db, reverse ? keys.reverse() : keys)
}

/** List rows for customers whose phone has this E.164 number, live ones first. */
export async function selectRowsByPhone(db: Knex, e164: string, limit: number): Promise<ListRowRecord[]> {
  return allRows<ListRowRecord>(
    await db.raw(
      `SELECT ${ROW_COLUMNS}, c.id AS sort_value FROM customers c
       WHERE c.id IN (SELECT p.customer_id FROM phones p WHERE p.e164 = ?)
       ORDER BY CASE c.status WHEN 'active' THEN 0 WHEN 'blocked' THEN 1 ELSE 2 END, c.id DESC LIMIT ?`,
      [e164, limit],
    ),
  )
}

/** Exact counts per status of matched ids (see matchIdsCapped), with the filters. */
export async function countIdsByStatus(db: Knex, ids: readonly number[], filters: ListFilters): Promise<Record<Status, number>> {
  const counts: Record<Status, number> = { active: 0, archived: 0, blocked: 0 }
  if (!ids.length) return counts
  const dialect = dialectOf(db)
  const match = dialect.idListSql(ids)
  const f = filterSql(filters)
  if (needsRow(filters)) {
    // Filters on the customer's own columns: each row is read once.
    const rows = allRows<{ status: Status; n: number }>(
      await db.raw(
        `SELECT c.status AS status, count(*) AS n FROM (${match.sql}) m CROSS JOIN customers c
         WHERE c.id = m.id${f.sql} GROUP BY c.status`,
        [...match.bindings, ...f.bindings],
      ),
    )
    for (const row of rows) if (row.status in counts) counts[row.status] = Number(row.n)
    return counts
  }
  // Otherwise no row is read: the matches passing the filters are counted on their own, and the small
  // tabs (and the recycle bin) found by seeking each id in the status index (status, id), small and
  // cached, where a customer's wide row costs a random read apiece (2,000 of them ~10 ms uncached).
  // The rest are active.
  const passing = firstRow<{ n: number }>(await db.raw(`SELECT count(*) AS n FROM (${match.sql}) c WHERE 1 = 1${f.sql}`, [...match.bindings, ...f.bindings]))
  let others = 0
  for (const status of ['archived', 'blocked', 'deleted'] as const) {
    const row = firstRow<{ n: number }>(
      await db.raw(`SELECT count(*) AS n FROM (${match.sql}) m CROSS JOIN ${dialect.customersByStatus} WHERE c.status = ? AND c.id = m.id${f.sql}`, [
        ...match.bindings,
        status,
        ...f.bindings,
      ]),
    )
    const n = Number(row?.n ?? 0)
    if (status !== 'deleted') counts[status] = n
    others += n
  }
  counts.active = Number(passing?.n ?? 0) - others
  return counts
}

/** Whether these filters read the customer's own columns (the others look in tags, lists, values or bookings). */
function needsRow(filters: ListFilters): boolean {
  return filters.namePrefix !== null || filters.marketingConsent !== 'any' || filters.createdFrom !== null || filters.createdTo !== null
}

interface CountDriver {
  table: string
  where: string
  bindings: Knex.Value[]
  rest: ListFilters
}

/** The index a capped count walks (the other filters are checked per row), or null to walk the tab itself. */
function countDriver(status: Status, filters: ListFilters): CountDriver | null {
  // Owing customers in the small Archived and Blocked tabs are found fastest by walking the tab itself,
  // even with a tag: a broad tag's index holds hundreds of thousands of rows to step over.
  if (filters.owing && status !== 'active') return null
  if (filters.tagIds.length) {
    return { table: 'customer_tags', where: `d.tag_id IN (${filters.tagIds.map(() => '?').join(',')})`, bindings: filters.tagIds, rest: { ...filters, tagIds: [] } }
  }
  if (filters.groupIds.length) {
    return {
      table: 'customer_group_members',
      where: `d.group_id IN (${filters.groupIds.map(() => '?').join(',')})`,
      bindings: filters.groupIds,
      rest: { ...filters, groupIds: [] },
    }
  }
  const [firstField, ...otherFields] = filters.customFields
  if (firstField) {
    return {
      table: 'customer_custom_values',
      where: 'd.field_id = ? AND d.value = ?',
      bindings: [firstField.fieldId, firstField.value],
      rest: { ...filters, customFields: otherFields },
    }
  }
  // Most owing customers are active: walking the owing index reaches the cap in fewer probes than walking the tab.
  if (filters.owing) return { table: 'bookings', where: 'd.outstanding_minor > 0', bindings: [], rest: { ...filters, owing: false } }
  return null
}

/**
 * Count of one tab under filters, stopping at `cap + 1`. Driven from the tag
 * or group index when there is one, so a rare tag costs as little as a common one.
 * "Has outstanding balance" alone drives from the owing-bookings index on the
 * Active tab; with it, the small Archived and Blocked tabs are walked instead,
 * each customer checked against that index.
 */
export async function countFilteredCapped(db: Knex, status: Status, filters: ListFilters, cap: number): Promise<number> {
  const driver = countDriver(status, filters)
  if (!driver) {
    const f = filterSql(filters)
    const rows = await db.raw(`SELECT count(*) AS n FROM (SELECT 1 FROM customers c WHERE c.status = ?${f.sql} LIMIT ?) x`, [
      status,
      ...f.bindings,
      cap + 1,
    ])
    return Number(firstRow<{ n: number }>(rows)?.n ?? 0)
  }
  const f = filterSql(driver.rest)
  const rows = await db.raw(
    `SELECT count(*) AS n FROM (
       SELECT DISTINCT d.customer_id FROM ${driver.table} d CROSS JOIN ${dialectOf(db).customersByStatus}
       WHERE ${driver.where} AND c.id = d.customer_id AND c.status = ?${f.sql}
       LIMIT ?) x`,
    [...driver.bindings, status, ...f.bindings, cap + 1],
  )
  return Number(firstRow<{ n: number }>(rows)?.n ?? 0)
}

/**
 * Every customer of a tab matching a search and filters, uncapped, in id
 * order: what a bulk action on "all matching" acts on. Same conditions as the
 * list pages, so the count equals what the list showed.
 */
export async function selectAllMatchingIds(db: Knex, status: Status, plan: SearchPlan | null, filters: ListFilters): Promise<number[]> {
  const f = filterSql(filters)
  let sql = `SELECT c.id FROM customers c WHERE c.status = ?${f.sql} ORDER BY c.id`
  let bindings: Knex.Value[] = [status, ...f.bindings]
  if (plan) {
    const match = dialectOf(db).matchSql(plan)
    if (!match) return []
    sql = `SELECT c.id FROM (${match.sql}) m CROSS JOIN customers c WHERE c.id = m.id AND c.status = ?${f.sql} ORDER BY c.id`
    bindings = [...match.bindings, ...bindings]
  }
  return allRows<{ id: number }>(await db.raw(sql, bindings)).map((r) => Number(r.id))
}

/** Maintained tab counters (see the counter triggers). */
export async function tabCounters(db: Knex): Promise<Record<Status, number>> {
  const rows = await db('customer_counts').select('status', 'count')
  const counts: Record<Status, number> = { active: 0, archived: 0, blocked: 0 }
  for (const row of rows as Array<{ status: Status; count: number }>) if (row.status in counts) counts[row.status] = Number(row.count)
  return counts
}

export async function tagsForCustomers(
  db: Knex,
  ids: readonly number[],
): Promise<Map<number, Array<{ id: number; name: string; color: string | null }>>> {
  const byCustomer = new Map<number, Array<{ id: number; name: string; color: string | null }>>()
  if (!ids.length) return byCustomer
  const rows = (await db('customer_tags as ct')
    .join('tags as t', 't.id', 'ct.tag_id')
    .whereIn('ct.customer_id', ids)
    .orderBy('t.name_normalized')
    .select('ct.customer_id', 't.id', 't.name', 't.color')) as Array<{ customer_id: number; id: number; name: string; color: string | null }>
  for (const row of rows) {
    const list = byCustomer.get(row.customer_id) ?? []
    list.push({ id: row.id, name: row.name, color: row.color })
    byCustomer.set(row.customer_id, list)
  }
  return byCustomer
}

/** The smallest string greater than every string starting with `prefix`. */
function nextString(prefix: string): string {
  const chars = [...prefix]
  const last = chars.pop() ?? ''
  return chars.join('') + String.fromCodePoint((last.codePointAt(0) ?? 0) + 1)
}

/** knex.raw returns driver-shaped results: an array on SQLite, `{ rows }` on PostgreSQL. */
export function allRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

export function firstRow<T>(result: unknown): T | undefined {
  return allRows<T>(result)[0]
}
