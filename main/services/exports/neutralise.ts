/**
 * Keeps a spreadsheet from running a CSV cell as a formula ("CSV injection").
 *
 * Excel, LibreOffice and Google Sheets read a CSV cell that starts with `=`,
 * `+`, `-` or `@` as a formula (a tab or carriage return in front is skipped
 * first), so a customer named `=HYPERLINK("http://…")` or `@SUM(…)` would run
 * when the file is opened. Such a cell gets a leading apostrophe, as OWASP
 * advises: spreadsheets then show the text as it is.
 *
 * Phone numbers are the exception the desk needs: "+44 7700 900123" must stay
 * readable and dialable. A cell that starts with `+` or `-` and holds nothing
 * but digits, spaces, brackets, dots, hyphens and the "; " between several
 * numbers (each perhaps with its own +) is left alone: with no letters it names no function, so it cannot
 * fetch, link or run anything (at worst a spreadsheet shows it as a number).
 * "-2+3", "+SUM(A1)" and "+44 7700 900123 ext 12" are neutralised.
 *
 * Only text is neutralised: numbers and dates the export writes itself (a
 * negative balance, a date) are never touched. The Excel export needs none of
 * this — its cells are typed strings, never formulas (see xlsx.ts).
 */
export function neutraliseForCsv(text: string): string {
  return mayRunAsFormula(text) ? `'${text}` : text
}

const FORMULA_START = /^[=+\-@\t\r]/
/** One or more phone numbers ("; "-joined), each perhaps with a leading +: digits, spaces, brackets, dots and hyphens only. */
const PHONE_NUMBERS = /^\+?[\d ().-]*(?:; *\+?[\d ().-]*)*$/

export function mayRunAsFormula(text: string): boolean {
  return FORMULA_START.test(text) && !PHONE_NUMBERS.test(text)
}
