import { basename } from 'node:path'
import Papa from 'papaparse'
import type ExcelJS from 'exceljs'
import { loadExcelJs } from '../workbooks'
import type { ReportColumn, ReportExportInput, ReportResult } from '../../../preload/contract/schemas/reports'
import { writeWhole } from '../exports/file'
import { neutraliseForCsv } from '../exports/neutralise'
import { ended } from '../exports/sheet'
import { decimalOfMinor, moneyFormatOf, unitsOfMinor } from '../exports/values'

type Cell = string | number | null

const BYTE_ORDER_MARK = '\uFEFF'
const NEWLINE = '\r\n'

/** "Top customers 2026-01-01 to 2026-03-31.csv". */
export function reportFileName(result: Pick<ReportResult, 'title' | 'from' | 'to'>, extension: string): string {
  const range = result.from && result.to ? ` ${result.from} to ${result.to}` : result.from ? ` from ${result.from}` : result.to ? ` to ${result.to}` : ''
  return `${result.title}${range}.${extension}`
}

/** The table's rows then its totals row, as the file holds them. */
function tableRows(result: ReportResult): Array<Record<string, Cell>> {
  return result.totals ? [...result.rows, result.totals] : result.rows
}

/**
 * CSV as spreadsheets open it without asking (UTF-8 with a byte order mark,
 * CRLF, RFC 4180 quoting): money as plain decimals ("12.50"), percentages as
 * numbers (42.5), months as YYYY-MM, text neutralised so no cell runs as a formula.
 */
function csvOf(result: ReportResult): string {
  const { digits } = moneyFormatOf(result.currency)
  const text = (value: Cell, column: ReportColumn): string | null => {
    if (value === null || value === '') return null
    if (typeof value === 'number') return column.kind === 'money' ? decimalOfMinor(value, digits) : String(value)
    return neutraliseForCsv(value)
  }
  const header = result.columns.map((c) => neutraliseForCsv(c.kind === 'money' ? `${c.label} (${result.currency})` : c.label))
  const body = tableRows(result).map((row) => result.columns.map((c) => text(row[c.key] ?? null, c)))
  return BYTE_ORDER_MARK + Papa.unparse([header, ...body], { newline: NEWLINE, quotes: false, escapeFormulae: false }) + NEWLINE
}

/** An Excel workbook: money as numbers in the currency's format, percentages as percentages, months as text; header frozen, totals bold. */
async function workbookOf(result: ReportResult): Promise<ExcelJS.Workbook> {
  const excel = await loadExcelJs()
  const money = moneyFormatOf(result.currency)
  const workbook = new excel.Workbook()
  const sheet = workbook.addWorksheet(result.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = result.columns.map((c) => ({ header: c.label, key: c.key, width: c.kind === 'customer' || c.kind === 'text' ? 30 : 16 }))
  sheet.getRow(1).font = { bold: true }
  for (const row of tableRows(result)) {
    sheet.addRow(
      result.columns.map((c) => {
        const value = row[c.key] ?? null
        if (typeof value !== 'number') return value
        if (c.kind === 'money') return unitsOfMinor(value, money.digits)
        if (c.kind === 'percent') return value / 100
        return value
      }),
    )
  }
  result.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1)
    if (c.kind === 'money') column.numFmt = money.excelFormat
    else if (c.kind === 'percent') column.numFmt = '0.0%'
    else if (c.kind === 'count') column.numFmt = '#,##0'
    // Months are text ("2026-01"): a spreadsheet would otherwise make them dates.
    else column.numFmt = '@'
  })
  if (result.totals) sheet.getRow(sheet.rowCount).font = { bold: true }
  return workbook
}

/** Writes the report to the chosen file, which appears under its name only when whole. */
export async function writeReportFile(result: ReportResult, format: ReportExportInput['format'], file: string): Promise<{ fileName: string }> {
  await writeWhole(file, async (out) => {
    if (format === 'csv') out.write(csvOf(result))
    else await (await workbookOf(result)).xlsx.write(out)
    await ended(out)
  })
  return { fileName: basename(file) }
}
