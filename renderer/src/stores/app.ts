import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo, BusinessLogo, SeedResult, Settings } from '../../../preload/contract'
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
    const fresh = await invoke('settings:get', undefined)
    // Forms fill themselves again when the settings change: the same settings read again must not wipe what is being typed.
    if (settings.value === null || JSON.stringify(fresh) !== JSON.stringify(settings.value)) settings.value = fresh
    return settings.value
  }

  /** Saves settings; throws `ApiFailure` with field errors when invalid. */
  async function saveSettings(changes: Partial<Settings>): Promise<Settings> {
    settings.value = await invoke('settings:update', changes)
    return settings.value
  }

  /** The letterhead's logo as an object URL for the preview, or null when there is none. */
  const logoUrl = ref<string | null>(null)
  const logo = ref<Pick<BusinessLogo, 'width' | 'height' | 'mime'> | null>(null)

  function showLogo(value: BusinessLogo | null) {
    if (logoUrl.value) URL.revokeObjectURL(logoUrl.value)
    logo.value = value ? { width: value.width, height: value.height, mime: value.mime } : null
    logoUrl.value = value ? URL.createObjectURL(new Blob([Uint8Array.from(value.bytes)], { type: value.mime })) : null
  }

  async function loadLogo(): Promise<void> {
    showLogo(await invoke('settings:logo', undefined))
  }

  /** Sends the picked picture's bytes; main checks it, shrinks it to at most 600 px and keeps it. Throws `ApiFailure` when refused. */
  async function setLogo(image: Uint8Array<ArrayBuffer>): Promise<void> {
    showLogo(await invoke('settings:setLogo', { image }))
  }

  async function removeLogo(): Promise<void> {
    await invoke('settings:removeLogo', {})
    showLogo(null)
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

  return { info, settings, seeding, logo, logoUrl, loadInfo, loadSettings, saveSettings, loadLogo, setLogo, removeLogo, addSampleCustomers }
})
