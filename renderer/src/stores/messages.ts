import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CustomerMessages, EmailPreview, EmailTemplate, MessageDetail, MessageSummary, OutboxCounts, OutboxFilter, OutboxRow, SendMessageInput } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useSessionStore } from './session'

const PAGE_SIZE = 50
/** How often the navigation badge asks how the outbox is doing. */
const POLL_MS = 5_000

/**
 * Emails: the outbox's counts for the navigation badge (polled while someone
 * is signed in), the open customer's messages and what stops writing to
 * them, sending one, and the Outbox page with Retry and Cancel.
 */
export const useMessagesStore = defineStore('messages', () => {
  const session = useSessionStore()

  /* ── Counts, for the badge and the Outbox page's banners ── */
  const counts = ref<OutboxCounts | null>(null)
  /** Waiting or failed: what the badge shows. */
  const waiting = computed(() => (counts.value ? counts.value.queued + counts.value.sending + counts.value.failed : 0))
  let timer: ReturnType<typeof setInterval> | undefined

  /** `followRows`: an open Outbox reloads its rows when the counts moved (off when the caller reloads them itself). */
  async function refreshCounts(followRows = true): Promise<void> {
    const next = await invoke('messages:outboxCounts', undefined)
    const before = counts.value
    counts.value = next
    // The Outbox's rows follow what the counts say moved (a message sent, failed, back in the queue), without Refresh.
    if (followRows && outboxShown.value && before && moved(before, next)) await loadPage(thisPage.value)
  }

  const moved = (a: OutboxCounts, b: OutboxCounts) =>
    a.queued !== b.queued || a.sending !== b.sending || a.failed !== b.failed || a.sentToday !== b.sentToday || a.offline !== b.offline || a.nextTryAt !== b.nextTryAt

  /** Asks now and every few seconds, skipping while the desk is locked or changing hands. */
  function startPolling(): void {
    stopPolling()
    refreshCounts().catch(() => undefined)
    timer = setInterval(() => {
      if (session.gated) return
      refreshCounts().catch(() => undefined)
    }, POLL_MS)
  }

  function stopPolling(): void {
    clearInterval(timer)
    timer = undefined
  }

  /* ── The open customer's messages ── */
  const customerId = ref<number | null>(null)
  const customerMessages = ref<MessageSummary[]>([])
  const customerNext = ref<string | null>(null)
  const refusals = ref<CustomerMessages['refusals'] | null>(null)
  const customerLoading = ref(false)

  /** The first page of a customer's messages, and whether they can be written to now. */
  async function loadForCustomer(id: number): Promise<void> {
    if (customerId.value !== id) {
      customerId.value = id
      customerMessages.value = []
      refusals.value = null
    }
    customerLoading.value = true
    try {
      const page = await invoke('messages:forCustomer', { customerId: id, pageSize: PAGE_SIZE })
      if (customerId.value !== id) return
      customerMessages.value = page.rows
      customerNext.value = page.nextCursor
      refusals.value = page.refusals
    } finally {
      customerLoading.value = false
    }
  }

  async function loadMoreForCustomer(): Promise<void> {
    const id = customerId.value
    if (id === null || !customerNext.value) return
    const page = await invoke('messages:forCustomer', { customerId: id, after: customerNext.value, pageSize: PAGE_SIZE })
    if (customerId.value !== id) return
    customerMessages.value = [...customerMessages.value, ...page.rows]
    customerNext.value = page.nextCursor
  }

  /** Writes the email to the outbox; the customer's list and the badge show it at once. */
  async function send(input: SendMessageInput): Promise<MessageSummary> {
    const sent = await invoke('messages:send', input)
    if (customerId.value === input.customerId) customerMessages.value = [sent, ...customerMessages.value.filter((m) => m.id !== sent.id)]
    refreshCounts().catch(() => undefined)
    return sent
  }

  function get(id: number): Promise<MessageDetail> {
    return invoke('messages:get', { id })
  }

  /** The templates the desk may send by hand (the automatic emails' own are left out). */
  async function sendableTemplates(): Promise<EmailTemplate[]> {
    const all = await invoke('mail:templates', undefined)
    return all.filter((t) => t.purpose === 'general' || t.purpose === 'marketing')
  }

  /** The draft as this customer would receive it, with what would stop it being sent. */
  function preview(input: { subject: string; body: string; customerId: number; kind: 'general' | 'marketing' }): Promise<EmailPreview> {
    return invoke('mail:preview', input)
  }

  /* ── The Outbox page ── */
  /** While the Outbox page is on screen (it says so), its rows are reloaded when the counts move. */
  const outboxShown = ref(false)
  const filter = ref<OutboxFilter>('all')
  const rows = ref<OutboxRow[]>([])
  const loading = ref(false)
  /** Cursors of the pages before the one shown (keyset paging walks forward; Previous pops). */
  const earlierPages = ref<Array<string | undefined>>([])
  const thisPage = ref<string | undefined>(undefined)
  const nextCursor = ref<string | null>(null)
  const pageNumber = computed(() => earlierPages.value.length + 1)
  let loadSeq = 0

  async function loadPage(after: string | undefined): Promise<void> {
    const seq = ++loadSeq
    loading.value = true
    try {
      const page = await invoke('messages:outbox', { status: filter.value, after, pageSize: PAGE_SIZE })
      if (seq !== loadSeq) return
      rows.value = page.rows
      nextCursor.value = page.nextCursor
      thisPage.value = after
    } finally {
      if (seq === loadSeq) loading.value = false
    }
  }

  async function setFilter(value: OutboxFilter): Promise<void> {
    filter.value = value
    earlierPages.value = []
    await loadPage(undefined)
  }

  async function reloadOutbox(): Promise<void> {
    await Promise.all([loadPage(thisPage.value), refreshCounts(false)])
  }

  async function nextPage(): Promise<void> {
    if (!nextCursor.value) return
    const current = thisPage.value
    await loadPage(nextCursor.value)
    earlierPages.value = [...earlierPages.value, current]
  }

  async function previousPage(): Promise<void> {
    if (earlierPages.value.length === 0) return
    const before = earlierPages.value[earlierPages.value.length - 1]
    await loadPage(before)
    earlierPages.value = earlierPages.value.slice(0, -1)
  }

  /** After Retry or Cancel, wherever the message is shown. */
  async function afterChange(): Promise<void> {
    const reloads: Array<Promise<void>> = [refreshCounts()]
    if (customerId.value !== null) reloads.push(loadForCustomer(customerId.value))
    await Promise.all(reloads)
  }

  async function retry(ids: number[]): Promise<number> {
    const { retried } = await invoke('messages:retry', { ids })
    await afterChange()
    return retried
  }

  async function cancel(ids: number[]): Promise<number> {
    const { cancelled } = await invoke('messages:cancel', { ids })
    await afterChange()
    return cancelled
  }

  /** Asks the sender to try the server now rather than at its next turn; the Outbox reloads its rows after. */
  async function sendNow(): Promise<void> {
    await invoke('messages:sendNow', undefined)
    await refreshCounts(false)
  }

  return {
    counts,
    waiting,
    outboxShown,
    refreshCounts,
    startPolling,
    stopPolling,
    customerId,
    customerMessages,
    customerNext,
    refusals,
    customerLoading,
    loadForCustomer,
    loadMoreForCustomer,
    send,
    get,
    sendableTemplates,
    preview,
    filter,
    rows,
    loading,
    nextCursor,
    pageNumber,
    loadPage,
    setFilter,
    reloadOutbox,
    nextPage,
    previousPage,
    retry,
    cancel,
    sendNow,
  }
})
