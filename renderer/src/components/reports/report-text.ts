/** The reports the manager can open, how they are grouped in the side list, and how their cells read. */
import { mdiAccountCash, mdiAccountGroup, mdiAccountPlus, mdiCashClock, mdiCheckDecagram, mdiEmailFast, mdiShapeOutline, mdiSourceBranch, mdiTagMultiple } from '@mdi/js'
import { reportKinds, type ReportColumn, type ReportKind } from '../../../../preload/contract'
import { formatCount } from '../../services/format'
import { formatDay, formatMinor } from '../../services/money'

export interface ReportLink {
  kind: ReportKind
  title: string
  icon: string
}

export interface ReportGroup {
  title: string
  reports: ReportLink[]
}

export const reportGroups: ReportGroup[] = [
  {
    title: 'Customers',
    reports: [
      { kind: 'newCustomers', title: 'New customers', icon: mdiAccountPlus },
      { kind: 'topCustomers', title: 'Top customers by income', icon: mdiAccountCash },
      { kind: 'outstandingBalances', title: 'Outstanding balances', icon: mdiCashClock },
      { kind: 'customersByTag', title: 'Customers by tag', icon: mdiTagMultiple },
      { kind: 'customersByGroup', title: 'Customers by group', icon: mdiAccountGroup },
      { kind: 'consentRates', title: 'Consent rates', icon: mdiCheckDecagram },
    ],
  },
  {
    title: 'Bookings',
    reports: [
      { kind: 'bookingsByItem', title: 'By item', icon: mdiShapeOutline },
      { kind: 'bookingsBySource', title: 'By source', icon: mdiSourceBranch },
    ],
  },
  {
    title: 'Marketing',
    reports: [{ kind: 'brochureRequests', title: 'Brochure requests by month', icon: mdiEmailFast }],
  },
]

/** The report a bare /reports opens, and the one an unknown name falls back to. */
export const firstReport: ReportKind = 'newCustomers'

export function isReportKind(value: unknown): value is ReportKind {
  return typeof value === 'string' && (reportKinds as readonly string[]).includes(value)
}

export function reportLink(kind: ReportKind): ReportLink {
  return reportGroups.flatMap((group) => group.reports).find((report) => report.kind === kind)!
}

const monthPattern = /^(\d{4})-(\d{2})$/

/** "2026-03" → "Mar 2026"; anything else unchanged. */
export function monthName(value: string): string {
  const match = monthPattern.exec(value)
  if (!match) return value
  return new Date(Number(match[1]), Number(match[2]) - 1, 1).toLocaleDateString(undefined, { month: 'short', year: 'numeric' })
}

/** True when every label is a "YYYY-MM" month, so the chart can show month names. */
export function allMonths(labels: readonly string[]): boolean {
  return labels.length > 0 && labels.every((label) => monthPattern.test(label))
}

// One decimal always, so a column of rates lines up: "12.0%" above "57.1%".
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** Percentages arrive as 0–100: 42.5 → "42.5%". */
export function formatPercent(value: number): string {
  return percentFormat.format(value / 100)
}

/** One table cell (or total) as the desk reads it; empty values read as a dash. */
export function formatCell(value: string | number | null | undefined, kind: ReportColumn['kind'], currency: string): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'string') {
    if (kind === 'month') return monthName(value)
    // A calendar day in a text column ("oldest booking made") reads as a date.
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDay(value) : value
  }
  switch (kind) {
    case 'money':
      return formatMinor(value, currency)
    case 'percent':
      return formatPercent(value)
    case 'count':
      return formatCount(value)
    default:
      return String(value)
  }
}

/** Figures line up on the right so digits sit under digits. */
export function isNumeric(kind: ReportColumn['kind']): boolean {
  return kind === 'count' || kind === 'money' || kind === 'percent'
}
