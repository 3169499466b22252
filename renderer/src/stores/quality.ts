import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { JobStatus, QualityCategory, QualityCounts, QualityPage, QualityScanResult } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * The data-quality queue (administrators): how many records need attention
 * in each category — the badge on Settings and on its tab — and the rows of
 * one category, a page at a time.
 */
export const useQualityStore = defineStore('quality', () => {
  const counts = ref<QualityCounts | null>(null)
  const checking = ref(false)

  const total = computed(() => counts.value?.total ?? 0)

  async function refreshCounts(): Promise<void> {
    counts.value = await invoke('quality:counts', undefined)
  }

  function page(category: QualityCategory, after?: number): Promise<QualityPage> {
    return invoke('quality:page', { category, after, pageSize: 50 })
  }

  /** Checks every customer again (a job with its progress in the corner), then reads the new counts. */
  async function checkAgain(): Promise<QualityScanResult> {
    checking.value = true
    try {
      const result = await useJobsStore().run<QualityScanResult>(() => invoke('quality:scan', undefined) as Promise<JobStatus>)
      await refreshCounts()
      return result
    } finally {
      checking.value = false
    }
  }

  /** Archives an inactive customer from the queue; their row drops off as the archive is saved. */
  async function archive(customerId: number): Promise<void> {
    await invoke('customers:archive', { id: customerId })
    await refreshCounts()
  }

  /** Forgets what was read (someone else signs in). */
  function reset(): void {
    counts.value = null
  }

  return { counts, total, checking, refreshCounts, page, checkAgain, archive, reset }
})
