import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ExportColumn, ExportFormat, ExportResult, ExportScope } from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'
import { useCustomerSelectionStore } from './customerSelection'
import { useCustomerListStore } from './customerList'

/** Which customers go into the file: everyone, the list as it is filtered on screen, or the ticked ones. */
export type ExportWhich = 'all' | 'filtered' | 'selected'

/**
 * Customers out to a spreadsheet. Main asks where to save (the window never
 * names a path), then writes in the background; the file appears under its
 * name only once whole.
 */
export const useExportsStore = defineStore('exports', () => {
  /** The columns a file can have, in the order they are written (custom fields included: loaded as the export dialog opens). */
  const columns = ref<ExportColumn[]>([])
  const exporting = ref(false)

  async function loadColumns(): Promise<ExportColumn[]> {
    columns.value = await invoke('exports:columns', undefined)
    return columns.value
  }

  /**
   * The customers `which` means, as the list stands now: the ticked rows by
   * id, or, when every match is selected, the list's tab and filter.
   */
  function scopeOf(which: ExportWhich): ExportScope {
    const list = useCustomerListStore()
    const selection = useCustomerSelectionStore()
    if (which === 'all') return { kind: 'all' }
    if (which === 'selected' && !selection.allMatching) return { kind: 'ids', ids: [...selection.selectedIds] }
    return { kind: 'filter', tab: list.tab, filter: list.currentFilter() }
  }

  /**
   * Asks where to save, then exports with progress and Cancel. Resolves with
   * the file written, or null when the save dialog was cancelled; throws
   * ApiFailure when the export failed or was cancelled (CANCELLED).
   */
  async function exportCustomers(which: ExportWhich, format: ExportFormat, columnKeys: string[]): Promise<ExportResult | null> {
    exporting.value = true
    try {
      const started = await invoke('exports:start', { scope: scopeOf(which), format, columns: columnKeys })
      if (!started) return null
      return await useJobsStore().run<ExportResult>(async () => started)
    } finally {
      exporting.value = false
    }
  }

  return { columns, exporting, loadColumns, scopeOf, exportCustomers }
})
