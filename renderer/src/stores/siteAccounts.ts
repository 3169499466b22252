import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SiteAccountToken, SiteTokenPurpose } from '../../../preload/contract'
import { invoke } from '../services/api'

/**
 * The online booking site's account emails of the customer open in the
 * profile: the links sent (never the links themselves) with what became of
 * each, and why no new one can be sent, if so.
 */
export const useSiteAccountsStore = defineStore('siteAccounts', () => {
  const customerId = ref<number | null>(null)
  const tokens = ref<SiteAccountToken[]>([])
  /** Why the buttons are disabled ('' when an email can be sent). */
  const cannotSend = ref('')
  const sending = ref<SiteTokenPurpose | null>(null)

  async function loadForCustomer(id: number): Promise<void> {
    if (customerId.value !== id) {
      tokens.value = []
      cannotSend.value = ''
      customerId.value = id
    }
    const answer = await invoke('siteAccounts:forCustomer', { customerId: id })
    if (customerId.value !== id) return
    tokens.value = answer.tokens
    cannotSend.value = answer.cannotSend
  }

  /** Queues the email for the open customer; answers when its link stops working. */
  async function send(purpose: SiteTokenPurpose): Promise<string> {
    const id = customerId.value
    if (id === null) throw new Error('No customer is open.')
    sending.value = purpose
    try {
      const sent = await invoke('siteAccounts:sendEmail', { customerId: id, purpose })
      if (customerId.value === id) tokens.value = sent.tokens
      return sent.expiresAt
    } finally {
      sending.value = null
    }
  }

  return { customerId, tokens, cannotSend, sending, loadForCustomer, send }
})
