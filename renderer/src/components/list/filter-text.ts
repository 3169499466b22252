import type { CustomFieldDefinition } from '../../../../preload/contract'
import type { ConsentFilter } from '../../stores/customerFilters'

/** Wording shared by the filter panel and the active-filter chips. */

export const consentOptions: Array<{ value: ConsentFilter; title: string }> = [
  { value: 'any', title: 'Any' },
  { value: 'yes', title: 'Agreed to the newsletter' },
  { value: 'no', title: 'Not agreed' },
]

/** The "owes money" filter, in the panel and as an active-filter chip. */
export const OUTSTANDING_TEXT = 'Has outstanding balance'

export const customFieldTypeLabels: Record<CustomFieldDefinition['type'], string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  boolean: 'Yes / no',
  choice: 'Choice',
}

/** Yes/no custom fields are filtered by the text "true" or "false". */
export const yesNoOptions = [
  { value: 'true', title: 'Yes' },
  { value: 'false', title: 'No' },
]

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/** "3 Jan 2026" for a YYYY-MM-DD day (read as a calendar day, not a moment). */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date)
}

export function createdRangeText(from: string | null, to: string | null): string {
  if (from && to) return `Added ${formatDay(from)} – ${formatDay(to)}`
  if (from) return `Added on or after ${formatDay(from)}`
  if (to) return `Added on or before ${formatDay(to)}`
  return ''
}

export function customFieldValueText(field: CustomFieldDefinition | undefined, value: string): string {
  if (field?.type === 'boolean') return value === 'true' ? 'Yes' : 'No'
  if (field?.type === 'date') return formatDay(value)
  return value
}

/** "1 customer", "12,345 customers". */
export function customersText(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'customer' : 'customers'}`
}
