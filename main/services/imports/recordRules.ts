import { collapseSpaces, freeTextProblem, hiddenCharacterProblem, nameProblem, normalizeFreeText } from '../../../preload/contract/text'
import { isPlausibleEmail } from '../../../preload/contract'

/*
 * The desk's rules for a customer record (customerInput in the contract),
 * applied field by field: the same rule functions, without building and
 * parsing a schema object for every one of a million rows. A parity test
 * (tests/unit/import-record-rules.test.ts) holds the two together.
 */

/** A value the record refuses, with the desk's sentence for it. */
export class FieldProblem extends Error {}

const tooLong = (max: number) => `Keep this under ${max} characters.`

/** A name, company or display name: NFC, inner spaces collapsed; invisible characters and card numbers refused. */
export function recordName(value: string, max: number): string {
  const tidy = collapseSpaces(value.normalize('NFC'))
  const problem = nameProblem(tidy) ?? (tidy.length > max ? tooLong(max) : null)
  if (problem) throw new FieldProblem(problem)
  return tidy
}

/** Part of an address: free text, line ends as \n, trimmed. */
export function recordText(value: string, max: number): string {
  const tidy = normalizeFreeText(value).trim()
  const problem = freeTextProblem(tidy) ?? (tidy.length > max ? tooLong(max) : null)
  if (problem) throw new FieldProblem(problem)
  return tidy
}

export function recordEmail(value: string): string {
  const tidy = value.normalize('NFC').trim()
  const problem =
    hiddenCharacterProblem(tidy) ?? (tidy.length > 254 ? 'An email address is at most 254 characters.' : tidy && !isPlausibleEmail(tidy) ? 'This is not a valid email address.' : null)
  if (problem) throw new FieldProblem(problem)
  return tidy
}
