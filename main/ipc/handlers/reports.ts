import type { reportsInputs } from '../../../preload/contract/schemas/reports'
import * as reports from '../../services/reports'
import type { DomainHandlers, HandlerOptions } from './domain'

/** The manager's reports: run, saved as a spreadsheet, printed. The renderer never names a path. */
export function reportsHandlers(_options: HandlerOptions): DomainHandlers<typeof reportsInputs> {
  return {
    'reports:run': (ctx, input) => reports.runReport(ctx, input),
    'reports:export': () => reports.exportReportNotReady(),
    'reports:print': () => reports.printReportNotReady(),
  }
}
