import { foldCharacter } from '../../../preload/contract/fold'
import { withoutEdgePunctuation } from '../../../preload/contract/text'

/**
 * Search-text helpers for the list: which parts of a value match what was
 * typed (accent- and case-insensitive, digits-only for phone numbers), and
 * whether a search looks like a phone number.
 */

export interface TextPart {
  text: string
  match: boolean
}

interface Folded {
  folded: string
  /** For each character of `folded`, its index in the original string. */
  origin: number[]
}

function fold(value: string, digitsOnly: boolean): Folded {
  let folded = ''
  const origin: number[] = []
  let index = 0
  for (const char of value) {
    const piece = digitsOnly ? (/\d/.test(char) ? char : '') : foldCharacter(char)
    for (let i = 0; i < piece.length; i++) origin.push(index)
    folded += piece
    index += char.length
  }
  return { folded, origin }
}

/** Two or more digits with phone punctuation only: match digit runs across spaces. */
function isDigitQuery(search: string): boolean {
  const value = search.trim()
  return /^\+?[\d\s().-]+$/.test(value) && (value.match(/\d/g)?.length ?? 0) >= 2
}

/**
 * The digits typed, and without their trunk zero: "07700 9001" is found in "+44 7700 900123" too (the
 * search knows a number in all its forms), and the digits after the zero are what that form shows.
 */
function digitNeedles(query: string): string[] {
  const digits = query.replace(/\D/g, '')
  const national = digits.replace(/^0+/, '')
  return national !== digits && national.length >= 2 ? [digits, national] : [digits]
}

/** Splits `value` into matching and non-matching runs for `search`. */
export function highlightParts(value: string, search: string): TextPart[] {
  const query = search.trim()
  if (!value || !query) return [{ text: value, match: false }]
  const digitsOnly = isDigitQuery(query)
  const { folded, origin } = fold(value, digitsOnly)
  const needles = digitsOnly
    ? digitNeedles(query)
    : query
        .split(/\s+/)
        .map((word) => fold(withoutEdgePunctuation(word), false).folded)
        .filter((word) => /[\p{L}\p{N}]/u.test(word))
        .filter((word) => word.length > 0)

  const marked = new Array<boolean>(value.length).fill(false)
  let any = false
  for (const needle of needles) {
    let from = 0
    for (;;) {
      const at = folded.indexOf(needle, from)
      if (at < 0) break
      // Words of one or two letters are searched as word starts (initials, short prefixes): mark only those.
      if (!digitsOnly && [...needle].length <= 2 && at > 0 && /[\p{L}\p{N}]/u.test(folded[at - 1]!)) {
        from = at + 1
        continue
      }
      const start = origin[at]!
      const endFolded = at + needle.length - 1
      const lastOrigin = origin[endFolded]!
      // Cover the whole original character: surrogate pairs and combining accents.
      let end = lastOrigin + ((value.codePointAt(lastOrigin) ?? 0) > 0xffff ? 2 : 1)
      while (end < value.length && /\p{M}/u.test(value[end]!)) end++
      for (let i = start; i < end; i++) marked[i] = true
      any = true
      from = at + Math.max(needle.length, 1)
    }
  }
  if (!any) return [{ text: value, match: false }]

  const parts: TextPart[] = []
  let current = ''
  let currentMatch = marked[0]!
  for (let i = 0; i < value.length; i++) {
    if (marked[i] !== currentMatch) {
      if (current) parts.push({ text: current, match: currentMatch })
      current = ''
      currentMatch = marked[i]!
    }
    current += value[i]
  }
  if (current) parts.push({ text: current, match: currentMatch })
  return parts
}
