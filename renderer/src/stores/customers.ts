import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  BulkAction,
  BulkResult,
  CustomerFilter,
  CustomerListRow,
  CustomerPage,
  CustomerStatus,
  CustomFieldDefinition,
  GroupRef,
  ListCustomersInput,
  SavedFilter,
  SortKey,
  TabCounts,
  TagRef,
} from '../../../preload/contract'
import { ApiFailure, invoke, messageOf } from '../services/api'
import { useJobsStore } from './jobs'
import { looksLikePhone } from '../services/search-text'

/** Which page of the keyset-paged list to fetch. */
type PageRequest = { after: string } | { before: string } | { last: true } | Record<string, never>

export const PAGE_SIZE = 50

interface SearchWaiter {
  resolve: () => void
  reject: (failure: unknown) => void
}

export type ConsentFilter = CustomerFilter['marketingConsent']
/** 'yes': only customers whose bookings still owe money. */
export type OutstandingFilter = CustomerFilter['outstanding']
export type CustomFieldCondition = CustomerFilter['customFields'][number]
/** Everything but the search: the part of `CustomerFilter` the filter bar edits. */
export type FilterFields = Omit<CustomerFilter, 'search'>

export const emptyFilterFields = (): FilterFields => ({
  tagIds: [],
  groupIds: [],
  marketingConsent: 'any',
  createdFrom: null,
  createdTo: null,
  customFields: [],
  outstanding: 'any',
})

/**
 * The address-book list: tab, search, filters, sort, the page on screen and the
 * tab counts. Pages are fetched from the database with keyset cursors, so the
 * renderer never holds more than one page, at any size of address book.
 * Every request carries a sequence number; a response that arrives after a
 * newer request was sent is dropped, so fast typing never shows stale rows.
 * The state outlives the page, so coming back from a profile keeps the search.
 */
