import { defineStore } from 'pinia'
import type { CustomerDetail, RecycledCustomer, RecyclePurgeResult } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/** The recycle bin in Settings: deleted customers waiting to be removed for good. */
export const useRecycleBinStore = defineStore('recycleBin', () => {
  function list(): Promise<RecycledCustomer[]> {
    return invoke('recycleBin:list', undefined)
  }

  /** Brings a customer back to the address book. */
  function restore(id: number): Promise<CustomerDetail> {
    return invoke('recycleBin:restore', { id })
  }

  /**
   * Removes a customer for good now, in the background with its progress
   * shown (the search index is rewritten); resolves once it is done, throws
   * ApiFailure when refused or failed (nothing removed).
   */
  function purge(id: number): Promise<RecyclePurgeResult> {
    return useJobsStore().run<RecyclePurgeResult>(() => invoke('recycleBin:purge', { id }))
  }

  return { list, restore, purge }
})
