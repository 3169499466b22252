import { readFile } from 'node:fs/promises'
import { posix } from 'node:path'
import { Readable, Transform } from 'node:stream'
import JSZip from 'jszip'
import { DomainError } from '../../errors'
import { loadExcelJs } from '../../workbooks'
import { notAWorkbook } from './kind'
import { headerTexts, ImportFileProblem, isEmptyRow, nfc, shapeRow, type Cell, type OpenedSource, type ReadProgress, type SourceRow } from './source'
import { withIdleLimit, withTimeLimit } from './watchdog'
import { cellsOf, readSharedStrings, type WorkbookRow } from './xlsx-cells'

/*
 * Excel workbooks (.xlsx, .xlsm), read with exceljs's streaming WorkbookReader — never its `readFile`/`load`, which
 * can run for minutes on a workbook with a whole-sheet data validation.
 *
 * The reader's own loop over the zip is not used: it takes the parts in the order the zip stores them and, when a
 * sheet comes before the shared text table, parks it in a temporary file — and on small files its zip stream can
 * end before the parts after that are seen (a workbook then loses its text table, or its styles and with them its
 * dates). So the zip is opened from its directory (JSZip) and the parts are handed to the WorkbookReader's parsers
 * in the order they depend on each other: relationships, workbook, styles, shared texts, then only the chosen sheet.
 * These parsers (`_parseRels`, `_parseWorkbook`, `_parseStyles`, `_parseWorksheet`) are exceljs 4.4 internals.
 *
 * `sheets` lists every worksheet in workbook order, hidden and empty ones included; chart sheets are left out. The
 * default sheet is the first visible one with data (then the first hidden one with data). The header is the sheet's
 * first non-empty row; `line` is the row number Excel shows.
 */

/** The largest workbook read: the zip is held in memory while it is read. */
const LARGEST_WORKBOOK = 1024 ** 3
/** How long opening (reading the parts and finding the header) may take before the workbook is given up on. */
const OPEN_LIMIT_MS = 120_000
/** How long the reader may go without producing a row before the workbook is given up on. */
const IDLE_LIMIT_MS = 20_000

const READER_OPTIONS = { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore' } as const

interface Relationship {
  Id: string
  Type: string
  Target: string
}

/** The WorkbookReader as used here: its part parsers, and the state they fill that its WorksheetReader reads. */
interface WorkbookReaderParts {
  workbookRels?: Relationship[]
  model?: { sheets?: Array<{ name: string; rId: string; state?: string }> }
  properties?: { model?: { date1904?: boolean } }
  sharedStrings?: string[]
  _parseRels(entry: Readable): Promise<void>
  _parseWorkbook(entry: Readable): Promise<void>
  _parseStyles(entry: Readable): Promise<void>
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ value: AsyncIterable<WorkbookRow> }>
}

interface Worksheet {
  name: string
  /** Where its cells are in the zip. */
  path: string
  visible: boolean
}

interface Workbook {
  zip: JSZip
  reader: WorkbookReaderParts
  date1904: boolean
  sheets: Worksheet[]
}

interface SheetRow {
  line: number
  cells: Cell[]
  /** The row's place among the rows the sheet stores (1, 2, …): row numbers can repeat in a damaged sheet, this cannot. */
  position: number
}

export async function openXlsx(file: string, size: number, extension: string, wantedSheet: string | undefined): Promise<OpenedSource> {
  if (size > LARGEST_WORKBOOK) throw new ImportFileProblem('This workbook is too large to import (over 1 GB). Save it as CSV and import that.')
  const reading = new Reading()
  const opening = (async () => {
    const workbook = await readWorkbook(file, extension, reading)
    return { workbook, ...(await chooseSheet(workbook, wantedSheet, reading)) }
  })()
  const tooSlow = () => new ImportFileProblem('This workbook could not be read: it took too long to open.')
  const { workbook, sheet, header } = await withTimeLimit(opening, OPEN_LIMIT_MS, tooSlow, () => reading.stop())
  const headers = headerTexts(header.cells)
  const progress: ReadProgress = { done: 0, total: uncompressedSize(workbook.zip.file(sheet.path)) }

  async function* rows(): AsyncGenerator<SourceRow> {
    progress.done = 0
    for await (const row of sheetRows(workbook, sheet, new Reading(), progress)) {
      if (row.position <= header.position || isEmptyRow(row.cells)) continue
      yield { line: row.line, cells: shapeRow(row.cells, headers.length) }
    }
    progress.done = progress.total
  }

  return {
    format: 'xlsx',
    description: `Excel workbook, sheet “${sheet.name}”`,
    sheets: workbook.sheets.map((each) => each.name),
    sheet: sheet.name,
    headers,
    rows,
    readProgress: () => ({ ...progress }),
  }
}

