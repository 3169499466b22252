import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ErasurePreview, ErasureResult } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * Erasure of a person's personal data: what would go and what stays, then
 * the erasure itself in the background (it cannot be undone).
 */
export const useErasureStore = defineStore('erasure', () => {
  const preview = ref<ErasurePreview | null>(null)
  const loading = ref(false)
  const erasing = ref(false)

  async function loadPreview(customerId: number): Promise<void> {
    loading.value = true
    preview.value = null
    try {
      preview.value = await invoke('privacy:erasePreview', { customerId })
    } finally {
      loading.value = false
    }
  }

  /** Erases with the customer number typed to confirm; throws ApiFailure when refused or failed. */
  async function erase(customerId: number, confirm: string): Promise<ErasureResult> {
    erasing.value = true
    try {
      return await useJobsStore().run<ErasureResult>(() => invoke('privacy:erase', { customerId, confirm }))
    } finally {
      erasing.value = false
    }
  }

  return { preview, loading, erasing, loadPreview, erase }
})
