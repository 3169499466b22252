import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AssignableStaff, Input, StaffAccount } from '../../../preload/contract'
import { invoke } from '../services/api'

/**
 * Staff accounts as administrators manage them (the Staff page), and the
 * people a booking can be assigned to (the booking screens).
 */
export const useStaffStore = defineStore('staff', () => {
  const accounts = ref<StaffAccount[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const assignable = ref<AssignableStaff[]>([])

  const activeCount = computed(() => accounts.value.filter((a) => a.active).length)

  async function load(): Promise<void> {
    loading.value = true
    try {
      accounts.value = await invoke('staff:list', undefined)
      loaded.value = true
    } finally {
      loading.value = false
    }
  }

  function put(account: StaffAccount): StaffAccount {
    const index = accounts.value.findIndex((a) => a.id === account.id)
    if (index >= 0) accounts.value.splice(index, 1, account)
    else accounts.value.push(account)
    return account
  }

  /** Adds someone; throws `ApiFailure` with field messages when refused. */
  async function create(input: Input<'staff:create'>): Promise<StaffAccount> {
    return put(await invoke('staff:create', input))
  }

  async function update(input: Input<'staff:update'>): Promise<StaffAccount> {
    return put(await invoke('staff:update', input))
  }

  async function setActive(account: StaffAccount, active: boolean): Promise<StaffAccount> {
    return update({ id: account.id, name: account.name, email: account.email, role: account.role, active })
  }

  async function resetPassword(id: number, password: string): Promise<StaffAccount> {
    return put(await invoke('staff:resetPassword', { id, password }))
  }

  /** Active staff a booking can be assigned to. */
  async function loadAssignable(): Promise<AssignableStaff[]> {
    assignable.value = await invoke('staff:assignable', undefined)
    return assignable.value
  }

  return { accounts, loaded, loading, activeCount, assignable, load, create, update, setActive, resetPassword, loadAssignable }
})
