import { computed, ref, type Ref } from 'vue'

/** One page as main answers it: its rows and the position of the next page (null on the last). */
export interface KeysetPage<Row> {
  rows: Row[]
  next: string | null
  /** What else the answer says (a total), taken only when this page is the one shown. */
  shown?: () => void
}

/**
 * A list shown a page at a time from keyset positions: the positions of the
 * pages before are kept, so Previous goes back without counting; an answer
 * overtaken by a newer request is dropped.
 */
export function useKeysetPages<Row>(pageSize: number, load: (after: string | null) => Promise<KeysetPage<Row>>) {
  const rows = ref([]) as Ref<Row[]>
  const loading = ref(false)
  const loaded = ref(false)
  /** `after` of each page shown so far: [null] on the first page. */
  const trail = ref<Array<string | null>>([null])
  const next = ref<string | null>(null)
  let seq = 0

  const pageNumber = computed(() => trail.value.length)
  const firstShown = computed(() => (pageNumber.value - 1) * pageSize + 1)

  async function fetch(after: string | null): Promise<boolean> {
    const mine = ++seq
    loading.value = true
    try {
      const page = await load(after)
      if (mine !== seq) return false
      rows.value = page.rows
      next.value = page.next
      page.shown?.()
      loaded.value = true
      return true
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** From the first page again (the search or a filter changed). */
  async function reload(): Promise<void> {
    if (await fetch(null)) trail.value = [null]
  }

  /** The page on screen again, e.g. when coming back from a record. */
  async function refresh(): Promise<void> {
    await fetch(trail.value[trail.value.length - 1] ?? null)
  }

  async function nextPage(): Promise<void> {
    const after = next.value
    if (after && (await fetch(after))) trail.value = [...trail.value, after]
  }

  async function previousPage(): Promise<void> {
    if (trail.value.length < 2) return
    const before = trail.value.slice(0, -1)
    if (await fetch(before[before.length - 1] ?? null)) trail.value = before
  }

  return { rows, loading, loaded, next, pageNumber, firstShown, reload, refresh, nextPage, previousPage }
}
