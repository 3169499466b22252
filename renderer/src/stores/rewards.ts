import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ReferredCustomersPage, RewardsBalance, RewardsLedgerPage } from '../../../preload/contract'
import { invoke } from '../services/api'

/** Referred customers shown at a time: the profile's section stays short. */
const REFERRED_PAGE = 10

/**
 * Referral rewards of the customer open on the profile: their ledger and the
 * customers they referred, each paged from main; and any customer's balance
 * for the payment dialogs.
 */
export const useRewardsStore = defineStore('rewards', () => {
  const customerId = ref<number | null>(null)
  const ledger = ref<RewardsLedgerPage | null>(null)
  const referred = ref<ReferredCustomersPage | null>(null)
  const loading = ref(false)

  /** The first page of both lists for this customer. */
  async function load(id: number): Promise<void> {
    if (customerId.value !== id) {
      ledger.value = null
      referred.value = null
    }
    customerId.value = id
    loading.value = true
    try {
      const [entries, people] = await Promise.all([invoke('rewards:ledger', { customerId: id }), invoke('rewards:referred', { customerId: id, limit: REFERRED_PAGE })])
      if (customerId.value !== id) return
      ledger.value = entries
      referred.value = people
    } finally {
      loading.value = false
    }
  }

  /** Older ledger entries, added below those shown. */
  async function moreEntries(): Promise<void> {
    const id = customerId.value
    const before = ledger.value?.nextBefore
    if (id === null || !before || !ledger.value) return
    const page = await invoke('rewards:ledger', { customerId: id, before })
    if (customerId.value !== id || !ledger.value) return
    ledger.value = { ...page, entries: [...ledger.value.entries, ...page.entries] }
  }

  /** The next referred customers, in name order. */
  async function moreReferred(): Promise<void> {
    const id = customerId.value
    const after = referred.value?.nextAfter
    if (id === null || !after || !referred.value) return
    const page = await invoke('rewards:referred', { customerId: id, after, limit: REFERRED_PAGE })
    if (customerId.value !== id || !referred.value) return
    referred.value = { ...page, customers: [...referred.value.customers, ...page.customers] }
  }

  /** An administrator adds (above zero) or takes away (below zero) with a reason; throws `ApiFailure` when refused. */
  async function adjust(amountMinor: number, reason: string): Promise<RewardsLedgerPage> {
    if (customerId.value === null) throw new Error('No customer is open.')
    ledger.value = await invoke('rewards:adjust', { customerId: customerId.value, amountMinor, reason })
    return ledger.value
  }

  /** Any customer's balance, e.g. for the customer a payment is taken from. */
  function balanceOf(id: number): Promise<RewardsBalance> {
    return invoke('rewards:balance', { customerId: id })
  }

  return { customerId, ledger, referred, loading, load, moreEntries, moreReferred, adjust, balanceOf }
})
