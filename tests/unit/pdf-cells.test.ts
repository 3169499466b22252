import { describe, expect, it } from 'vitest'
import { newPrintDocument, MISSING_GLYPH } from '../../main/pdf/document'
import { parsePdf } from '../helpers/pdf'

const TEXTS = ['Ζωή Παπαδοπούλου', 'Жанна Иванова', 'Łucja Wąsowicz', 'Nguyễn Thị Hồng', 'Café £12.50', '12 Mar 2026']

/** The same texts drawn by jsPDF's text() on page 1 and by cells() on page 2. */
async function drawnBothWays(): Promise<Array<Array<{ text: string; x: number; y: number; width: number }>>> {
  const doc = newPrintDocument()
  doc.setFont('regular', 9)
  TEXTS.forEach((text, i) => {
    doc.text(text, 20, 30 + i * 6, { baseline: 'top' })
    doc.text(text, 190, 30 + i * 6, { baseline: 'top', align: 'right' })
  })
  doc.pdf.addPage()
  doc.setFont('regular', 9)
  doc.cells(
    TEXTS.flatMap((text, i) => [
      { text, x: 20, y: 30 + i * 6 },
      { text, x: 190, y: 30 + i * 6, align: 'right' as const },
    ]),
    [33, 37, 41],
  )
  const pages = await parsePdf(doc.output())
  return pages.map((page) => [...page.items].sort((a, b) => a.y - b.y || a.x - b.x))
}

describe('cells written straight into the page', () => {
  it('read back as the same text at the same places as jsPDF draws them, in any script, left or right aligned', async () => {
    const [byText, byCells] = await drawnBothWays()
    expect(byCells!.map((item) => item.text)).toEqual(byText!.map((item) => item.text))
    expect(byCells!.map((item) => item.text)).toEqual(expect.arrayContaining(TEXTS))
    byCells!.forEach((item, i) => {
      const other = byText![i]!
      expect(item.x).toBeCloseTo(other.x, 1)
      expect(item.y).toBeCloseTo(other.y, 1)
      expect(item.width).toBeCloseTo(other.width, 1)
    })
    // Right-aligned cells end at their x.
    const right = byCells!.filter((item) => item.x > 100)
    for (const item of right) expect(item.x + item.width).toBeCloseTo(190, 0)
  })

  it('box and report a character the font lacks, as text() does', async () => {
    const doc = newPrintDocument()
    doc.setFont('regular', 9)
    doc.text('first', 20, 20, { baseline: 'top' })
    doc.cells([{ text: 'Ann 🦄 Lee', x: 20, y: 30 }], [0, 0, 0])
    const [page] = await parsePdf(doc.output())
    expect(page!.text).toContain(`Ann ${MISSING_GLYPH} Lee`)
    expect(doc.unprintable()).toEqual(['🦄'])
  })
})

describe('the embedded font file', () => {
  it('is byte for byte what jsPDF’s own writer makes of the same tables', () => {
    const doc = newPrintDocument()
    doc.setFont('regular', 9)
    doc.text('Ζωή Жанна Łucja Nguyễn £12.50', 20, 20)
    const font = doc.pdf.getFont() as unknown as {
      metadata: { glyIdsUsed: number[]; subset: { encode(ids: number[], format: number): ArrayLike<number> }; directory: object }
    }
    const ours = Array.from(font.metadata.subset.encode(font.metadata.glyIdsUsed, 1))
    // The writer jsPDF would have used, still on the directory's prototype.
    const directory = font.metadata.directory as { encode: unknown }
    const own = directory.encode
    delete (directory as { encode?: unknown }).encode
    try {
      const theirs = Array.from(font.metadata.subset.encode(font.metadata.glyIdsUsed, 1))
      expect(ours.length).toBe(theirs.length)
      expect(ours).toEqual(theirs)
    } finally {
      directory.encode = own
    }
  })
})
