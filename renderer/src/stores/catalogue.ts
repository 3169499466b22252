import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CatalogueItem, CatalogueSession, GroupRef, Input } from '../../../preload/contract'
import { invoke } from '../services/api'

/** How far back "Past sessions" looks. */
const PAST_DAYS = 366

/**
 * What can be booked: catalogue items with their prices, and the sessions of
 * the item open on the Catalogue page. The New booking screen reads the
 * active items and each item's upcoming sessions through here too.
 */
export const useCatalogueStore = defineStore('catalogue', () => {
  const items = ref<CatalogueItem[]>([])
  const loading = ref(false)
  const loaded = ref(false)

  /** Items that can be offered for new bookings. */
  const activeItems = computed(() => items.value.filter((item) => item.active))

  async function load(): Promise<CatalogueItem[]> {
    loading.value = true
    try {
      items.value = await invoke('catalogue:list', undefined)
      loaded.value = true
      return items.value
    } finally {
      loading.value = false
    }
  }

  /** Creates or edits an item (with its price options); the list is reloaded. */
  async function saveItem(input: Input<'catalogue:saveItem'>): Promise<CatalogueItem> {
    const item = await invoke('catalogue:saveItem', input)
    await load()
    return item
  }

  /** Deletes an item; the backend refuses (with a reason) when it has bookings. */
  async function deleteItem(id: number): Promise<void> {
    items.value = await invoke('catalogue:deleteItem', { id })
  }

  /* ── The sessions of one item (Catalogue page) ── */
  const sessions = ref<CatalogueSession[]>([])
  const sessionsItemId = ref<number | null>(null)
  const sessionsLoading = ref(false)
  /** Show sessions that have already started instead of upcoming ones. */
  const showPast = ref(false)
  let sessionsSeq = 0

  async function loadSessions(itemId: number | null = sessionsItemId.value): Promise<void> {
    sessionsItemId.value = itemId
    const seq = ++sessionsSeq
    if (itemId === null) {
      sessions.value = []
      return
    }
    sessionsLoading.value = true
    try {
      const now = new Date()
      const list = showPast.value
        ? await invoke('catalogue:sessions', {
            itemId,
            from: new Date(now.getTime() - PAST_DAYS * 86_400_000).toISOString(),
            to: now.toISOString(),
            limit: 500,
          })
        : await invoke('catalogue:sessions', { itemId, limit: 500 })
      if (seq !== sessionsSeq) return
      // Past sessions read best most recent first.
      sessions.value = showPast.value ? [...list].sort((a, b) => b.startsAt.localeCompare(a.startsAt)) : list
    } finally {
      if (seq === sessionsSeq) sessionsLoading.value = false
    }
  }

  /** Creates or edits a session; sessions and the items' upcoming counts are reloaded. */
  async function saveSession(input: Input<'catalogue:saveSession'>): Promise<CatalogueSession> {
    const session = await invoke('catalogue:saveSession', input)
    await Promise.all([loadSessions(), load()])
    return session
  }

  async function deleteSession(id: number): Promise<void> {
    await invoke('catalogue:deleteSession', { id })
    await Promise.all([loadSessions(), load()])
  }

  /** The customer groups an item or a price can be limited to. */
  const groups = ref<GroupRef[]>([])

  async function loadGroups(): Promise<GroupRef[]> {
    groups.value = await invoke('groups:list', undefined)
    return groups.value
  }

  /** Upcoming sessions of one item, for choosing what to book (not kept in the store). */
  function upcomingSessions(itemId: number): Promise<CatalogueSession[]> {
    return invoke('catalogue:sessions', { itemId, limit: 200 })
  }

  return {
    items,
    loading,
    loaded,
    activeItems,
    load,
    saveItem,
    deleteItem,
    sessions,
    sessionsItemId,
    sessionsLoading,
    showPast,
    loadSessions,
    saveSession,
    deleteSession,
    upcomingSessions,
    groups,
    loadGroups,
  }
})
