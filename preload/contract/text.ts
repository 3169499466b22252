/*
 * What may be typed at the desk: the rules for names, free text and searches,
 * shared by the contract's schemas, the services and the database layer. No
 * imports, so the renderer, main and db can all load it.
 */

const hex = (point: number) => `U+${point.toString(16).toUpperCase().padStart(4, '0')}`

const CONTROL_NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'tab',
  0x0a: 'line break',
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0x85: 'next line',
}

const FORMAT_NAMES: Record<number, string> = {
  0x00ad: 'soft hyphen',
  0x061c: 'Arabic letter mark',
  0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2061: 'function application',
  0x2062: 'invisible times',
  0x2063: 'invisible separator',
  0x2064: 'invisible plus',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'byte order mark',
}

/** A refused character in words, e.g. "a hidden formatting character (U+202E right-to-left override)". */
export function describeCharacter(char: string): string {
  const point = char.codePointAt(0) ?? 0
  if (/\p{Cc}/u.test(char)) return `a control character (${CONTROL_NAMES[point] ?? hex(point)})`
  if (/\p{Cf}/u.test(char)) return `a hidden formatting character (${[hex(point), FORMAT_NAMES[point]].filter(Boolean).join(' ')})`
  if (/\p{Zl}/u.test(char)) return `a line separator (${hex(point)})`
  if (/\p{Zp}/u.test(char)) return `a paragraph separator (${hex(point)})`
  if (/\p{Cs}/u.test(char)) return `a broken character (${hex(point)}, half of a pair)`
  if (/\p{Co}/u.test(char)) return `a private-use character (${hex(point)})`
  if (/\p{Cn}/u.test(char)) return `an unassigned character (${hex(point)})`
  if (/[\p{Default_Ignorable_Code_Point}\u2800]/u.test(char)) return `an invisible character (${hex(point)})`
  return `the character ${hex(point)}`
}

/** The field message for a refused character: invisible ones are usually pasted by accident. */
export function refusedCharacterMessage(description: string): string {
  return `This contains ${description}: delete it or retype the text.`
}

/** Same wording as the payment-method form, wherever a card number is refused. */
export const CARD_NUMBER_MESSAGE = 'Never enter a full card number: only the last four digits.'

/* ── Searches ───────────────────────────────────────────────────────────── */

/**
 * A search without control and invisible formatting characters (zero-width
 * spaces and joiners, bidi controls, byte order mark, soft hyphen, line and
 * paragraph separators, broken surrogate halves) or private-use characters (no
 * text a search finds holds one, and the search indexes mark initials with
 * one, which no search may reach). Tabs and line breaks become spaces so
 * pasted words stay apart. A search is cleaned, never refused.
 */
export function stripInvisible(value: string): string {
  return value.replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ').replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/gu, '')
}

/**
 * A searched word without the punctuation that only ends or opens it as typed ("Smith, Anna", "(Anna)"): dots, @,
 * hyphens and the like stay (an email, a double-barrelled name).
 */
export function withoutEdgePunctuation(word: string): string {
  return word.replace(EDGE_PUNCTUATION, '')
}

const EDGE_PUNCTUATION = /^[([{"«“‘]+|[,;:!?)\]}"»”’]+$/gu

/* ── Names ──────────────────────────────────────────────────────────────── */

/** White space trimmed at both ends, inner runs of Unicode spaces collapsed to one ordinary space. */
export function collapseSpaces(value: string): string {
  return value.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '').replace(/\p{Zs}+/gu, ' ')
}

/**
 * Characters a name may not hold: control and formatting ones, separators, private-use, unassigned and broken ones,
 * every character Unicode says to draw as nothing (default-ignorable: fillers, joiners, selectors), and the blanks
 * drawn as nothing but not so marked (the braille blank).
 */
const REFUSED_IN_NAMES = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}\u2800]/u
/** Variation selectors choose how the character before them is drawn (❤️, Mongolian letters): allowed after one. */
const VARIATION_SELECTOR = /^[\uFE00-\uFE0F\u180B-\u180D\u180F\u{E0100}-\u{E01EF}]$/u
const DRAWN = /^[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{C}]$/u
const ZWNJ = 0x200c
const ZWJ = 0x200d
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u
const EMOJI_BEFORE_JOINER = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u
const BLACK_FLAG = 0x1f3f4
const CANCEL_TAG = 0xe007f
const isTag = (point: number | undefined) => point !== undefined && point >= 0xe0020 && point <= 0xe007e

