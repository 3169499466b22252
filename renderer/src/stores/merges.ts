import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { MergePreview, MergeRecord, MergeResult, MergeUndoResult } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * Merging customer records and undoing a merge: the preview the merge dialog
 * shows, the merge itself (a background task), and the merges of the
 * customer open in the profile.
 */
export const useMergesStore = defineStore('merges', () => {
  const jobs = useJobsStore()
  /** Merges into the open profile's record, newest first. */
  const forCustomer = ref<MergeRecord[]>([])
  const customerId = ref<number | null>(null)

  function preview(customerIds: number[], survivorId: number): Promise<MergePreview> {
    return invoke('merges:preview', { customerIds, survivorId })
  }

  async function merge(customerIds: number[], survivorId: number, choices: Record<string, number>): Promise<MergeResult> {
    return jobs.run<MergeResult>(() => invoke('merges:merge', { customerIds, survivorId, choices }))
  }

  async function loadForCustomer(id: number): Promise<void> {
    if (customerId.value !== id) forCustomer.value = []
    customerId.value = id
    forCustomer.value = await invoke('merges:forCustomer', { customerId: id })
  }

  async function undo(mergeId: number): Promise<MergeUndoResult> {
    const result = await jobs.run<MergeUndoResult>(() => invoke('merges:undo', { mergeId }))
    if (customerId.value !== null) await loadForCustomer(customerId.value)
    return result
  }

  return { forCustomer, preview, merge, loadForCustomer, undo }
})
