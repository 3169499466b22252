import type { ImportFieldChoice } from '../../../preload/contract'

/**
 * What the desk is told about a column mapping before it checks the file:
 * a field two columns both fill (only phones, tags, lists and notes take
 * several), and a file in which nothing says who a customer is.
 */

/** Fields several columns may fill: their values are added together (several phones, tags, lists, notes). */
const REPEATABLE = new Set(['phone', 'mobilePhone', 'homePhone', 'workPhone', 'otherPhone', 'tags', 'groups', 'note'])

/** Fields that say who a customer is: a row needs at least one of them. */
const IDENTIFYING = new Set(['fullName', 'firstName', 'lastName', 'displayName', 'company', 'email', 'phone', 'mobilePhone', 'homePhone', 'workPhone', 'otherPhone'])

/** Column index → warning, for every column whose field another column already fills. */
export function repeatedFieldWarnings(mapping: readonly string[], fields: readonly ImportFieldChoice[], headers: readonly string[]): Map<number, string> {
  const firstColumn = new Map<string, number>()
  const warnings = new Map<number, string>()
  mapping.forEach((key, column) => {
    if (!key || REPEATABLE.has(key)) return
    const first = firstColumn.get(key)
    if (first === undefined) {
      firstColumn.set(key, column)
      return
    }
    const label = fields.find((f) => f.key === key)?.label ?? key
    const other = headers[first] || `column ${first + 1}`
    warnings.set(column, `“${other}” already fills ${label}. Choose another field, or Don't import.`)
  })
  return warnings
}

/** True when at least one column holds a name, company, email or phone. */
export function identifiesCustomers(mapping: readonly string[]): boolean {
  return mapping.some((key) => IDENTIFYING.has(key))
}

/** Up to `count` non-empty values of one column, from the file's first rows. */
export function sampleValues(rows: readonly string[][], column: number, count = 3): string[] {
  const values: string[] = []
  for (const row of rows) {
    const value = row[column]?.trim()
    if (value) values.push(value)
    if (values.length === count) break
  }
  return values
}

export interface FieldMenuItem {
  type?: 'subheader'
  title: string
  value: string
  props?: { subtitle?: string; disabled?: boolean }
}

/** A select's items: "Don't import", then the fields under their group's heading, each with its hint. */
export function fieldMenuItems(fields: readonly ImportFieldChoice[]): FieldMenuItem[] {
  const items: FieldMenuItem[] = [{ title: "Don't import", value: '' }]
  let group = ''
  for (const field of fields) {
    if (field.group !== group) {
      group = field.group
      // Disabled, so typing a group's first letters in the select never picks the heading itself.
      items.push({ type: 'subheader', title: group, value: `group:${group}`, props: { disabled: true } })
    }
    items.push(field.hint ? { title: field.label, value: field.key, props: { subtitle: field.hint } } : { title: field.label, value: field.key })
  }
  return items
}
