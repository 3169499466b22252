import { isUtf8 } from 'node:buffer'
import { createReadStream } from 'node:fs'
import chardet from 'chardet'
import iconv from 'iconv-lite'

/** How a text file's bytes become characters. */
export interface TextEncoding {
  /** The name iconv-lite decodes with. */
  name: string
  /** The name the desk reads, e.g. "UTF-8" or "Windows-1252". */
  label: string
}

export const UTF8: TextEncoding = { name: 'utf8', label: 'UTF-8' }
const UTF16LE: TextEncoding = { name: 'utf-16le', label: 'UTF-16' }
const UTF16BE: TextEncoding = { name: 'utf-16be', label: 'UTF-16 (big-endian)' }
/** What Excel on Windows writes for "CSV": a superset of ISO-8859-1 (it adds €, Œ, Š, curly quotes…). */
export const WINDOWS_1252: TextEncoding = { name: 'windows-1252', label: 'Windows-1252' }

/** How much of a file is looked at to guess its encoding and its kind. */
export const SAMPLE_BYTES = 64 * 1024

/**
 * The encoding of a text file: its byte-order mark if it has one; UTF-16 when every other byte is zero; UTF-8 when the
 * whole file is valid UTF-8 (plain ASCII is); otherwise chardet's guess from `sample`, where anything ISO-8859-1-like
 * (or a guess iconv-lite cannot decode) is read as Windows-1252, and a weak guess yields to an East Asian encoding
 * that reads the sample cleanly.
 */
export async function detectTextEncoding(file: string, sample: Buffer): Promise<TextEncoding> {
  const fromBom = encodingOfBom(sample)
  if (fromBom) return fromBom
  const wide = utf16WithoutBom(sample)
  if (wide) return wide
  if (await isWholeFileUtf8(file)) return UTF8
  return guessSingleByteEncoding(sample)
}

/** Text from bytes of a known encoding, without its byte-order mark. */
export function decodeText(bytes: Buffer, encoding: TextEncoding): string {
  return iconv.decode(bytes, encoding.name)
}

/** Decodes a vCard value's bytes by the CHARSET it names, or by `fallback` when it names none or one iconv-lite does not know. */
export function decodeWithCharset(bytes: Buffer, charset: string | undefined, fallback: TextEncoding): string {
  const name = charset?.trim().toLowerCase()
  if (!name || !iconv.encodingExists(name)) return iconv.decode(bytes, fallback.name)
  return iconv.decode(bytes, isLatin1Like(name) ? WINDOWS_1252.name : name)
}

/** Whether an encoding name is ISO-8859-1 or one of its near twins, all best read as Windows-1252. */
function isLatin1Like(name: string): boolean {
  return /^(iso-?8859-(1|15)|latin-?1|l1|cp1252|windows-1252|us-ascii|ascii)$/i.test(name)
}

function encodingOfBom(sample: Buffer): TextEncoding | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return UTF8
  if (sample[0] === 0xff && sample[1] === 0xfe) return UTF16LE
  if (sample[0] === 0xfe && sample[1] === 0xff) return UTF16BE
  return null
}

/** UTF-16 text without a mark: Latin-script text then has a zero in nearly every other byte, on the same side. */
function utf16WithoutBom(sample: Buffer): TextEncoding | null {
  const pairs = Math.floor(sample.length / 2)
  if (pairs < 2) return null
  let zeroEven = 0
  let zeroOdd = 0
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) zeroEven++
    if (sample[i + 1] === 0) zeroOdd++
  }
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.02) return UTF16LE
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.02) return UTF16BE
  return null
}

/** Reads the whole file: one byte that is not UTF-8 on line 900,000 would otherwise turn every accent before it into garbage. */
async function isWholeFileUtf8(file: string): Promise<boolean> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 })
  let carried: Buffer = Buffer.alloc(0)
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes = carried.length > 0 ? Buffer.concat([carried, chunk]) : chunk
      const whole = lengthOfWholeCharacters(bytes)
      if (!isUtf8(bytes.subarray(0, whole))) return false
      carried = Buffer.from(bytes.subarray(whole))
    }
    return carried.length === 0
  } finally {
    stream.destroy()
  }
}

/** How many bytes of `bytes` end on a character boundary, so that a character split between two chunks is checked whole. */
function lengthOfWholeCharacters(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!
    if ((byte & 0xc0) === 0x80) continue // a continuation byte: the character started further back
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return size > back ? bytes.length - back : bytes.length
  }
  return bytes.length
}

/**
 * A legacy encoding for a file that is not UTF-8. chardet's guesses for a short Western file are weak and wander
 * (a few Italian rows: Baltic first, Central European beside Western); Windows-1252, what Excel on Western Windows
 * writes, is taken unless a guess is confident or the bytes read as East Asian text.
 */
function guessSingleByteEncoding(sample: Buffer): TextEncoding {
  const guesses = chardet.analyse(sample)
  const best = guesses[0]
  const name = best?.name
  const weak = !name || best.confidence < CONFIDENT
  if (weak || isLatin1Like(name)) {
    // A short Japanese, Chinese or Korean file gives chardet too little to go on, and it falls back to a weak Western
    // guess: an East Asian encoding that turns the sample into East Asian text without a single bad byte wins.
    const eastAsian = guesses.find((guess) => EAST_ASIAN.includes(guess.name) && readsAsEastAsianText(iconv.decode(sample, guess.name)))
    if (eastAsian) return { name: eastAsian.name, label: eastAsian.name }
  }
  if (weak || isLatin1Like(name) || /^utf/i.test(name) || !iconv.encodingExists(name)) return WINDOWS_1252
  return { name, label: name.replace(/^windows/i, 'Windows') }
}

/** chardet's confidence (0–100) from which its guess of another legacy encoding is taken. */
const CONFIDENT = 50

const EAST_ASIAN = ['Shift_JIS', 'EUC-JP', 'GB18030', 'Big5', 'EUC-KR']

/**
 * Whether decoded bytes read as East Asian text: nothing undecodable, its other characters East Asian, and most of
 * those in runs. Western text read as Shift_JIS also gives East Asian characters ("João" → "Jo縊", "Évora" → "ﾉvora"),
 * but one for each accented letter, alone among Latin ones; names and addresses in Japanese, Chinese or Korean are
 * written in runs of them.
 */
function readsAsEastAsianText(text: string): boolean {
  // The sample may end inside a character: its last one is not judged.
  const judged = text.slice(0, -1)
  if (judged.includes('\ufffd')) return false
  const notAscii = judged.match(/[^\t\n\r\x20-\x7e]/g) ?? []
  const eastAsian = judged.match(EAST_ASIAN_CHARACTER) ?? []
  const inRuns = (judged.match(EAST_ASIAN_RUN) ?? []).reduce((n, run) => n + [...run].length, 0)
  return notAscii.length > 0 && eastAsian.length >= notAscii.length * 0.8 && inRuns >= eastAsian.length * 0.6
}

const EAST_ASIAN_CHARACTER = /[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]/g
const EAST_ASIAN_RUN = /[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]{2,}/g
