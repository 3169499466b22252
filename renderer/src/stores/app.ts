import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo, SeedResult, Settings } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/** App-wide facts: version and data file (app:info) and the business settings. */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null)
  const settings = ref<Settings | null>(null)
  /** True while sample customers are being added. */
  const seeding = ref(false)

  async function loadInfo(): Promise<AppInfo> {
    info.value = await invoke('app:info', undefined)
    return info.value
  }

  async function loadSettings(): Promise<Settings> {
    settings.value = await invoke('settings:get', undefined)
    return settings.value
  }

  /** Saves settings; throws `ApiFailure` with field errors when invalid. */
  async function saveSettings(changes: Partial<Settings>): Promise<Settings> {
    settings.value = await invoke('settings:update', changes)
    return settings.value
  }

  /** Adds `count` generated sample customers to the address book, as a background job with progress. */
  async function addSampleCustomers(count: number, seed?: number): Promise<SeedResult> {
    seeding.value = true
    try {
      const result = await useJobsStore().run<SeedResult>(() => invoke('demo:seed', seed === undefined ? { count } : { count, seed }))
      await loadInfo().catch(() => undefined)
      return result
    } finally {
      seeding.value = false
    }
  }

  return { info, settings, seeding, loadInfo, loadSettings, saveSettings, addSampleCustomers }
})
