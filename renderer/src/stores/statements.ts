import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Printout } from '../../../preload/contract'
import { invoke } from '../services/api'

/** Customers' statements: made by main (off the desk's thread) as a printout to show, save, open or print. */
export const useStatementsStore = defineStore('statements', () => {
  /** True while a statement is being made. */
  const making = ref(false)

  /** The statement of one customer's account for the desk's days `from`–`to`, both included. Throws `ApiFailure` when refused. */
  async function make(customerId: number, from: string, to: string): Promise<Printout> {
    making.value = true
    try {
      return await invoke('statements:make', { customerId, from, to })
    } finally {
      making.value = false
    }
  }

  return { making, make }
})
