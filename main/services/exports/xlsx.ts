import type ExcelJS from 'exceljs'
import { loadExcelJs } from '../workbooks'
import type { CellValue, ValueKind } from './columns'
import type { SheetOptions, SheetWriter } from './sheet'
import { excelDay, excelMoment, unitsOfMinor, type MoneyFormat } from './values'

/*
 * Excel workbooks through exceljs's streaming WorkbookWriter (never the
 * in-memory Workbook, which runs out of memory at a million rows). exceljs
 * writes the package — zip, styles, column widths, the frozen and filtered
 * header row — but not the customer rows: its Row and Cell objects cost about
 * 50 µs a row of 20-odd cells (50 s at a million customers, measured here,
 * whatever its options), so each row's XML is written here, straight into the
 * sheet's stream, in a few microseconds.
 *
 * Formulas cannot get in: a text is written as a string value (`t="str"`
 * with no formula, as exceljs writes strings without its shared-strings
 * table, and shorter than an inline string), which a spreadsheet shows as it
 * is and never evaluates — "=1+1" stays the text "=1+1". Text columns are
 * also formatted as Text (`@`),
 * so a cell edited later in Excel stays text too. No apostrophe is added: it
 * would become part of the value (Excel keeps its quote prefix in the style,
 * not in the text) and an import of the file would read it back.
 *
 * Memory: exceljs hands the sheet's XML to the zip without waiting for it to
 * be compressed, so writing a million rows at once would hold them all. The
 * writer waits whenever more than MAX_BACKLOG is queued for compression.
 *
 * This relies on exceljs 4.4 internals, checked when the workbook opens:
 * the sheet's `stream` (and the zip's pipe from it), the workbook's style
 * table (`styles.addStyleModel`) and its archiver (`zip`).
 */

const MAX_BACKLOG = 8 * 2 ** 20
/**
 * Rows written to the sheet at a time (some 25 KB of XML), each write followed
 * by a turn of the event loop: compression runs on a pool thread a chunk at a
 * time and needs the main thread between chunks to take the next, so it keeps
 * pace while the next rows are built (250 rows at a time left the export
 * waiting on it for a fifth of its run).
 */
const ROWS_PER_WRITE = 25

const SHEET_NAME = 'Customers'

/** A readable-stream queue inside exceljs, measured by its own state. */
interface QueuedStream {
  _writableState?: { length: number }
  _readableState?: { length: number }
}

interface WorkbookInternals {
  styles: { addStyleModel(style: Partial<ExcelJS.Style>, cellType?: number): number }
  zip: { abort(): void; on(event: 'error', listener: (error: Error) => void): void }
}

interface SheetInternals {
  stream: { write(text: string): void; pipes?: QueuedStream[] }
}

function internalsOf(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet) {
  const book = workbook as unknown as Partial<WorkbookInternals>
  const stream = (sheet as unknown as Partial<SheetInternals>).stream
  const queue = stream?.pipes?.[0]
  if (
    typeof book.styles?.addStyleModel !== 'function' ||
    typeof book.zip?.abort !== 'function' ||
    typeof stream?.write !== 'function' ||
    typeof queue?._writableState?.length !== 'number' ||
    typeof queue._readableState?.length !== 'number'
  ) {
    throw new Error('This version of exceljs is not the one the Excel export was written for (4.4).')
  }
  return { styles: book.styles, zip: book.zip, stream: stream as SheetInternals['stream'] }
}

function numberFormatOf(kind: ValueKind, money: MoneyFormat): string {
  switch (kind) {
    case 'text':
      return '@'
    case 'date':
      return 'yyyy-mm-dd'
    case 'dateTime':
      return 'yyyy-mm-dd hh:mm:ss "UTC"'
    case 'money':
      return money.excelFormat
    case 'count':
      return '0'
    case 'number':
      return 'General'
  }
}

/** "A", "Z", "AA"… for the 1-based column number. */
function columnLetters(n: number): string {
  let letters = ''
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  return letters
}

