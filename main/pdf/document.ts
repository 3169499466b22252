import { readFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { jsPDF } from 'jspdf'
import { autoTable, type CellInput, type RowInput, type UserOptions } from 'jspdf-autotable'
import type { BusinessDetails } from './business'

/*
 * The one way Frontdesk makes a PDF: a jsPDF document in millimetres with
 * DejaVu Sans embedded (jsPDF's own fonts cover Latin-1 only and lose Greek,
 * Cyrillic, Polish or Vietnamese names). A character the font lacks is drawn
 * as a visible box and reported, never dropped.
 */

export type Paper = 'a4' | 'letter'
export type FontWeight = 'regular' | 'bold'

const FAMILY = 'DejaVuSans'
const FONT_FILES: Record<FontWeight, { file: string; style: 'normal' | 'bold' }> = {
  regular: { file: 'DejaVuSans.ttf', style: 'normal' },
  bold: { file: 'DejaVuSans-Bold.ttf', style: 'bold' },
}
/** Shown where the font has no glyph for a character (present in DejaVu Sans). */
export const MISSING_GLYPH = '\u25A1'
const PT_PER_MM = 72 / 25.4
const PRINTABLE_LATIN1 = /^[\x20-\x7e\xa0-\xff]*$/

/**
 * The fonts as jsPDF's virtual file system takes them: a binary string (jsPDF
 * skips its base64 decoding for one that starts like a TrueType file), read
 * once per process.
 */
const fontData = new Map<FontWeight, string>()
function fontFile(weight: FontWeight): string {
  let data = fontData.get(weight)
  if (!data) {
    data = readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${FONT_FILES[weight].file}`)).toString('latin1')
    fontData.set(weight, data)
  }
  return data
}

/*
 * jsPDF parses a TrueType file again for every document (some 20 ms each for
 * DejaVu Sans). The parsed tables never change, so each document gets its own
 * copy of one parse, with its own record of the characters it uses.
 */
interface ParsedFont {
  toUnicode: Record<number, number>
}
const ttf = (jsPDF as unknown as { API: { TTFFont: { open(file: Uint8Array): ParsedFont } } }).API.TTFFont
const openTrueType = ttf.open.bind(ttf)
const parsedFonts = new Map<number, ParsedFont>()
const ourFontSizes = new Set<number>()
ttf.open = (file: Uint8Array): ParsedFont => {
  if (!ourFontSizes.has(file.length)) return openTrueType(file)
  let parsed = parsedFonts.get(file.length)
  if (!parsed) {
    parsed = openTrueType(file)
    keepTablesRead(parsed)
    parsedFonts.set(file.length, parsed)
  }
  // Own copies of the parsed tables' references (jsPDF asks hasOwnProperty), and of the one record it writes to.
  const mine = Object.assign(Object.create(Object.getPrototypeOf(parsed) as object) as ParsedFont, parsed)
  mine.toUnicode = {}
  return mine
}

type RawTable = { raw(): number[] | null }
type Bytes = ArrayLike<number>

/**
 * The sum a TrueType directory records for a table: its big-endian 32-bit
 * words added up (the last padded with zeros), as a signed 32-bit number.
 * The tables read once above come back as the same arrays, so theirs is kept.
 */
const checksums = new WeakMap<object, number>()
function tableChecksum(data: Bytes): number {
  const kept = typeof data === 'object' ? checksums.get(data) : undefined
  if (kept !== undefined) return kept
  let sum = 0
  for (let i = 0; i < data.length; i += 4) {
    sum += (((data[i] ?? 0) << 24) >>> 0) + ((data[i + 1] ?? 0) << 16) + ((data[i + 2] ?? 0) << 8) + (data[i + 3] ?? 0)
  }
  const result = sum & 0xffffffff
  checksums.set(data, result)
  return result
}

/**
 * A font file from its tables, as jsPDF's TrueType writer makes it (the same
 * bytes; see the test), in typed arrays: jsPDF joins the tables by copying
 * arrays and writes them a byte at a time, a third of a statement's time.
 */
export function encodeFontDirectory(scalarType: number, tables: Record<string, Bytes>): Uint8Array {
  const tags = Object.keys(tables)
  const searchRange = Math.floor(Math.log(tags.length) / Math.LN2) * 16
  let offset = 12 + tags.length * 16
  const offsets = tags.map((tag) => {
    const at = offset
    offset += Math.ceil(tables[tag]!.length / 4) * 4
    return at
  })
  const out = new Uint8Array(offset)
  const view = new DataView(out.buffer)
  view.setInt32(0, scalarType)
  view.setInt16(4, tags.length)
  view.setInt16(6, searchRange)
  // jsPDF's own (unusual) formula, kept so the bytes match; readers do not rely on these three fields.
  view.setInt16(8, Math.floor(searchRange / Math.LN2))
  view.setInt16(10, tags.length * 16 - searchRange)
  let headOffset = 0
  tags.forEach((tag, i) => {
    const table = tables[tag]!
    const entry = 12 + i * 16
    for (let c = 0; c < 4; c++) out[entry + c] = tag.charCodeAt(c)
    view.setInt32(entry + 4, tableChecksum(table))
    view.setInt32(entry + 8, offsets[i]!)
    view.setInt32(entry + 12, table.length)
    out.set(table, offsets[i]!)
    if (tag === 'head') headOffset = offsets[i]!
  })
  view.setUint32(headOffset + 8, (0xb1b0afba - tableChecksum(out)) >>> 0)
  return out
}

interface FontDirectory {
  scalarType: number
  encode(tables: Record<string, Bytes>): Bytes
}

/**
 * Each document's font subset copies some of the font's tables whole, which
 * jsPDF reads byte by byte each time: read them once. The glyph names (the
 * `post` table, 62 KB in DejaVu Sans) are left out, as a PDF never uses
 * them: its text is mapped to Unicode separately, so it still copies and
 * searches as typed.
 */
function keepTablesRead(parsed: ParsedFont): void {
  const directory = (parsed as unknown as { directory: FontDirectory }).directory
  directory.encode = function (this: FontDirectory, tables) {
    return encodeFontDirectory(this.scalarType, tables)
  }
  const tables = parsed as unknown as Record<string, RawTable>
  for (const name of ['cmap', 'hmtx', 'hhea', 'maxp', 'name', 'os2']) {
    const table = tables[name]
    if (!table) continue
    const raw = table.raw()
    table.raw = () => raw
  }
  const post = tables['post']?.raw()
  if (post && post.length >= 32) {
    // The 32-byte header of a version 3.0 table (no glyph names): the same italic angle and underline.
    const header = [0, 3, 0, 0, ...post.slice(4, 32)]
    tables['post']!.raw = () => header
  }
}

/**
 * The glyphs a document uses, each once: jsPDF notes one per character drawn
 * and would go through them all again when it writes the font's subset.
 */
class GlyphsUsed extends Array<number> {
  private readonly seen = new Set<number>()
  override push(...glyphs: number[]): number {
    for (const glyph of glyphs) {
      if (this.seen.has(glyph)) continue
      this.seen.add(glyph)
      super.push(glyph)
    }
    return this.length
  }
}

/*
 * jsPDF compresses each stream in JavaScript and turns the bytes back into a
 * string one byte at a time; Node's own zlib gives the same Flate stream in a
 * fraction of the time. Streams here are binary strings (every code < 256).
 */
type Filters = (data: string, chain: string | string[] | undefined) => { data: string; reverseChain: string }
const filtersApi = jsPDF.API as unknown as { processDataByFilters: Filters }
const jsFilters = filtersApi.processDataByFilters.bind(filtersApi)
filtersApi.processDataByFilters = (data, chain) => {
  const list = typeof chain === 'string' ? [chain] : (chain ?? [])
  if (list.length === 1 && list[0]!.replace('/', '') === 'FlateEncode') {
    return { data: deflateSync(Buffer.from(data, 'latin1')).toString('latin1'), reverseChain: '/FlateDecode' }
  }
  return jsFilters(data, chain)
}

/** Code points the regular font draws, learnt from its character map the first time a document is made. */
let covered: Set<number> | undefined

interface FontWithCmap {
  metadata?: { cmap?: { unicode?: { codeMap?: Record<number, number> } } }
}

function learnCoverage(pdf: jsPDF): Set<number> {
  const codeMap = (pdf.getFont() as unknown as FontWithCmap).metadata?.cmap?.unicode?.codeMap
  if (!codeMap) throw new Error('The letter font has no Unicode character map')
  const set = new Set<number>()
  for (const [code, glyph] of Object.entries(codeMap)) if (glyph) set.add(Number(code))
  return set
}

/** What the kit reads of a jsPDF font with Identity-H encoding (a TrueType font of ours). */
interface IdentityFont {
  id: string
  metadata: {
    characterToGlyph(code: number): number
    widthOfGlyph(glyph: number): number
    glyIdsUsed: number[]
    toUnicode: Record<number, number>
    Unicode: { widths: Array<number | number[]> }
  }
}

/** A character's glyph in a font: the same in every document, so learnt once per process. */
interface Glyph {
  id: number
  width: number
  hex: string
}
const glyphCache = new WeakMap<object, Map<number, Glyph>>()
/** Keyed by the font's character map, which every document's copy of a parsed font shares. */
function glyphsOf(meta: IdentityFont['metadata']): Map<number, Glyph> {
  const key = (meta as unknown as { cmap: object }).cmap
  let map = glyphCache.get(key)
  if (!map) {
    map = new Map()
    glyphCache.set(key, map)
  }
  return map
}

/** One line of text for `cells`: y is the top of its line, as with jsPDF's baseline 'top'. */
export interface TextCell {
  text: string
  x: number
  y: number
  align?: 'left' | 'right'
}

export interface TableOptions extends Omit<UserOptions, 'head' | 'body' | 'foot'> {
  head?: RowInput[]
  body: RowInput[]
  foot?: RowInput[]
}

export class PrintDocument {
  readonly pdf: jsPDF
  private readonly missing = new Set<string>()
  private readonly coverage: Set<number>
  /** Per font: glyphs whose width the font's /W array already holds. */
  private readonly widthsListed = new Map<string, Set<number>>()
  /** Fonts jsPDF has seen drawn (it embeds only those); `cells` lets jsPDF draw a font's first text. */
  private readonly drawnFonts = new Set<string>()

  constructor(readonly paper: Paper = 'a4') {
    this.pdf = new jsPDF({ unit: 'mm', format: paper, compress: true, putOnlyUsedFonts: true })
    for (const weight of ['regular', 'bold'] as const) {
      const { file, style } = FONT_FILES[weight]
      const data = fontFile(weight)
      ourFontSizes.add(data.length)
      this.pdf.addFileToVFS(file, data)
      this.pdf.addFont(file, FAMILY, style, undefined, 'Identity-H')
      this.pdf.setFont(FAMILY, style)
      const font = this.pdf.getFont() as unknown as { metadata: { glyIdsUsed: number[] } }
      const used = new GlyphsUsed()
      used.push(...font.metadata.glyIdsUsed)
      font.metadata.glyIdsUsed = used
    }
    this.pdf.setFont(FAMILY, 'normal')
    this.coverage = covered ??= learnCoverage(this.pdf)
    this.pdf.setLineHeightFactor(1.25)
  }

  get pageWidth(): number {
    return this.pdf.internal.pageSize.getWidth()
  }

  get pageHeight(): number {
    return this.pdf.internal.pageSize.getHeight()
  }

  setFont(weight: FontWeight, sizePt: number): void {
    this.pdf.setFont(FAMILY, FONT_FILES[weight].style)
    this.pdf.setFontSize(sizePt)
  }

  /** Line height in mm for the current font size. */
  lineHeight(): number {
    return (this.pdf.getFontSize() * this.pdf.getLineHeightFactor()) / PT_PER_MM
  }

  /**
   * The text as it will print: NFC, line ends kept, control characters gone,
   * each character the font lacks replaced by a box and remembered.
   */
  clean(value: string): string {
    // Printable Latin-1 is already in normal form and all in the font: most of what is printed.
    if (PRINTABLE_LATIN1.test(value)) return value
    let out = ''
    for (const char of value.normalize('NFC')) {
      const code = char.codePointAt(0)!
      if (code === 0x0a) out += '\n'
      else if (code === 0x09) out += ' '
      else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue
      else if (this.coverage.has(code) || /\p{M}/u.test(char)) out += char
      else {
        this.missing.add(char)
        out += MISSING_GLYPH
      }
    }
    return out
  }

  /** Characters the font could not draw, in the order first met. */
  unprintable(): string[] {
    return [...this.missing]
  }

  text(value: string | string[], x: number, y: number, options?: Parameters<jsPDF['text']>[3]): void {
    const cleaned = Array.isArray(value) ? value.map((line) => this.clean(line)) : this.clean(value)
    this.pdf.text(cleaned, x, y, options)
  }

  /** Splits text to lines no wider than `width` mm at the current font. */
  wrap(value: string, width: number): string[] {
    const cleaned = this.clean(value)
    // Most cells fit: measuring is far cheaper than jsPDF's splitting.
    if (!cleaned.includes('\n') && this.cleanWidth(cleaned) <= width) return [cleaned]
    return this.pdf.splitTextToSize(cleaned, width) as string[]
  }

  /** The width in mm of text already cleaned, at the current font, as jsPDF measures it. */
  private cleanWidth(text: string): number {
    const meta = (this.pdf.getFont() as unknown as IdentityFont).metadata
    const known = glyphsOf(meta)
    let units = 0
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      units += known.get(code)?.width ?? meta.widthOfGlyph(meta.characterToGlyph(code))
    }
    return (units / 1000) * (this.pdf.getFontSize() / this.pdf.internal.scaleFactor)
  }

  /**
   * Many one-line texts in one colour and the current font, written straight
   * into the page. jsPDF's text() costs some 50 µs a call whatever the text,
   * and a long statement has thousands of cells; this writes the same
   * operators (glyph ids, the font's record of glyphs and widths for its
   * subset, Unicode mapping so the PDF copies and searches as typed).
   * `cleaned`: the texts come from wrap() and are cleaned already.
   */
  cells(cells: TextCell[], colour: [number, number, number], options: { cleaned?: boolean } = {}): void {
    const font = this.pdf.getFont() as unknown as IdentityFont
    const size = this.pdf.getFontSize()
    const k = this.pdf.internal.scaleFactor
    const pageTop = this.pageHeight * k
    // jsPDF's baseline 'top': the line's top plus its height less the leading below it.
    const height = size / k
    const drop = height - height * (this.pdf.getLineHeightFactor() - 1)
    let pending = cells
    if (!this.drawnFonts.has(font.id)) {
      const [first, ...rest] = cells
      if (!first) return
      this.pdf.setTextColor(...colour)
      this.text(first.text, first.x, first.y, { baseline: 'top', align: first.align ?? 'left' })
      this.pdf.setTextColor(0, 0, 0)
      this.drawnFonts.add(font.id)
      pending = rest
    }
    if (!pending.length) return
    const ops = [`BT /${font.id} ${size} Tf ${colour.map((c) => (c / 255).toFixed(3)).join(' ')} rg`]
    for (const cell of pending) {
      const { hex, units } = this.glyphs(font, options.cleaned ? cell.text : this.clean(cell.text))
      const width = (units / 1000) * (size / k)
      const x = cell.align === 'right' ? cell.x - width : cell.x
      ops.push(`1 0 0 1 ${(x * k).toFixed(2)} ${(pageTop - (cell.y + drop) * k).toFixed(2)} Tm <${hex}> Tj`)
    }
    ops.push('ET')
    // jsPDF's own writer into the current page (there at run time; its typings leave it out).
    ;(this.pdf.internal as unknown as { write(text: string): void }).write(ops.join('\n'))
  }

  /** The text as the font's glyph ids in hex, noted for the font's subset, and its width in font units. */
  private glyphs(font: IdentityFont, text: string): { hex: string; units: number } {
    const meta = font.metadata
    const known = glyphsOf(meta)
    let listed = this.widthsListed.get(font.id)
    if (!listed) {
      listed = new Set(meta.Unicode.widths.filter((w): w is number => typeof w === 'number'))
      this.widthsListed.set(font.id, listed)
    }
    let hex = ''
    let units = 0
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      let glyph = known.get(code)
      if (!glyph) {
        const id = meta.characterToGlyph(code)
        glyph = { id, width: meta.widthOfGlyph(id), hex: id.toString(16).padStart(4, '0') }
        known.set(code, glyph)
      }
      // A glyph the font lacks (a combining mark it has none for) is left out, as clean() keeps such marks.
      if (!glyph.id) continue
      if (!listed.has(glyph.id)) {
        listed.add(glyph.id)
        meta.glyIdsUsed.push(glyph.id)
        meta.Unicode.widths.push(glyph.id, [Math.trunc(glyph.width)])
      }
      meta.toUnicode[glyph.id] = code
      units += glyph.width
      hex += glyph.hex
    }
    return { hex, units }
  }

  textWidth(value: string): number {
    return this.pdf.getTextWidth(this.clean(value))
  }

  /** A table that breaks across pages with its header repeated; returns the y below it. */
  table(options: TableOptions): number {
    const cleanRow = (row: RowInput): RowInput =>
      Array.isArray(row) ? row.map((cell) => this.cleanCell(cell)) : Object.fromEntries(Object.entries(row).map(([k, cell]) => [k, this.cleanCell(cell)]))
    autoTable(this.pdf, {
      theme: 'plain',
      showHead: 'everyPage',
      rowPageBreak: 'avoid',
      margin: { left: 20, right: 20, top: 20, bottom: 22 },
      ...options,
      styles: { font: FAMILY, fontStyle: 'normal', fontSize: 9, cellPadding: { top: 1.4, bottom: 1.4, left: 1.5, right: 1.5 }, ...options.styles },
      headStyles: { font: FAMILY, fontStyle: 'bold', fillColor: [238, 241, 245], textColor: [33, 37, 41], ...options.headStyles },
      footStyles: { font: FAMILY, fontStyle: 'bold', fillColor: false as unknown as [number, number, number], textColor: [33, 37, 41], ...options.footStyles },
      head: options.head?.map(cleanRow),
      body: options.body.map(cleanRow),
      foot: options.foot?.map(cleanRow),
    })
    return (this.pdf as unknown as { lastAutoTable: { finalY: number } }).lastAutoTable.finalY
  }

  private cleanCell(cell: CellInput): CellInput {
    if (typeof cell === 'string') return this.clean(cell)
    if (Array.isArray(cell)) return cell.map((line) => this.clean(line))
    if (cell && typeof cell === 'object' && typeof cell.content === 'string') return { ...cell, content: this.clean(cell.content) }
    return cell
  }

  /**
   * The business's letterhead across the top of the page: name, address,
   * phone and email on the left, the logo on the right. Returns the y below it.
   */
  letterhead(business: BusinessDetails, options: { top?: number; left?: number; right?: number } = {}): number {
    const top = options.top ?? 16
    const left = options.left ?? 20
    const right = this.pageWidth - (options.right ?? 20)
    let logoBottom = top
    let textRight = right
    if (business.logo) {
      // At most 45 × 22 mm, keeping its shape.
      const scale = Math.min(45 / business.logo.width, 22 / business.logo.height)
      const w = business.logo.width * scale
      const h = business.logo.height * scale
      this.pdf.addImage(business.logo.bytes, business.logo.mime === 'image/png' ? 'PNG' : 'JPEG', right - w, top, w, h, undefined, 'FAST')
      logoBottom = top + h
      textRight = right - w - 6
    }
    this.setFont('bold', 15)
    let y = top + 5
    this.text(this.wrap(business.name, textRight - left).slice(0, 2), left, y)
    y += this.lineHeight() * Math.min(2, this.wrap(business.name, textRight - left).length)
    this.setFont('regular', 8.5)
    this.pdf.setTextColor(80, 86, 94)
    const contact = [business.phone, business.email].filter(Boolean).join('  ·  ')
    for (const line of [...business.addressLines, ...(contact ? [contact] : [])]) {
      this.text(line, left, y)
      y += this.lineHeight()
    }
    this.pdf.setTextColor(0, 0, 0)
    return Math.max(y, logoBottom) + 2
  }

  /**
   * The letterhead of a document for one customer (a statement, their
   * personal data): at the usual margins, ruled off below. Returns the y
   * where the body starts.
   */
  ruledLetterhead(business: BusinessDetails): number {
    const y = this.letterhead(business, { top: 16 })
    this.pdf.setDrawColor(200, 205, 212)
    this.pdf.setLineWidth(0.3)
    this.pdf.line(20, y + 1, this.pageWidth - 20, y + 1)
    return y + 10
  }

  /** "Page n of N" at the foot of every page; call once, when every page is made. */
  pageNumbers(options: { from?: number; label?: (page: number, pages: number) => string } = {}): void {
    const first = options.from ?? 1
    const total = this.pdf.getNumberOfPages()
    const pages = total - first + 1
    this.setFont('regular', 8)
    this.pdf.setTextColor(110, 116, 124)
    for (let page = first; page <= total; page++) {
      this.pdf.setPage(page)
      const n = page - first + 1
      this.text(options.label ? options.label(n, pages) : `Page ${n} of ${pages}`, this.pageWidth / 2, this.pageHeight - 10, { align: 'center' })
    }
    this.pdf.setTextColor(0, 0, 0)
  }

  pageCount(): number {
    return this.pdf.getNumberOfPages()
  }

  output(): Uint8Array {
    return new Uint8Array(this.pdf.output('arraybuffer'))
  }
}

export function newPrintDocument(options: { paper?: Paper } = {}): PrintDocument {
  return new PrintDocument(options.paper ?? 'a4')
}
