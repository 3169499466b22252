import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CollectionDue, CollectionRecorded, Input, PlanProduct } from '../../../preload/contract'
import { invoke } from '../services/api'

/**
 * The catalogue of plans (memberships, passes, subscriptions the desk sells)
 * and the subscription collections due today or overdue.
 */
export const usePlansStore = defineStore('plans', () => {
  /** Every plan, archived ones last. */
  const products = ref<PlanProduct[]>([])
  const productsLoaded = ref(false)
  const productsLoading = ref(false)
  const onSale = computed(() => products.value.filter((p) => p.active))

  async function loadProducts(): Promise<PlanProduct[]> {
    productsLoading.value = true
    try {
      products.value = await invoke('plans:products', { includeArchived: true })
      productsLoaded.value = true
      return products.value
    } finally {
      productsLoading.value = false
    }
  }

  /** Adds or edits a plan; throws `ApiFailure` with field errors. */
  async function saveProduct(input: Input<'plans:saveProduct'>): Promise<PlanProduct> {
    const saved = await invoke('plans:saveProduct', input)
    await loadProducts()
    return saved
  }

  async function archiveProduct(id: number, archived: boolean): Promise<void> {
    products.value = await invoke('plans:archiveProduct', { id, archived })
  }

  /* ── Collections due ── */
  const due = ref<CollectionDue[]>([])
  const dueTotal = ref(0)
  const dueTotalMinor = ref(0)
  const dueToday = ref('')
  const dueLoading = ref(false)
  const dueLoaded = ref(false)
  /** For the navigation's badge: how many collections are due, kept by every read of the list. */
  const dueCount = ref(0)
  const PAGE = 100

  /** Only the number due (the badge), without the rows. */
  async function refreshDueCount(): Promise<void> {
    dueCount.value = (await invoke('plans:collectionsDue', { limit: 1 })).total
  }

  /** The first page again (after a collection is recorded the list moves on). */
  async function loadDue(): Promise<void> {
    dueLoading.value = true
    try {
      const page = await invoke('plans:collectionsDue', { limit: PAGE })
      due.value = page.rows
      dueTotal.value = page.total
      dueCount.value = page.total
      dueTotalMinor.value = page.totalMinor
      dueToday.value = page.today
      dueLoaded.value = true
    } finally {
      dueLoading.value = false
    }
  }

  async function loadMoreDue(): Promise<void> {
    const last = due.value.at(-1)
    if (!last) return
    dueLoading.value = true
    try {
      const page = await invoke('plans:collectionsDue', { limit: PAGE, after: { dueOn: last.dueOn, planId: last.planId } })
      due.value = [...due.value, ...page.rows]
      dueTotal.value = page.total
      dueTotalMinor.value = page.totalMinor
    } finally {
      dueLoading.value = false
    }
  }

  /** Records one collection, paid or failed; the list is read again (an overdue subscription may still be due). */
  async function recordCollection(input: Input<'plans:recordCollection'>): Promise<CollectionRecorded> {
    try {
      return await invoke('plans:recordCollection', input)
    } finally {
      await loadDue()
    }
  }

  return {
    products,
    productsLoaded,
    productsLoading,
    onSale,
    loadProducts,
    saveProduct,
    archiveProduct,
    due,
    dueTotal,
    dueTotalMinor,
    dueToday,
    dueLoading,
    dueLoaded,
    dueCount,
    refreshDueCount,
    loadDue,
    loadMoreDue,
    recordCollection,
  }
})
