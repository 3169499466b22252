import type { ReportExportInput, ReportInput, ReportResult } from '../../../preload/contract/schemas/reports'
import type { ServiceContext } from '../context'
import { DomainError } from '../errors'

/** One report for a range of the desk's calendar days. */
export async function runReport(_ctx: ServiceContext, input: ReportInput): Promise<ReportResult> {
  throw new DomainError('INTERNAL', `The ${input.report} report is not available yet.`)
}

/** The file name the save dialog suggests, e.g. "Top customers 2026-01-01 to 2026-03-31.xlsx". */
export function suggestedReportFileName(input: ReportExportInput): string {
  return `${input.report}.${input.format}`
}

export async function exportReportNotReady(): Promise<never> {
  throw new DomainError('INTERNAL', 'Saving reports is not available yet.')
}

export async function printReportNotReady(): Promise<never> {
  throw new DomainError('INTERNAL', 'Printing reports is not available yet.')
}