/**
 * Persian, Indic and other scripts need a zero-width (non-)joiner between two
 * letters, and emoji such as a family are joined by a ZWJ: allowed there only.
 */
function isJoinerInPlace(chars: string[], points: number[], i: number): boolean {
  if (points[i] !== ZWNJ && points[i] !== ZWJ) return false
  const before = chars[i - 1]
  const after = chars[i + 1]
  if (before === undefined || after === undefined) return false
  if (LETTER_OR_MARK.test(before) && LETTER_OR_MARK.test(after)) return true
  return points[i] === ZWJ && EMOJI_BEFORE_JOINER.test(before) && PICTOGRAPHIC.test(after)
}

/** Subdivision flags (Scotland, Wales) are a black flag followed by invisible tag characters. */
function isInFlagTags(points: number[], i: number): boolean {
  let end = i
  while (isTag(points[end])) end++
  if (points[end] !== CANCEL_TAG) return false
  let start = end
  while (isTag(points[start - 1])) start--
  return start < end && points[start - 1] === BLACK_FLAG
}

/**
 * The first character a name may not hold, in words, or null: control and
 * invisible formatting characters, line and paragraph separators, private-use,
 * unassigned and broken characters. Joiners are allowed where a script or an
 * emoji needs them.
 */
export function findRefusedNameCharacter(value: string): string | null {
  if (!REFUSED_IN_NAMES.test(value)) return null
  const chars = [...value]
  const points = chars.map((char) => char.codePointAt(0) ?? 0)
  for (let i = 0; i < chars.length; i++) {
    if (!REFUSED_IN_NAMES.test(chars[i]!)) continue
    if (isJoinerInPlace(chars, points, i) || isInFlagTags(points, i)) continue
    if (VARIATION_SELECTOR.test(chars[i]!) && i > 0 && DRAWN.test(chars[i - 1]!)) continue
    return describeCharacter(chars[i]!)
  }
  return null
}

/** Why a name, email or phone number is refused for one of its characters, or null. */
export function hiddenCharacterProblem(value: string): string | null {
  const refused = findRefusedNameCharacter(value)
  return refused ? refusedCharacterMessage(refused) : null
}

/** Why a name (customer, company, tag, group, label…) is refused, or null. */
export function nameProblem(value: string): string | null {
  return hiddenCharacterProblem(value) ?? (containsCardNumber(value) ? CARD_NUMBER_MESSAGE : null)
}

/* ── Free text ──────────────────────────────────────────────────────────── */

/** Free text as stored: NFC, with Windows and old Mac line ends as plain line breaks. */
export function normalizeFreeText(value: string): string {
  return value.normalize('NFC').replace(/\r\n?/g, '\n')
}

/**
 * Control characters other than line break and tab, broken characters, and the
 * bidi embeddings, overrides and isolates that can make text read differently
 * from what is stored.
 */
