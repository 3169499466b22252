import type { Knex } from 'knex'
import { dialectOf, type SearchPlan } from '../dialects'
import type { FirstMatches, SearchWalkCosts } from '../dialects/types'
import { rowTestNeeds } from '../search/rowMatch'
import { DIGIT_PIECE } from '../search/digits'
import { shareOfFirstMatches } from '../search/spread'

export type SortKey = 'number' | 'name' | 'email' | 'createdAt'
export type Direction = 'asc' | 'desc'
export type Status = 'active' | 'archived' | 'blocked'

/**
 * Up to this many matches a search's page is found by sorting the matches
 * (a random read of each row, ~3 µs apiece at 1M); above it the list is
 * walked in its sort order instead (see SearchWalk). The tab counts of a
 * broader search stop here too.
 */
export const SORTABLE_MATCHES = 2000
/*
 * What each way to a broad search's page costs is the engine's (SearchWalkCosts, in db/dialects/):
 * reading matches from the search index, adding them to a look-up set, stepping over sort index
 * entries, and testing rows with the search.
 */
/** Filters thin out the rows a walk finds; their share is not known ahead, so it is guessed. */
const FILTERED_SHARE = 0.25
/** The largest window of the sort index worth streaming a search against (~5 ms of index entries). */
export const MAX_WINDOW = 20_000
/**
 * A window that holds less than a page (its matches bunch further down the list) is followed by the
 * index walk, so it pays both: it is taken only when it is this much cheaper than the walk alone.
 */
const WINDOW_RISK = 1.5
/** A row-test walk stops after about this long (then the index answers): the desk is never held long. */
const ROW_TEST_BUDGET_MS = 40
/**
 * A row-test walk that fell short walks on this long, from the start, when reading every match for
 * the index walk would cost more: rows matching nothing came first (customers added together who
 * share nothing with the search), and the page lies just past them.
 */
const ROW_TEST_WALK_ON_MS = 160

/** Filtered counts stop here: an exact count of a million rows would stall the list (countAllMatching counts in a job). */
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
    filters.marketingConsent !== 'any' ||
    filters.createdFrom !== null ||
    filters.createdTo !== null ||
    filters.customFields.length > 0 ||
    filters.owing
  )
}

/**
 * How a search's page is found in the list's sort order:
 * - `ids`: the matches, already read and few, are sorted;
 * - `sort`: every match is read and sorted: a few thousand cost a few milliseconds, and a name
 *   search's matches sort together (all the "José"s under J), where a walk from A would be long;
 * - `window`: the next `rows` entries of the sort index are taken and the search's matches streamed
 *   against them: when a page's worth is among them, that is the page (else the index walk answers);
 * - `index`: the list's sort index is walked, each row looked up in the search's matches (read once);
 *   `wider`: in a wider match, cheaper to read, and the rows met in it tested with the search;
 * - `rows`: the sort index is walked and each row tested with the search itself, from its own columns
 *   (db/search/rowMatch.ts): for searches most rows match, where reading every match would cost most.
 */
export type SearchWalk =
  | { kind: 'ids'; ids: readonly number[]; read?: ReadMatches }
  | { kind: 'sort'; plan: SearchPlan }
  | { kind: 'window'; plan: SearchPlan; rows: number }
  | { kind: 'index'; plan: SearchPlan; wider?: true }
  | { kind: 'rows'; plan: SearchPlan; readAllMs?: number }

/** What the first read brought of each match beside its id (a server's search rows hold both). */
export interface ReadMatches {
  statuses: readonly string[]
  sortNames: readonly string[]
}

