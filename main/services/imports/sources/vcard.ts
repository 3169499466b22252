import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import iconv from 'iconv-lite'
import VCard from 'vcf'
import type { TextEncoding } from './encoding'
import { ImportFileProblem, isEmptyRow, readFailure, type Cell, type OpenedSource, type ReadProgress, type SourceRow } from './source'
import { contactCells, VCARD_HEADERS, type ValueBytes } from './vcard-fields'

/*
 * vCard files (2.1, 3.0, 4.0), one row per contact, read card by card as a stream and parsed by vcf.
 *
 * `line` is the contact's number in the file (1, 2, …). A card vcf refuses (no VERSION, a version it does not know,
 * no END) is read property by property all the same; a card with nothing readable in it gives an empty row, which is
 * skipped like every empty row — the contacts after it keep their numbers. Cards nested in a card (2.1's AGENT) are
 * not contacts of their own and are left out.
 *
 * The file is read as bytes, one character per byte, so that each value can be decoded by the CHARSET it names (2.1)
 * and a multi-byte character split by line folding is whole again before decoding; UTF-16 files are decoded first.
 */

const BEGIN = /^\s*BEGIN\s*:\s*VCARD\s*$/i
const END = /^\s*END\s*:\s*VCARD\s*$/i
const AGENT = /^\s*(?:[\w-]+\.)?AGENT[;:]/i
const QUOTED_PRINTABLE_PROPERTY = /^[^:]*QUOTED-PRINTABLE[^:]*:/i

interface CardLines {
  number: number
  lines: string[]
}

export async function openVcard(file: string, size: number, encoding: TextEncoding): Promise<OpenedSource> {
  const bytes: ValueBytes = /^utf-16/i.test(encoding.name) ? { kind: 'text' } : { kind: 'bytes', fileEncoding: encoding }
  const streamEncoding = bytes.kind === 'bytes' ? 'latin1' : encoding.name
  const progress: ReadProgress = { done: 0, total: size }
  const versions = new Set<string>()
  let contacts = 0
  for await (const card of readCards(file, streamEncoding, { done: 0, total: size })) {
    contacts = card.number
    const version = card.lines.map((line) => /^VERSION\s*:\s*(\S+)/i.exec(line)?.[1]).find(Boolean)
    if (version) versions.add(version)
  }
  if (contacts === 0) throw new ImportFileProblem('This vCard file has no contacts.')
  const versionText = versions.size > 0 ? ` ${[...versions].sort().join(' and ')}` : ''

  async function* rows(): AsyncGenerator<SourceRow> {
    progress.done = 0
    try {
      for await (const card of readCards(file, streamEncoding, progress)) {
        const cells = cellsOfCard(card.lines, bytes)
        if (isEmptyRow(cells)) continue
        yield { line: card.number, cells }
      }
    } catch (error) {
      throw readFailure(error)
    }
    progress.done = progress.total
  }

  return {
    format: 'vcard',
    description: `vCard${versionText}, ${contacts} ${contacts === 1 ? 'contact' : 'contacts'}`,
    sheets: [],
    sheet: null,
    headers: [...VCARD_HEADERS],
    rows,
    readProgress: () => ({ ...progress }),
  }
}

function cellsOfCard(lines: string[], bytes: ValueBytes): Cell[] {
  const text = joinSoftLineBreaks(lines).join('\r\n')
  try {
    let card: { data: VCard.Properties; version: string }
    try {
      card = new VCard().parse(text)
    } catch {
      // What vcf refuses as a card it can still read line by line.
      const version = lines.map((line) => /^VERSION\s*:\s*(\d\.\d)/i.exec(line)?.[1]).find(Boolean) ?? '3.0'
      card = { data: VCard.parseLines(VCard.normalize(text).split('\r\n')), version }
    }
    return contactCells(card.data, card.version, bytes)
  } catch {
    // Nothing readable: an empty row, skipped like any other.
    return VCARD_HEADERS.map(() => null)
  }
}

/**
 * A quoted-printable value (2.1) that goes on past the end of a line ends the line with "=" and carries on at the
 * start of the next one, without the space that folding uses: joined here, as vcf only unfolds.
 */
function joinSoftLineBreaks(lines: string[]): string[] {
  const joined: string[] = []
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!
    if (QUOTED_PRINTABLE_PROPERTY.test(line)) {
      while (line.endsWith('=') && i + 1 < lines.length && !END.test(lines[i + 1]!)) line = line.slice(0, -1) + lines[++i]
    }
    joined.push(line)
  }
  if (!END.test(joined[joined.length - 1] ?? '')) joined.push('END:VCARD')
  return joined
}

/** The file's cards as lines, BEGIN and END included; a last card cut off before its END is still given. */
async function* readCards(file: string, streamEncoding: string, progress: ReadProgress): AsyncGenerator<CardLines> {
  const input = createReadStream(file, { highWaterMark: 64 * 1024 })
  input.on('data', (chunk) => {
    progress.done += chunk.length
  })
  const decoder = iconv.decodeStream(streamEncoding)
  // Settles once the file is read through; a read error is thrown after the lines, a stop before the end is no error.
  const reading = pipeline(input, decoder).then(
    () => null,
    (error: unknown) => error,
  )
  const lines = createInterface({ input: decoder, crlfDelay: Infinity })
  let depth = 0
  let number = 0
  let card: string[] = []
  try {
    let previous = ''
    for await (const line of lines) {
      if (BEGIN.test(line)) {
        // Inside a card, BEGIN opens a nested card only after AGENT:; otherwise the card before lacked its END.
        if (depth === 1 && !AGENT.test(previous)) {
          yield { number, lines: card }
          depth = 0
        }
        depth++
        if (depth === 1) {
          number++
          card = [line.trim()]
        }
      } else if (END.test(line) && depth > 0) {
        depth--
        if (depth === 0) {
          card.push(line.trim())
          yield { number, lines: card }
          card = []
        }
      } else if (depth === 1) card.push(line)
      previous = line
    }
  } finally {
    lines.close()
    input.destroy()
  }
  const failure = await reading
  if (failure) throw failure
  if (depth > 0 && card.length > 0) yield { number, lines: card }
}
