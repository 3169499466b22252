import { createHash } from 'node:crypto'
import type { z } from 'zod'
import type {
  countCustomersInput,
  CustomerFilter,
  CustomerListRow,
  CustomerPage,
  PhoneLookup,
  listCustomersInput,
  TabCounts,
} from '../../../preload/contract'
import { CALLER_MATCHES } from '../../../preload/contract'
import { looksLikeBookingNumber, looksLikePhone } from '../../../preload/contract/text'
import { planSearch } from '../../../db/search'
import type { SearchPlan } from '../../../db/dialects'
import {
  COUNT_CAP,
  MAX_WINDOW,
  SORTABLE_MATCHES,
  countAllMatching,
  countFilteredCapped,
  chooseSearchWalk,
  countIdsByStatus,
  firstOfMatches,
  matchIdsCapped,
  hasFilters,
  selectRowsByPhone,
  selectSortedPage,
  tabCounters,
  tagsForCustomers,
  rowWalkAhead,
  alreadyFound,
  idsWalk,
  type KeyValue,
  type ListFilters,
  type ListQuery,
  type ListRowRecord,
  type SearchWalk,
  type Status,
} from '../../../db/queries/customerList'
import type { ServiceContext } from '../context'
import { seesContactOnly } from '../permissions'
import { ValidationFailed } from '../errors'
import { NO_PROGRESS, type Progress } from '../progress'
import { getSettings } from '../app/settings'
import { formatCustomerNumber, InvalidPhone, normalizePhone } from './normalize'
import { survivorOf } from '../merges/aliases'
import { findBooking } from '../bookings/list'

type ListInput = z.output<typeof listCustomersInput>
type CountInput = z.output<typeof countCustomersInput>

const STATUSES: Status[] = ['active', 'archived', 'blocked']

/**
 * Splits what was typed into the index search and the filters. Shared with
 * bulk actions so "all matching" means exactly what the list showed.
 */
export function searchAndFilters(input: CustomerFilter): { plan: SearchPlan | null; filters: ListFilters } {
  return {
    plan: planSearch(input.search),
    filters: {
      tagIds: input.tagIds,
      groupIds: input.groupIds,
      marketingConsent: input.marketingConsent,
      createdFrom: input.createdFrom,
      createdTo: input.createdTo,
      customFields: input.customFields,
      owing: input.outstanding === 'yes',
    },
  }
}

/**
 * A typed customer number of a record merged into another finds the record it
 * went into. Call after searchAndFilters, before the plan is used.
 */
export async function followMergedNumber(db: ServiceContext['db'], plan: SearchPlan | null): Promise<void> {
  if (plan?.customerNumber == null) return
  if (await db('customers').where({ id: plan.customerNumber }).first('id')) return
  const merged = await survivorOf(db, plan.customerNumber)
  if (merged) plan.customerNumber = merged.survivorId
}

/*
 * A page's cursor is its keyset position. A broad search's cursors also carry the way its first page
 * was found (a walk of the list, see chooseSearchWalk), with a digest of what that choice was made
 * for: the next page goes the same way without reading the search's matches again. Every walk finds
 * exactly the same rows, so a hint that no longer fits the data costs time, never a wrong page; one
 * made for another search, tab, sort or filter is ignored.
 */
type WalkHint = { kind: 'sort' | 'index' | 'rows' } | { kind: 'index'; wider: true } | { kind: 'window'; rows: number }

interface Cursor {
  key: KeyValue
  hint: { walk: WalkHint; digest: string } | null
}

function encodeCursor(row: ListRowRecord, hint: Cursor['hint']): string {
  const key: KeyValue = { value: row.sort_value, id: row.id }
  return Buffer.from(JSON.stringify(hint ? [key.value, key.id, hint.walk, hint.digest] : [key.value, key.id]), 'utf8').toString('base64url')
}

function decodeCursor(cursor: string, field: string): Cursor {
  try {
    const [value, id, walk, digest] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown, unknown, unknown]
    if (typeof id === 'number' && Number.isSafeInteger(id) && (typeof value === 'string' || typeof value === 'number')) {
      return { key: { value, id }, hint: typeof digest === 'string' ? hintOf(walk, digest) : null }
    }
  } catch {
    // fall through to the readable error
  }
  throw ValidationFailed.field(field, 'This page is no longer valid; go back to the first page.')
}

function hintOf(walk: unknown, digest: string): Cursor['hint'] {
  const w = walk as { kind?: unknown; rows?: unknown; wider?: unknown } | null
  if (w?.kind === 'index' && w.wider === true) return { walk: { kind: 'index', wider: true }, digest }
  if (w?.kind === 'sort' || w?.kind === 'index' || w?.kind === 'rows') return { walk: { kind: w.kind }, digest }
  // A window no larger than any the list would choose itself.
  if (w?.kind === 'window' && typeof w.rows === 'number' && Number.isSafeInteger(w.rows) && w.rows > 0 && w.rows <= MAX_WINDOW) {
    return { walk: { kind: 'window', rows: w.rows }, digest }
  }
  return null
}

