import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { JobStatus } from '../../../preload/contract'
import { ApiFailure, invoke } from '../services/api'

const POLL_MS = 150

/**
 * Long work runs in the background (bulk changes, sample data): the channel
 * that starts it answers at once with a job, and this store follows it to
 * the end, keeping its progress for the progress dialog and passing Cancel on.
 */
export const useJobsStore = defineStore('jobs', () => {
  /** The job the desk is waiting for, as last heard. */
  const current = ref<JobStatus | null>(null)
  const cancelling = ref(false)
  /** Screens showing the job's progress in place (the import wizard, the export dialog): the corner card waits meanwhile. */
  const shownInPlace = ref(0)

  const finished = (status: JobStatus) => status.state !== 'queued' && status.state !== 'running'

  async function follow(started: JobStatus): Promise<JobStatus> {
    current.value = started
    cancelling.value = false
    let status = started
    try {
      while (!finished(status)) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
        status = await invoke('jobs:get', { id: status.id })
        current.value = status
      }
      return status
    } finally {
      if (current.value?.id === started.id) current.value = null
    }
  }

  /**
   * Starts a job and waits for it: resolves with its result, or throws
   * ApiFailure with the job's error (CANCELLED when the person stopped it).
   */
  async function run<T>(start: () => Promise<JobStatus>): Promise<T> {
    const status = await follow(await start())
    if (status.state === 'done') return status.result as T
    throw new ApiFailure(status.error ?? { code: 'INTERNAL', message: 'Something went wrong and nothing was changed. Please try again.' })
  }

  /** Shows a job already under way when the window opens (the check of a large customer file). */
  async function resume(): Promise<void> {
    const active = (await invoke('jobs:list', undefined)).find((job) => !finished(job))
    if (active && !current.value) await follow(active)
  }

  /** Asks the running job to stop; it rolls back whole. */
  async function cancel(): Promise<void> {
    const job = current.value
    if (!job || !job.cancellable) return
    cancelling.value = true
    current.value = await invoke('jobs:cancel', { id: job.id })
  }

  return { current, cancelling, shownInPlace, run, resume, cancel }
})
