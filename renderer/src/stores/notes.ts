import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Note } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useCustomerStore } from './customer'
import { useRemindersStore } from './reminders'

export interface NoteDraft {
  body: string
  pinned: boolean
  /** YYYY-MM-DD, or '' for no reminder. */
  reminderOn: string
}

/**
 * The staff notes of the customer open in the profile, in their saved order
 * (pinned first). Every change also refreshes the sidebar's first five notes
 * and the due-reminder badge.
 */
export const useNotesStore = defineStore('notes', () => {
  const notes = ref<Note[]>([])
  const customerId = ref<number | null>(null)
  const loading = ref(false)

  function after(list: Note[]) {
    notes.value = list
    const customer = useCustomerStore()
    customer.loadSummary().catch(() => undefined)
    useRemindersStore()
      .refresh()
      .catch(() => undefined)
  }

  async function load(id: number): Promise<void> {
    if (customerId.value !== id) {
      notes.value = []
      customerId.value = id
    }
    loading.value = true
    try {
      notes.value = await invoke('notes:list', { customerId: id })
    } finally {
      loading.value = false
    }
  }

  function current(): number {
    if (customerId.value === null) throw new Error('No customer is open.')
    return customerId.value
  }

  async function add(draft: NoteDraft): Promise<void> {
    after(await invoke('notes:add', { customerId: current(), body: draft.body, pinned: draft.pinned, reminderOn: draft.reminderOn || null }))
  }

  /** `version`: the note's version the edit started from; changed meanwhile on another desk, refused (CONFLICT with `changedMeanwhile`). */
  async function update(id: number, draft: NoteDraft, version?: number): Promise<void> {
    after(await invoke('notes:update', { id, body: draft.body, pinned: draft.pinned, reminderOn: draft.reminderOn || null, ...(version === undefined ? {} : { version }) }))
  }

  async function togglePin(note: Note): Promise<void> {
    await update(note.id, { body: note.body, pinned: !note.pinned, reminderOn: note.reminderOn ?? '' })
  }

  async function remove(id: number): Promise<void> {
    after(await invoke('notes:delete', { id }))
  }

  /** Shows the new order at once and saves it; puts the old order back if saving fails. */
  async function reorder(orderedIds: number[]): Promise<void> {
    const before = notes.value
    const byId = new Map(before.map((note) => [note.id, note]))
    notes.value = orderedIds.map((id) => byId.get(id)).filter((note): note is Note => note !== undefined)
    try {
      after(await invoke('notes:reorder', { customerId: current(), orderedIds }))
    } catch (error) {
      notes.value = before
      throw error
    }
  }

  return { notes, customerId, loading, load, add, update, togglePin, remove, reorder }
})
