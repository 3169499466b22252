import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BulkSelection, EmailTemplate, MarketingPreview, MarketingResult } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * A marketing email to the customers selected in the list: the marketing
 * templates to choose from, who would receive it and who is left out (and
 * why), and the send itself, a job whose progress the dialog shows.
 */
export const useMarketingStore = defineStore('marketing', () => {
  const templates = ref<EmailTemplate[]>([])
  const preview = ref<MarketingPreview | null>(null)
  const previewing = ref(false)
  const sending = ref(false)
  let previewSeq = 0

  async function loadTemplates(): Promise<EmailTemplate[]> {
    templates.value = (await invoke('mail:templates', undefined)).filter((template) => template.purpose === 'marketing')
    return templates.value
  }

  /** Who the template would reach among the selection; a newer question wins over an older answer. */
  async function loadPreview(selection: BulkSelection, templateId: number): Promise<MarketingPreview | null> {
    const seq = ++previewSeq
    previewing.value = true
    try {
      const answer = await invoke('messages:marketingPreview', { selection, templateId })
      if (seq === previewSeq) preview.value = answer
      return answer
    } finally {
      if (seq === previewSeq) previewing.value = false
    }
  }

  function forgetPreview() {
    previewSeq++
    preview.value = null
    previewing.value = false
  }

  /** Writes the email to the outbox for everyone who may receive it; resolves with who got it and who did not. */
  async function send(selection: BulkSelection, templateId: number): Promise<MarketingResult> {
    sending.value = true
    try {
      return await useJobsStore().run<MarketingResult>(() => invoke('messages:sendMarketing', { selection, templateId }))
    } finally {
      sending.value = false
    }
  }

  return { templates, preview, previewing, sending, loadTemplates, loadPreview, forgetPreview, send }
})
