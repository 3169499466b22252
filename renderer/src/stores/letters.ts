import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  BrochurePrintout,
  BrochureSelectionInput,
  CustomerListRow,
  EnvelopeKind,
  LabelSheetKind,
  LetterTemplate,
  MergeField,
  PrintCheck,
} from '../../../preload/contract'
import { invoke } from '../services/api'
import { useJobsStore } from './jobs'

/**
 * Letters and labels for brochure requests, and the letter templates they
 * are printed from: the templates and merge fields for Settings, previews of
 * a draft, the check before printing, and the print runs (background jobs).
 */
export const useLettersStore = defineStore('letters', () => {
  const templates = ref<LetterTemplate[]>([])
  const fields = ref<MergeField[]>([])

  async function loadTemplates(): Promise<LetterTemplate[]> {
    templates.value = await invoke('brochures:templates', undefined)
    return templates.value
  }

  async function loadFields(): Promise<MergeField[]> {
    fields.value = await invoke('brochures:mergeFields', undefined)
    return fields.value
  }

  async function saveTemplate(input: { id?: number; name: string; body: string; isDefault: boolean }): Promise<LetterTemplate[]> {
    templates.value = await invoke('brochures:saveTemplate', input)
    return templates.value
  }

  async function deleteTemplate(id: number): Promise<void> {
    templates.value = await invoke('brochures:deleteTemplate', { id })
  }

  /** The draft on a customer (or a sample when null), as it will print. */
  function preview(body: string, customerId: number | null, envelope: EnvelopeKind): Promise<BrochurePrintout> {
    return invoke('brochures:previewLetter', { body, customerId, envelope })
  }

  /** Customers to preview a template on, by name. */
  async function findCustomers(search: string): Promise<CustomerListRow[]> {
    return (await invoke('customers:list', { search: search.trim(), pageSize: 8 })).rows
  }

  function check(selection: BrochureSelectionInput): Promise<PrintCheck> {
    return invoke('brochures:printCheck', { selection })
  }

  /** Makes the letters in the background (progress and Cancel in the corner card); resolves with the PDF. */
  function printLetters(input: { selection: BrochureSelectionInput; templateId: number; envelope: EnvelopeKind; skipFlagged: boolean }): Promise<BrochurePrintout> {
    return useJobsStore().run<BrochurePrintout>(() => invoke('brochures:printLetters', input))
  }

  function printLabels(input: { selection: BrochureSelectionInput; sheet: LabelSheetKind; start: number; skipFlagged: boolean }): Promise<BrochurePrintout> {
    return useJobsStore().run<BrochurePrintout>(() => invoke('brochures:printLabels', input))
  }

  return { templates, fields, loadTemplates, loadFields, saveTemplate, deleteTemplate, preview, findCustomers, check, printLetters, printLabels }
})
