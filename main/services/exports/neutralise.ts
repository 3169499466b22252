/**
 * Keeps a spreadsheet from running a CSV cell as a formula ("CSV injection").
 *
 * Excel, LibreOffice and Google Sheets read a CSV cell that starts with `=`,
 * `+`, `-` or `@` as a formula (a tab or carriage return in front is skipped
 * first), so a customer named `=HYPERLINK("http://…")` or `@SUM(…)` would run
 * when the file is opened. Such a cell gets a leading apostrophe, as OWASP
 * advises: spreadsheets then show the text as it is.
 *
 * Phone numbers in international form are the exception the desk needs:
 * "+44 7700 900123" must stay readable and dialable. A cell that is a `+`
 * followed by nothing but digits and spaces (several such numbers "; "-joined,
 * the later ones perhaps without their +) is left alone: with no letters it
 * names no function, and with no operator after the first it computes nothing.
 * Hyphens and brackets are operators to a spreadsheet ("+1-202-555-0143"
 * would show as -899), so a number written with them is neutralised, as are
 * "-2+3", "+SUM(A1)" and "+44 7700 900123 ext 12". A lone "-" stays.
 *
 * A value that really starts with apostrophes before one of those characters
 * gets one more: the import takes one leading apostrophe off such a CSV cell,
 * so the value comes back as it was.
 *
 * Only text is neutralised: numbers and dates the export writes itself (a
 * negative balance, a date) are never touched. The Excel export needs none of
 * this — its cells are typed strings, never formulas (see xlsx.ts).
 */
export function neutraliseForCsv(text: string): string {
  return mayRunAsFormula(text) || QUOTED_FORMULA_START.test(text) ? `'${text}` : text
}

const FORMULA_START = /^[=+\-@\t\r]/
/** One or more phone numbers in international form ("; "-joined): a +, then digits and spaces only. */
const PHONE_NUMBERS = /^\+\d[\d ]*(?:; *\+?\d[\d ]*)*$/
/** Apostrophes before a formula's first character: the import takes the first for a neutralising one. */
const QUOTED_FORMULA_START = /^'+[=+\-@\t\r]/

export function mayRunAsFormula(text: string): boolean {
  return FORMULA_START.test(text) && text !== '-' && !PHONE_NUMBERS.test(text)
}