export interface ListQuery extends ListFilters {
  status: Status
  search: SearchWalk | null
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

export interface PageKey {
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
  /** Read with the row where the engine does so (customerTagsColumn); otherwise read apart (tagsForCustomers). */
  tags?: Array<{ id: number; name: string; color: string | null }>
}

const ROW_COLUMNS = `c.id, c.display_name, c.company, c.email, c.status, c.status_reason, c.created_at,
  (SELECT p.number FROM phones p WHERE p.customer_id = c.id ORDER BY p.is_primary DESC, p.position LIMIT 1) AS phone`

/** The condition of the bookings_owing partial index. */
const OWING = 'b.outstanding_minor > 0'

/**
 * The filters as conditions on `c`. `ids`: the customers' ids lie in [from, to), and the tag and group
 * look-ups say so too (see Dialect.rangesBoundLookups).
 */
function filterSql(query: ListFilters, ids?: { from: number; to: number }): { sql: string; bindings: Knex.Value[] } {
  const parts: string[] = []
  const bindings: Knex.Value[] = []
  const within = (alias: string) => (ids ? ` AND ${alias}.customer_id >= ? AND ${alias}.customer_id < ?` : '')
  // EXISTS lets SQLite walk the sort index and stop at the page size, where IN + sort would read every tagged row.
  if (query.tagIds.length) {
    parts.push(`EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id IN (${query.tagIds.map(() => '?').join(',')})${within('ct')})`)
    bindings.push(...query.tagIds)
    if (ids) bindings.push(ids.from, ids.to)
  }
  if (query.groupIds.length) {
    parts.push(
      `EXISTS (SELECT 1 FROM customer_group_members gm WHERE gm.customer_id = c.id AND gm.group_id IN (${query.groupIds.map(() => '?').join(',')})${within('gm')})`,
    )
    bindings.push(...query.groupIds)
    if (ids) bindings.push(ids.from, ids.to)
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
 * The ids matching a search across all tabs, at most `cap + 1` of them, or for
 * a page (`forPage`) all of them when they are few enough to sort whole
 * (`every`). The index is read once; a small enough set is then sorted and
 * counted from this list rather than by running the search again.
 */
export async function matchIdsCapped(db: Knex, plan: SearchPlan, cap: number, { forPage = false } = {}): Promise<FirstMatches> {
  const dialect = dialectOf(db)
  // A page of a search whose matches bunch is sorted from all of them when they are few enough
  // (chooseSearchWalk): read in this same pass, they need not be read again for it.
  const readOnTo = forPage && matchesBunch(plan) ? dialect.searchWalkCosts.readAllMatches : 0
  const started = performance.now()
  const matches = await dialect.firstMatches(db, plan, cap + 1, readOnTo > cap ? readOnTo : undefined, forPage)
  return { ...matches, readMs: performance.now() - started }
}

/** A page sorted from every match read: with what the read brought beside the ids, when it brought it. */
export function idsWalk(matches: FirstMatches): SearchWalk {
  const { ids, statuses, sortNames } = matches
  return statuses && sortNames ? { kind: 'ids', ids, read: { statuses, sortNames } } : { kind: 'ids', ids }
}

/** Whether a search's matches bunch in the list's order: names and words do (everyone called José sorts together); digits do not. */
function matchesBunch(plan: SearchPlan): boolean {
  return plan.fragments.length > 0 || plan.prefixes.length > 0 || plan.initials.length > 0
}

/** The first `n` of a search's first matches (ids and statuses alike). */
export function firstOfMatches(matches: FirstMatches, n: number): FirstMatches {
  return { ids: matches.ids.slice(0, n), statuses: matches.statuses?.slice(0, n) ?? null }
}

/**
 * Picks the cheapest exact way to a sorted page from the capped read of the
 * matches (ascending ids, at most cap + 1) and the share of the book that
 * matches (the dialect's matchShare): how many there are, and what each walk
 * would cost on this engine (its SearchWalkCosts).
 */
export async function chooseSearchWalk(
  db: Knex,
  plan: SearchPlan,
  ids: readonly number[],
  cap: number,
  filtered: boolean,
  limit: number,
  page?: PagePosition & Partial<ListFilters>,
  firstReadMs?: number,
): Promise<SearchWalk> {
  if (ids.length <= cap) return { kind: 'ids', ids }
  const dialect = dialectOf(db)
  const costs = dialect.searchWalkCosts
  const maxId = Math.max(await highestIdForEstimates(db), ids[ids.length - 1]!, 1)
  const share = Math.max(await dialect.matchShare(db, plan, ids, maxId), ids.length / maxId)
  const matches = share * maxId
  // Digits (phones, numbers) do not bunch in the list's order the way names do: the walks serve them well.
  const bunches = matchesBunch(plan)
  if (bunches && matches <= costs.sortAllMatches) return { kind: 'sort', plan }
  const priced = indexReadPrice(plan, matches, maxId, costs)
  // The first read paid for its index lists whole and for each of its matches: scaled to them all, it bounds the price.
  const indexRead = costs.timedFirstRead && firstReadMs !== undefined ? Math.min(priced, (firstReadMs * matches) / ids.length) : priced
  let rowsWalked = rowsToPage(limit, share, filtered)
  // A walk by name or email meets digits' matches (phones, numbers) at about their share all along.
  let rowTestMargin = !bunches && (page?.sort === 'name' || page?.sort === 'email') ? Math.min(costs.rowTestMargin, EVEN_ROW_TEST_MARGIN) : costs.rowTestMargin
  const choices: Array<[number, SearchWalk]> = []
  if (costs.sortMatch > 0 && bunches && !filtered && page) {
    // Matches that bunch (everyone called José sorts together) can lie far down the list: where a sample of them lies tells.
    const walked = await walkLengthFromSample(db, page, ids, shareOfFirstMatches(ids) * maxId, limit)
    if (walked !== null) {
      rowsWalked = Math.max(limit, walked)
      // A page's worth of matches falls among the sample's first few values, whose places vary by half or more
      // from one sample to the next ("schmi": 3,400 rows foreseen, 10,600 walked).
      rowTestMargin = SAMPLED_ROW_TEST_MARGIN
      choices.push([indexRead + matches * costs.sortMatch, { kind: 'sort', plan }])
    }
  }
  // Four times the rows a page should take, so bunched-up matches (names sort together) still fill it.
  const window = Math.max(Math.ceil(4 * rowsWalked), 8 * limit)
  choices.push(
    [rowTestWalkPrice(plan, rowsWalked, costs, page !== undefined && walksSearchRows(db, page), rowTestMargin), { kind: 'rows', plan, readAllMs: indexRead }],
    [indexRead + matches * costs.setEntry + rowsWalked * costs.indexStep, { kind: 'index', plan }],
  )
  // Filters would be checked on every row of a window, matching or not: with them, the walks that stop at the page win.
  if (costs.window && !filtered && window <= MAX_WINDOW) {
    choices.push([WINDOW_RISK * (indexRead + window * (costs.indexStep + costs.setEntry)), { kind: 'window', plan, rows: window }])
  }
  const best = choices.reduce((best, next) => (next[0] < best[0] ? next : best))[1]
  return best.kind === 'index' && (await widerIsNarrowEnough(db, plan, share, cap)) ? { ...best, wider: true } : best
}

/** Reading every match of a search from its index: starting the read, and each match (confirmed in its row where the index only names candidates). */
function indexReadPrice(plan: SearchPlan, matches: number, maxId: number, costs: SearchWalkCosts): number {
  const perMatch = costs.matchRead * (costs.matchReadPerTerm ? indexTerms(plan) : 1) + (confirmsInRow(plan) ? costs.matchConfirm : 0)
  return costs.indexStart + Math.max(matches * perMatch, digitListsRead(plan, maxId, costs))
}

/** Testing each of `rows` rows with the search, by the margin a row-test walk must win by (see SearchWalkCosts.rowTestMargin). */
function rowTestWalkPrice(plan: SearchPlan, rows: number, costs: SearchWalkCosts, searchRows: boolean, margin = costs.rowTestMargin): number {
  return rows * rowTestMs(plan, costs, searchRows) * margin
}

/** The rows a walk of the list passes before it has a page, were the matches spread evenly. */
function rowsToPage(limit: number, share: number, filtered: boolean): number {
  return limit / (share * (filtered ? FILTERED_SHARE : 1))
}

/**
 * Where the engine answers statements at once, a broad search's first row-test walk (as
 * selectSortedPage starts one) begins beside its first read when the planner's estimate of the
 * matches alone prices that walk below reading them all. Every walk finds the same page, so a page
 * it found is the page whatever walk the first read then chooses, and the two reads take the time
 * of the longer rather than of both. Null where nothing is walked ahead; a walk that fails or falls
 * short of a page gives null, and the page is found the usual way.
 */
export function rowWalkAhead(db: Knex, plan: SearchPlan, query: ListQuery, filtered: boolean): Promise<PageKey[] | null> | null {
  const dialect = dialectOf(db)
  if (!dialect.readsAtOnce || db.isTransaction || plan.customerNumber !== null) return null
  const walk = async () => {
    const match = dialect.matchSql(plan)
    if (!match) return null
    const estimate = await dialect.estimateRows(db, match.sql, match.bindings)
    if (estimate === null || estimate <= SORTABLE_MATCHES) return null
    const costs = dialect.searchWalkCosts
    const maxId = Math.max(await highestIdForEstimates(db), estimate, 1)
    const rowsWalked = rowsToPage(query.limit, estimate / maxId, filtered)
    if (rowTestWalkPrice(plan, rowsWalked, costs, walksSearchRows(db, query)) >= indexReadPrice(plan, estimate, maxId, costs)) return null
    return rowTestWalk(db, query, plan, ROW_TEST_BUDGET_MS)
  }
  return walk().catch(() => null)
}

/** The page a walk started ahead (rowWalkAhead) has found by now; null while it is still under way, or when it found none. */
export async function alreadyFound(ahead: Promise<PageKey[] | null> | null): Promise<PageKey[] | null> {
  return ahead ? Promise.race([ahead, Promise.resolve(null)]) : null
}

/** How long the highest customer id is kept for a walk's estimates: new customers barely move it, and a server takes a round trip to ask. */
const HIGHEST_ID_KEPT_MS = 1000
const highestIds = new WeakMap<object, { read: number; id: number }>()

/** The highest customer id as of at most a second ago: a scale for estimates, never for what is shown. */
async function highestIdForEstimates(db: Knex): Promise<number> {
  const key = db.client as object
  const kept = highestIds.get(key)
  if (kept && performance.now() - kept.read < HIGHEST_ID_KEPT_MS) return kept.id
  const id = Number(firstRow<{ n: number | null }>(await db.raw('SELECT max(id) AS n FROM customers'))?.n ?? 0)
  highestIds.set(key, { read: performance.now(), id })
  return id
}

/**
 * How many times the search's own share of the book its wider match may hold: the walk tests the
 * rows it meets in it, so a page costs at most this many times a page's worth of row tests.
 */
const WIDER_MATCH_SHARE = 2

/** Whether an index walk should read the search's wider match (see Dialect.widerMatchSql): from the spread of its first ids, it holds few more. */
async function widerIsNarrowEnough(db: Knex, plan: SearchPlan, share: number, cap: number): Promise<boolean> {
  const wider = dialectOf(db).widerMatchSql?.(plan)
  if (!wider) return false
  const ids = allRows<{ id: number }>(await db.raw(`SELECT id FROM (${wider.sql}) m LIMIT ?`, [...wider.bindings, cap + 1])).map((r) => Number(r.id))
  // Its share as the search's was found: its first ids come in id order (the highest tells how far they reached).
  return ids.length / Math.max(ids[ids.length - 1] ?? 1, 1) <= WIDER_MATCH_SHARE * share
}

/** Where a page of the list starts: its tab, sort and keyset position (no filters). */
export type PagePosition = Pick<ListQuery, 'status' | 'sort' | 'direction' | 'from'>

/** How many of the first matches have their place in the list looked up. */
const WALK_SAMPLE = 100

/**
 * How much cheaper a row test must look when the matches do not bunch in the walk's order (see
 * SearchWalkCosts.rowTestMargin): a digit typed alone ("7": 170,000 matches, some 10% of them a block
 * of customer numbers) walked by name in 5–10 ms where a window of the list, priced cheaper under the
 * full margin, took 13–15.
 */
const EVEN_ROW_TEST_MARGIN = 1.5

/** How much cheaper a row test must look, when a sample of the matches told how far the walk goes (see SearchWalkCosts.rowTestMargin). */
const SAMPLED_ROW_TEST_MARGIN = 2

/**
 * How many rows of the list a walk in the page's sort passes before it has a
 * page of matches, from where an even sample of the first matches lies in
 * the list: the sample's value at the page's share of the matches ahead,
 * and the planner's estimate of the rows before it. Null on an engine
 * without such estimates, and in the sorts that follow the ids (number, date
 * added): there the first matches are the oldest customers and say nothing
 * of where the rest lie.
 */
async function walkLengthFromSample(db: Knex, page: PagePosition, ids: readonly number[], matches: number, limit: number): Promise<number | null> {
  if (page.sort !== 'name' && page.sort !== 'email') return null
  const dialect = dialectOf(db)
  const { column, dir, where, bindings } = pageParts({ ...page, ...NO_FILTERS, search: null, limit })
  if (!column) return null
  const step = Math.max(1, Math.floor(ids.length / WALK_SAMPLE))
  const sample = ids.filter((_, i) => i % step === 0).slice(0, WALK_SAMPLE)
  const list = dialect.idInListSql('c.id', sample)
  const values = allRows<{ v: string | null }>(await db.raw(`SELECT ${column} AS v FROM customers c WHERE ${list.sql} AND ${where}`, [...list.bindings, ...bindings]))
    .map((r) => String(r.v ?? ''))
    // The walk's order (C collation, as the server's sort columns and JavaScript's comparison alike).
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (dir === 'DESC') values.reverse()
  const rest = `SELECT 1 FROM customers c WHERE ${where}`
  // None of the sample lies ahead: the page is made of the few left, found only by walking to the end.
  if (!values.length) return dialect.estimateRows(db, rest, bindings)
  // Where the page's last match falls among the sample: before the first of it when the matches ahead are many.
  const at = (limit / ((matches * values.length) / sample.length)) * values.length
  const rowsTo = async (reach: number) => {
    const rows = await dialect.estimateRows(db, `${rest} AND ${column} ${dir === 'ASC' ? '<=' : '>='} ?`, [...bindings, values[reach]!])
    // Before the sample value reached, the matches are taken to be spread evenly.
    return rows === null ? null : rows * Math.min(1, at / (reach + 1))
  }
  const nearest = Math.min(values.length - 1, Math.floor(at))
  // One value alone may lie among the very first matches ("ander": the first of a hundred was its first match,
  // at row 1,835, and the page's 51st match at row 17,685); three spread the matches over more of the list.
  // Matches that bunch ("jose": nearly all from row 465,000) are spread too thinly by three: the longer walk counts.
  // Both estimates are asked at once (a round trip each to a server).
  const wider = Math.min(values.length - 1, EVEN_SPREAD_VALUES - 1)
  const [rows, widerRows] = await Promise.all([rowsTo(nearest), wider > nearest ? rowsTo(wider) : null])
  if (rows === null || widerRows === null) return rows
  return Math.max(rows, widerRows)
}

/** Sample values over which the matches ahead of a page are taken to be spread evenly (see walkLengthFromSample). */
const EVEN_SPREAD_VALUES = 3

const NO_FILTERS: ListFilters = { tagIds: [], groupIds: [], marketingConsent: 'any', createdFrom: null, createdTo: null, customFields: [], owing: false }

/** How many lists of the search index a search reads: one per three-letter piece of a fragment, more for prefixes. */
function indexTerms(plan: SearchPlan): number {
  let terms = plan.initials.length
  for (const fragment of plan.fragments) terms += Math.max(1, [...fragment].length - 2)
  terms += 2 * plan.prefixes.length + (plan.shortDigits === null ? 0 : 2)
  if (plan.digits !== null) terms += Math.max(1, plan.digits.length - (plan.digits.length >= 5 ? 4 : 2))
  return terms
}

/** Whether the index only names candidates for this search, each confirmed in its row: pieces of text, runs of digits. */
function confirmsInRow(plan: SearchPlan): boolean {
  return plan.fragments.length > 0 || plan.digits !== null
}

/** Reading a digit run's pieces in the digit index, each list as long as the book (see SearchWalkCosts.digitListEntry). */
function digitListsRead(plan: SearchPlan, maxId: number, costs: SearchWalkCosts): number {
  if (plan.digits === null || plan.digits.length < DIGIT_PIECE) return 0
  return (plan.digits.length - DIGIT_PIECE + 1) * maxId * costs.digitListEntry
}

/** What testing one row with this search costs (see SearchWalkCosts.rowTest), one of the search rows when `searchRows`. */
function rowTestMs(plan: SearchPlan, costs: SearchWalkCosts, searchRows: boolean): number {
  if (searchRows && costs.rowTest.searchRow !== undefined) return costs.rowTest.searchRow
  const { postcodes, phones } = rowTestNeeds(plan)
  return phones ? costs.rowTest.phones : postcodes ? costs.rowTest.postcodes : costs.rowTest.name
}

/**
 * One page in the requested sort, for the whole tab or a search (see SearchWalk). `ahead`: the first
 * row-test walk, already under way (rowWalkAhead): its page is taken when the walk chosen is that one,
 * or when it is already there.
 */
export async function selectSortedPage(db: Knex, query: ListQuery, ahead?: Promise<PageKey[] | null> | null): Promise<ListRowRecord[]> {
  const search = query.search
  if (ahead && search) {
    const keys = search.kind === 'rows' ? await ahead : await alreadyFound(ahead)
    if (keys) return loadRows(db, keys)
    if (search.kind === 'rows') return rowTestWalkOn(db, query, search.plan, search.readAllMs)
  }
  if (search?.kind === 'window') {
    const keys = await windowPage(db, query, search.plan, search.rows)
    if (keys) return loadRows(db, keys)
    return selectSortedPage(db, { ...query, search: { kind: 'index', plan: search.plan } })
  }
  if (search?.kind === 'rows') {
    // readAllMs: what the walk's choice foresaw reading every match would cost (the index walk's first step).
    const { plan, readAllMs } = search
    const keys = await rowTestWalk(db, query, plan, ROW_TEST_BUDGET_MS)
    if (keys) return loadRows(db, keys)
    return rowTestWalkOn(db, query, plan, readAllMs)
  }
  if (search?.kind === 'ids' && search.read) {
    const keys = pageOfReadMatches(query, search.ids, search.read)
    if (keys) return loadRows(db, keys)
  }
  const { sql, bindings, reverse } = pageSql(db, query)
  if (sql === null) return []
  const keys = allRows<PageKey>(await db.raw(sql, [...bindings, query.limit]))
  return loadRows(db, reverse ? keys.reverse() : keys)
}

/** After a row-test walk that fell short of a page: a longer one when reading every match would cost more, then the index walk. */
async function rowTestWalkOn(db: Knex, query: ListQuery, plan: SearchPlan, readAllMs: number | undefined): Promise<ListRowRecord[]> {
  if (readAllMs !== undefined && readAllMs > ROW_TEST_WALK_ON_MS) {
    const further = await rowTestWalk(db, query, plan, ROW_TEST_WALK_ON_MS)
    if (further) return loadRows(db, further)
  }
  return selectSortedPage(db, { ...query, search: { kind: 'index', plan } })
}

/**
 * A page by name of matches read with their statuses and sort names, sorted here as the list's index
 * keeps them (see compareInC); null where the page asks more of them (another sort, filters).
 */
function pageOfReadMatches(query: ListQuery, ids: readonly number[], read: ReadMatches): PageKey[] | null {
  if (query.sort !== 'name' || hasFilters(query)) return null
  const { from } = query
  // The order the list's own page query walks in (see pageParts), reversed back at the end as it is.
  const { reverse, dir } = pageParts(query)
  const sign = dir === 'ASC' ? 1 : -1
  const compare = (a: PageKey, b: PageKey) => sign * (compareInC(String(a.sort_value), String(b.sort_value)) || a.id - b.id)
  const position = from.kind === 'after' || from.kind === 'before' ? { id: from.key.id, sort_value: String(from.key.value ?? '') } : null
  const keys: PageKey[] = []
  ids.forEach((id, i) => {
    const key = { id, sort_value: read.sortNames[i]! }
    if (read.statuses[i] === query.status && (!position || compare(key, position) > 0)) keys.push(key)
  })
  const page = firstInOrder(keys, compare, query.limit)
  return reverse ? page.reverse() : page
}

/**
 * The first `n` items in `compare`'s order, without sorting them all: a page is 51 of up to several
 * thousand matches, and a whole sort of 8,000 sort names took 3–5 ms here.
 */
export function firstInOrder<T>(items: readonly T[], compare: (a: T, b: T) => number, n: number): T[] {
  const kept: T[] = []
  if (n <= 0) return kept
  for (const item of items) {
    if (kept.length === n && compare(item, kept[n - 1]!) >= 0) continue
    let low = 0
    let high = kept.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (compare(kept[middle]!, item) <= 0) low = middle + 1
      else high = middle
    }
    kept.splice(low, 0, item)
    if (kept.length > n) kept.pop()
  }
  return kept
}

/** Text in the server's "C" order (code points, as UTF-8 bytes sort), which JavaScript's own order leaves only for characters past U+FFFF. */
export function compareInC(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; ) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x < y ? -1 : 1
    i += x > 0xffff ? 2 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

interface PageParts {
  column: string | null
  reverse: boolean
  dir: 'ASC' | 'DESC'
  order: string
  /** The tab, the filters and the keyset position, as conditions on `c` with their bindings. */
  where: string
  bindings: Knex.Value[]
}

function pageParts(query: ListQuery): PageParts {
  const column = SORT_COLUMN[query.sort]
  const reverse = query.from.kind === 'before' || query.from.kind === 'end'
  const ascending = (query.direction === 'asc') !== reverse
  const dir = ascending ? 'ASC' : 'DESC'
  const cmp = ascending ? '>' : '<'
  const filters = filterSql(query)
  let where = `c.status = ?${filters.sql}`
  const bindings: Knex.Value[] = [query.status, ...filters.bindings]
  if (query.from.kind === 'after' || query.from.kind === 'before') {
    if (column) {
      where += ` AND (${column}, c.id) ${cmp} (?, ?)`
      bindings.push(query.from.key.value, query.from.key.id)
    } else {
      where += ` AND c.id ${cmp} ?`
      bindings.push(query.from.key.id)
    }
  }
  const order = column ? `${column} ${dir}, c.id ${dir}` : `c.id ${dir}`
  return { column, reverse, dir, order, where, bindings }
}

function pageSql(db: Knex, query: ListQuery): { sql: string | null; bindings: Knex.Value[]; reverse: boolean } {
  const dialect = dialectOf(db)
  const { column, reverse, order, where, bindings } = pageParts(query)
  const select = `SELECT c.id, ${column ?? 'c.id'} AS sort_value`
  const search = query.search
  if (!search) return { sql: `${select} FROM customers c WHERE ${where} ORDER BY ${order} LIMIT ?`, bindings, reverse }
  if (search.kind === 'sort' && query.sort === 'name' && !hasFilters(query)) {
    // Where the search rows hold each match's status and sort name, the matches are sorted from them alone.
    const rows = dialect.matchRowsSql?.(search.plan)
    if (rows) return { sql: `${select} FROM (${rows.sql}) c WHERE ${where} ORDER BY ${order} LIMIT ?`, bindings: [...rows.bindings, ...bindings], reverse }
  }
  if (search.kind === 'ids' || search.kind === 'sort') {
    const match = search.kind === 'ids' ? dialect.idListSql(search.ids) : dialect.matchSql(search.plan)
    if (!match) return { sql: null, bindings: [], reverse }
    // By name, the status and sort name come from a narrow index; filters on the row's own columns read the row anyway.
    const customers = query.sort === 'name' && !needsRow(query) ? dialect.customersForNameSort : 'customers c'
    // CROSS JOIN makes SQLite drive the loop from the (small) match set.
    return {
      sql: `${select} FROM (${match.sql}) m CROSS JOIN ${customers} WHERE c.id = m.id AND ${where} ORDER BY ${order} LIMIT ?`,
      bindings: [...match.bindings, ...bindings],
      reverse,
    }
  }
  const wider = search.kind === 'index' && search.wider ? dialect.widerMatchSql?.(search.plan) : null
  if (wider) {
    // As below, the look-up set read from the wider match; the rows met in it are tested with the search.
    const test = dialect.rowMatchSql(search.plan)
    return {
      sql: `${select} FROM ${dialect.customersInSortOrder(query.sort)} WHERE ${where} AND ${dialect.amongMatchesSql('c.id', wider)} AND ${test.sql} ORDER BY ${order} LIMIT ?`,
      bindings: [...bindings, ...wider.bindings, ...test.bindings],
      reverse,
    }
  }
  const match = dialect.matchSql(search.plan)
  if (!match) return { sql: null, bindings: [], reverse }
  // The sort index is walked and stops at the page; the matches are read once into a look-up set.
  return {
    sql: `${select} FROM ${dialect.customersInSortOrder(query.sort)} WHERE ${where} AND ${dialect.amongMatchesSql('c.id', match)} ORDER BY ${order} LIMIT ?`,
    bindings: [...bindings, ...match.bindings],
    reverse,
  }
}

/**
 * The page found among the next `rows` entries of the sort index: they are
 * taken as a small set, and the search's matches streamed against it (a read
 * of the index lists, no set of every match built). Null when fewer than a
 * page matched there and the walk goes on beyond the window.
 */
async function windowPage(db: Knex, query: ListQuery, plan: SearchPlan, rows: number): Promise<PageKey[] | null> {
  const dialect = dialectOf(db)
  const match = dialect.matchSql(plan)
  if (!match) return []
  const { column, reverse, dir, order, where, bindings } = pageParts(query)
  const windowSql = `SELECT c.id AS id, ${column ?? 'c.id'} AS sort_value FROM ${dialect.customersInSortOrder(query.sort)} WHERE ${where} ORDER BY ${order} LIMIT ?`
  const inWindow = dialect.matchesInWindowSql(match, { sql: windowSql, bindings: [...bindings, rows] })
  const keys = allRows<PageKey>(
    await db.raw(`SELECT w.id, w.sort_value FROM ${inWindow.sql} ORDER BY w.sort_value ${dir}, w.id ${dir} LIMIT ?`, [...inWindow.bindings, query.limit]),
  )
  if (keys.length < query.limit && (await walkGoesOn(db, dialect.customersInSortOrder(query.sort), where, bindings, rows))) return null
  return reverse ? keys.reverse() : keys
}

/**
 * The page found by walking the sort index and testing each row with the
 * search, for at most `budgetMs`' worth of rows; null when the window ran out before the page
 * was full and more rows lay beyond it (a longer walk or the index then answers).
 */
async function rowTestWalk(db: Knex, query: ListQuery, plan: SearchPlan, budgetMs: number): Promise<PageKey[] | null> {
  const dialect = dialectOf(db)
  const walk = rowWalkParts(db, query, plan)
  const { column, reverse, dir, order, where, bindings } = walk.parts
  const window = Math.max(query.limit, Math.round(budgetMs / rowTestMs(plan, dialect.searchWalkCosts, walk.searchRows)))
  // The inner walk is bounded and ordered; the outer test runs as rows arrive and stops at the page.
  // The outer ORDER BY is the walk's own: both engines see the subquery already delivers it and add no
  // sort, but without it PostgreSQL may join the test first (a hash of the window) and lose the order.
  const rows = allRows<PageKey>(
    await db.raw(
      `SELECT c.id, c.sort_value FROM (
         SELECT c.id, ${column ?? 'c.id'} AS sort_value, ${walk.columns}
         FROM ${walk.from} WHERE ${where} ORDER BY ${order} LIMIT ?) c
       WHERE ${walk.test.sql} ORDER BY c.sort_value ${dir}${column ? `, c.id ${dir}` : ''} LIMIT ?`,
      [...bindings, window, ...walk.test.bindings, query.limit],
    ),
  )
  if (rows.length < query.limit && (await walkGoesOn(db, walk.from, where, bindings, window))) return null
  return reverse ? rows.reverse() : rows
}

/** The rows a row-test walk reads in the list's order (`from`, with `parts`), the columns its test reads, and the test itself. */
interface RowWalk {
  from: string
  parts: PageParts
  columns: string
  test: { sql: string; bindings: Knex.Value[] }
  /** Whether they are the engine's search rows (see Dialect.searchRowsByName). */
  searchRows: boolean
}

/**
 * A row-test walk by name reads the engine's search rows where it keeps them in that order, filters
 * checked on the rows that match (by key: tags, lists, values, bookings); otherwise, and for filters on the
 * customer's own columns, the customers, each row tested from its own columns.
 */
function rowWalkParts(db: Knex, query: ListQuery, plan: SearchPlan): RowWalk {
  const dialect = dialectOf(db)
  if (walksSearchRows(db, query)) {
    const rows = dialect.searchRowsByName!(plan)
    const filters = filterSql(query)
    return {
      from: rows.from,
      // The tab and the keyset alone: the window counts rows walked, whatever the filters leave of them.
      parts: pageParts({ ...query, ...NO_FILTERS }),
      columns: rows.columns,
      test: { sql: `${rows.test.sql}${filters.sql}`, bindings: [...rows.test.bindings, ...filters.bindings] },
      searchRows: true,
    }
  }
  return {
    from: dialect.customersInSortOrder(query.sort),
    parts: pageParts(query),
    columns: 'c.display_name, c.display_name_is_custom, c.first_name, c.last_name, c.email, c.company',
    test: dialect.rowMatchSql(plan),
    searchRows: false,
  }
}

/** Whether a row-test walk of this page reads the engine's search rows (see rowWalkParts). */
function walksSearchRows(db: Knex, page: Pick<ListQuery, 'sort'> & Partial<ListFilters>): boolean {
  return page.sort === 'name' && dialectOf(db).searchRowsByName !== undefined && !needsRow({ ...NO_FILTERS, ...page })
}

/** Whether the walk (`from`, with tab, filters and keyset in `where`) holds more than `rows` entries: a bounded walk that fell short of a page did not see it all. */
async function walkGoesOn(db: Knex, from: string, where: string, bindings: Knex.Value[], rows: number): Promise<boolean> {
  const walked = firstRow<{ n: number }>(await db.raw(`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ?) w`, [...bindings, rows]))
  return Number(walked?.n ?? 0) >= rows
}

/**
 * Fetches the displayed columns for one page of keys, in order. Done apart
 * from sorting so the per-row work (primary phone) runs for the page only.
 */
async function loadRows(db: Knex, keys: PageKey[]): Promise<ListRowRecord[]> {
  if (!keys.length) return []
  const tags = dialectOf(db).customerTagsColumn
  const rows = allRows<Omit<ListRowRecord, 'sort_value'>>(
    await db.raw(`SELECT ${ROW_COLUMNS}${tags ? `, ${tags} AS tags` : ''} FROM customers c WHERE c.id IN (${keys.map(() => '?').join(',')})`, keys.map((k) => k.id)),
  )
  const byId = new Map(rows.map((r) => [r.id, r]))
  return keys.flatMap((k) => {
    const row = byId.get(k.id)
    return row ? [{ ...row, sort_value: k.sort_value }] : []
  })
}

/** List rows for customers whose phone has this E.164 number, live ones first (none from the recycle bin). */
export async function selectRowsByPhone(db: Knex, e164: string, limit: number): Promise<ListRowRecord[]> {
  return allRows<ListRowRecord>(
    await db.raw(
      `SELECT ${ROW_COLUMNS}, c.id AS sort_value FROM customers c
       WHERE c.id IN (SELECT p.customer_id FROM phones p WHERE p.e164 = ?) AND c.status <> 'deleted'
       ORDER BY CASE c.status WHEN 'active' THEN 0 WHEN 'blocked' THEN 1 ELSE 2 END, c.id DESC LIMIT ?`,
      [e164, limit],
    ),
  )
}

/** Exact counts per status of matched ids (see matchIdsCapped), with the filters. */
export async function countIdsByStatus(db: Knex, matches: FirstMatches, filters: ListFilters): Promise<Record<Status, number>> {
  const counts: Record<Status, number> = { active: 0, archived: 0, blocked: 0 }
  const { ids, statuses } = matches
  if (!ids.length) return counts
  if (statuses && !hasFilters(filters)) {
    // The search rows read said each match's status (the recycle bin is no tab).
    for (const status of statuses) if (status in counts) counts[status as Status]++
    return counts
  }
  const dialect = dialectOf(db)
  const f = filterSql(filters)
  if (statuses && !needsRow(filters)) {
    // The statuses are known, and the filters look in tags, lists, values or bookings: only which matches
    // pass them is read, by key, and no customer's row (2,000 of those cost 10 ms at a million customers).
    const match = dialect.idListSql(ids)
    const passing = new Set(
      allRows<{ id: number }>(await db.raw(`SELECT c.id FROM (${match.sql}) c WHERE 1 = 1${f.sql}`, [...match.bindings, ...f.bindings])).map((r) => Number(r.id)),
    )
    ids.forEach((id, i) => {
      const status = statuses[i]!
      if (passing.has(id) && status in counts) counts[status as Status]++
    })
    return counts
  }
  if (dialect.countsReadRows) {
    // Each row read once, by its key, in one pass over the list.
    const list = dialect.idInListSql('c.id', ids)
    const rows = allRows<{ status: Status; n: number }>(
      await db.raw(`SELECT c.status AS status, count(*) AS n FROM customers c WHERE ${list.sql}${f.sql} GROUP BY c.status`, [...list.bindings, ...f.bindings]),
    )
    for (const row of rows) if (row.status in counts) counts[row.status] = Number(row.n)
    return counts
  }
  const match = dialect.idListSql(ids)
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
  // tabs (and the recycle bin) found by seeking each id once in the index of customers who are not
  // active, small and cached, where a customer's wide row costs a random read apiece (2,000 of them
  // ~10 ms uncached). The rest are active.
  const passing = f.sql
    ? Number(firstRow<{ n: number }>(await db.raw(`SELECT count(*) AS n FROM (${match.sql}) c WHERE 1 = 1${f.sql}`, [...match.bindings, ...f.bindings]))?.n ?? 0)
    : ids.length
  const rows = allRows<{ status: string; n: number }>(
    await db.raw(
      `SELECT c.status AS status, count(*) AS n FROM (${match.sql}) m CROSS JOIN ${dialect.customersNotActive}
       WHERE c.status <> 'active' AND c.id = m.id${f.sql} GROUP BY c.status`,
      [...match.bindings, ...f.bindings],
    ),
  )
  let others = 0
  for (const row of rows) {
    const n = Number(row.n)
    if (row.status === 'archived' || row.status === 'blocked') counts[row.status] = n
    others += n
  }
  counts.active = passing - others
  return counts
}

/** Whether these filters read the customer's own columns (the others look in tags, lists, values or bookings). */
function needsRow(filters: ListFilters): boolean {
  return filters.marketingConsent !== 'any' || filters.createdFrom !== null || filters.createdTo !== null
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

/**
 * The exact number of customers of a tab matching a search and filters, at
 * any size, counted in steps so the caller can report progress (`done` of
 * `total` ids looked at) and stop between them. A search's matches are read
 * from the index once, then checked in chunks; without a search the tab is
 * counted by ranges of `idsPerRange` ids.
 */
export async function countAllMatching(
  db: Knex,
  status: Status,
  plan: SearchPlan | null,
  filters: ListFilters,
  step: (done: number, total: number) => void | Promise<void>,
  idsPerRange = ID_RANGE,
): Promise<number> {
  const dialect = dialectOf(db)
  let count = 0
  if (plan) {
    const f = filterSql(filters)
    const match = dialect.matchSql(plan)
    if (!match) return 0
    const ids = allRows<{ id: number }>(await db.raw(`SELECT id FROM (${match.sql}) m`, match.bindings)).map((r) => Number(r.id))
    await step(0, ids.length)
    for (let from = 0; from < ids.length; from += COUNT_CHUNK) {
      const chunk = ids.slice(from, from + COUNT_CHUNK)
      const list = dialect.idListSql(chunk)
      const row = firstRow<{ n: number }>(
        await db.raw(`SELECT count(*) AS n FROM (${list.sql}) m CROSS JOIN customers c WHERE c.id = m.id AND c.status = ?${f.sql}`, [
          ...list.bindings,
          status,
          ...f.bindings,
        ]),
      )
      count += Number(row?.n ?? 0)
      await step(Math.min(from + COUNT_CHUNK, ids.length), ids.length)
    }
    return count
  }
  const maxId = Number(firstRow<{ n: number | null }>(await db.raw('SELECT max(id) AS n FROM customers'))?.n ?? 0)
  await step(0, maxId)
  for (let from = 1; from <= maxId; from += idsPerRange) {
    const to = Math.min(from + idsPerRange, maxId + 1)
    const range = filterSql(filters, dialect.rangesBoundLookups ? { from, to } : undefined)
    const row = firstRow<{ n: number }>(
      await db.raw(`SELECT count(*) AS n FROM customers c WHERE c.id >= ? AND c.id < ? AND c.status = ?${range.sql}`, [from, to, status, ...range.bindings]),
    )
    count += Number(row?.n ?? 0)
    await step(to - 1, maxId)
  }
  return count
}

/** Matches checked per statement when counting a search exactly. */
const COUNT_CHUNK = 20_000
/** Ids per statement when counting a whole tab exactly: each a short range scan. */
const ID_RANGE = 50_000

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

/** knex.raw returns driver-shaped results: an array on SQLite, `{ rows }` on PostgreSQL. */
export function allRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

export function firstRow<T>(result: unknown): T | undefined {
  return allRows<T>(result)[0]
}
