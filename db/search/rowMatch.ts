import type { SearchPlan } from '../dialects/types'
import { foldForMatching } from '../../preload/contract/fold'
import { initialsOf, WORD } from './initials'
import { digitSourceText, joinedDigitGroups } from './digits'

/**
 * A search plan tested against one customer's own columns, with the very
 * folding and word rules the search indexes use, so it answers exactly what
 * the index would. Broad searches walk the list in its sort order and test
 * each row this way: a page then costs rows read up to the page size, where
 * the index would hand over every one of hundreds of thousands of matches
 * to be sorted.
 */
export interface RowColumns {
  id: number
  displayName: string
  displayNameIsCustom: boolean
  firstName: string
  lastName: string
  email: string
  company: string
  /** Every address's postcode, space-separated. */
  postcodes: string
  /** Every phone's searchable digit forms, space-separated. */
  phoneDigits: string
}

/** The name as the search document holds it: the display name, with first and last name when it was written by hand. */
function nameOf(row: RowColumns): string {
  return row.displayName + (row.displayNameIsCustom ? ` ${row.firstName} ${row.lastName}` : '')
}

/**
 * The search document's text columns, as the trigram and word indexes hold them (after their own case
 * folding). The last holds digits alone: only a search with a term of digits needs it whole.
 */
function documentColumns(row: RowColumns, digitTerms: boolean): string[] {
  return [
    foldForMatching(nameOf(row)),
    foldForMatching(row.email),
    foldForMatching(row.company),
    foldForMatching(row.postcodes),
    `c-${String(row.id).padStart(6, '0')}`,
    digitTerms ? row.phoneDigits.toLowerCase() + joinedDigitGroups(recordTextOf(row)) : row.phoneDigits.toLowerCase(),
  ]
}

/** The record's own texts, whose digits written in groups the indexes hold joined. */
function recordTextOf(row: RowColumns): string {
  return [row.displayName, row.firstName, row.lastName, row.email, row.company].join(' ')
}

/** The digit index's source text (before it is cut into pieces). */
function digitText(row: RowColumns): string {
  return digitSourceText(recordTextOf(row), row.postcodes, row.id, row.phoneDigits)
}

/** The initials index's source text: the name (with first and last name under a custom display name) and the company. */
function initialsSource(row: RowColumns): string {
  return `${nameOf(row)} ${row.company}`
}

function startsAWord(column: string, prefix: string): boolean {
  for (const word of column.match(WORD) ?? []) if (word.startsWith(prefix)) return true
  return false
}

export function rowMatches(plan: SearchPlan, row: RowColumns): boolean {
  if (plan.customerNumber !== null) return row.id === plan.customerNumber
  const columns = documentColumns(row, digitTermsIn(plan))
  // A trigram phrase is a substring of one column: fragments never hold a space, so none spans two.
  const hasFragment = (fragment: string) => columns.some((column) => column.includes(fragment))
  const hasPrefix = (prefix: string) => columns.some((column) => startsAWord(column, prefix))
  if (plan.digits !== null) {
    // Five digits or more are a phrase of the digit index's pieces: a substring of one run of digits.
    if (plan.digits.length >= 5 ? !digitText(row).includes(plan.digits) : !hasFragment(plan.digits)) return false
  }
  if (plan.shortDigits !== null && !hasPrefix(plan.shortDigits)) return false
  if (!plan.fragments.every(hasFragment)) return false
  if (!plan.prefixes.every(hasPrefix)) return false
  if (plan.initials.length) {
    // As many of each as typed (two at most: see planSearch): each typed one uses up one the row holds.
    const held = new Map<string, number>()
    for (const initial of initialsOf(foldForMatching(initialsSource(row))).split(' ')) held.set(initial, (held.get(initial) ?? 0) + 1)
    for (const initial of plan.initials) {
      const left = held.get(initial) ?? 0
      if (!left) return false
      held.set(initial, left - 1)
    }
  }
  return true
}

/** Whether a search holds a term of digits, worked out once for the thousands of rows a walk tests with it. */
const digitTerms = new WeakMap<SearchPlan, boolean>()
function digitTermsIn(plan: SearchPlan): boolean {
  let known = digitTerms.get(plan)
  if (known === undefined) digitTerms.set(plan, (known = rowTestNeeds(plan).phones))
  return known
}

/**
 * Which of a customer's other tables a row test must read. Initials are in
 * the name and company alone; the phone column holds digits and spaces only,
 * so only a term of digits can be found there.
 */
export function rowTestNeeds(plan: SearchPlan): { postcodes: boolean; phones: boolean } {
  const terms = [...plan.fragments, ...plan.prefixes, plan.digits, plan.shortDigits].filter((t): t is string => t !== null)
  return { postcodes: terms.length > 0, phones: terms.some((t) => /^\d+$/.test(t)) }
}
