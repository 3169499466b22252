import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Printout } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useUiStore } from './ui'

/**
 * PDFs made for the desk this session (statements, letters, labels,
 * reports): their bytes for the preview and the printer, and main's Save
 * and Open, which show the dialog and the system viewer.
 */
export const usePrintoutsStore = defineStore('printouts', () => {
  const busy = ref<'save' | 'open' | 'print' | null>(null)
  /** The last bytes read, so previewing then printing reads the file once. */
  let cached: { id: string; bytes: Uint8Array } | null = null

  async function bytesOf(printout: Printout): Promise<Uint8Array> {
    if (cached?.id === printout.id) return cached.bytes
    const { bytes } = await invoke('printouts:read', { id: printout.id })
    cached = { id: printout.id, bytes }
    return bytes
  }

  async function act<T>(kind: 'save' | 'open' | 'print', work: () => Promise<T>): Promise<T | undefined> {
    busy.value = kind
    try {
      return await work()
    } catch (error) {
      useUiStore().notifyError(error)
      return undefined
    } finally {
      busy.value = null
    }
  }

  /** Asks where to save; says so once saved, nothing when cancelled. */
  async function save(printout: Printout): Promise<void> {
    const saved = await act('save', () => invoke('printouts:save', { id: printout.id }))
    if (saved) useUiStore().notify(`Saved ${saved.fileName}`)
  }

  async function openInViewer(printout: Printout): Promise<void> {
    await act('open', () => invoke('printouts:open', { id: printout.id }))
  }

  return { busy, bytesOf, save, openInViewer, act }
})
