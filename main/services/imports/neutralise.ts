/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab or carriage
 * return first) gets a leading apostrophe, which spreadsheets show as text.
 * Used for the rejected rows written back out of an import.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
