import type { Database } from 'better-sqlite3'
import { foldForSearch } from '../../preload/contract/fold'
import { digitPieces, groupedDigitRuns, joinedDigitGroups } from './digits'
import { initialsOf, initialsWithPairsOf, markedInitialsOf, wordStartsOf } from './initials'
import { rowMatches } from './rowMatch'
import type { SearchPlan } from '../dialects/types'

/** The functions the search index's documents and the list's row test are made with (every connection that makes or reads them). */
export function registerSearchFunctions(conn: Database): void {
  // The search index folds its documents with the same function as the search box (preload/contract/fold.ts).
  conn.function('frontdesk_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldForSearch(value) : value))
  conn.function('frontdesk_digit_pieces', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? digitPieces(value) : ''))
  conn.function('frontdesk_grouped_digit_runs', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? groupedDigitRuns(value) : ''))
  conn.function('frontdesk_joined_digit_groups', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? joinedDigitGroups(value) : ''))
  conn.function('frontdesk_initials', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? initialsOf(value) : ''))
  conn.function('frontdesk_initials_with_pairs', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? initialsWithPairsOf(value) : ''))
  conn.function('frontdesk_marked_initials', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? markedInitialsOf(value) : ''))
  conn.function('frontdesk_word_starts', { deterministic: true, varargs: true }, (...texts: unknown[]) => wordStartsOf(...texts))
  const plans = new Map<string, SearchPlan>()
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))
  conn.function(
    'frontdesk_row_match',
    { deterministic: true },
    (plan: unknown, id: unknown, displayName: unknown, custom: unknown, firstName: unknown, lastName: unknown, email: unknown, company: unknown, postcodes: unknown, phoneDigits: unknown) => {
      const key = text(plan)
      let parsed = plans.get(key)
      if (!parsed) {
        // A list walk tests one search on thousands of rows: it is parsed once.
        if (plans.size > 16) plans.clear()
        parsed = JSON.parse(key) as SearchPlan
        plans.set(key, parsed)
      }
      const row = {
        id: Number(id),
        displayName: text(displayName),
        displayNameIsCustom: Boolean(custom),
        firstName: text(firstName),
        lastName: text(lastName),
        email: text(email),
        company: text(company),
        postcodes: text(postcodes),
        phoneDigits: text(phoneDigits),
      }
      return rowMatches(parsed, row) ? 1 : 0
    },
  )
}
