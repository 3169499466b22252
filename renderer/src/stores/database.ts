import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ConnectionTest, CopyReport, DatabaseStatus, ServerSettingsInput } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * Settings → Database: the local customer file or a PostgreSQL server. The
 * password goes to main and stays there (kept with the system's
 * protection); the screen only learns whether one is kept.
 */
export const useDatabaseStore = defineStore('database', () => {
  const status = ref<DatabaseStatus | null>(null)
  const jobs = useJobsStore()

  async function load(): Promise<DatabaseStatus> {
    status.value = await invoke('database:status', undefined)
    return status.value
  }

  /** Connects and looks, changing nothing; the answer is in words. */
  function test(settings: ServerSettingsInput): Promise<ConnectionTest> {
    return invoke('database:testConnection', settings)
  }

  /** Tests the server, keeps the settings (and a new password), and reopens the desk on it. */
  async function useServer(settings: ServerSettingsInput): Promise<DatabaseStatus> {
    status.value = await invoke('database:useServer', settings)
    return status.value
  }

  async function useLocalFile(): Promise<DatabaseStatus> {
    status.value = await invoke('database:useFile', undefined)
    return status.value
  }

  /** Copies this desk's data to the server, every table verified; follows the job to the end. */
  function copyToServer(settings: ServerSettingsInput, replace: boolean): Promise<CopyReport> {
    return jobs.run<CopyReport>(() => invoke('database:copyToServer', { ...settings, replace }))
  }

  function copyToFile(replace: boolean): Promise<CopyReport> {
    return jobs.run<CopyReport>(() => invoke('database:copyToFile', { replace }))
  }

  return { status, load, test, useServer, useLocalFile, copyToServer, copyToFile }
})
