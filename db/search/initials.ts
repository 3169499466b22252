/*
 * The initials index: the first character of every word of a customer's
 * name and company, one word each ("Mary-Jane O'Brien, Acme Ltd" → "m j o a l").
 * A search of single letters ("a", "j s") is then an exact-word look-up,
 * where a one-letter prefix search of the word index would merge the lists of
 * every word starting with that letter (a tenth of the index for "a").
 */

/** What the full-text index counts as a word: letters, digits and private-use characters (FTS5 unicode61's token characters). */
export const WORD = /[\p{L}\p{N}\p{Co}]+/gu

/** The initials document of an already folded text. */
export function initialsOf(folded: string): string {
  const words = folded.match(WORD) ?? []
  return words.map((word) => String.fromCodePoint(word.codePointAt(0)!)).join(' ')
}
