import type { BusinessDetails } from '../../pdf/business'
import type { PrintDocument } from '../../pdf/document'
import { fitAddressBlock, type FittedBlock } from '../../pdf/address'
import type { Envelope, Rect } from '../../pdf/envelopes'

/*
 * One letter on A4, laid out for a window envelope: the letterhead at the
 * top, the address in the envelope's safe window area, the date to the right
 * below it, then the body. DIN 5008 margins: 25 mm left, 20 mm right.
 */

const PT = 25.4 / 72
const LEFT = 25
const RIGHT = 20
const BODY_SIZE = 10.5
/** The body's first line: below the address field (DIN 5008 Form B ends at 90 mm) and the date. */
const BODY_TOP = 108
const DATE_Y = 99
const TOP_CONTINUED = 25
const BOTTOM = 272

export interface LetterContent {
  addressLines: string[]
  dateText: string
  body: string
}

/** Measures text with the document's own font, as the address block will print. */
export function measureWith(doc: PrintDocument): (text: string, sizePt: number) => number {
  return (text, sizePt) => {
    doc.setFont('regular', sizePt)
    return doc.textWidth(text)
  }
}

/** Writes an address block inside a box; the first baseline one em below its top. */
export function drawAddressBlock(doc: PrintDocument, lines: string[], box: Rect, sizes?: readonly number[], centreVertically = false): FittedBlock {
  const block = fitAddressBlock(lines, box, measureWith(doc), sizes)
  doc.setFont('regular', block.sizePt)
  const used = block.sizePt * PT * 1.24 + (block.lines.length - 1) * block.lineHeight
  const top = centreVertically ? box.y + Math.max(0, (box.height - used) / 2) : box.y
  block.lines.forEach((line, i) => doc.text(line, box.x, top + block.sizePt * PT + i * block.lineHeight))
  return block
}

/** Short marks in the left margin where the sheet is folded for the envelope. */
function foldMarks(doc: PrintDocument, envelope: Envelope): void {
  doc.pdf.setDrawColor(150, 150, 150)
  doc.pdf.setLineWidth(0.2)
  for (const y of envelope.folds) doc.pdf.line(4, y, 9, y)
  doc.pdf.setDrawColor(0, 0, 0)
}

/**
 * Draws one letter from a fresh page on; returns how many pages it took.
 * When it takes more than one, each of its pages says "Page n of N".
 */
export function drawLetter(doc: PrintDocument, business: BusinessDetails, envelope: Envelope, content: LetterContent, firstPage: boolean): number {
  if (!firstPage) doc.pdf.addPage('a4', 'portrait')
  const startPage = doc.pageCount()
  doc.letterhead(business, { top: 12, left: LEFT, right: RIGHT })
  foldMarks(doc, envelope)
  // In line with the body where the window allows (DIN 5008: 25 mm), else at the safe area's edge.
  const area = envelope.safeArea
  const x = Math.max(area.x, LEFT)
  drawAddressBlock(doc, content.addressLines, { ...area, x, width: area.width - (x - area.x) })
  doc.setFont('regular', BODY_SIZE)
  doc.text(content.dateText, doc.pageWidth - RIGHT, DATE_Y, { align: 'right' })

  const width = doc.pageWidth - LEFT - RIGHT
  const lineHeight = doc.lineHeight()
  let y = BODY_TOP
  for (const paragraph of content.body.split('\n')) {
    const lines = paragraph.trim() === '' ? [''] : doc.wrap(paragraph, width)
    for (const line of lines) {
      if (y > BOTTOM) {
        doc.pdf.addPage('a4', 'portrait')
        doc.setFont('regular', BODY_SIZE)
        y = TOP_CONTINUED
      }
      if (line) doc.pdf.text(line, LEFT, y)
      y += lineHeight
    }
  }
  const pages = doc.pageCount() - startPage + 1
  if (pages > 1) {
    doc.setFont('regular', 8)
    for (let n = 1; n <= pages; n++) {
      doc.pdf.setPage(startPage + n - 1)
      doc.text(`Page ${n} of ${pages}`, doc.pageWidth / 2, doc.pageHeight - 10, { align: 'center' })
    }
    doc.pdf.setPage(doc.pageCount())
  }
  return pages
}