/** What a walk was chosen for: the search as planned, the tab, the sort, whether filters applied, and the page size. */
function walkDigest(plan: SearchPlan, input: ListInput, filtered: boolean): string {
  return createHash('sha256')
    .update(JSON.stringify([plan, input.tab, input.sort, input.direction, filtered, input.pageSize]))
    .digest('base64url')
    .slice(0, 16)
}

function hintFor(search: SearchWalk, digest: string): Cursor['hint'] {
  if (search.kind === 'ids') return null
  if (search.kind === 'window') return { walk: { kind: 'window', rows: search.rows }, digest }
  return { walk: search.kind === 'index' && search.wider ? { kind: 'index', wider: true } : { kind: search.kind }, digest }
}

const NOTHING = () => undefined

/**
 * One page of the address book: a tab, an optional live search, filters
 * (tags, groups, consent, created between, custom fields), a sort, and keyset paging (constant time at any depth).
 */
export async function listCustomers(ctx: ServiceContext, input: ListInput): Promise<CustomerPage> {
  const { plan, filters } = searchAndFilters(input)
  await followMergedNumber(ctx.db, plan)
  const filtered = hasFilters(filters)
  const cursor = input.after ? decodeCursor(input.after, 'after') : input.before ? decodeCursor(input.before, 'before') : null
  const from: ListQuery['from'] = input.after
    ? { kind: 'after', key: cursor!.key }
    : input.before
      ? { kind: 'before', key: cursor!.key }
      : input.last
        ? { kind: 'end' }
        : { kind: 'start' }
  const query: ListQuery = {
    status: input.tab,
    search: null,
    ...filters,
    sort: input.sort,
    direction: input.direction,
    from,
    limit: input.pageSize + 1,
  }

  // Counts come with a page that starts the list afresh, when they cost nothing more: read from the same
  // search, or the kept counters. Filters alone need a count per tab (10–20 ms at a million customers):
  // the screen asks for those apart, so the rows need not wait for them. Paging on does not change them.
  const wantCounts = from.kind === 'start' || from.kind === 'end'
  let total: number
  let totalCapped = false
  let counts: TabCounts | null = null
  let records: ListRowRecord[]
  let hint: Cursor['hint'] = null
  const digest = plan ? walkDigest(plan, input, filtered) : ''
  if (plan && cursor?.hint?.digest === digest && !wantCounts) {
    // A later page of a broad search: the way its first page was found.
    hint = cursor.hint
    records = await selectSortedPage(ctx.db, { ...query, search: { ...hint.walk, plan } })
    total = SORTABLE_MATCHES
    totalCapped = true
  } else if (plan) {
    // The index is read once, capped: a few matches are sorted, and they give every tab's count; a broad
    // search is shown in the same sort (chooseSearchWalk picks how), its counts stopping at the cap.
    // On a server, the page's likeliest walk starts beside the first read (see rowWalkAhead).
    const ahead = rowWalkAhead(ctx.db, plan, query, filtered)
    const matches = await matchIdsCapped(ctx.db, plan, SORTABLE_MATCHES, { forPage: true })
    const broad = matches.ids.length > SORTABLE_MATCHES
    // The counts (with filters, a read of their own) are read beside the page, where the engine answers at once.
    const counting = countIdsByStatus(ctx.db, firstOfMatches(matches, SORTABLE_MATCHES), filters)
    counting.catch(NOTHING)
    // Every match was read (few enough to sort whole): the page is sorted from them. For a broad search, a page
    // the walk started ahead has found by the time the counts are read (or before) is the page any walk would
    // find: that walk leads on to the next.
    if (broad && !matches.every) await Promise.race([counting.then(NOTHING, NOTHING), ...(ahead ? [ahead] : [])])
    const search: SearchWalk =
      matches.every || !broad
        ? idsWalk(matches)
        : (await alreadyFound(ahead))
        ? { kind: 'rows', plan }
        : await chooseSearchWalk(ctx.db, plan, matches.ids, SORTABLE_MATCHES, filtered, query.limit, query, matches.readMs)
    records = await selectSortedPage(ctx.db, { ...query, search }, ahead)
    const byStatus = await counting
    hint = hintFor(search, digest)
    total = broad ? SORTABLE_MATCHES : byStatus[input.tab]
    totalCapped = broad
    if (wantCounts) counts = { ...byStatus, capped: broad }
  } else {
    records = await selectSortedPage(ctx.db, query)
    if (filtered) {
      total = await countFilteredCapped(ctx.db, input.tab, filters, COUNT_CAP)
      totalCapped = total > COUNT_CAP
      if (totalCapped) total = COUNT_CAP
    } else {
      const counters = await tabCounters(ctx.db)
      total = counters[input.tab]
      if (wantCounts) counts = { ...counters, capped: false }
    }
  }

  const hasMore = records.length > input.pageSize
  const backwards = from.kind === 'before' || from.kind === 'end'
  // The extra row fetched to detect "more" sits at the far end of the walk.
  const page = hasMore ? (backwards ? records.slice(1) : records.slice(0, input.pageSize)) : records
  const first = page[0]
  const last = page[page.length - 1]
  const moreBefore = backwards ? hasMore : from.kind === 'after'
  const moreAfter = backwards ? from.kind === 'before' : hasMore
  // A broad search's capped total is its matches in every tab: one page that holds the whole tab (filtered) says exactly how many.
  if (totalCapped && !moreBefore && !moreAfter) {
    total = page.length
    totalCapped = false
  }

  return {
    rows: await toListRows(ctx, page),
    nextCursor: moreAfter && last ? encodeCursor(last, hint) : null,
    prevCursor: moreBefore && first ? encodeCursor(first, hint) : null,
    total,
    totalCapped,
    counts,
    // What else the search may name comes with the page: one round trip a keystroke.
    caller: wantCounts && looksLikePhone(input.search) ? await findCustomersByPhone(ctx, input.search) : null,
    booking: wantCounts && !seesContactOnly(ctx) && looksLikeBookingNumber(input.search) ? await findBooking(ctx, input.search) : null,
  }
}

