import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { DueReminder } from '../../../preload/contract'
import { invoke } from '../services/api'

/** Notes whose reminder day has come: the Reminders page and the badge in the navigation. */
export const useRemindersStore = defineStore('reminders', () => {
  const reminders = ref<DueReminder[]>([])
  const loaded = ref(false)
  const loading = ref(false)

  const count = computed(() => reminders.value.length)

  async function refresh(): Promise<void> {
    loading.value = true
    try {
      reminders.value = await invoke('notes:reminders', {})
      loaded.value = true
    } finally {
      loading.value = false
    }
  }

  return { reminders, loaded, loading, count, refresh }
})
