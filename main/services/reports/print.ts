import type { Printout } from '../../../preload/contract'
import type { ReportResult } from '../../../preload/contract/schemas/reports'
import { newPrintDocument, type PrintDocument } from '../../pdf/document'
import { keepPrintout } from '../../pdf/printouts'
import { formatMoney } from '../money'
import { describeRange } from './range'
import { reportFileName } from './export'

const MARGIN = 15
const CHART_HEIGHT = 60
const CHART_BARS = 24

/** A cell as printed: money with its currency, counts grouped, percentages with %, months by name. */
function cellText(value: string | number | null | undefined, kind: ReportResult['columns'][number]['kind'], currency: string): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'string') return kind === 'month' ? monthName(value) : value
  if (kind === 'money') return formatMoney(value, currency)
  if (kind === 'percent') return `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`
  return value.toLocaleString('en-GB')
}

function monthName(value: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(value)
  if (!match) return value
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' })
}

/** "Jan 26" for a month label; other labels as they are. */
function shortLabel(value: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(value)
  if (!match) return value
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' })
}

/** The text cut to `width` mm with an ellipsis. */
function fitted(doc: PrintDocument, text: string, width: number): string {
  if (doc.textWidth(text) <= width) return text
  let cut = text
  while (cut.length > 1 && doc.textWidth(`${cut}…`) > width) cut = cut.slice(0, -1)
  return `${cut}…`
}

/**
 * The chart's first series as bars (a doughnut or a line prints as bars too:
 * the figures matter on paper), its axis marked at zero and the top, bars
 * labelled below (every other one when they are narrow). A long series keeps
 * its latest months, or its first (biggest) entries.
 */
function drawBars(doc: PrintDocument, result: ReportResult, top: number): number {
  const series = result.chart.series[0]
  if (!series || result.chart.labels.length === 0) return top
  const months = result.chart.labels.every((l) => /^\d{4}-\d{2}$/.test(l))
  const start = months ? Math.max(0, result.chart.labels.length - CHART_BARS) : 0
  const labels = result.chart.labels.slice(start, start + CHART_BARS)
  const values = series.values.slice(start, start + CHART_BARS)
  const max = Math.max(0, ...values)
  const left = MARGIN + 18
  const width = doc.pageWidth - left - MARGIN
  const base = top + CHART_HEIGHT
  const pdf = doc.pdf
  doc.setFont('bold', 9)
  doc.text(start > 0 ? `${series.label} (latest ${labels.length} months)` : series.label, MARGIN, top - 2)
  doc.setFont('regular', 7)
  pdf.setDrawColor(120)
  pdf.setLineWidth(0.2)
  pdf.line(left, top + 2, left, base)
  pdf.line(left, base, left + width, base)
  const axisKind = series.kind === 'money' ? 'money' : series.kind === 'percent' ? 'percent' : 'count'
  doc.text(cellText(max, axisKind, result.currency), left - 1, top + 4, { align: 'right' })
  doc.text(cellText(0, axisKind, result.currency), left - 1, base, { align: 'right' })
  const slot = width / labels.length
  const barWidth = Math.max(1, slot * 0.7)
  doc.setFont('regular', 6)
  const every = Math.max(1, Math.ceil(9 / slot))
  labels.forEach((label, i) => {
    const value = Math.max(0, values[i] ?? 0)
    const height = max > 0 ? ((CHART_HEIGHT - 4) * value) / max : 0
    const x = left + i * slot + (slot - barWidth) / 2
    // Set before each bar: drawing text sets the fill colour too.
    pdf.setFillColor(63, 101, 181)
    if (height > 0) pdf.rect(x, base - height, barWidth, height, 'F')
    if (i % every === 0) doc.text(fitted(doc, shortLabel(label), slot * every - 1), x + barWidth / 2, base + 3, { align: 'center' })
  })
  return base + 10
}

/** The report as a PDF: title, period and what it counts, a bar chart, the table with its totals, the note, page numbers. */
export function reportPdf(result: ReportResult, businessName: string): PrintDocument {
  const doc = newPrintDocument({ paper: 'a4' })
  doc.setFont('bold', 16)
  doc.text(result.title, MARGIN, MARGIN + 5)
  doc.setFont('regular', 10)
  doc.text(`${businessName} · ${describeRange(result)}`, MARGIN, MARGIN + 12)
  doc.setFont('regular', 8)
  const description = doc.wrap(result.description, doc.pageWidth - 2 * MARGIN)
  doc.text(description, MARGIN, MARGIN + 18)
  const chartTop = MARGIN + 18 + description.length * doc.lineHeight() + 8
  const tableTop = drawBars(doc, result, chartTop)
  const kinds = result.columns.map((c) => c.kind)
  const numeric = (kind: string) => kind === 'count' || kind === 'money' || kind === 'percent'
  const row = (values: Record<string, string | number | null>) => result.columns.map((c) => cellText(values[c.key], c.kind, result.currency))
  const end = doc.table({
    startY: tableTop,
    margin: { left: MARGIN, right: MARGIN, top: 20, bottom: 22 },
    showFoot: 'lastPage',
    head: [result.columns.map((c) => ({ content: c.label, styles: { halign: numeric(c.kind) ? ('right' as const) : ('left' as const) } }))],
    body: result.rows.map(row),
    foot: result.totals ? [row(result.totals)] : undefined,
    columnStyles: Object.fromEntries(kinds.map((kind, i) => [i, { halign: numeric(kind) ? 'right' : 'left' }])),
  })
  if (result.note) {
    doc.setFont('regular', 8)
    const note = doc.wrap(result.note, doc.pageWidth - 2 * MARGIN)
    let y = end + 6
    if (y + note.length * doc.lineHeight() > doc.pageHeight - 22) {
      doc.pdf.addPage()
      y = 20
    }
    doc.text(note, MARGIN, y)
  }
  doc.pageNumbers()
  return doc
}

/** Prints the report to a PDF kept for the desk to show, save, open or print. */
export async function keepReportPdf(result: ReportResult, businessName: string, printoutsDir: string): Promise<Printout> {
  const doc = reportPdf(result, businessName)
  return keepPrintout(printoutsDir, doc.output(), { fileName: reportFileName(result, 'pdf'), pages: doc.pageCount(), unprintable: doc.unprintable() })
}