const REFUSED_IN_FREE_TEXT = /(?![\n\t])[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u

/** Why free text (a note, reason, reference…) is refused, or null. Expects `normalizeFreeText`'s output. */
export function freeTextProblem(value: string): string | null {
  const refused = REFUSED_IN_FREE_TEXT.exec(value)
  if (refused) return refusedCharacterMessage(describeCharacter(refused[0]))
  return containsCardNumber(value) ? CARD_NUMBER_MESSAGE : null
}

/* ── Card numbers ───────────────────────────────────────────────────────── */

/** The Luhn checksum every real card number passes. `digits` holds digits only. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

/** Digits joined by spaces, or by a dash with spaces about it ("4111 - 1111"); anything else ends the run. */
const DIGIT_RUN = /\d+(?:(?:\p{Zs}*\p{Pd}\p{Zs}*|\p{Zs}+)\d+)*/gu
const SEPARATOR = /\p{Zs}*\p{Pd}\p{Zs}*|\p{Zs}+/u
/** Invisible characters typed or pasted between digits (zero-width spaces, soft hyphens): they hide no digit. */
const INVISIBLE_IN_DIGITS = /\p{Cf}/gu
/** How cards are printed: 4-4-4-4, 4-6-5 (American Express), 4-4-4-4-3. */
const CARD_LAYOUTS = [
  [4, 4, 4, 4],
  [4, 6, 5],
  [4, 4, 4, 4, 3],
]

/** ASCII and full-width digits (what a Japanese or Chinese keyboard types): NFKC makes the second the first. */
function digitCount(text: string): number {
  let digits = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if ((code >= 48 && code <= 57) || (code >= 0xff10 && code <= 0xff19)) digits++
  }
  return digits
}

/** Card numbers never start with 0 (that is a phone number's trunk or international prefix). */
const isCardNumber = (digits: string) => digits.length >= 13 && digits.length <= 19 && digits[0] !== '0' && passesLuhn(digits)

/** A card typed as one block, or in its printed groups, at the edge of a longer run (an expiry or code typed after it). */
function holdsCardGroups(groups: string[]): boolean {
  if (groups.some(isCardNumber)) return true
  return CARD_LAYOUTS.some((layout) => {
    if (groups.length <= layout.length) return false
    const fits = (part: string[]) => part.every((group, i) => group.length === layout[i])
    const head = groups.slice(0, layout.length)
    const tail = groups.slice(-layout.length)
    return (fits(head) && isCardNumber(head.join(''))) || (fits(tail) && isCardNumber(tail.join('')))
  })
}

/**
 * True when the text holds a full card number: a run of 13–19 digits, spaces
 * or dashes allowed between them, passing the Luhn check, however its digits
 * were typed (full-width) and whatever invisible characters lie between them.
 * A run after "+" is an international phone number; dates and longer
 * references are runs of another length.
 */
export function containsCardNumber(raw: string): boolean {
  // Most text (every name of a large import) has too few digits to hold one: no run to look at.
  if (digitCount(raw) < 13) return false
  const text = raw.normalize('NFKC').replace(INVISIBLE_IN_DIGITS, '')
  for (const match of text.matchAll(DIGIT_RUN)) {
    if (text[match.index - 1] === '+') continue
    const groups = match[0].split(SEPARATOR)
    if (isCardNumber(groups.join(''))) return true
    if (groups.length > 1 && holdsCardGroups(groups)) return true
  }
  return false
}

/** A booking's or receipt's number as typed: B-000123, b123, R-000042, r42 (the prefix captured), or bare digits. */
const BOOKING_NUMBER = /^([bBrR][-\s]?)?\d{1,9}$/

/** B-000123, b123, R-000042, r42 or bare digits: a search that might name a booking or a receipt. */
export function looksLikeBookingNumber(search: string): boolean {
  return BOOKING_NUMBER.test(search.trim())
}

/** Typed with its B- or R- prefix: it can only be a booking or a receipt, never a customer's digits. */
export function isPrefixedBookingNumber(search: string): boolean {
  return BOOKING_NUMBER.exec(search.trim())?.[1] !== undefined
}

/** A search the desk means as a caller's number: at least six digits and nothing but phone punctuation. */
export function looksLikePhone(search: string): boolean {
  const value = search.trim()
  if (!/^\+?[\d\s().-]+$/.test(value)) return false
  return (value.match(/\d/g)?.length ?? 0) >= 6
}
