import type { PrintDocument } from '../../pdf/document'

/*
 * The statement's main table, drawn row by row. Its columns are fixed and
 * only the details wrap, so nothing needs measuring but them, and a row's
 * cells go onto the page in one go (PrintDocument.cells): a statement of 500
 * bookings is about 900 rows and 5,000 cells. Same look as the kit's table:
 * shaded header on every page, rows never split across pages.
 */

export interface LedgerColumn {
  title: string
  /** Millimetres; the one column without a width takes what is left. */
  width?: number
  align: 'left' | 'right'
}

export interface LedgerRow {
  cells: string[]
  bold?: boolean
  muted?: boolean
}

const FONT_SIZE = 8.5
const PAD_X = 1.5
const PAD_Y = 1.4
const HEAD_FILL: [number, number, number] = [238, 241, 245]
const STRIPE_FILL: [number, number, number] = [248, 249, 251]
const TEXT: [number, number, number] = [33, 37, 41]
const MUTED: [number, number, number] = [110, 116, 124]

export interface LedgerLayout {
  left: number
  width: number
  /** Where rows stop on a page (above the page number). */
  bottom: number
  /** Where the table resumes on a new page. */
  top: number
  /** Starts a new page (and draws what every page carries); the table then draws its header. */
  newPage: () => void
}

/** Draws the table from `startY`; returns the y below its last row. */
export function drawLedger(doc: PrintDocument, columns: LedgerColumn[], rows: LedgerRow[], startY: number, layout: LedgerLayout): number {
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0)
  const widths = columns.map((c) => c.width ?? layout.width - fixed)
  const lefts = widths.map((_, i) => layout.left + widths.slice(0, i).reduce((a, b) => a + b, 0))
  doc.setFont('regular', FONT_SIZE)
  const lineHeight = doc.lineHeight()

  const cellX = (i: number) => (columns[i]!.align === 'right' ? lefts[i]! + widths[i]! - PAD_X : lefts[i]! + PAD_X)
  const drawHeader = (y: number): number => {
    const height = lineHeight + 2 * PAD_Y
    doc.pdf.setFillColor(...HEAD_FILL)
    doc.pdf.rect(layout.left, y, layout.width, height, 'F')
    doc.setFont('bold', FONT_SIZE)
    doc.pdf.setTextColor(...TEXT)
    columns.forEach((column, i) => doc.text(column.title, cellX(i), y + PAD_Y, { baseline: 'top', align: column.align }))
    doc.setFont('regular', FONT_SIZE)
    return y + height
  }

  let y = drawHeader(startY)
  let weight: 'regular' | 'bold' = 'regular'
  rows.forEach((row, index) => {
    // Each cell's lines: a cell may hold line breaks, and text wider than its column wraps.
    const lines = row.cells.map((cell, i) => (cell === '' ? [] : cell.split('\n').flatMap((part) => doc.wrap(part, widths[i]! - 2 * PAD_X))))
    const height = Math.max(1, ...lines.map((l) => l.length)) * lineHeight + 2 * PAD_Y
    if (y + height > layout.bottom) {
      layout.newPage()
      y = drawHeader(layout.top)
    }
    if (index % 2 === 1) {
      doc.pdf.setFillColor(...STRIPE_FILL)
      doc.pdf.rect(layout.left, y, layout.width, height, 'F')
    }
    const wanted = row.bold ? 'bold' : 'regular'
    if (wanted !== weight) {
      doc.setFont(wanted, FONT_SIZE)
      weight = wanted
    }
    const top = y
    doc.cells(
      lines.flatMap((cellLines, i) => cellLines.map((text, n) => ({ text, x: cellX(i), y: top + PAD_Y + n * lineHeight, align: columns[i]!.align }))),
      row.muted ? MUTED : TEXT,
      { cleaned: true },
    )
    y += height
  })
  if (weight !== 'regular') doc.setFont('regular', FONT_SIZE)
  return y
}
