import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CustomerContact, CustomerListRow } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useKeysetPages } from '../composables/useKeysetPages'

const PAGE = 50

/**
 * Customers' contact details for a service crew: a search over live
 * customers, a page at a time (names, phones, emails — main answers nothing more).
 */
export const useContactsStore = defineStore('contacts', () => {
  const search = ref('')
  const total = ref(0)
  const capped = ref(false)
  const pages = useKeysetPages<CustomerListRow>(PAGE, async (after) => {
    const page = await invoke('customers:list', { search: search.value, tab: 'active', pageSize: PAGE, ...(after ? { after } : {}) })
    return {
      rows: page.rows,
      next: page.nextCursor,
      shown: () => {
        total.value = page.total
        capped.value = page.totalCapped
      },
    }
  })

  function find(text: string): Promise<void> {
    search.value = text
    return pages.reload()
  }

  /** One customer's phones, email and addresses. */
  function contact(id: number): Promise<CustomerContact> {
    return invoke('customers:contact', { id })
  }

  const { rows, loading, loaded, next, pageNumber, firstShown, refresh, nextPage, previousPage } = pages
  return { contact, search, rows, total, capped, loading, loaded, next, pageNumber, firstShown, find, refresh, nextPage, previousPage }
})
