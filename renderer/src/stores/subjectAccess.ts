import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SubjectAccessFormat, SubjectAccessResult } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'
import { useUiStore } from './ui'

/**
 * Subject access requests: everything held about one customer, collected in
 * the background into a PDF and a data file; main asks where to save each.
 */
export const useSubjectAccessStore = defineStore('subjectAccess', () => {
  const making = ref(false)
  const saving = ref<SubjectAccessFormat | null>(null)

  /** Collects the customer's data with progress and Cancel; throws ApiFailure when refused, failed or cancelled (CANCELLED). */
  async function make(customerId: number): Promise<SubjectAccessResult> {
    making.value = true
    try {
      return await useJobsStore().run<SubjectAccessResult>(() => invoke('privacy:subjectAccess', { customerId }))
    } finally {
      making.value = false
    }
  }

  /** Asks where to save one of the request's files; says so once saved, nothing when cancelled. */
  async function save(made: SubjectAccessResult, format: SubjectAccessFormat): Promise<string | null> {
    saving.value = format
    try {
      const saved = await invoke('privacy:subjectAccessSave', { id: made.printout.id, format })
      if (saved) useUiStore().notify(`Saved ${saved.fileName}`)
      return saved?.fileName ?? null
    } catch (error) {
      useUiStore().notifyError(error)
      return null
    } finally {
      saving.value = null
    }
  }

  return { making, saving, make, save }
})
