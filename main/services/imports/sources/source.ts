import { DomainError } from '../../errors'

/** One value as the file holds it: CSV and vCard give text (and a vCard birthday may be a Date); a workbook also gives numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null

export interface SourceRow {
  /**
   * Where the desk finds the row: the row number a spreadsheet shows (header = row 1) for CSV/xlsx; for vCard the number
   * of the contact in the file (1, 2, …). For CSV it is the physical line where the record starts, as a text editor
   * counts lines: blank lines count, and so do line breaks inside quoted cells of the records before.
   */
  line: number
  cells: Cell[]
}

export interface OpenedSource {
  format: 'csv' | 'xlsx' | 'vcard'
  /** For the desk, e.g. "CSV, semicolon-separated, Windows-1252" or "Excel workbook, sheet “Customers”" or "vCard 3.0, 12 contacts". */
  description: string
  /** xlsx: every worksheet's name in workbook order, hidden and empty ones included, chart sheets left out (they hold no cells); others: []. */
  sheets: string[]
  /** The sheet read (xlsx), else null. */
  sheet: string | null
  /** Header texts, NFC, trimmed; blank header cells become "Column 3" etc.; duplicates kept as is; blank cells at the right end of the header row are dropped. */
  headers: string[]
  /**
   * Streams the data rows after the header (can be called again to re-read from the start). Rows with every cell empty
   * (null or only spaces) are skipped. A row has at least as many cells as there are headers (short rows are padded
   * with null); a longer row keeps its extra cells, except empty ones at its end. An empty cell is always null, never ''.
   */
  rows(): AsyncIterable<SourceRow>
  /** How far the last rows() iteration has read: bytes (or rows) done of total, for a progress bar. */
  readProgress(): { done: number; total: number }
}

/** Why a file the desk chose cannot be imported, in a sentence the desk can act on. */
export class ImportFileProblem extends DomainError {
  constructor(message: string) {
    super('VALIDATION', message)
  }
}

/**
 * A failure the readers did not word themselves, as a sentence for the desk: file system errors by their code, anything
 * else after `opening` ("This file could not be read") with the reader's own words in brackets.
 */
export function asImportFileProblem(error: unknown, opening: string): DomainError {
  if (error instanceof DomainError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return new ImportFileProblem('The file could not be found. It may have been moved, renamed or deleted.')
  if (code === 'EACCES' || code === 'EPERM') return new ImportFileProblem('The file could not be opened: this computer does not allow reading it.')
  if (code === 'EBUSY') return new ImportFileProblem('The file could not be opened: another program is using it. Close it there and try again.')
  const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '').slice(0, 160) : String(error)
  return new ImportFileProblem(`${opening} (${reason}).`)
}

/** For a failure part-way through `rows()`. */
export function readFailure(error: unknown): DomainError {
  return asImportFileProblem(error, 'The file could not be read to the end')
}

/** The progress of one reading pass: updated by the reader, shown by the desk's progress bar. */
export interface ReadProgress {
  done: number
  total: number
}

const NOT_ASCII = /[\u0080-\uffff]/

/** Text as the app stores it: NFC (a decomposed "é" from a Mac export becomes the one-character "é"). ASCII is left alone, which is most cells. */
export function nfc(text: string): string {
  return NOT_ASCII.test(text) ? text.normalize('NFC') : text
}

/** A text cell as the readers hand it on: NFC, and '' becomes null so that "empty" has one spelling. */
export function textCell(text: string): string | null {
  return text === '' ? null : nfc(text)
}

export function isEmptyCell(cell: Cell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '')
}

export function isEmptyRow(cells: readonly Cell[]): boolean {
  return cells.every(isEmptyCell)
}

/** The header texts of a header row: see {@link OpenedSource.headers}. */
export function headerTexts(cells: readonly Cell[]): string[] {
  let width = cells.length
  while (width > 0 && isEmptyCell(cells[width - 1] ?? null)) width--
  return cells.slice(0, width).map((cell, index) => {
    const text = cell === null ? '' : nfc(cellText(cell)).trim()
    return text === '' ? `Column ${index + 1}` : text
  })
}

/** A cell as text, for header rows: dates as ISO dates (with the time only when there is one), TRUE/FALSE as a spreadsheet shows them. */
function cellText(cell: Exclude<Cell, null>): string {
  if (cell instanceof Date) {
    const iso = cell.toISOString()
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso
  }
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE'
  return String(cell)
}

/** A data row in the shape {@link OpenedSource.rows} promises: padded to the header's width, trailing empty extras dropped. */
export function shapeRow(cells: Cell[], width: number): Cell[] {
  let end = cells.length
  while (end > width && isEmptyCell(cells[end - 1] ?? null)) end--
  if (end < cells.length) cells.length = end
  while (cells.length < width) cells.push(null)
  return cells
}
