import type { Printout } from '../../../preload/contract'
import type { reportsInputs, ReportResult } from '../../../preload/contract/schemas/reports'
import * as reports from '../../services/reports'
import { readNow, type DomainHandlers, type HandlerOptions } from './domain'

/**
 * The manager's reports: run, saved as CSV or Excel, printed. Each is read in
 * the read worker, so the desk never waits on one. The renderer never names
 * a path: main asks where to save.
 */
export function reportsHandlers({ reads, dialogs, printoutsDir }: HandlerOptions): DomainHandlers<typeof reportsInputs> {
  return {
    'reports:run': async (ctx, input) => (await readNow(reads, ctx, 'report', input, reports.describeReport(input))) as ReportResult,
    'reports:export': async (ctx, input) => {
      const file = await dialogs.chooseReportFile(reports.suggestedReportFileName(input), input.format)
      if (!file) return null
      return (await readNow(reads, ctx, 'reportExport', { ...input, file }, reports.describeReport(input))) as { fileName: string }
    },
    'reports:print': async (ctx, input) =>
      (await readNow(reads, ctx, 'reportPrint', { ...input, printoutsDir }, reports.describeReport(input))) as Printout,
  }
}
