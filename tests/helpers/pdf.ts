import { readFileSync } from 'node:fs'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** One piece of text on a page, its position in millimetres from the page's top-left corner. */
export interface PlacedText {
  text: string
  /** Left edge and baseline, mm from the top-left corner. */
  x: number
  y: number
  width: number
  /** Font size in mm. */
  height: number
}

export interface ParsedPage {
  width: number
  height: number
  items: PlacedText[]
  /** The page's text, pieces joined in reading order (lines by y, then x). */
  text: string
}

const MM_PER_PT = 25.4 / 72

/** Reads a PDF back as pdf.js sees it: its pages, each piece of text and where it sits. */
export async function parsePdf(source: Uint8Array | string): Promise<ParsedPage[]> {
  const data = typeof source === 'string' ? new Uint8Array(readFileSync(source)) : new Uint8Array(source)
  const pdf = await getDocument({ data, isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise
  const pages: ParsedPage[] = []
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n)
      const [, , w, h] = page.view as [number, number, number, number]
      const content = await page.getTextContent()
      const items: PlacedText[] = []
      for (const item of content.items) {
        if (!('str' in item) || !item.str) continue
        const [, , , d, e, f] = item.transform as number[]
        items.push({ text: item.str, x: e! * MM_PER_PT, y: (h - f!) * MM_PER_PT, width: item.width * MM_PER_PT, height: Math.abs(d!) * MM_PER_PT })
      }
      const lines = [...items].sort((a, b) => a.y - b.y || a.x - b.x)
      let text = ''
      let lastY: number | undefined
      for (const item of lines) {
        if (lastY !== undefined) text += Math.abs(item.y - lastY) > 1 ? '\n' : ' '
        text += item.text
        lastY = item.y
      }
      pages.push({ width: w * MM_PER_PT, height: h * MM_PER_PT, items, text })
    }
  } finally {
    await pdf.destroy()
  }
  return pages
}