export const useCustomersStore = defineStore('customers', () => {
  const tab = ref<CustomerStatus>('active')
  /** What is in the search box (updates on every keystroke). */
  const searchInput = ref('')
  /** The search the rows on screen answer (`searchInput` as last sent). */
  const search = ref('')
  /** The search the rows on screen were found by: their highlights follow it, not the typing, so old rows are not redrawn for a newer search. */
  const rowsSearch = ref('')
  const tagIds = ref<number[]>([])
  const groupIds = ref<number[]>([])
  const marketingConsent = ref<ConsentFilter>('any')
  /** Created between (YYYY-MM-DD, inclusive), either end optional. */
  const createdFrom = ref<string | null>(null)
  const createdTo = ref<string | null>(null)
  const customFieldFilters = ref<CustomFieldCondition[]>([])
  const outstanding = ref<OutstandingFilter>('any')
  const sort = ref<SortKey>('name')
  const direction = ref<'asc' | 'desc'>('asc')

  const rows = ref<CustomerListRow[]>([])
  const nextCursor = ref<string | null>(null)
  const prevCursor = ref<string | null>(null)
  const total = ref(0)
  const totalCapped = ref(false)
  const order = ref<CustomerPage['order']>('sorted')
  /** Position of the first row on screen, or null when unknown (last page of a capped search). */
  const offset = ref<number | null>(0)
  const loading = ref(false)
  /** True once the first page has arrived (distinguishes "loading" from "empty"). */
  const loaded = ref(false)
  const error = ref<string | null>(null)

  const counts = ref<TabCounts | null>(null)
  const tags = ref<TagRef[]>([])
  const groups = ref<GroupRef[]>([])
  const customFields = ref<CustomFieldDefinition[]>([])
  const savedFilters = ref<SavedFilter[]>([])

  /**
   * The selection: ids ticked on screen (kept across pages), or "every customer
   * matching the filter in this tab" with the exact count the receptionist saw.
   */
  const selectedIds = ref<number[]>([])
  const allMatching = ref(false)
  const allMatchingCount = ref(0)

  /** Customers whose phone matches the search when it looks like a phone number. */
  const phoneMatches = ref<CustomerListRow[]>([])

  /** Index of the keyboard-highlighted row on this page (-1: none). */
  const highlighted = ref(-1)
  /** Counts moves made with the arrow keys (the table scrolls the row into view on each). */
  const highlightMoves = ref(0)

  let currentRequest: PageRequest = {}
  let listSeq = 0
  let countSeq = 0
  let phoneSeq = 0
  let searching = false
  let pendingSearch: { value: string; waiters: SearchWaiter[] } | null = null

  const hasFilters = computed(
    () =>
      tagIds.value.length > 0 ||
      groupIds.value.length > 0 ||
      marketingConsent.value !== 'any' ||
      createdFrom.value !== null ||
      createdTo.value !== null ||
      customFieldFilters.value.length > 0 ||
      outstanding.value !== 'any',
  )
  /** How many filters are set beyond tags and groups (the "More filters" badge). */
  const moreFilterCount = computed(
    () =>
      (marketingConsent.value !== 'any' ? 1 : 0) +
      (createdFrom.value !== null || createdTo.value !== null ? 1 : 0) +
      customFieldFilters.value.length +
      (outstanding.value !== 'any' ? 1 : 0),
  )
  const selectedCount = computed(() => (allMatching.value ? allMatchingCount.value : selectedIds.value.length))
  /** Select-all is only offered when the list knows its exact total. */
  const canSelectAllMatching = computed(() => !totalCapped.value && total.value > 0)
  const isSearching = computed(() => search.value.trim().length > 0 || hasFilters.value)
  /** The address book has no customers at all (not merely no matches). */
  const isEmptyBook = computed(
    () =>
      !isSearching.value &&
      counts.value !== null &&
      counts.value.active + counts.value.archived + counts.value.blocked === 0,
  )
  const isFirstPage = computed(() => prevCursor.value === null)
  const isLastPage = computed(() => nextCursor.value === null)

  function filterFields(): FilterFields {
    return {
      tagIds: [...tagIds.value],
      groupIds: [...groupIds.value],
      marketingConsent: marketingConsent.value,
      createdFrom: createdFrom.value,
      createdTo: createdTo.value,
      customFields: customFieldFilters.value.map((c) => ({ ...c })),
      outstanding: outstanding.value,
    }
  }

  /** The search and every filter, as saved filters and bulk actions carry them. */
  function currentFilter(): CustomerFilter {
    return { search: search.value.trim(), ...filterFields() }
  }

  function baseInput(): ListCustomersInput & FilterFields {
    return {
      tab: tab.value,
      search: search.value.trim(),
      ...filterFields(),
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
      // A fresh page brings every tab's count with it (one look-up per keystroke); with filters alone they come apart.
      if (page.counts) {
        countSeq++
        counts.value = page.counts
      } else if (!('after' in request) && !('before' in request)) {
        loadCounts().catch(() => undefined)
      }
      order.value = page.order
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

  async function lookUpPhone(): Promise<void> {
    const seq = ++phoneSeq
    const value = search.value.trim()
    if (!looksLikePhone(value)) {
      phoneMatches.value = []
      return
    }
    const matches = await invoke('customers:findByPhone', { phone: value })
    if (seq === phoneSeq) phoneMatches.value = matches
  }

  function clearSelection() {
    selectedIds.value = []
    allMatching.value = false
    allMatchingCount.value = 0
  }

  /** The ticked rows, as the table reports them (leaves "all matching" mode). */
  function setSelectedIds(ids: number[]) {
    allMatching.value = false
    allMatchingCount.value = 0
    selectedIds.value = ids
  }

  /** Selects every customer matching the search and filters in this tab; refused when the total is not exact. */
  function selectAllMatching(): boolean {
    if (!canSelectAllMatching.value) return false
    allMatching.value = true
    allMatchingCount.value = total.value
    return true
  }

  /** Reloads the first page, which brings the counts, for the current search and filters (clears the selection). */
  async function reload(): Promise<void> {
    clearSelection()
    await Promise.all([fetchPage({}), lookUpPhone().catch(() => undefined)])
  }

  /** Reloads the page on screen (e.g. after a customer changed) and the counts, which a page further on does not bring. */
  async function refresh(): Promise<void> {
    const fresh = !('after' in currentRequest) && !('before' in currentRequest)
    await Promise.all([fetchPage(currentRequest), fresh ? Promise.resolve() : loadCounts()])
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

  function clearSearch(): Promise<void> {
    return setSearchInput('')
  }

  function setTab(value: CustomerStatus): Promise<void> {
    tab.value = value
    clearSelection()
    return fetchPage({})
  }

  function setTagIds(value: number[]): Promise<void> {
    tagIds.value = value
    return reload()
  }

  function setGroupIds(value: number[]): Promise<void> {
    groupIds.value = value
    return reload()
  }

  /** Sets some of the filters at once (the "More filters" panel, a removed chip). */
  function setFilters(changes: Partial<FilterFields>): Promise<void> {
    if (changes.tagIds) tagIds.value = changes.tagIds
    if (changes.groupIds) groupIds.value = changes.groupIds
    if (changes.marketingConsent) marketingConsent.value = changes.marketingConsent
    if (changes.createdFrom !== undefined) createdFrom.value = changes.createdFrom
    if (changes.createdTo !== undefined) createdTo.value = changes.createdTo
    if (changes.customFields) customFieldFilters.value = changes.customFields
    if (changes.outstanding) outstanding.value = changes.outstanding
    return reload()
  }

  /** Clears every filter (not the search). */
  function clearFilters(): Promise<void> {
    return setFilters(emptyFilterFields())
  }

  async function loadSavedFilters(): Promise<void> {
    savedFilters.value = await invoke('savedFilters:list', undefined)
  }

  /** Saves the search and filters under a name; the same name replaces the earlier one. */
  async function saveCurrentFilter(name: string): Promise<{ saved: SavedFilter; replaced: boolean }> {
    const key = name.trim().toLocaleLowerCase()
    const replaced = savedFilters.value.some((f) => f.name.trim().toLocaleLowerCase() === key)
    const saved = await invoke('savedFilters:save', { name, filter: currentFilter() })
    await loadSavedFilters().catch(() => undefined)
    return { saved, replaced }
  }

  async function deleteSavedFilter(id: number): Promise<void> {
    savedFilters.value = await invoke('savedFilters:delete', { id })
  }

  /** Reopens a saved filter: its search and every filter, from the first page. */
  function applySavedFilter(saved: SavedFilter): Promise<void> {
    const f = saved.filter
    // A search still waiting to be sent is overtaken by the saved one.
    pendingSearch?.waiters.forEach((w) => w.resolve())
    pendingSearch = null
    searchInput.value = f.search
    search.value = f.search
    const knownFields = new Set(customFields.value.map((d) => d.id))
    tagIds.value = [...f.tagIds]
    groupIds.value = [...f.groupIds]
    marketingConsent.value = f.marketingConsent
    createdFrom.value = f.createdFrom
    createdTo.value = f.createdTo
    customFieldFilters.value = f.customFields.filter((c) => customFields.value.length === 0 || knownFields.has(c.fieldId))
    outstanding.value = f.outstanding ?? 'any'
    return reload()
  }

  /**
   * Runs a bulk action on the selection: the ticked ids, or every match of the
   * filter with the count that was shown (the backend refuses with CONFLICT if
   * the list changed since). The selection is cleared and the list refreshed.
   */
  async function runBulk(action: BulkAction): Promise<BulkResult> {
    const count = selectedCount.value
    if (count === 0) throw new ApiFailure({ code: 'VALIDATION', message: 'Select some customers first.' })
    const selection = allMatching.value
      ? { kind: 'filter' as const, tab: tab.value, filter: currentFilter(), expectedCount: allMatchingCount.value }
      : { kind: 'ids' as const, ids: [...selectedIds.value] }
    try {
      const result = await useJobsStore().run<BulkResult>(() => invoke('customers:bulk', { selection, action }))
      clearSelection()
      await Promise.all([refresh().catch(() => undefined), loadFilterOptions().catch(() => undefined)])
      return result
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.code === 'CONFLICT') {
        clearSelection()
        await refresh().catch(() => undefined)
      }
      throw failure
    }
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

  /** Tags, groups and custom fields for the filter selects; one failing leaves the others. */
  async function loadFilterOptions(): Promise<void> {
    const [tagList, groupList, fieldList] = await Promise.allSettled([
      invoke('tags:list', undefined),
      invoke('groups:list', undefined),
      invoke('customFields:list', undefined),
    ])
    if (tagList.status === 'fulfilled') tags.value = tagList.value
    if (groupList.status === 'fulfilled') groups.value = groupList.value
    if (fieldList.status === 'fulfilled') customFields.value = fieldList.value
    const failed = [tagList, groupList, fieldList].find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
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
    tagIds,
    groupIds,
    marketingConsent,
    createdFrom,
    createdTo,
    customFieldFilters,
    outstanding,
    sort,
    direction,
    rows,
    nextCursor,
    prevCursor,
    total,
    totalCapped,
    order,
    offset,
    loading,
    loaded,
    error,
    counts,
    tags,
    groups,
    customFields,
    savedFilters,
    selectedIds,
    allMatching,
    allMatchingCount,
    selectedCount,
    canSelectAllMatching,
    phoneMatches,
    highlighted,
    highlightMoves,
    hasFilters,
    moreFilterCount,
    isSearching,
    isEmptyBook,
    isFirstPage,
    isLastPage,
    reload,
    refresh,
    setSearchInput,
    clearSearch,
    setTab,
    setTagIds,
    setGroupIds,
    setFilters,
    clearFilters,
    currentFilter,
    clearSelection,
    setSelectedIds,
    selectAllMatching,
    loadSavedFilters,
    saveCurrentFilter,
    deleteSavedFilter,
    applySavedFilter,
    runBulk,
    setSort,
    firstPage,
    nextPage,
    previousPage,
    lastPage,
    loadFilterOptions,
    moveHighlight,
  }
})
