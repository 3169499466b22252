import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CustomerContact, CustomerListRow } from '../../../preload/contract'
import { invoke } from '../services/api'

const PAGE = 50

/**
 * Customers' contact details for a service crew: a search over live
 * customers, a page at a time (names, phones, emails — main answers nothing more).
 */
export const useContactsStore = defineStore('contacts', () => {
  const search = ref('')
  const rows = ref<CustomerListRow[]>([])
  const total = ref(0)
  const capped = ref(false)
  const loading = ref(false)
  const loaded = ref(false)
  /** Cursors of the pages shown so far: [undefined] on the first page. */
  const trail = ref<Array<string | undefined>>([undefined])
  const next = ref<string | null>(null)
  let seq = 0

  const pageNumber = computed(() => trail.value.length)
  const firstShown = computed(() => (pageNumber.value - 1) * PAGE + 1)

  async function fetch(after: string | undefined): Promise<boolean> {
    const mine = ++seq
    loading.value = true
    try {
      const page = await invoke('customers:list', { search: search.value, tab: 'active', pageSize: PAGE, ...(after ? { after } : {}) })
      if (mine !== seq) return false
      rows.value = page.rows
      next.value = page.nextCursor
      total.value = page.total
      capped.value = page.totalCapped
      loaded.value = true
      return true
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  async function find(text: string): Promise<void> {
    search.value = text
    if (await fetch(undefined)) trail.value = [undefined]
  }

  async function refresh(): Promise<void> {
    await fetch(trail.value[trail.value.length - 1])
  }

  async function nextPage(): Promise<void> {
    const after = next.value
    if (after && (await fetch(after))) trail.value = [...trail.value, after]
  }

  async function previousPage(): Promise<void> {
    if (trail.value.length < 2) return
    const before = trail.value.slice(0, -1)
    if (await fetch(before[before.length - 1])) trail.value = before
  }

  /** One customer's phones, email and addresses. */
  function contact(id: number): Promise<CustomerContact> {
    return invoke('customers:contact', { id })
  }

  return { contact, search, rows, total, capped, loading, loaded, next, pageNumber, firstShown, find, refresh, nextPage, previousPage }
})