// eslint-disable-next-line no-control-regex -- XML 1.0 cannot hold C0 control characters but tab and line ends
const XML_SPECIAL = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/
const XML_SPECIAL_ALL = new RegExp(XML_SPECIAL.source, 'g')
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }

/** Text as XML character data; characters XML cannot hold (other control characters) are left out. */
function xmlText(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (ch) => ENTITIES[ch] ?? '') : text
}

interface SheetColumn {
  kind: ValueKind
  /** `<c r="B` — the row number follows. */
  open: string
  /** `" s="3"`: the end of the reference and the column's style. */
  style: string
}

function cellXml(column: SheetColumn, row: number, value: CellValue, digits: number): string {
  if (value === null || value === '') return ''
  const start = `${column.open}${row}${column.style}`
  if (typeof value === 'number') return `${start}><v>${column.kind === 'money' ? unitsOfMinor(value, digits) : value}</v></c>`
  switch (column.kind) {
    case 'date':
      return `${start}><v>${excelDay(value)}</v></c>`
    case 'dateTime':
      return `${start}><v>${excelMoment(value)}</v></c>`
    default:
      return `${start} t="str"><v>${xmlText(value)}</v></c>`
  }
}

export async function openXlsx({ out, columns, money }: SheetOptions): Promise<SheetWriter> {
  const excel = await loadExcelJs()
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    // Texts in their cells: a shared-strings table would hold every distinct text in memory until the end.
    useSharedStrings: false,
    // Fastest deflate: level 1 keeps up with the rows; the file is ~15% bigger than at the default level 6.
    zip: { zlib: { level: 1 } },
  })
  workbook.creator = 'Frontdesk'
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] })
  const internals = internalsOf(workbook, sheet)
  let zipFailure: Error | null = null
  internals.zip.on('error', (error) => (zipFailure ??= error))

  // One style object per column, set once: exceljs numbers it in styles.xml by identity.
  const styles = columns.map((c): Partial<ExcelJS.Style> => ({ numFmt: numberFormatOf(c.kind, money) }))
  sheet.columns = columns.map((c, i) => ({ header: c.label, key: c.key, width: c.width, style: styles[i] }))
  const header = sheet.getRow(1)
  header.font = { name: 'Calibri', family: 2, size: 11, bold: true }
  header.commit()

  const sheetColumns: SheetColumn[] = columns.map((c, i) => {
    const id = internals.styles.addStyleModel(styles[i]!)
    return { kind: c.kind, open: `<c r="${columnLetters(i + 1)}`, style: id ? `" s="${id}"` : '"' }
  })
  let nextRow = 2

  const backlog = () => (internals.stream.pipes ?? []).reduce((bytes, q) => bytes + (q._writableState?.length ?? 0) + (q._readableState?.length ?? 0), 0)
  /** A write that failed (a full disk) stops the zip: it is checked wherever the writer would otherwise wait for it forever. */
  const checkFailure = () => {
    const failed = out.errored ?? zipFailure
    if (failed) throw failed
  }

  return {
    async writeRows(rows) {
      for (let from = 0; from < rows.length; from += ROWS_PER_WRITE) {
        checkFailure()
        let xml = ''
        for (const row of rows.slice(from, from + ROWS_PER_WRITE)) {
          const number = nextRow++
          xml += `<row r="${number}">`
          for (let i = 0; i < sheetColumns.length; i++) xml += cellXml(sheetColumns[i]!, number, row[i] ?? null, money.digits)
          xml += '</row>'
        }
        internals.stream.write(xml)
        await new Promise((resolve) => setImmediate(resolve))
        while (backlog() > MAX_BACKLOG) {
          checkFailure()
          await new Promise((resolve) => setTimeout(resolve, 2))
        }
      }
    },
    async finish() {
      checkFailure()
      sheet.autoFilter = `A1:${columnLetters(columns.length)}${nextRow - 1}`
      sheet.commit()
      await workbook.commit()
      checkFailure()
    },
    abort() {
      internals.zip.abort()
    },
  }
}
