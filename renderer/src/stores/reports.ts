import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type { ReportKind, Printout, ReportResult } from '../../../preload/contract'
import { invoke, messageOf } from '../services/api'

export interface ReportQuery {
  report: ReportKind
  from: string | null
  to: string | null
}

function sameQuery(a: ReportQuery | null, b: ReportQuery): boolean {
  return a !== null && a.report === b.report && a.from === b.from && a.to === b.to
}

/**
 * The manager's reports. The last figures of each report are kept, so while a
 * new range is worked out the screen shows the old ones (dimmed) instead of
 * going blank; an answer that arrives after a newer question is dropped.
 */
export const useReportsStore = defineStore('reports', () => {
  /** The last answer for each report and the question it answered, whatever range it was for. */
  const results = reactive(new Map<ReportKind, { asked: ReportQuery; result: ReportResult }>())
  /** The question the screen is showing (or waiting for). */
  const query = ref<ReportQuery | null>(null)
  const loading = ref(false)
  /** Why the last run failed, in plain words; '' when it did not. */
  const error = ref('')
  const exporting = ref<'csv' | 'xlsx' | null>(null)
  const printing = ref(false)
  let seq = 0

  /** Runs a report for a range; does nothing when that exact question is already answered or on its way. */
  async function run(next: ReportQuery, options: { force?: boolean } = {}): Promise<void> {
    if (!options.force && sameQuery(query.value, next) && !error.value) return
    query.value = { ...next }
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const result = await invoke('reports:run', { ...next })
      if (mine !== seq) return
      results.set(next.report, { asked: { ...next }, result })
    } catch (failure) {
      if (mine !== seq) return
      error.value = messageOf(failure)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** Runs the current question again (after an error, or for fresh figures). */
  function refresh(): Promise<void> {
    return query.value ? run(query.value, { force: true }) : Promise.resolve()
  }

  /** The figures to show for a report: the latest answer for it, possibly for the previous range while a new one loads. */
  function resultFor(report: ReportKind): ReportResult | null {
    return results.get(report)?.result ?? null
  }

  /** True when the figures kept for a report answer exactly the question now asked. */
  function isCurrent(report: ReportKind): boolean {
    const kept = results.get(report)
    return kept !== undefined && query.value !== null && sameQuery(query.value, kept.asked)
  }

  /** Saves the report as a spreadsheet; main asks where. Null when the save dialog was cancelled. */
  async function exportReport(format: 'csv' | 'xlsx'): Promise<{ fileName: string } | null> {
    if (!query.value) return null
    exporting.value = format
    try {
      return await invoke('reports:export', { ...query.value, format })
    } finally {
      exporting.value = null
    }
  }

  /** The report as a PDF printout, for the printout dialog to show, save or print. */
  async function print(): Promise<Printout | null> {
    if (!query.value) return null
    printing.value = true
    try {
      return await invoke('reports:print', { ...query.value })
    } finally {
      printing.value = false
    }
  }

  return { results, query, loading, error, exporting, printing, run, refresh, resultFor, isCurrent, exportReport, print }
})
