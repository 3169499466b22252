import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { MailSettingsPatch, MailSettingsView, MailTestResult } from '../../../preload/contract'
import { invoke } from '../services/api'

/**
 * Settings → Email: the mail server, the sender and how staff addresses are
 * used. The password goes to main and stays there (kept with the system's
 * protection); the screens only learn whether one is kept.
 */
export const useMailStore = defineStore('mail', () => {
  const settings = ref<MailSettingsView | null>(null)

  async function load(): Promise<MailSettingsView> {
    settings.value = await invoke('mail:settings', undefined)
    return settings.value
  }

  /** Saves a patch (`password`: a new one, null to forget it, absent to keep it). */
  async function save(patch: MailSettingsPatch): Promise<MailSettingsView> {
    settings.value = await invoke('mail:updateSettings', patch)
    return settings.value
  }

  /** Sends a test email straight to the server with the saved settings; answers whether it was taken, in words. */
  function sendTest(to: string): Promise<MailTestResult> {
    return invoke('mail:sendTest', { to })
  }

  /** The signed-in administrator's own address, offered as the test email's recipient ('' when they have none). */
  async function ownAddress(staffId: number): Promise<string> {
    const people = await invoke('staff:list', undefined)
    return people.find((person) => person.id === staffId)?.email ?? ''
  }

  return { settings, load, save, sendTest, ownAddress }
})
