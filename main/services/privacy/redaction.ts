import type { Knex } from 'knex'
import type { FieldChange } from '../../../preload/contract'

/** What a redacted value reads as in the change log. */
export const ERASED_VALUE = '[erased]'

/** Values shorter than this are not looked for inside summaries (they would match ordinary words). */
const SHORTEST_SEARCHED = 2

/** The pieces of a logged value worth looking for on their own: "mobile: +44 7700 900123 (primary); home: 1 Low St, York". */
function piecesOf(value: string): string[] {
  const pieces = [value]
  for (const part of value.split(/;\s*|,\s*|:\s+|\s*\((?:primary|default for [^)]*)\)/)) {
    const trimmed = part.trim()
    if (trimmed) pieces.push(trimmed)
  }
  return pieces
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Replaces every known personal value inside a free-text summary with
 * [erased]: longest first (a full name before its first name), whole words
 * only (a first name "Ann" leaves "Annual pass" alone), case-insensitively.
 */
export function redactText(text: string, values: readonly string[]): string {
  let out = text
  for (const value of values) {
    if (!out) break
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, 'giu')
    out = out.replace(pattern, ERASED_VALUE)
  }
  return out
}

/** The personal values to look for, each once, longest first. */
export function searchableValues(values: Iterable<string | null | undefined>): string[] {
  const set = new Set<string>()
  for (const value of values) {
    if (!value) continue
    for (const piece of piecesOf(value.normalize('NFC'))) if (piece.length >= SHORTEST_SEARCHED && piece !== ERASED_VALUE) set.add(piece)
  }
  return [...set].sort((a, b) => b.length - a.length)
}

/** Entries about money and what was sold: their values are amounts and references, kept with only personal values taken out. */
const ACCOUNT_ENTITIES = new Set(['booking', 'plan'])

interface LogRow {
  id: number
  entity_type: string
  summary: string
  changes: string
}

/**
 * Redacts the change-log entries of these customers: every field value in
 * their changes becomes [erased] (the field names stay, so the history still
 * says what changed and when) except in the entries of bookings and plans,
 * whose amounts stay for the accounts; the personal values found in the record,
 * its related rows and those changes are taken out of the summaries. The
 * entries remain; only redaction may update them (the chain covers a digest
 * of the content, db/changeChain.ts). Returns how many entries changed.
 */
export async function redactChangeLog(trx: Knex, customerIds: readonly number[], knownValues: readonly string[], at: string): Promise<number> {
  const rows = (await trx('change_log').whereIn('customer_id', customerIds).orderBy('id').select('id', 'entity_type', 'summary', 'changes')) as LogRow[]
  const parsed = rows.map((row) => ({ row, changes: parseChanges(row.changes) }))
  const values = searchableValues([...knownValues, ...parsed.flatMap(({ changes }) => changes.flatMap((c) => [c.before, c.after]))])
  let redacted = 0
  for (const { row, changes } of parsed) {
    const summary = redactText(row.summary, values)
    const keepAmounts = ACCOUNT_ENTITIES.has(row.entity_type)
    const clean = (value: string | null) => (value === null ? null : keepAmounts ? redactText(value, values) : ERASED_VALUE)
    const cleaned = changes.map((c) => ({ field: c.field, before: clean(c.before), after: clean(c.after) }))
    const text = JSON.stringify(cleaned)
    if (summary === row.summary && text === row.changes) continue
    await trx('change_log').where({ id: row.id }).update({ summary, changes: text, content_salt: null, redacted_at: at })
    redacted++
  }
  return redacted
}

function parseChanges(text: string): FieldChange[] {
  try {
    const value = JSON.parse(text) as unknown
    return Array.isArray(value) ? (value as FieldChange[]) : []
  } catch {
    return []
  }
}
