import ASCIIFolder from 'fold-to-ascii'

/*
 * How text is compared when searching, the same on every side: the search
 * index's documents, what is typed into the search box, the name a one-letter
 * search and the list's sort read, and the highlight of matches on screen.
 *
 * - Compatibility decomposition, then every combining mark dropped: "Zoë" → "zoe",
 *   "ﬁ" → "fi", Arabic and Hebrew vowel marks go too.
 * - Letters Unicode does not decompose, from Lucene's ASCII folding table (the
 *   one search engines use): "Łukasz" → "lukasz", "Ørsted" → "orsted",
 *   "Đorđe" → "dorde", "Strauß" → "strauss", "Æsir" → "aesir", "Þór" → "thor".
 *   Greek, Cyrillic and other scripts stay in their own letters.
 * - Lower case; apostrophes dropped, so "O'Brien" is found by "obrien" and by "o'b";
 *   invisible formatting characters (joiners, bidi marks) dropped.
 */

const APOSTROPHES = /['’ʼ`´‘]/gu
// Private-use too: no name holds one, and the search indexes mark initials with one that no search may reach.
const INVISIBLE = /[\p{Cf}\p{Co}]/gu
const MARKS = /\p{M}/gu
const PLAIN_ASCII = /^[\x20-\x26\x28-\x5f\x61-\x7e]*$/

/** One character's folded form ('' when it folds away). */
export function foldCharacter(char: string): string {
  // The list highlights every cell on screen character by character: plain ASCII needs only its case.
  if (char.length === 1 && PLAIN_ASCII.test(char)) return char.toLowerCase()
  // As the indexes compare words: a final sigma is a sigma (see foldForMatching).
  return ASCIIFolder.foldMaintaining(char.normalize('NFKD').replace(MARKS, '')).toLowerCase().replace(APOSTROPHES, '').replace(INVISIBLE, '').replace(FINAL_SIGMA, 'σ')
}

/**
 * foldForSearch with a word's final sigma as sigma (ς → σ), as the search indexes compare words (SQLite's full-text
 * tokenizers, the server's documents): what a search is planned and a row tested with, so both find what the index does.
 */
export function foldForMatching(value: string): string {
  const folded = foldForSearch(value)
  return folded.includes('ς') ? folded.replace(FINAL_SIGMA, 'σ') : folded
}

const FINAL_SIGMA = /ς/g

export function foldForSearch(value: string): string {
  // Most names and emails are plain ASCII: only the case and apostrophes change.
  if (PLAIN_ASCII.test(value)) return value.toLowerCase()
  return ASCIIFolder.foldMaintaining(value.normalize('NFKD').replace(MARKS, '')).toLowerCase().replace(APOSTROPHES, '').replace(INVISIBLE, '')
}
