import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  BookingMatch,
  CustomerFilter,
  CustomerListRow,
  PhoneLookup,
  CustomerStatus,
  ListCustomersInput,
  SavedFilter,
  SortKey,
  TabCounts,
} from '../../../preload/contract'
import { invoke, messageOf } from '../services/api'
import { type FilterFields, useCustomerFiltersStore } from './customerFilters'

/** Which page of the keyset-paged list to fetch. */
type PageRequest = { after: string } | { before: string } | { last: true } | Record<string, never>

/** A page that starts the list afresh (the first or the last), not one paged on to from another. */
function isFresh(request: PageRequest): boolean {
  return !('after' in request) && !('before' in request)
}

export const PAGE_SIZE = 50

interface SearchWaiter {
  resolve: () => void
  reject: (failure: unknown) => void
}

/**
 * The address-book list: tab, search, sort, the page on screen and the tab
 * counts, and what else the search names (a caller's number, a booking). Its filters are kept in the filters store, which it reads; they are
 * changed through the list (`setFilters`, `clearFilters`, `applySavedFilter`),
 * which reloads. Its selection has a store above it, which drops the ticked
 * rows whenever the list starts over (`restarts`). Pages are
 * fetched from the database with keyset cursors, so the renderer never holds
 * more than one page, at any size of address book.
 * Every request carries a sequence number; a response that arrives after a
 * newer request was sent is dropped, so fast typing never shows stale rows.
 * The state outlives the page, so coming back from a profile keeps the search.
 */
