import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { ImportMatchMode, ImportPreview, ImportRecord, ImportSummary, ImportUndoResult, JobStatus } from '../../../preload/contract'
import { ApiFailure, invoke, messageOf } from '../services/api'
import { identifiesCustomers, repeatedFieldWarnings } from '../services/import-mapping'
import { useJobsStore } from './jobs'
import { useCustomerListStore } from './customerList'
import { useCustomerFiltersStore } from './customerFilters'

/** The import wizard's steps, in order. */
export type ImportStep = 'choose' | 'match' | 'check' | 'import'

/**
 * Customers in from a file: the wizard's state (the chosen file, its column
 * mapping, the dry run and the import) and the list of past imports in
 * Settings. Main keeps the file behind a `sourceId`; the check and the import
 * are background jobs, all or nothing. The state outlives the page, so the
 * desk can look something up while a large file is read and come back.
 */
export const useImportsStore = defineStore('imports', () => {
  const step = ref<ImportStep>('choose')
  const preview = ref<ImportPreview | null>(null)
  /** One field key per column of the file ('' = not imported). */
  const mapping = ref<string[]>([])
  const match = ref<ImportMatchMode>('fill')
  /** Also add people whose email or phone belonged to someone erased (their rows are refused otherwise). */
  const includeErased = ref(false)
  /** The dry run's summary and its job (the rejected rows are saved from it). */
  const check = ref<{ summary: ImportSummary; jobId: number } | null>(null)
  /** The finished import. */
  const imported = ref<ImportSummary | null>(null)
  /** What undoing the finished import from the wizard did, or why it was refused. */
  const importUndo = ref<{ result: ImportUndoResult } | { refusal: string } | null>(null)
  const undoing = ref(false)

  const choosing = ref(false)
  const readingSheet = ref(false)
  const checking = ref(false)
  const importing = ref(false)
  /** Why the last file could not be read ("This file is not a spreadsheet…"). */
  const fileProblem = ref('')
  /** Why the sheet last picked could not be read (an empty sheet); the sheet before it stays. */
  const sheetProblem = ref('')
  /** Why the last check or import stopped (cancelled, or refused), shown on its step; `kept`: the import stopped part-way and kept what it had added. */
  const jobProblem = ref<{ message: string; cancelled: boolean; kept: boolean } | null>(null)

  const busy = computed(() => choosing.value || readingSheet.value || checking.value || importing.value || undoing.value)

  /** Column index → why its field is a problem (another column already fills it). */
  const repeatedFields = computed(() =>
    preview.value ? repeatedFieldWarnings(mapping.value, preview.value.fields, preview.value.headers) : new Map<number, string>(),
  )
  const identifies = computed(() => identifiesCustomers(mapping.value))
  const mappingReady = computed(() => preview.value !== null && repeatedFields.value.size === 0 && identifies.value)

  // A check answers one mapping of one sheet: any change makes it stale.
  watch([mapping, match, includeErased], () => {
    if (!checking.value && !importing.value && !imported.value) check.value = null
  }, { deep: true })

  function showPreview(next: ImportPreview) {
    preview.value = next
    mapping.value = [...next.mapping]
    check.value = null
    imported.value = null
    importUndo.value = null
    jobProblem.value = null
    sheetProblem.value = ''
  }

  /** Opens main's file dialog; false when the person cancelled it. A file that cannot be read is reported in `fileProblem`. */
  async function chooseFile(): Promise<boolean> {
    choosing.value = true
    fileProblem.value = ''
    try {
      const chosen = await invoke('imports:choose', undefined)
      if (!chosen) return false
      showPreview(chosen)
      match.value = 'fill'
      includeErased.value = false
      step.value = 'match'
      return true
    } catch (failure) {
      fileProblem.value = messageOf(failure)
      return false
    } finally {
      choosing.value = false
    }
  }

  /** Reads another sheet of the workbook, with its own columns and suggested mapping; a sheet that cannot be read is said in `sheetProblem`. */
  async function chooseSheet(sheet: string): Promise<void> {
    if (!preview.value || sheet === preview.value.sheet) return
    readingSheet.value = true
    sheetProblem.value = ''
    try {
      showPreview(await invoke('imports:preview', { sourceId: preview.value.sourceId, sheet }))
    } catch (failure) {
      sheetProblem.value = messageOf(failure)
    } finally {
      readingSheet.value = false
    }
  }

  /** Sets the field a column fills ('' = not imported); only the fields the file's preview offers. */
  function setField(column: number, key: string) {
    if (key !== '' && !preview.value?.fields.some((f) => f.key === key)) return
    mapping.value = mapping.value.map((current, i) => (i === column ? key : current))
  }

  function request() {
    if (!preview.value) throw new Error('Choose a file first.')
    return { sourceId: preview.value.sourceId, sheet: preview.value.sheet, mapping: [...mapping.value], match: match.value, includeErased: includeErased.value }
  }

  /** Runs a job and keeps its id (the rejected rows of a check are saved by it). */
  async function runJob(start: () => Promise<JobStatus>): Promise<{ summary: ImportSummary; jobId: number }> {
    let jobId = 0
    const summary = await useJobsStore().run<ImportSummary>(async () => {
      const started = await start()
      jobId = started.id
      return started
    })
    return { summary, jobId }
  }

  /** The dry run: reads every row and says what the import would do; nothing is changed. */
  async function checkFile(): Promise<void> {
    const input = request()
    step.value = 'check'
    check.value = null
    jobProblem.value = null
    checking.value = true
    try {
      check.value = await runJob(() => invoke('imports:check', input))
    } catch (failure) {
      jobProblem.value = problemOf(failure)
    } finally {
      checking.value = false
    }
  }

  /** Imports the file as checked, in one step; the list and its filters are refreshed after. */
  async function runImport(): Promise<void> {
    const input = request()
    step.value = 'import'
    jobProblem.value = null
    importing.value = true
    importUndo.value = null
    try {
      imported.value = (await runJob(() => invoke('imports:run', input))).summary
      await refreshList()
    } catch (failure) {
      jobProblem.value = problemOf(failure)
    } finally {
      importing.value = false
    }
  }

  function problemOf(failure: unknown) {
    const api = failure instanceof ApiFailure ? failure : null
    return { message: messageOf(failure), cancelled: api?.code === 'CANCELLED', kept: api?.error.keptImport !== undefined }
  }

  async function refreshList() {
    const list = useCustomerListStore()
    await Promise.all([
      list.loaded ? list.refresh().catch(() => undefined) : undefined,
      useCustomerFiltersStore().loadFilterOptions().catch(() => undefined),
    ])
  }

  /** Saves the check's rejected rows as a CSV where the person chooses; the file's name, or null when they cancelled. */
  function saveRejects(): Promise<string | null> {
    if (!check.value) return Promise.resolve(null)
    return invoke('imports:saveRejects', { jobId: check.value.jobId })
  }

  /** Goes back to an earlier step (never while a job runs, nor once the file is imported). */
  function goTo(target: ImportStep) {
    if (busy.value || imported.value) return
    if (target === 'choose' || (target !== 'import' && preview.value)) step.value = target
  }

  /** Starts again with another file. */
  function startOver() {
    if (busy.value) return
    step.value = 'choose'
    preview.value = null
    mapping.value = []
    match.value = 'fill'
    includeErased.value = false
    check.value = null
    imported.value = null
    importUndo.value = null
    fileProblem.value = ''
    sheetProblem.value = ''
    jobProblem.value = null
  }

  /* ── Past imports (Settings → Imports) ───────────────────── */

  function listImports(): Promise<ImportRecord[]> {
    return invoke('imports:list', undefined)
  }

  /**
   * Undoes an import: the customers it created are removed, those it updated
   * get their old values back. Throws the refusal in words (e.g. created
   * customers have booked since).
   */
  async function undoImport(id: number): Promise<ImportUndoResult> {
    const result = await useJobsStore().run<ImportUndoResult>(() => invoke('imports:undo', { id }))
    await refreshList()
    return result
  }

  /** Undoes the import the wizard has just finished; the outcome, or the refusal in words, is kept in `importUndo`. */
  async function undoFinishedImport(): Promise<void> {
    const id = imported.value?.importId
    if (id === null || id === undefined || undoing.value) return
    undoing.value = true
    try {
      importUndo.value = { result: await undoImport(id) }
    } catch (failure) {
      importUndo.value = { refusal: messageOf(failure) }
    } finally {
      undoing.value = false
    }
  }

  return {
    step,
    preview,
    mapping,
    match,
    includeErased,
    check,
    imported,
    importUndo,
    undoing,
    choosing,
    readingSheet,
    checking,
    importing,
    busy,
    fileProblem,
    sheetProblem,
    jobProblem,
    repeatedFields,
    identifies,
    mappingReady,
    chooseFile,
    chooseSheet,
    setField,
    checkFile,
    runImport,
    saveRejects,
    goTo,
    startOver,
    listImports,
    undoImport,
    undoFinishedImport,
  }
})
