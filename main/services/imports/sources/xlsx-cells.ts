import type { Readable } from 'node:stream'
import parseSax from 'exceljs/lib/utils/parse-sax.js'
import excelUtils from 'exceljs/lib/utils/utils.js'
import { textCell, type Cell } from './source'

// exceljs's cell parser decodes XML entities in text its XML parser (saxes) has already decoded, so a
// cell holding "Tom &amp; Jerry" came back as "Tom & Jerry". Nothing in exceljs sees raw XML text, so
// the second decoding is switched off (the export writes no XML through it).
excelUtils.xmlDecode = (text: string) => text

/*
 * What a workbook cell becomes for the import:
 * - text stays text (NFC; Excel's `_x000D_` escapes decoded; rich text is its runs joined);
 * - numbers stay numbers, except under a zero-padded number format such as `00000`, `0000000000` or `"0"0000000000`:
 *   those cells hold postcodes and phone numbers typed as numbers, so the text Excel shows ("02134") is given instead;
 * - a date-formatted number becomes a Date: a date without a time is midnight UTC of that day, and a time of day is
 *   the same clock reading in UTC (a workbook has no time zone), so no time zone can move a birthday to another day;
 * - TRUE/FALSE become booleans; a formula gives its last computed result (null when the workbook holds none);
 *   error values such as #N/A become null.
 */

/** The slice of an exceljs cell the import reads. */
interface WorkbookCell {
  type: number
  value: unknown
  numFmt?: string
  model: { result?: unknown }
}

export interface WorkbookRow {
  number: number
  eachCell(iteratee: (cell: WorkbookCell, column: number) => void): void
}

/** exceljs's cell types (Enums.ValueType) the conversion tells apart. */
const FORMULA = 6

/** The cells of a row, left to right, with null for the gaps. */
export function cellsOf(row: WorkbookRow, date1904: boolean): Cell[] {
  const cells: Cell[] = []
  row.eachCell((cell, column) => {
    while (cells.length < column - 1) cells.push(null)
    cells.push(cell.type === FORMULA ? formulaResult(cell, date1904) : valueOf(cell.value, cell.numFmt))
  })
  return cells
}

function formulaResult(cell: WorkbookCell, date1904: boolean): Cell {
  // The model keeps a cached result of 0 or '' that `cell.value` would drop; a date-formatted result arrives as a serial.
  const result = cell.model.result
  if (typeof result === 'number' && Number.isFinite(result) && excelUtils.isDateFmt(cell.numFmt)) {
    return excelUtils.excelToDate(result, date1904)
  }
  return valueOf(result, cell.numFmt)
}

function valueOf(value: unknown, numFmt: string | undefined): Cell {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return textCell(decodeExcelEscapes(value))
  if (typeof value === 'number') return Number.isFinite(value) ? (zeroPaddedText(value, numFmt) ?? value) : null
  if (typeof value === 'boolean') return value
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return valueOf(value.richText.map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : '')).join(''), numFmt)
    }
    if ('text' in value) return valueOf(value.text, numFmt)
  }
  // Error values (#N/A, #REF!…) and anything else a cell should not hold.
  return null
}

/**
 * Excel writes characters XML cannot carry as `_xHHHH_` (a line break inside a cell is `_x000D_`), and a literal
 * `_x` as `_x005F_x`.
 */
export function decodeExcelEscapes(text: string): string {
  if (text.indexOf('_x') < 0) return text
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/** The parts a zero-padded format may be made of: zeros, quoted or escaped literal text, and separators. */
const PADDED_FORMAT_PART = /"[^"]*"|\\.|0|[-+()/ ]/g

/** The text Excel shows for a whole number under a zero-padded format, or null when the format is not one. */
export function zeroPaddedText(value: number, numFmt: string | undefined): string | null {
  if (!numFmt || !Number.isInteger(value) || value < 0) return null
  const section = firstSection(numFmt)
  const parts = section.match(PADDED_FORMAT_PART)
  if (!parts || parts.join('') !== section) return null
  const placeholders = parts.filter((part) => part === '0').length
  if (placeholders < 2) return null
  const digits = String(value).padStart(placeholders, '0')
  // Digits beyond the placeholders go in front of the first one, as Excel shows them.
  let next = digits.length - placeholders
  let text = ''
  let first = true
  for (const part of parts) {
    if (part === '0') {
      text += first ? digits.slice(0, next + 1) : digits[next]
      next += 1
      first = false
    } else if (part.startsWith('"')) text += part.slice(1, -1)
    else if (part.startsWith('\\')) text += part.slice(1)
    else text += part
  }
  return text
}

/** A number format's first section (the one for positive numbers): up to the first `;` outside quotes. */
function firstSection(numFmt: string): string {
  let quoted = false
  for (let i = 0; i < numFmt.length; i++) {
    const char = numFmt[i]
    if (char === '"') quoted = !quoted
    else if (char === '\\') i++
    else if (char === ';' && !quoted) return numFmt.slice(0, i)
  }
  return numFmt
}

/**
 * The workbook's shared text table, one entry per `<si>`: its `<t>` texts joined, escapes left for the cell conversion.
 * Phonetic guides (`<rPh>`, the kana Excel stores over Japanese names) are left out: they are a reading aid, not the text.
 */
export async function readSharedStrings(source: Readable): Promise<string[]> {
  const strings: string[] = []
  let text = ''
  let phoneticDepth = 0
  let inText = false
  for await (const events of parseSax(source)) {
    for (const event of events) {
      if (event.eventType === 'text') {
        if (inText) text += event.value
        continue
      }
      const name = localName(event.value.name)
      if (event.eventType === 'opentag') {
        if (name === 'si') text = ''
        else if (name === 'rPh') phoneticDepth++
        else if (name === 't') inText = phoneticDepth === 0
      } else if (name === 't') inText = false
      else if (name === 'rPh') phoneticDepth--
      else if (name === 'si') strings.push(text)
    }
  }
  return strings
}

function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon < 0 ? name : name.slice(colon + 1)
}