export const useCustomerListStore = defineStore('customerList', () => {
  const filters = useCustomerFiltersStore()

  const tab = ref<CustomerStatus>('active')
  /** What is in the search box (updates on every keystroke). */
  const searchInput = ref('')
  /** The search the rows on screen answer (`searchInput` as last sent). */
  const search = ref('')
  /** The search the rows on screen were found by: their highlights follow it, not the typing, so old rows are not redrawn for a newer search. */
  const rowsSearch = ref('')
  const sort = ref<SortKey>('name')
  const direction = ref<'asc' | 'desc'>('asc')

  // Replaced whole, never changed in place: no deep proxies for fifty rows on every keystroke.
  const rows = shallowRef<CustomerListRow[]>([])
  const nextCursor = ref<string | null>(null)
  const prevCursor = ref<string | null>(null)
  const total = ref(0)
  const totalCapped = ref(false)
  /** Position of the first row on screen, or null when unknown (last page of a capped search). */
  const offset = ref<number | null>(0)
  const loading = ref(false)
  /** True once the first page has arrived (distinguishes "loading" from "empty"). */
  const loaded = ref(false)
  const error = ref<string | null>(null)

  const counts = ref<TabCounts | null>(null)
  /** Who has the number typed in the search, when it looks like a phone number (null otherwise). */
  const phoneLookup = ref<PhoneLookup | null>(null)
  /** The booking the search names by its reference or a receipt number (B-000123, R-000042), if any. */
  const bookingMatch = ref<BookingMatch | null>(null)

  /** Index of the keyboard-highlighted row on this page (-1: none). */
  const highlighted = ref(-1)
  /** Counts moves made with the arrow keys (the table scrolls the row into view on each). */
  const highlightMoves = ref(0)
  /** Counts the times the list started over for a new query (a reload: search, filters; another tab): the selection is cleared on each. */
  const restarts = ref(0)

  let currentRequest: PageRequest = {}
  let listSeq = 0
  let countSeq = 0
  let searching = false
  let pendingSearch: { value: string; waiters: SearchWaiter[] } | null = null

  const isSearching = computed(() => search.value.trim().length > 0 || filters.hasFilters)
  /** The address book has no customers at all (not merely no matches). */
  const isEmptyBook = computed(
    () =>
      !isSearching.value &&
      counts.value !== null &&
      counts.value.active + counts.value.archived + counts.value.blocked === 0,
  )
  const isFirstPage = computed(() => prevCursor.value === null)
  const isLastPage = computed(() => nextCursor.value === null)

  /** The search and every filter, as saved filters and bulk actions carry them. */
  function currentFilter(): CustomerFilter {
    return { search: search.value.trim(), ...filters.filterFields() }
  }

  function baseInput(): ListCustomersInput & FilterFields {
    return {
      tab: tab.value,
      search: search.value.trim(),
      ...filters.filterFields(),
      sort: sort.value,
      direction: direction.value,
      pageSize: PAGE_SIZE,
    }
  }

  async function fetchPage(request: PageRequest): Promise<void> {
    const seq = ++listSeq
    loading.value = true
    try {
      const input = { ...baseInput(), ...request }
      const page = await invoke('customers:list', input)
      if (seq !== listSeq) return
      rowsSearch.value = input.search ?? ''
      const previousOffset = offset.value
      const previousLength = rows.value.length
      rows.value = page.rows
      nextCursor.value = page.nextCursor
      prevCursor.value = page.prevCursor
      total.value = page.total
      totalCapped.value = page.totalCapped
      // A fresh page brings every tab's count, the caller look-up and the booking a number names with it (one
      // round trip per keystroke); with filters alone the counts come apart.
      if (isFresh(request)) {
        phoneLookup.value = page.caller
        bookingMatch.value = page.booking
      }
      if (page.counts) {
        countSeq++
        counts.value = page.counts
      } else if (isFresh(request)) {
        loadCounts().catch(() => undefined)
      }
      error.value = null
      currentRequest = request
      if ('after' in request) offset.value = previousOffset === null ? null : previousOffset + previousLength
      else if ('before' in request) {
        offset.value =
          page.prevCursor === null ? 0 : previousOffset === null ? null : Math.max(0, previousOffset - page.rows.length)
      } else if ('last' in request) offset.value = page.totalCapped ? null : Math.max(0, page.total - page.rows.length)
      else offset.value = 0
      highlighted.value = page.rows.length > 0 && search.value.trim() ? 0 : -1
      loaded.value = true
    } catch (failure) {
      if (seq !== listSeq) return
      error.value = messageOf(failure)
      throw failure
    } finally {
      if (seq === listSeq) loading.value = false
    }
  }

  async function loadCounts(): Promise<void> {
    const seq = ++countSeq
    const input = currentFilter()
    const result = await invoke('customers:counts', input)
    if (seq === countSeq) counts.value = result
  }

  /** Reloads the first page, which brings the counts, the caller look-up and a booking's match, for the current search and filters (the selection is cleared). */
  async function reload(): Promise<void> {
    restarts.value++
    await fetchPage({})
  }

  /** Reloads the page on screen (e.g. after a customer changed) and the counts, which a page further on does not bring. */
  async function refresh(): Promise<void> {
    await Promise.all([fetchPage(currentRequest), isFresh(currentRequest) ? Promise.resolve() : loadCounts()])
  }

  /**
   * Live search: call on every keystroke. The search runs at once; keystrokes
   * that arrive while it is on its way are folded into one search for the
   * latest text, sent the moment the first answer is in, so the list never
   * lags more than one look-up behind the typing and never queues up stale ones.
   */
  function setSearchInput(value: string): Promise<void> {
    searchInput.value = value
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject }
      if (searching) {
        pendingSearch = { value, waiters: [...(pendingSearch?.waiters ?? []), waiter] }
        return
      }
      runSearch(value, [waiter])
    })
  }

  function runSearch(value: string, waiters: SearchWaiter[]): void {
    search.value = value
    searching = true
    reload()
      .then(
        () => waiters.forEach((w) => w.resolve()),
        (failure: unknown) => waiters.forEach((w) => w.reject(failure)),
      )
      .finally(() => {
        searching = false
        const next = pendingSearch
        pendingSearch = null
        if (next) runSearch(next.value, next.waiters)
      })
  }

  /** Puts a search in the box without sending it (a saved filter reopening); a search still waiting to be sent is overtaken. */
  function replaceSearch(value: string): void {
    pendingSearch?.waiters.forEach((w) => w.resolve())
    pendingSearch = null
    searchInput.value = value
    search.value = value
  }

  function clearSearch(): Promise<void> {
    return setSearchInput('')
  }

  function setTab(value: CustomerStatus): Promise<void> {
    tab.value = value
    restarts.value++
    return fetchPage({})
  }

  /** Sets some of the filters at once (a select, the "More filters" panel, a removed chip) and reloads. */
  function setFilters(changes: Partial<FilterFields>): Promise<void> {
    filters.setFields(changes)
    return reload()
  }

  /** Clears every filter (not the search) and reloads. */
  function clearFilters(): Promise<void> {
    filters.clearFields()
    return reload()
  }

  /** Reopens a saved filter: its search and every filter, from the first page. */
  function applySavedFilter(saved: SavedFilter): Promise<void> {
    replaceSearch(saved.filter.search)
    filters.restoreFields(saved.filter)
    return reload()
  }

  /** Changing the sort always goes back to the first page. */
  function setSort(key: SortKey, dir: 'asc' | 'desc'): Promise<void> {
    sort.value = key
    direction.value = dir
    return fetchPage({})
  }

  function firstPage() {
    return fetchPage({})
  }

  function nextPage() {
    return nextCursor.value ? fetchPage({ after: nextCursor.value }) : Promise.resolve()
  }

  function previousPage() {
    return prevCursor.value ? fetchPage({ before: prevCursor.value }) : Promise.resolve()
  }

  function lastPage() {
    return fetchPage({ last: true })
  }

  function moveHighlight(step: number) {
    if (rows.value.length === 0) return
    const next = highlighted.value < 0 ? (step > 0 ? 0 : rows.value.length - 1) : highlighted.value + step
    highlighted.value = Math.min(rows.value.length - 1, Math.max(0, next))
    highlightMoves.value++
  }

  return {
    tab,
    searchInput,
    search,
    rowsSearch,
    sort,
    direction,
    rows,
    nextCursor,
    prevCursor,
    total,
    totalCapped,
    offset,
    loading,
    loaded,
    error,
    counts,
    phoneLookup,
    bookingMatch,
    highlighted,
    highlightMoves,
    restarts,
    isSearching,
    isEmptyBook,
    isFirstPage,
    isLastPage,
    currentFilter,
    reload,
    refresh,
    setSearchInput,
    replaceSearch,
    clearSearch,
    setTab,
    setFilters,
    clearFilters,
    applySavedFilter,
    setSort,
    firstPage,
    nextPage,
    previousPage,
    lastPage,
    moveHighlight,
  }
})