/** Tab counts: maintained counters, or capped counts when a search or filter applies. */
export async function countCustomers(ctx: ServiceContext, input: CountInput): Promise<TabCounts> {
  const { plan, filters } = searchAndFilters(input)
  await followMergedNumber(ctx.db, plan)
  if (plan) {
    const matches = await matchIdsCapped(ctx.db, plan, SORTABLE_MATCHES)
    const counts = await countIdsByStatus(ctx.db, firstOfMatches(matches, SORTABLE_MATCHES), filters)
    return { ...counts, capped: matches.ids.length > SORTABLE_MATCHES }
  }
  if (hasFilters(filters)) {
    const counts = { active: 0, archived: 0, blocked: 0 }
    let capped = false
    for (const status of STATUSES) {
      const n = await countFilteredCapped(ctx.db, status, filters, COUNT_CAP)
      capped ||= n > COUNT_CAP
      counts[status] = Math.min(n, COUNT_CAP)
    }
    return { ...counts, capped }
  }
  return { ...(await tabCounters(ctx.db)), capped: false }
}

/**
 * How many customers of a tab match a search and filters, exactly, however
 * many: what "Select all matching" selects when the list's own count stops
 * at its cap. Runs as a job: progress as ids are looked at, and Cancel.
 */
export async function countMatchingExactly(
  ctx: ServiceContext,
  input: { tab: Status; filter: CustomerFilter },
  progress: Progress = NO_PROGRESS,
): Promise<{ count: number }> {
  const { plan, filters } = searchAndFilters(input.filter)
  await followMergedNumber(ctx.db, plan)
  const count = await countAllMatching(ctx.db, input.tab, plan, filters, (done, total) => {
    progress.checkCancelled()
    progress.report(done, total, plan ? 'Matches checked' : 'Customers checked')
  })
  return { count }
}

async function toListRows(ctx: ServiceContext, records: ListRowRecord[]): Promise<CustomerListRow[]> {
  const contactOnly = seesContactOnly(ctx)
  // Rows read with their tags (on a server) need no second read.
  const tags =
    contactOnly || records.every((r) => r.tags)
      ? new Map<number, CustomerListRow['tags']>()
      : await tagsForCustomers(
          ctx.db,
          records.map((r) => r.id),
        )
  return records.map((r) => ({
    id: r.id,
    number: formatCustomerNumber(r.id),
    displayName: r.display_name,
    company: r.company,
    email: r.email,
    phone: r.phone ?? '',
    status: r.status,
    statusReason: contactOnly ? '' : r.status_reason,
    tags: contactOnly ? [] : (r.tags ?? tags.get(r.id) ?? []),
    createdAt: r.created_at,
  }))
}

/**
 * Caller look-up: the customers whose phone is this number, however it was
 * typed or pasted, and the number itself when it is a whole one (so the desk
 * can offer a new customer with it when nobody has it). Something that is not
 * a whole number matches nobody (the list search still finds digit fragments).
 */
export async function findCustomersByPhone(ctx: ServiceContext, phone: string): Promise<PhoneLookup> {
  const { defaultCountry } = await getSettings(ctx)
  let normalized: ReturnType<typeof normalizePhone>
  try {
    normalized = normalizePhone(phone, defaultCountry)
  } catch (error) {
    if (error instanceof InvalidPhone) return { number: null, matches: [], more: false }
    throw error
  }
  if (!normalized.e164) return { number: null, matches: [], more: false }
  const records = await selectRowsByPhone(ctx.db, normalized.e164, CALLER_MATCHES + 1)
  // The first digits of a longer number are not yet one to create a customer with, though someone may have them.
  return {
    number: normalized.whole ? normalized.international : null,
    matches: await toListRows(ctx, records.slice(0, CALLER_MATCHES)),
    more: records.length > CALLER_MATCHES,
  }
}
