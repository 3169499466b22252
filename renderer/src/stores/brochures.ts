import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type {
  BrochureRequest,
  BrochureSelectionInput,
  MarkPostedResult,
  WorklistCounts,
  WorklistFilter,
  WorklistRow,
  WorklistTab,
} from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

const PAGE_SIZE = 50

/**
 * Brochure requests: those of the customer open in the profile, and the
 * worklist (Pending / Sent) with its date filter, pages, counts and the
 * requests ticked on it — or every one matching the filter.
 */
export const useBrochuresStore = defineStore('brochures', () => {
  /* ── The open customer's requests ── */
  const customerRequests = ref<BrochureRequest[]>([])
  const customerId = ref<number | null>(null)
  const pending = computed(() => customerRequests.value.find((r) => r.status === 'pending') ?? null)

  async function loadForCustomer(id: number): Promise<void> {
    if (customerId.value !== id) {
      customerRequests.value = []
      customerId.value = id
    }
    customerRequests.value = await invoke('brochures:forCustomer', { customerId: id })
  }

  function current(): number {
    if (customerId.value === null) throw new Error('No customer is open.')
    return customerId.value
  }

  /** Takes a request for the open customer, as the staff member at the desk. */
  async function request(note = ''): Promise<void> {
    customerRequests.value = await invoke('brochures:request', { customerId: current(), note })
  }

  async function cancel(id: number): Promise<void> {
    customerRequests.value = await invoke('brochures:cancel', { id })
  }

  /* ── The worklist ── */
  const tab = ref<WorklistTab>('pending')
  const filter = ref<WorklistFilter>({ from: null, to: null })
  /** The name of the period the screen chose for the filter ("this-month", "custom"…), so it reads the same on coming back. */
  const periodName = ref('all')
  const rows = ref<WorklistRow[]>([])
  const counts = ref<WorklistCounts | null>(null)
  const loading = ref(false)
  /** Cursors of the pages before the one shown (keyset paging walks forward; Back pops). */
  const earlierPages = ref<Array<string | undefined>>([])
  const thisPage = ref<string | undefined>(undefined)
  const nextCursor = ref<string | null>(null)
  const pageNumber = computed(() => earlierPages.value.length + 1)

  const ticked = ref<Set<number>>(new Set())
  /** Every request of the tab matching the filter, not just the ticked ones. */
  const allMatching = ref(false)
  const tabCount = computed(() => (counts.value ? counts.value[tab.value] : 0))
  const selectedCount = computed(() => (allMatching.value ? tabCount.value : ticked.value.size))

  /** What an action on the worklist applies to, as the channels take it; null when nothing is chosen. */
  const selection = computed<BrochureSelectionInput | null>(() => {
    if (allMatching.value && tabCount.value > 0) return { kind: 'filter', tab: tab.value, filter: { ...filter.value }, expectedCount: tabCount.value }
    if (ticked.value.size > 0) return { kind: 'ids', ids: [...ticked.value] }
    return null
  })

  let loadSeq = 0
  async function loadPage(after: string | undefined): Promise<void> {
    const seq = ++loadSeq
    loading.value = true
    try {
      const page = await invoke('brochures:worklist', { tab: tab.value, filter: { ...filter.value }, after, pageSize: PAGE_SIZE })
      if (seq !== loadSeq) return
      rows.value = page.rows
      nextCursor.value = page.nextCursor
      thisPage.value = after
    } finally {
      if (seq === loadSeq) loading.value = false
    }
  }

  async function loadCounts(): Promise<void> {
    counts.value = await invoke('brochures:counts', { filter: { ...filter.value } })
  }

  function clearSelection(): void {
    ticked.value = new Set()
    allMatching.value = false
  }

  /** Opens the first page afresh (tab or filter changed, or after marking): the selection is dropped. */
  async function reload(): Promise<void> {
    clearSelection()
    earlierPages.value = []
    await Promise.all([loadPage(undefined), loadCounts()])
  }

  async function setTab(value: WorklistTab): Promise<void> {
    tab.value = value
    await reload()
  }

  async function setFilter(value: WorklistFilter, name = 'custom'): Promise<void> {
    filter.value = { ...value }
    periodName.value = name
    await reload()
  }

  async function nextPage(): Promise<void> {
    if (!nextCursor.value) return
    earlierPages.value = [...earlierPages.value, thisPage.value]
    await loadPage(nextCursor.value)
  }

  async function previousPage(): Promise<void> {
    if (!earlierPages.value.length) return
    const before = earlierPages.value[earlierPages.value.length - 1]
    earlierPages.value = earlierPages.value.slice(0, -1)
    await loadPage(before)
  }

  function toggle(id: number, on: boolean): void {
    allMatching.value = false
    const next = new Set(ticked.value)
    if (on) next.add(id)
    else next.delete(id)
    ticked.value = next
  }

  /** Ticks (or unticks) every request on the page shown. */
  function togglePage(on: boolean): void {
    allMatching.value = false
    const next = new Set(ticked.value)
    for (const row of rows.value) {
      if (on) next.add(row.id)
      else next.delete(row.id)
    }
    ticked.value = next
  }

  function selectAllMatching(): void {
    allMatching.value = true
  }

  /** Marks the chosen pending requests as posted on `postedOn` (a job, followed to its end); answers how many. */
  async function markPosted(postedOn: string): Promise<number> {
    const chosen = selection.value
    if (!chosen) return 0
    const { posted } = await useJobsStore().run<MarkPostedResult>(() => invoke('brochures:markPosted', { selection: chosen, postedOn }))
    await reload()
    return posted
  }

  return {
    customerRequests,
    pending,
    loadForCustomer,
    request,
    cancel,
    tab,
    filter,
    periodName,
    rows,
    counts,
    loading,
    pageNumber,
    nextCursor,
    ticked,
    allMatching,
    tabCount,
    selectedCount,
    selection,
    reload,
    setTab,
    setFilter,
    nextPage,
    previousPage,
    toggle,
    togglePage,
    selectAllMatching,
    clearSelection,
    markPosted,
  }
})
