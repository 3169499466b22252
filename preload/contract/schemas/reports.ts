import { z } from 'zod'
import { isoDate } from './common'

/**
 * The manager's reports: each answers with a table, a chart and totals for a
 * range of the desk's calendar days, and can be saved as a spreadsheet or
 * printed as a PDF.
 */
export const reportKinds = [
  'newCustomers',
  'topCustomers',
  'outstandingBalances',
  'customersByTag',
  'customersByGroup',
  'brochureRequests',
  'consentRates',
  'bookingsByItem',
  'bookingsBySource',
] as const
export type ReportKind = (typeof reportKinds)[number]

const reportFields = {
  report: z.enum(reportKinds, { error: 'Choose a report.' }),
  /** The desk's calendar days, both included; null = open-ended. */
  from: isoDate.nullable(),
  to: isoDate.nullable(),
}

const fromNotAfterTo = (value: { from: string | null; to: string | null }) => value.from === null || value.to === null || value.from <= value.to
const rangeProblem = { error: 'The start date must be on or before the end date.', path: ['to'] }

export const reportInput = z.strictObject(reportFields).refine(fromNotAfterTo, rangeProblem)
export type ReportInput = z.output<typeof reportInput>

export const reportExportInput = z.strictObject({ ...reportFields, format: z.enum(['csv', 'xlsx']) }).refine(fromNotAfterTo, rangeProblem)
export type ReportExportInput = z.output<typeof reportExportInput>

export interface ReportColumn {
  key: string
  label: string
  kind: 'text' | 'count' | 'money' | 'percent' | 'month' | 'customer'
}

export interface ReportChartSeries {
  label: string
  kind: 'count' | 'money' | 'percent'
  values: number[]
}

export interface ReportResult {
  report: ReportKind
  title: string
  /** What the report counts and which dates it goes by, in a sentence or two. */
  description: string
  from: string | null
  to: string | null
  /** The business currency; money cells are integer minor units of it. */
  currency: string
  columns: ReportColumn[]
  /** One object per table row keyed by column key; a 'customer' column's row also has customerId. */
  rows: Array<Record<string, string | number | null>>
  totals: Record<string, number | string | null> | null
  chart: { type: 'bar' | 'line' | 'doughnut'; labels: string[]; series: ReportChartSeries[] }
  /** e.g. "The 50 customers who paid most of 412,345 who paid anything". */
  note: string
}

export const reportsInputs = {
  'reports:run': reportInput,
  /** Main asks where to save; null answer = the dialog was cancelled. */
  'reports:export': reportExportInput,
  'reports:print': reportInput,
}
