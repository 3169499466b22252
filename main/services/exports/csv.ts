import type { CellValue, ValueKind } from './columns'
import { neutraliseForCsv } from './neutralise'
import { drained, ended, type SheetOptions, type SheetWriter } from './sheet'
import { dayOf, decimalOfMinor, momentOf } from './values'

/**
 * CSV as spreadsheets open it without asking: UTF-8 with a byte order mark
 * (Excel otherwise guesses a legacy code page and garbles accents), CRLF line
 * ends and RFC 4180 quoting — a field is quoted only when it holds a comma, a
 * quote, a line break, a byte order mark or edge spaces (as papaparse's
 * `quotes: false` does), so the file stays small and plain values stay plain.
 * Days are YYYY-MM-DD, moments YYYY-MM-DDTHH:MM:SSZ (UTC), money plain
 * decimals ("12.50"); text that a spreadsheet could run as a formula is
 * neutralised (neutralise.ts).
 *
 * Written here rather than by a CSV library: a million customers' 25 million
 * fields are most of an export's work, and a field's text is decided and
 * quoted in one step, straight into its page's bytes.
 */

const BYTE_ORDER_MARK = '\uFEFF'
const NEWLINE = '\r\n'
const DELIMITER = ','
/** What makes a field need quotes: a delimiter, a quote, a line break or a byte order mark inside, or a space at either end. */
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/
const QUOTES = /"/g

/** A text field as written: quoted (its quotes doubled) only when it must be. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTES, '""')}"` : text
}

/**
 * Text that goes into a field as it is: it cannot start a formula (nor with an apostrophe, which may need
 * doubling: neutralise.ts) and needs no quotes (no delimiter,
 * quote, line break or byte order mark, no space at either end). Most fields are such text, and one
 * test lets them through where neutralising and quoting would each test them again.
 */
const PLAIN = /^[^=+\-@\t\r ",\n\uFEFF'][^",\r\n\uFEFF]*$/

/** A text value as its field: neutralised if a spreadsheet could run it, then quoted if it must be. */
function textField(text: string): string {
  if (PLAIN.test(text) && text.charCodeAt(text.length - 1) !== 32) return text
  return csvField(neutraliseForCsv(text))
}

/** How each kind of value becomes its field (empty for nothing): chosen once per column, not per value. */
function fieldOf(kind: ValueKind, digits: number): (value: CellValue) => string {
  const text =
    (format: (value: string) => string, number: (value: number) => string = String) =>
    (value: CellValue) =>
      value === null || value === '' ? '' : typeof value === 'number' ? number(value) : format(value)
  switch (kind) {
    case 'money':
      return text(textField, (minor) => decimalOfMinor(minor, digits))
    case 'date':
      return text(dayOf)
    case 'dateTime':
      return text(momentOf)
    default:
      return text(textField)
  }
}

/** Lines of fields, each line ended by CRLF. */
export function csvLines(rows: readonly (readonly string[])[]): string {
  let text = ''
  for (const row of rows) text += row.join(DELIMITER) + NEWLINE
  return text
}

/**
 * A page's bytes, each line encoded into one buffer as it is made. A whole page joined with `+`
 * and encoded at the end had to be flattened from tens of thousands of pieces first, which cost
 * more than the encoding itself (a fifth of a million-customer export).
 */
class PageBytes {
  private buffer: Buffer
  length = 0

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity)
  }

  text(text: string): void {
    // UTF-8 takes at most three bytes for each UTF-16 unit.
    if (this.length + 3 * text.length > this.buffer.length) this.grow(3 * text.length)
    this.length += this.buffer.write(text, this.length, 'utf8')
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length)
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + needed))
    this.buffer.copy(next, 0, 0, this.length)
    this.buffer = next
  }
}

/** `header: false` writes the rows alone: the second half of a file written in two (halves.ts). */
export function openCsv({ out, columns, money }: SheetOptions, { header = true }: { header?: boolean } = {}): SheetWriter {
  const fields = columns.map((c) => fieldOf(c.kind, money.digits))
  const last = columns.length - 1
  // Each page starts with room for the largest page so far (and a quarter more): most pages then never grow.
  let capacity = 64 * 1024
  if (header) out.write(BYTE_ORDER_MARK + csvLines([columns.map((c) => csvField(neutraliseForCsv(c.label)))]))
  return {
    async writeRows(rows) {
      if (!rows.length) return
      // A buffer of its own for each page: the stream holds on to it until the file has it.
      const page = new PageBytes(capacity)
      // An export has at least one column (the contract refuses none).
      for (const row of rows) {
        // A line is joined as text and encoded at once: one write per line costs less than one per field.
        let line = ''
        for (let i = 0; i < last; i++) line += fields[i]!(row[i]!) + DELIMITER
        page.text(line + fields[last]!(row[last]!) + NEWLINE)
      }
      capacity = Math.max(capacity, Math.ceil(page.length * 1.25))
      out.write(page.bytes())
      await drained(out)
    },
    async finish() {
      await ended(out)
    },
    abort() {},
  }
}
