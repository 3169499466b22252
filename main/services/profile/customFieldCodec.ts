import type { Knex } from 'knex'
import type { CustomFieldDefinition, CustomFieldType, CustomFieldValue } from '../../../preload/contract'
import { freeTextProblem, normalizeFreeText } from '../../../preload/contract/text'

/**
 * Custom field values are stored as canonical text so that a filter can match
 * them with `value = ?`: text and choice as typed (NFC, trimmed), numbers as their
 * shortest decimal string ("12.5"), dates as YYYY-MM-DD, yes/no as 'true'/'false'.
 * The list filter must encode what it looks for with `encodeCustomFieldValue`.
 */

export type CustomFieldInputValue = string | number | boolean | null

export const MAX_TEXT_VALUE = 1000

export class InvalidCustomFieldValue extends Error {}

export interface CustomFieldDefinitionRow {
  id: number
  label: string
  label_normalized: string
  type: CustomFieldType
  options: string
  position: number
  created_at: string
}

export function toDefinition(row: CustomFieldDefinitionRow): CustomFieldDefinition {
  return { id: row.id, label: row.label, type: row.type, options: JSON.parse(row.options) as string[], position: row.position }
}

function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function encodeNumber(value: string | number | boolean): string {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN
  const text = String(number)
  if (!Number.isFinite(number) || Math.abs(number) >= 1e15 || text.includes('e')) {
    throw new InvalidCustomFieldValue('Enter a number, e.g. 42 or 3.5.')
  }
  return text === '-0' ? '0' : text
}

/** A text value is free text: no control characters, bidi overrides or card numbers. */
function checkFreeText(value: string): void {
  const problem = freeTextProblem(value)
  if (problem) throw new InvalidCustomFieldValue(problem)
}

/** The option as defined; options saved before names were normalised may be in another Unicode form. */
function matchOption(options: string[], value: string | number | boolean): string {
  const option = typeof value === 'string' ? options.find((o) => o.normalize('NFC') === value) : undefined
  if (option === undefined) throw new InvalidCustomFieldValue('Choose one of the options.')
  return option
}

/**
 * The canonical text for a value of the given field, or null when the value
 * clears the field (null or empty text). Throws InvalidCustomFieldValue with a
 * message for the receptionist.
 */
export function encodeCustomFieldValue(field: Pick<CustomFieldDefinition, 'type' | 'options'>, value: CustomFieldInputValue): string | null {
  if (value === null) return null
  const trimmed = typeof value === 'string' ? normalizeFreeText(value).trim() : value
  if (trimmed === '') return null
  switch (field.type) {
    case 'text':
      if (typeof trimmed !== 'string') throw new InvalidCustomFieldValue('Enter text.')
      if (trimmed.length > MAX_TEXT_VALUE) throw new InvalidCustomFieldValue(`Keep this under ${MAX_TEXT_VALUE} characters.`)
      checkFreeText(trimmed)
      return trimmed
    case 'number':
      return encodeNumber(trimmed)
    case 'date':
      if (typeof trimmed !== 'string' || !isRealDate(trimmed)) throw new InvalidCustomFieldValue('Enter a real date as YYYY-MM-DD.')
      return trimmed
    case 'boolean':
      if (trimmed === true || trimmed === 'true') return 'true'
      if (trimmed === false || trimmed === 'false') return 'false'
      throw new InvalidCustomFieldValue('Choose yes or no.')
    case 'choice':
      return matchOption(field.options, trimmed)
  }
}

/** The stored text back as the profile shows it. */
export function decodeCustomFieldValue(type: CustomFieldType, stored: string | null): CustomFieldValue['value'] {
  if (stored === null) return null
  if (type === 'number') return Number(stored)
  if (type === 'boolean') return stored === 'true'
  return stored
}

/** Readable form for the change log ("Yes", "12.5", "2026-01-31"). */
export function describeCustomFieldValue(type: CustomFieldType, stored: string | null): string {
  if (stored === null) return ''
  if (type === 'boolean') return stored === 'true' ? 'Yes' : 'No'
  return stored
}

/** Every defined field, in order, with this customer's value or null. */
export async function loadCustomFieldValues(db: Knex, customerId: number): Promise<CustomFieldValue[]> {
  const rows = (await db('custom_field_definitions as d')
    .leftJoin('customer_custom_values as v', (join) => join.on('v.field_id', 'd.id').andOnVal('v.customer_id', customerId))
    .orderBy('d.position')
    .orderBy('d.id')
    .select('d.id', 'd.label', 'd.type', 'v.value')) as Array<{ id: number; label: string; type: CustomFieldType; value: string | null }>
  return rows.map((row) => ({ fieldId: row.id, label: row.label, type: row.type, value: decodeCustomFieldValue(row.type, row.value) }))
}
