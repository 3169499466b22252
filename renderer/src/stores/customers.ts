import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  CustomerListRow,
  CustomerPage,
  CustomerStatus,
  GroupRef,
  ListCustomersInput,
  SortKey,
  TabCounts,
  TagRef,
} from '../../../preload/contract'
import { invoke, messageOf } from '../services/api'
import { looksLikePhone } from '../services/search-text'

/** Which page of the keyset-paged list to fetch. */
type PageRequest = { after: string } | { before: string } | { last: true } | Record<string, never>

export const PAGE_SIZE = 50
/** How long typing must pause before the list is searched. */
export const SEARCH_DEBOUNCE_MS = 150

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
  /** The search the rows on screen answer (debounced `searchInput`). */
  const search = ref('')
  const tagIds = ref<number[]>([])
  const groupIds = ref<number[]>([])
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

  /** Customers whose phone matches the search when it looks like a phone number. */
  const phoneMatches = ref<CustomerListRow[]>([])

  /** Index of the keyboard-highlighted row on this page (-1: none). */
  const highlighted = ref(-1)

  let currentRequest: PageRequest = {}
  let listSeq = 0
  let countSeq = 0
  let phoneSeq = 0
  let debounce: ReturnType<typeof setTimeout> | undefined

  const hasFilters = computed(() => tagIds.value.length > 0 || groupIds.value.length > 0)
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

  function baseInput(): ListCustomersInput {
    return {
      tab: tab.value,
      search: search.value.trim(),
      tagIds: tagIds.value,
      groupIds: groupIds.value,
      sort: sort.value,
      direction: direction.value,
      pageSize: PAGE_SIZE,
    }
  }

  async function fetchPage(request: PageRequest): Promise<void> {
    const seq = ++listSeq
    loading.value = true
    try {
      const page = await invoke('customers:list', { ...baseInput(), ...request })
      if (seq !== listSeq) return
      const previousOffset = offset.value
      const previousLength = rows.value.length
      rows.value = page.rows
      nextCursor.value = page.nextCursor
      prevCursor.value = page.prevCursor
      total.value = page.total
      totalCapped.value = page.totalCapped
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
    const result = await invoke('customers:counts', {
      search: search.value.trim(),
      tagIds: tagIds.value,
      groupIds: groupIds.value,
    })
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

  /** Reloads the first page and the counts for the current search and filters. */
  async function reload(): Promise<void> {
    await Promise.all([fetchPage({}), loadCounts(), lookUpPhone().catch(() => undefined)])
  }

  /** Reloads the page on screen (e.g. after a customer changed) and the counts. */
  async function refresh(): Promise<void> {
    await Promise.all([fetchPage(currentRequest), loadCounts()])
  }

  /** Live search: call on every keystroke; the list follows after a short pause. */
  function setSearchInput(value: string, immediate = false): Promise<void> {
    searchInput.value = value
    clearTimeout(debounce)
    return new Promise((resolve, reject) => {
      const run = () => {
        search.value = value
        reload().then(resolve, reject)
      }
      if (immediate) run()
      else debounce = setTimeout(run, SEARCH_DEBOUNCE_MS)
    })
  }

  function clearSearch(): Promise<void> {
    return setSearchInput('', true)
  }

  function setTab(value: CustomerStatus): Promise<void> {
    tab.value = value
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

  /** Tags and groups for the filter selects. */
  async function loadFilterOptions(): Promise<void> {
    const [tagList, groupList] = await Promise.all([invoke('tags:list', undefined), invoke('groups:list', undefined)])
    tags.value = tagList
    groups.value = groupList
  }

  function moveHighlight(step: number) {
    if (rows.value.length === 0) return
    const next = highlighted.value < 0 ? (step > 0 ? 0 : rows.value.length - 1) : highlighted.value + step
    highlighted.value = Math.min(rows.value.length - 1, Math.max(0, next))
  }

  return {
    tab,
    searchInput,
    search,
    tagIds,
    groupIds,
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
    phoneMatches,
    highlighted,
    hasFilters,
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
    setSort,
    firstPage,
    nextPage,
    previousPage,
    lastPage,
    loadFilterOptions,
    moveHighlight,
  }
})
