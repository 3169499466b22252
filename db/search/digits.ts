/*
 * The digit index: every run of five or more digits in a customer's search
 * document (phones in all their forms, the customer number, digits in an
 * email, a company or a postcode, and digits written in groups in a name or
 * company, joined) written as its overlapping five-digit pieces, one word
 * each. A run of digits typed into the search box is then found as a phrase
 * of its pieces: FTS5 walks only the rarest piece's short list, where the
 * trigram index walks lists a quarter of the address book long ("020",
 * "207", … are in every London number).
 */

/** Digits in a row before the digit index answers (shorter runs go to the trigram index). */
export const DIGIT_PIECE = 5

/** Between runs: a word no piece can be, so a phrase never spans two runs. */
const RUN_BREAK = 'x'

/** The digit index's document for a text: its runs of DIGIT_PIECE or more digits, in pieces. */
export function digitPieces(text: string): string {
  const runs = text.match(new RegExp(`\\d{${DIGIT_PIECE},}`, 'g')) ?? []
  return runs.map(piecesOf).join(` ${RUN_BREAK} `)
}

/** A run of digits as its overlapping pieces: "0207946" → "02079 20794 07946". */
export function piecesOf(run: string): string {
  const pieces: string[] = []
  for (let i = 0; i + DIGIT_PIECE <= run.length; i++) pieces.push(run.slice(i, i + DIGIT_PIECE))
  return pieces.join(' ')
}

/** Digits in groups, one separator apart: "118 118", "0800-123-456", "20.20.20". */
const GROUPED_DIGITS = /\d+(?:[\s().\-/+]\d+)+/g

/**
 * The runs a record's own texts (name, email, company) hold as groups of digits, each joined into one
 * run ("118 118 Money" → "118118"), as the search box joins digits typed so. Runs shorter than a piece
 * are left out: the text indexes hold those (joinedDigitGroups).
 */
export function groupedDigitRuns(recordText: string): string {
  return joinedGroups(recordText).filter((run) => run.length >= DIGIT_PIECE).join(' ')
}

/**
 * Every run a record's own texts hold as groups of digits, of three digits or more, joined ("20 20
 * Vision" → "2020", "118 118 Money" → "118118"), each after a space: the text indexes hold them beside
 * the phones' digits, where three or four digits typed are looked for ("2020", "8118").
 */
export function joinedDigitGroups(recordText: string): string {
  return joinedGroups(recordText)
    .filter((run) => run.length >= 3)
    .map((run) => ` ${run}`)
    .join('')
}

function joinedGroups(recordText: string): string[] {
  return [...recordText.matchAll(GROUPED_DIGITS)].map(([grouped]) => grouped.replace(/\D/g, ''))
}

/**
 * The text a customer's digit runs are taken from: the record's own texts with their grouped digits
 * joined, the postcodes, the customer number and the phones' digits. One for the server's documents
 * and the row-by-row matcher alike (SQLite builds the same text in SQL: db/dialects/sqlite.ts).
 */
export function digitSourceText(recordText: string, postcodes: string, customerId: number, phoneDigits: string): string {
  return [recordText, groupedDigitRuns(recordText), postcodes, String(customerId).padStart(6, '0'), phoneDigits].join(' ')
}
