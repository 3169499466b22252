import type { Printout } from '../../../preload/contract'
import type { ReportExportInput, ReportInput, ReportKind, ReportResult } from '../../../preload/contract/schemas/reports'
import { withReadSnapshot } from '../../../db/dialects/readSnapshot'
import type { ServiceContext } from '../context'
import { getSettings } from '../app/settings'
import { localDay } from '../calendarDay'
import { reportRange, type ReportRange } from './range'
import { consentRates, customersByLabel, newCustomers } from './customers'
import { bookingsByItem, bookingsBySource } from './bookings'
import { brochureRequests } from './brochures'
import { outstandingBalances, topCustomers } from './money'

import { reportFileName, writeReportFile } from './export'
import { keepReportPdf } from './print'

type Body = Omit<ReportResult, 'report' | 'from' | 'to' | 'currency'>

const reports: Record<ReportKind, (ctx: ServiceContext, range: ReportRange) => Promise<Body>> = {
  newCustomers: (ctx, range) => newCustomers(ctx.db, range),
  consentRates: (ctx, range) => consentRates(ctx.db, range),
  customersByTag: (ctx, range) => customersByLabel(ctx.db, range, 'tag'),
  customersByGroup: (ctx, range) => customersByLabel(ctx.db, range, 'group'),
  bookingsByItem: (ctx, range) => bookingsByItem(ctx.db, range),
  bookingsBySource: (ctx, range) => bookingsBySource(ctx.db, range),
  brochureRequests: (ctx, range) => brochureRequests(ctx.db, range),
  // Walks that make many small look-ups, in one read snapshot.
  topCustomers: (ctx, range) => withReadSnapshot(ctx.db, (reader) => topCustomers(reader, range)),
  outstandingBalances: (ctx, range) => withReadSnapshot(ctx.db, (reader) => outstandingBalances(reader, range, localDay(ctx.clock()))),
}

/**
 * One report for a range of the desk's calendar days (both ends included,
 * either open), read from the running totals the database keeps in step.
 */
export async function runReport(ctx: ServiceContext, input: ReportInput): Promise<ReportResult> {
  const settings = await getSettings(ctx)
  const body = await reports[input.report](ctx, reportRange(input))
  return { report: input.report, from: input.from, to: input.to, currency: settings.currency, ...body }
}

const TITLES: Record<ReportKind, string> = {
  newCustomers: 'New customers',
  topCustomers: 'Top customers',
  outstandingBalances: 'Outstanding balances',
  customersByTag: 'Customers by tag',
  customersByGroup: 'Customers by group',
  brochureRequests: 'Brochure requests',
  consentRates: 'Consent rates',
  bookingsByItem: 'Bookings by item',
  bookingsBySource: 'Bookings by source',
}

/** The name the save dialog suggests, e.g. "Top customers 2026-01-01 to 2026-03-31.xlsx". */
export function suggestedReportFileName(input: ReportExportInput): string {
  return reportFileName({ title: TITLES[input.report], from: input.from, to: input.to }, input.format)
}

/** What the desk is waiting for, e.g. "Top customers report". */
export function describeReport(input: Pick<ReportInput, 'report'>): string {
  return `${TITLES[input.report]} report`
}

/** The report written to the chosen file (CSV or Excel), whole or not at all. */
export async function exportReport(ctx: ServiceContext, input: ReportExportInput, file: string): Promise<{ fileName: string }> {
  return writeReportFile(await runReport(ctx, input), input.format, file)
}

/** The report as a PDF printout. */
export async function printReport(ctx: ServiceContext, input: ReportInput, printoutsDir: string): Promise<Printout> {
  const result = await runReport(ctx, input)
  const { businessName } = await getSettings(ctx)
  return keepReportPdf(result, businessName, printoutsDir)
}
