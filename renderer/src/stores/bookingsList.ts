import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { BookingListRow, Input } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useKeysetPages } from '../composables/useKeysetPages'

/** The Bookings page's filters, as the screen holds them. */
export interface BookingsFilters {
  from: string
  to: string
  status: Input<'bookings:list'>['status']
  source: Input<'bookings:list'>['source']
  itemId: number | null
  owing: boolean
  order: 'newest' | 'oldest'
}

const PAGE = 50

function blankFilters(): BookingsFilters {
  return { from: '', to: '', status: null, source: null, itemId: null, owing: false, order: 'newest' }
}

/**
 * The Bookings page: one page of every booking at a time, with the filters,
 * kept while the desk opens a booking and comes back. Pages are keyset
 * positions from the backend: the positions of the pages before are kept so
 * Previous goes back without counting.
 */
export const useBookingsListStore = defineStore('bookingsList', () => {
  const filters = ref<BookingsFilters>(blankFilters())
  const pages = useKeysetPages<BookingListRow>(PAGE, async (after) => {
    const f = filters.value
    const page = await invoke('bookings:list', {
      from: f.from || null,
      to: f.to || null,
      status: f.status,
      source: f.source,
      itemId: f.itemId,
      owing: f.owing,
      order: f.order,
      limit: PAGE,
      after,
    })
    return { rows: page.rows, next: page.next }
  })
  const { rows, loading, loaded, next, pageNumber, firstShown, reload, refresh, nextPage, previousPage } = pages
  const isFiltered = computed(() => {
    const f = filters.value
    return f.from !== '' || f.to !== '' || f.status !== null || f.source !== null || f.itemId !== null || f.owing
  })

  function setFilters(changes: Partial<BookingsFilters>): Promise<void> {
    filters.value = { ...filters.value, ...changes }
    return reload()
  }

  function clearFilters(): Promise<void> {
    filters.value = { ...blankFilters(), order: filters.value.order }
    return reload()
  }

  return { filters, rows, loading, loaded, next, pageNumber, firstShown, isFiltered, reload, refresh, nextPage, previousPage, setFilters, clearFilters }
})
