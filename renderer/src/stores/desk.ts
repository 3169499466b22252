import { defineStore } from 'pinia'
import { ref } from 'vue'
import { onMenu } from '../services/api'

/** Other desks' changes arriving together (an import, a burst of saves) refresh the screens once. */
const REFRESH_AFTER_MS = 100

/**
 * This desk among others on one database server: whether the server answers
 * (the banner), and a counter raised each time other desks changed customers,
 * bookings or notes, which the screens watch to read again what they show.
 */
export const useDeskStore = defineStore('desk', () => {
  const offline = ref(false)
  const changes = ref(0)
  let pending: ReturnType<typeof setTimeout> | undefined

  /** Subscribes to the main process's desk events; returns the unsubscribe function. */
  function listen(): () => void {
    const offs = [
      onMenu('desk:changed', () => {
        pending ??= setTimeout(() => {
          pending = undefined
          changes.value++
        }, REFRESH_AFTER_MS)
      }),
      onMenu('desk:offline', () => (offline.value = true)),
      onMenu('desk:online', () => (offline.value = false)),
    ]
    return () => {
      offs.forEach((off) => off())
      clearTimeout(pending)
      pending = undefined
    }
  }

  return { offline, changes, listen }
})
