import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BackupMade, BackupsStatus, RecoveryInfo, RecoveryOutcome, RestoreOutcome } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * Backups in Settings, and the recovery screen: what is there, Back up now
 * (followed as a job), restore (main checks the backup, keeps the current
 * file and reopens on the restored one), and the folder and passphrase.
 */
export const useBackupsStore = defineStore('backups', () => {
  const status = ref<BackupsStatus | null>(null)

  async function load(): Promise<BackupsStatus> {
    status.value = await invoke('backups:status', undefined)
    return status.value
  }

  async function backUpNow(): Promise<BackupMade> {
    const made = await useJobsStore().run<BackupMade>(() => invoke('backups:create', undefined))
    await load()
    return made
  }

  function restore(name: string, passphrase?: string): Promise<RestoreOutcome> {
    return invoke('backups:restore', passphrase ? { name, passphrase } : { name })
  }

  async function setOptions(options: { daily?: boolean; encrypted?: boolean }): Promise<void> {
    status.value = await invoke('backups:setOptions', options)
  }

  async function setPassphrase(passphrase: string | null): Promise<void> {
    status.value = await invoke('backups:setPassphrase', { passphrase })
  }

  /** Main shows the folder dialog; false when the person cancelled. */
  async function chooseFolder(): Promise<boolean> {
    const changed = await invoke('backups:chooseFolder', undefined)
    if (changed) status.value = changed
    return changed !== null
  }

  async function useDefaultFolder(): Promise<void> {
    status.value = await invoke('backups:useDefaultFolder', undefined)
  }

  function recovery(): Promise<RecoveryInfo | null> {
    return invoke('backups:recovery', undefined)
  }

  function recover(name: string, passphrase?: string): Promise<RecoveryOutcome> {
    return invoke('backups:recover', passphrase ? { name, passphrase } : { name })
  }

  function recoverFromFile(): Promise<RecoveryOutcome | null> {
    return invoke('backups:recoverFromFile', undefined)
  }

  return { status, load, backUpNow, restore, setOptions, setPassphrase, chooseFolder, useDefaultFolder, recovery, recover, recoverFromFile }
})
