import Papa from 'papaparse'
import type { CellValue, ValueKind } from './columns'
import { neutraliseForCsv } from './neutralise'
import { drained, ended, type SheetOptions, type SheetWriter } from './sheet'
import { dayOf, decimalOfMinor, momentOf } from './values'

/**
 * CSV as spreadsheets open it without asking: UTF-8 with a byte order mark
 * (Excel otherwise guesses a legacy code page and garbles accents), CRLF line
 * ends and RFC 4180 quoting — a field is quoted only when it holds a comma, a
 * quote, a line break or edge spaces (papaparse's `quotes: false`), so the file
 * stays small and plain values stay plain. Days are YYYY-MM-DD, moments
 * YYYY-MM-DDTHH:MM:SSZ (UTC), money plain decimals ("12.50"); text that a
 * spreadsheet could run as a formula is neutralised (neutralise.ts).
 */

const BYTE_ORDER_MARK = '\uFEFF'
const NEWLINE = '\r\n'
// Formulas are neutralised here rather than by papaparse's escapeFormulae, which would also quote phone numbers with a +.
const UNPARSE = { newline: NEWLINE, quotes: false, escapeFormulae: false } as const

/** A value as its CSV text; null when empty, which papaparse writes as nothing without examining it. */
function csvText(value: CellValue, kind: ValueKind, digits: number): string | null {
  if (value === null || value === '') return null
  if (typeof value === 'number') return kind === 'money' ? decimalOfMinor(value, digits) : String(value)
  switch (kind) {
    case 'date':
      return dayOf(value)
    case 'dateTime':
      return momentOf(value)
    default:
      return neutraliseForCsv(value)
  }
}

export function openCsv({ out, columns, money }: SheetOptions): SheetWriter {
  const kinds = columns.map((c) => c.kind)
  const header = columns.map((c) => neutraliseForCsv(c.label))
  out.write(BYTE_ORDER_MARK + Papa.unparse([header], UNPARSE) + NEWLINE)
  return {
    async writeRows(rows) {
      if (!rows.length) return
      // The page's rows are this writer's now: each value becomes its text in place.
      for (const row of rows) {
        for (let i = 0; i < row.length; i++) row[i] = csvText(row[i]!, kinds[i]!, money.digits)
      }
      out.write(Papa.unparse(rows as CellValue[][], UNPARSE) + NEWLINE)
      await drained(out)
    },
    async finish() {
      await ended(out)
    },
    abort() {},
  }
}