async function readWorkbook(file: string, extension: string, reading: Reading): Promise<Workbook> {
  let zip: JSZip
  try {
    zip = await JSZip.loadAsync(await readFile(file))
  } catch {
    throw new ImportFileProblem('This workbook could not be read: the file is damaged or incomplete.')
  }
  const workbookPart = zip.file('xl/workbook.xml')
  if (!workbookPart) throw notAWorkbook(Object.keys(zip.files), extension)
  const excel = await loadExcelJs()
  const reader = new excel.stream.xlsx.WorkbookReader(file, READER_OPTIONS) as unknown as WorkbookReaderParts

  const date1904 = await readPart('its list of sheets is damaged', async () => {
    const xml = await workbookPart.async('nodebuffer')
    await reader._parseWorkbook(Readable.from([xml]))
    const relationships = zip.file('xl/_rels/workbook.xml.rels')
    if (relationships) await reader._parseRels(reading.open(relationships).stream)
    // Excel writes date1904="1"; LibreOffice and others may write "true", which exceljs reads as false.
    return reader.properties?.model?.date1904 === true || /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(xml.toString('utf8'))
  })
  reader.properties = { model: { date1904 } }

  const stylesPart = partOfType(zip, reader, 'styles')
  if (stylesPart) await readPart('its cell formats are damaged', () => reader._parseStyles(reading.open(stylesPart).stream))
  const textsPart = partOfType(zip, reader, 'sharedStrings')
  reader.sharedStrings = textsPart ? await readPart('its table of texts is damaged', () => readSharedStrings(reading.open(textsPart).stream)) : []

  return { zip, reader, date1904, sheets: worksheetsOf(reader) }
}

/** The worksheets in workbook order, where the workbook's relationships put them. */
function worksheetsOf(reader: WorkbookReaderParts): Worksheet[] {
  const relationships = reader.workbookRels ?? []
  return (reader.model?.sheets ?? []).flatMap((sheet) => {
    const relationship = relationships.find((each) => each.Id === sheet.rId)
    if (!relationship || !relationship.Type.endsWith('/worksheet')) return []
    return [{ name: nfc(sheet.name), path: partPath(relationship.Target), visible: sheet.state !== 'hidden' && sheet.state !== 'veryHidden' }]
  })
}

function partOfType(zip: JSZip, reader: WorkbookReaderParts, type: 'styles' | 'sharedStrings'): JSZip.JSZipObject | null {
  const relationship = reader.workbookRels?.find((each) => each.Type.endsWith(`/${type}`))
  return zip.file(relationship ? partPath(relationship.Target) : `xl/${type}.xml`)
}

/** A relationship target as a path in the zip: relative to the workbook's folder, or absolute from the zip's root. */
function partPath(target: string): string {
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target))
}

async function chooseSheet(workbook: Workbook, wanted: string | undefined, reading: Reading): Promise<{ sheet: Worksheet; header: SheetRow }> {
  const names = workbook.sheets.map((sheet) => `“${sheet.name}”`).join(', ')
  if (wanted !== undefined) {
    const sheet = workbook.sheets.find((each) => each.name === wanted) ?? workbook.sheets.find((each) => sameName(each.name, wanted))
    if (!sheet) {
      throw new ImportFileProblem(names ? `This workbook has no sheet named “${wanted}”. Its sheets are ${names}.` : 'This workbook has no sheets with cells.')
    }
    const header = await firstFilledRow(workbook, sheet, reading)
    if (!header) throw new ImportFileProblem(`The sheet “${sheet.name}” is empty.`)
    return { sheet, header }
  }
  if (workbook.sheets.length === 0) throw new ImportFileProblem('This workbook has no sheets with cells (it may hold only charts).')
  const visibleFirst = [...workbook.sheets.filter((sheet) => sheet.visible), ...workbook.sheets.filter((sheet) => !sheet.visible)]
  for (const sheet of visibleFirst) {
    const header = await firstFilledRow(workbook, sheet, reading)
    if (header) return { sheet, header }
  }
  throw new ImportFileProblem('This workbook is empty: none of its sheets has any data.')
}

