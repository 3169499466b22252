import { onMounted, ref, type Ref } from 'vue'
import { useCustomerListStore } from '../../stores/customerList'
import { useCustomerFiltersStore } from '../../stores/customerFilters'
import { useUiStore, type ConfirmRequest } from '../../stores/ui'

/**
 * What the Settings tables (tags, groups, custom fields) share: loading the
 * list, telling the customer list its filter menus changed, and
 * confirm → delete → show the updated list → say so.
 */
export function useSettingsList<T>(fetch: () => Promise<T[]>, options: { refreshCustomerList?: boolean } = {}) {
  const ui = useUiStore()
  const list = useCustomerListStore()
  const filters = useCustomerFiltersStore()
  const items = ref([]) as Ref<T[]>
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      items.value = await fetch()
    } catch (failure) {
      ui.notifyError(failure)
    } finally {
      loading.value = false
    }
  }

  /** The customer list's filter menus (and, for tags, its chips) follow. */
  function changed() {
    filters.loadFilterOptions().catch(() => undefined)
    if (options.refreshCustomerList && list.loaded) list.refresh().catch(() => undefined)
  }

  /**
   * Asks first; on yes deletes (a background job: it may reach every
   * customer) and shows the updated list it ends with.
   */
  async function confirmDelete(question: ConfirmRequest, remove: () => Promise<T[]>, done: string) {
    if (!(await ui.confirm(question))) return
    try {
      items.value = await remove()
      ui.notify(done)
      changed()
    } catch (failure) {
      ui.notifyError(failure)
    }
  }

  onMounted(load)
  return { items, loading, load, changed, confirmDelete }
}
