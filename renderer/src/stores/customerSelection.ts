import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { BulkAction, BulkResult, BulkSelection, MatchingCount } from '../../../preload/contract'
import { ApiFailure, invoke } from '../services/api'
import { useJobsStore } from './jobs'
import { useCustomerListStore } from './customerList'
import { useCustomerFiltersStore } from './customerFilters'

/**
 * The address-book list's selection: ids ticked on screen (kept across pages),
 * or "every customer matching the filter in this tab" with the exact count the
 * receptionist saw; and the bulk actions run on it. A selection belongs to
 * one query: it is cleared the moment the list starts over (a reload for a new
 * search or filters, another tab), before the new rows are asked for.
 */
export const useCustomerSelectionStore = defineStore('customerSelection', () => {
  const list = useCustomerListStore()

  const selectedIds = ref<number[]>([])
  const allMatching = ref(false)
  const allMatchingCount = ref(0)

  const selectedCount = computed(() => (allMatching.value ? allMatchingCount.value : selectedIds.value.length))

  function clearSelection() {
    selectedIds.value = []
    allMatching.value = false
    allMatchingCount.value = 0
  }

  // 'sync': cleared inside the list's reload or setTab, as they start, not on the next tick.
  watch(() => list.restarts, clearSelection, { flush: 'sync' })

  /** The ticked rows, as the table reports them (leaves "all matching" mode). */
  function setSelectedIds(ids: number[]) {
    allMatching.value = false
    allMatchingCount.value = 0
    selectedIds.value = ids
  }

  /**
   * Selects every customer matching the search and filters in this tab. When
   * the list's total stops at its cap, they are first counted exactly in the
   * background (progress and Cancel in the job card); a count the person
   * cancels selects nothing.
   */
  async function selectAllMatching(): Promise<void> {
    if (list.total === 0) return
    let count = list.total
    if (list.totalCapped) {
      const tab = list.tab
      const filter = list.currentFilter()
      count = (await useJobsStore().run<MatchingCount>(() => invoke('customers:countMatching', { tab, filter }))).count
      // The search may have changed while counting: the count belongs to what was on screen when asked.
      if (tab !== list.tab || JSON.stringify(filter) !== JSON.stringify(list.currentFilter())) return
    }
    if (count === 0) return
    allMatching.value = true
    allMatchingCount.value = count
  }

  /**
   * Runs a bulk action on the selection: the ticked ids, or every match of the
   * filter with the count that was shown (the backend refuses with CONFLICT if
   * the list changed since). The selection is cleared and the list refreshed.
   */
  /** The selection as the bulk actions (and marketing emails) take it: the ticked ids, or the filter with the count shown. */
  function selectionInput(): BulkSelection {
    return allMatching.value
      ? { kind: 'filter' as const, tab: list.tab, filter: list.currentFilter(), expectedCount: allMatchingCount.value }
      : { kind: 'ids' as const, ids: [...selectedIds.value] }
  }

  async function runBulk(action: BulkAction): Promise<BulkResult> {
    const count = selectedCount.value
    if (count === 0) throw new ApiFailure({ code: 'VALIDATION', message: 'Select some customers first.' })
    const selection = selectionInput()
    try {
      const result = await useJobsStore().run<BulkResult>(() => invoke('customers:bulk', { selection, action }))
      clearSelection()
      await Promise.all([
        list.refresh().catch(() => undefined),
        useCustomerFiltersStore().loadFilterOptions().catch(() => undefined),
      ])
      return result
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.code === 'CONFLICT') {
        clearSelection()
        await list.refresh().catch(() => undefined)
      }
      throw failure
    }
  }

  return {
    selectedIds,
    allMatching,
    allMatchingCount,
    selectedCount,
    clearSelection,
    setSelectedIds,
    selectAllMatching,
    selectionInput,
    runBulk,
  }
})
