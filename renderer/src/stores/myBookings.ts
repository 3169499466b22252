import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { MyBooking } from '../../../preload/contract'
import { invoke } from '../services/api'

/** Days shown at a time on My bookings. */
const MY_BOOKINGS_DAYS = 14

/** YYYY-MM-DD of a local day. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** A YYYY-MM-DD moved by whole days. */
function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return localDay(new Date(y!, m! - 1, d! + days))
}

/**
 * The bookings the signed-in person is sent to, a fortnight at a time
 * (main answers only their own, with contact details and no money).
 */
export const useMyBookingsStore = defineStore('myBookings', () => {
  const from = ref(localDay(new Date()))
  const to = ref(addDays(from.value, MY_BOOKINGS_DAYS - 1))
  const includeCancelled = ref(false)
  const rows = ref<MyBooking[]>([])
  const loading = ref(false)
  const loaded = ref(false)
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    try {
      const answer = await invoke('bookings:mine', { from: from.value, days: MY_BOOKINGS_DAYS, includeCancelled: includeCancelled.value })
      if (mine !== seq) return
      rows.value = answer.rows
      from.value = answer.from
      to.value = answer.to
      loaded.value = true
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function show(day: string): Promise<void> {
    from.value = day
    return load()
  }

  function move(periods: number): Promise<void> {
    return show(addDays(from.value, periods * MY_BOOKINGS_DAYS))
  }

  function setIncludeCancelled(value: boolean): Promise<void> {
    includeCancelled.value = value
    return load()
  }

  return { from, to, includeCancelled, rows, loading, loaded, load, show, move, setIncludeCancelled }
})
