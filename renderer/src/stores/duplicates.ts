import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { DuplicateCheck, DuplicateCheckInput, DuplicateGroupsPage, DuplicateMatch, DuplicateScanResult, JobStatus } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

const GROUPS_PAGE = 20

/**
 * Likely duplicates: the check a record gets as it is typed, "It's a
 * different person", and (administrators) the full scan's ranked groups in
 * Settings → Duplicates.
 */
export const useDuplicatesStore = defineStore('duplicates', () => {
  function check(input: DuplicateCheckInput): Promise<DuplicateCheck> {
    return invoke('duplicates:check', input)
  }

  function forCustomer(customerId: number): Promise<DuplicateMatch[]> {
    return invoke('duplicates:forCustomer', { customerId })
  }

  /** Remembers that this customer is not the same person as the others. */
  async function dismiss(customerId: number, otherIds: number[]): Promise<void> {
    if (otherIds.length === 0) return
    await invoke('duplicates:dismiss', { customerId, otherIds })
  }

  /* ── Settings → Duplicates ── */
  const groups = ref<DuplicateGroupsPage | null>(null)
  const page = ref(0)
  const scanning = ref(false)

  async function loadGroups(at = page.value): Promise<void> {
    groups.value = await invoke('duplicates:groups', { page: at, pageSize: GROUPS_PAGE })
    page.value = at
    // A page emptied by dismissals and merges: show the one before.
    if (groups.value.groups.length === 0 && at > 0) await loadGroups(at - 1)
  }

  /** Compares every customer again (a job, its progress shown in place), then shows the first page. */
  async function scan(): Promise<DuplicateScanResult> {
    scanning.value = true
    try {
      const result = await useJobsStore().run<DuplicateScanResult>(() => invoke('duplicates:scan', undefined) as Promise<JobStatus>)
      await loadGroups(0)
      return result
    } finally {
      scanning.value = false
    }
  }

  /** Forgets what was read (someone else signs in). */
  function reset(): void {
    groups.value = null
    page.value = 0
  }

  return { check, forCustomer, dismiss, groups, page, pageSize: GROUPS_PAGE, scanning, loadGroups, scan, reset }
})