function sameName(a: string, b: string): boolean {
  return a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase()
}

async function firstFilledRow(workbook: Workbook, sheet: Worksheet, reading: Reading): Promise<SheetRow | null> {
  for await (const row of sheetRows(workbook, sheet, reading)) {
    if (!isEmptyRow(row.cells)) return row
  }
  return null
}

/** Every row the sheet stores, in file order, converted; the stream is released when the caller stops. */
async function* sheetRows(workbook: Workbook, sheet: Worksheet, reading: Reading, progress?: ReadProgress): AsyncGenerator<SheetRow> {
  const part = workbook.zip.file(sheet.path)
  if (!part) throw new ImportFileProblem(`The workbook is damaged: the cells of the sheet “${sheet.name}” are missing.`)
  const opened = reading.open(part, progress)
  const source = opened.stream
  const damaged = `its sheet “${sheet.name}” is damaged`
  try {
    const [worksheet] = workbook.reader._parseWorksheet(source, '1')
    if (!worksheet) return
    const stalled = () => new ImportFileProblem(`This workbook could not be read: ${damaged} (the reader stopped making progress).`)
    let previous = 0
    let position = 0
    for await (const row of withIdleLimit(worksheet.value, IDLE_LIMIT_MS, stalled, () => source.destroy())) {
      // The row number is optional in the file format: a row without one follows the row before it.
      const line = Number.isInteger(row.number) && row.number > 0 ? row.number : previous + 1
      previous = line
      position += 1
      yield { line, cells: cellsOf(row, workbook.date1904), position }
    }
    // The XML reader does not notice a sheet cut off after a whole row; its closing tag is the proof it is all there.
    if (!/<\/(?:\w+:)?worksheet>\s*$/.test(opened.ending())) {
      throw new ImportFileProblem(`This workbook could not be read: ${damaged} (it ends before its last row).`)
    }
  } catch (error) {
    throw asWorkbookProblem(error, damaged)
  } finally {
    source.destroy()
  }
}

async function readPart<T>(damaged: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    throw asWorkbookProblem(error, damaged)
  }
}

function asWorkbookProblem(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error
  const reason = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 160) : String(error)
  return new ImportFileProblem(`This workbook could not be read: ${what} (${reason}).`)
}

function uncompressedSize(part: JSZip.JSZipObject | null): number {
  // JSZip keeps the size from the zip's directory on a field its typings leave out.
  const size = (part as unknown as { _data?: { uncompressedSize?: unknown } } | null)?._data?.uncompressedSize
  return typeof size === 'number' ? size : 0
}

/** A part of the zip being read: its bytes as a stream, and the last of them seen so far. */
interface OpenPart {
  stream: Readable
  ending(): string
}

/** The zip streams one step of reading has open, so that a stalled or abandoned step can release them all. */
class Reading {
  private readonly open_ = new Set<Readable>()

  /** A part's bytes, unzipped as they are read; counted into `progress` when given. Errors arrive on the returned stream. */
  open(part: JSZip.JSZipObject, progress?: ReadProgress): OpenPart {
    const source = part.nodeStream('nodebuffer') as unknown as Readable
    let ending = ''
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (progress) progress.done += chunk.length
        ending = (ending + chunk.subarray(-64).toString('latin1')).slice(-64)
        done(null, chunk)
      },
    })
    source.on('error', (error) => counted.destroy(error))
    source.pipe(counted)
    this.open_.add(counted)
    counted.on('close', () => this.open_.delete(counted))
    return { stream: counted, ending: () => ending }
  }

  stop(): void {
    for (const stream of this.open_) stream.destroy()
  }
}
