import { defineStore } from 'pinia'
import type { CustomerDetail, RecycledCustomer } from '../../../preload/contract'
import { invoke } from '../services/api'

/** The recycle bin in Settings: deleted customers waiting to be removed for good. */
export const useRecycleBinStore = defineStore('recycleBin', () => {
  function list(): Promise<RecycledCustomer[]> {
    return invoke('recycleBin:list', undefined)
  }

  /** Brings a customer back to the address book. */
  function restore(id: number): Promise<CustomerDetail> {
    return invoke('recycleBin:restore', { id })
  }

  /** Removes a customer for good now; resolves with what is left in the bin. */
  function purge(id: number): Promise<RecycledCustomer[]> {
    return invoke('recycleBin:purge', { id })
  }

  return { list, restore, purge }
})
