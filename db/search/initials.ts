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

/** Two initials as the initials index holds them together: one word, in string order ("s", "j" → "js"; "j", "j" → "jj"). */
export function initialPair(a: string, b: string): string {
  return a < b ? a + b : b + a
}

/** The initials that come twice or more ("Jane Jones": j), once each: "j j" asks for two of them. */
export function doubledInitials(initials: readonly string[]): string[] {
  const seen = new Set<string>()
  const doubled = new Set<string>()
  for (const initial of initials) (seen.has(initial) ? doubled : seen).add(initial)
  return [...doubled]
}

/**
 * The initials index's document: the initials, then every two different ones as one word
 * ("Mary-Jane O'Brien" → "m j o jm mo jo"), and an initial that comes twice as itself doubled
 * ("Jane Jones" → "j j jj"). "j s" and "j j" are then one list each, as long as the customers
 * with both, where the lists of "j" and "s" are each a good share of the book.
 */
export function initialsWithPairsOf(folded: string): string {
  const initials = initialsOf(folded)
  if (!initials) return ''
  const all = initials.split(' ')
  const letters = [...new Set(all)]
  const pairs: string[] = []
  for (let i = 0; i < letters.length; i++) for (let j = i + 1; j < letters.length; j++) pairs.push(initialPair(letters[i]!, letters[j]!))
  for (const doubled of doubledInitials(all)) pairs.push(initialPair(doubled, doubled))
  return pairs.length ? `${initials} ${pairs.join(' ')}` : initials
}

/**
 * The words of the initials index that answer these typed initials (at most two of each): every doubled
 * one as its pair, and the first two different ones as their pair with any others alone, or one alone
 * when it is not doubled already ("j" → j; "j s" → js; "j j" → jj; "j j s" → jj js).
 */
export function initialsIndexWords(initials: readonly string[]): string[] {
  const doubled = doubledInitials(initials)
  const [first, second, ...rest] = [...new Set(initials)]
  const words = doubled.map((initial) => initialPair(initial, initial))
  if (second !== undefined) words.push(initialPair(first!, second), ...rest)
  else if (first !== undefined && !doubled.length) words.push(first)
  return words
}

/**
 * A private-use character around each initial: "s" becomes one token of its own in the text indexes
 * (a word to unicode61, a trigram to the trigram index), found by no other search because the
 * search box's folding strips such characters from both documents and searches.
 */
export const INITIAL_MARK = '\ue000'

/** An initial as the text indexes hold it (see INITIAL_MARK). */
export function markedInitial(initial: string): string {
  return `${INITIAL_MARK}${initial}${INITIAL_MARK}`
}

/** The marked initials of an already folded text, for the text indexes' initials column. */
export function markedInitialsOf(folded: string): string {
  const initials = initialsOf(folded)
  return initials ? initials.split(' ').map(markedInitial).join(' ') : ''
}

/**
 * The word index's document: the first two characters of every word of the folded texts (a marked
 * initial whole). That index answers only one- and two-character word starts ("jo", "7") and marked
 * initials; longer words are the trigram index's. Holding the starts alone, it is a few hundred short
 * words with long lists, where every whole word of a million customers made millions of words.
 */
export function wordStartsOf(...folded: unknown[]): string {
  const starts: string[] = []
  for (const text of folded) {
    if (typeof text !== 'string') continue
    for (const word of text.match(WORD) ?? []) {
      if (word.startsWith(INITIAL_MARK)) starts.push(word)
      else {
        // Two code points (a character beyond the first plane is two UTF-16 units).
        const second = word.codePointAt(0)! > 0xffff ? 2 : 1
        starts.push(word.slice(0, second + ((word.codePointAt(second) ?? 0) > 0xffff ? 2 : 1)))
      }
    }
  }
  return starts.join(' ')
}
