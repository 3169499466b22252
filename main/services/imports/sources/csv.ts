import { createReadStream } from 'node:fs'
import { pipeline, Transform } from 'node:stream'
import iconv from 'iconv-lite'
import Papa from 'papaparse'
import type { TextEncoding } from './encoding'
import { headerTexts, ImportFileProblem, readFailure, shapeRow, type Cell, type OpenedSource, type ReadProgress, type SourceRow } from './source'

/*
 * CSV, TSV and their cousins, read by papaparse as a stream: every cell stays the text the file holds ("02134" stays
 * "02134", "1e5" stays "1e5"); an empty cell is null.
 *
 * `line` is the physical line on which a record starts, counted the way a text editor counts: blank lines count, and
 * a record whose quoted cell holds two line breaks moves the next record three lines down. A spreadsheet program shows
 * the same number when no cell holds a line break.
 */

const DELIMITERS = [',', ';', '\t', '|']
const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }

interface CsvLayout {
  delimiter: string
  newline: '\r\n' | '\n' | '\r'
  /** Excel's "sep=;" first line, which names the delimiter and is not part of the table. */
  hasSeparatorLine: boolean
}

/** Opens a text file as a table. `sample` is the decoded start of the file, enough to guess its delimiter. */
export async function openCsv(file: string, size: number, encoding: TextEncoding, sample: string): Promise<OpenedSource> {
  const layout = guessLayout(sample)
  const progress: ReadProgress = { done: 0, total: size }
  const header = await firstRecord(file, encoding, layout)
  if (!header) throw new ImportFileProblem('This file has no data: every line in it is blank.')
  const headers = headerTexts(header.cells)
  const headerLine = header.line
  const width = headers.length
  const separated = width === 1 ? 'one column' : `${DELIMITER_NAMES[layout.delimiter]}-separated`

  // One loop over batches of papaparse's records, without generators in between: at a million rows each layer costs.
  async function* rows(): AsyncGenerator<SourceRow> {
    progress.done = 0
    let line = 1
    try {
      for await (const batch of parseRecords(file, encoding, layout, progress)) {
        for (const record of batch) {
          const start = line
          const cells = readRecord(record)
          line += 1 + scan.lineBreaks
          if (start > headerLine && cells) yield { line: start, cells: shapeRow(cells, width) }
        }
      }
    } catch (error) {
      throw readFailure(error)
    }
    progress.done = progress.total
  }

  return {
    format: 'csv',
    description: `CSV, ${separated}, ${encoding.label}`,
    sheets: [],
    sheet: null,
    headers,
    rows,
    readProgress: () => ({ ...progress }),
  }
}

/** The delimiter by papaparse's guess over the first lines (blank lines left out of the guess), unless a "sep=" line names it. */
function guessLayout(sample: string): CsvLayout {
  const separatorLine = /^sep=([^\r\n])(\r\n|\r|\n|$)/i.exec(sample)
  const table = separatorLine ? sample.slice(separatorLine[0].length) : sample
  const guess = Papa.parse<string[]>(table, {
    preview: 50,
    skipEmptyLines: 'greedy',
    delimiter: separatorLine?.[1] ?? '',
    delimitersToGuess: DELIMITERS,
  })
  const newline = guess.meta.linebreak === '\r\n' || guess.meta.linebreak === '\r' ? guess.meta.linebreak : '\n'
  return { delimiter: guess.meta.delimiter || ',', newline, hasSeparatorLine: separatorLine !== null }
}

async function firstRecord(file: string, encoding: TextEncoding, layout: CsvLayout): Promise<{ line: number; cells: Cell[] } | null> {
  let line = 1
  for await (const batch of parseRecords(file, encoding, layout, { done: 0, total: 0 })) {
    for (const record of batch) {
      const start = line
      const cells = readRecord(record)
      line += 1 + scan.lineBreaks
      if (cells && !(start === 1 && layout.hasSeparatorLine)) return { line: start, cells }
    }
  }
  return null
}

/** How many records papaparse hands on at once: one stream event per record would cost more than the parsing. */
const BATCH = 1000

/** The file's records in batches, blank ones included (so that line numbers stay right). */
function parseRecords(file: string, encoding: TextEncoding, layout: CsvLayout, progress: ReadProgress): AsyncIterable<string[][]> {
  const input = createReadStream(file, { highWaterMark: 64 * 1024 })
  input.on('data', (chunk) => {
    progress.done += chunk.length
  })
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: layout.delimiter, newline: layout.newline, skipEmptyLines: false })
  let batch: string[][] = []
  const batches = new Transform({
    objectMode: true,
    // Taking records in as fast as papaparse gives them keeps it from pausing after each one.
    writableHighWaterMark: BATCH,
    readableHighWaterMark: 2,
    transform(record: string[], _encoding, done) {
      batch.push(record)
      if (batch.length < BATCH) return done()
      const full = batch
      batch = []
      done(null, full)
    },
    flush(done) {
      done(null, batch.length > 0 ? batch : undefined)
    },
  })
  // A failure anywhere in the chain destroys the last stream with it, so the caller's loop throws it; the callback
  // only has to exist (stopping early reports a premature close, which is no failure).
  pipeline(input, iconv.decodeStream(encoding.name), parser, batches, () => {})
  return batches
}

/** What {@link readRecord} found besides the cells: kept in one place rather than allocated per record. */
const scan = { lineBreaks: 0 }

const LINE_BREAK_OR_NOT_ASCII = /[\r\n\u0080-\uffff]/
const APOSTROPHE = 0x27
/** A cell neutralised by an export (exports/neutralise.ts): apostrophes before a formula's first character, the first of them added. */
const NEUTRALISED = /^'+[=+\-@\t\r]/
const LINE_BREAKS = /\r\n|\r|\n/g

/**
 * A record's cells: NFC, '' as null, written over the record itself (a million rows make no second array each);
 * null when every cell is blank. Counts the line breaks inside its cells into `scan.lineBreaks`.
 */
function readRecord(record: string[]): Cell[] | null {
  const cells: Cell[] = record
  let filled = false
  scan.lineBreaks = 0
  for (let i = 0; i < record.length; i++) {
    const text = record[i]!
    if (text === '') {
      cells[i] = null
      continue
    }
    if (!filled && (text.charCodeAt(0) > 0x20 || text.trim() !== '')) filled = true
    // The apostrophe an export puts before a value a spreadsheet would run as a formula is not part of it.
    const value = text.charCodeAt(0) === APOSTROPHE && NEUTRALISED.test(text) ? text.slice(1) : text
    if (LINE_BREAK_OR_NOT_ASCII.test(value)) {
      scan.lineBreaks += value.match(LINE_BREAKS)?.length ?? 0
      cells[i] = value.normalize('NFC')
    } else cells[i] = value
  }
  return filled ? cells : null
}
