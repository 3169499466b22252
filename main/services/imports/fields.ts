import type { Knex } from 'knex'
import type { ImportFieldChoice, ImportFieldKey } from '../../../preload/contract'

/** What each column can become, in the order the mapping menu lists them. */
export const IMPORT_FIELDS: ReadonlyArray<ImportFieldChoice & { key: ImportFieldKey }> = [
  { key: 'customerNumber', label: 'Customer number', group: 'Record', hint: 'C-000123: finds the customer it belongs to' },
  { key: 'legacyId', label: 'ID in the earlier system', group: 'Record', hint: 'finds the same customer on the next import' },
  { key: 'status', label: 'Status', group: 'Record', hint: 'Active, Archived or Blocked' },
  { key: 'customerSince', label: 'Customer since', group: 'Record', hint: 'a date' },
  { key: 'fullName', label: 'Full name', group: 'Name', hint: 'split into first and last name' },
  { key: 'firstName', label: 'First name', group: 'Name', hint: '' },
  { key: 'lastName', label: 'Last name', group: 'Name', hint: '' },
  { key: 'displayName', label: 'Display name', group: 'Name', hint: 'how the list shows them' },
  { key: 'company', label: 'Company', group: 'Name', hint: '' },
  { key: 'email', label: 'Email', group: 'Contact', hint: '' },
  { key: 'phone', label: 'Phone', group: 'Contact', hint: 'mobile or landline, told apart by the number' },
  { key: 'mobilePhone', label: 'Mobile phone', group: 'Contact', hint: 'several, separated by ;' },
  { key: 'homePhone', label: 'Home phone', group: 'Contact', hint: 'several, separated by ;' },
  { key: 'workPhone', label: 'Work phone', group: 'Contact', hint: 'several, separated by ;' },
  { key: 'otherPhone', label: 'Other phone', group: 'Contact', hint: 'several, separated by ;' },
  { key: 'addressLine1', label: 'Address line 1', group: 'Address', hint: '' },
  { key: 'addressLine2', label: 'Address line 2', group: 'Address', hint: '' },
  { key: 'city', label: 'City', group: 'Address', hint: '' },
  { key: 'region', label: 'Region', group: 'Address', hint: 'county, state' },
  { key: 'postcode', label: 'Postcode', group: 'Address', hint: '' },
  { key: 'country', label: 'Country', group: 'Address', hint: 'GB, France, Deutschland…' },
  { key: 'marketingConsent', label: 'Marketing consent', group: 'Organise', hint: 'yes or no' },
  { key: 'tags', label: 'Tags', group: 'Organise', hint: 'several, separated by ;' },
  { key: 'groups', label: 'Lists', group: 'Organise', hint: 'several, separated by ;' },
  { key: 'photo', label: 'Photo', group: 'Organise', hint: 'a picture embedded in a vCard' },
  { key: 'note', label: 'Note', group: 'Notes', hint: 'kept as a note marked as imported' },
  { key: 'noteDate', label: 'Note date', group: 'Notes', hint: 'a date' },
  { key: 'bookingDate', label: 'Booking date', group: 'Past bookings', hint: 'a date' },
  { key: 'bookingDescription', label: 'Booking', group: 'Past bookings', hint: 'what was booked' },
  { key: 'bookingAmount', label: 'Booking amount', group: 'Past bookings', hint: 'the price, e.g. 45.00' },
  { key: 'bookingPaid', label: 'Amount paid', group: 'Past bookings', hint: 'what was paid, e.g. 45.00' },
  { key: 'bookingReference', label: 'Booking reference', group: 'Past bookings', hint: 'the earlier system’s reference' },
]

export interface CustomFieldTarget {
  id: number
  label: string
  type: 'text' | 'number' | 'date' | 'boolean' | 'choice'
  options: string[]
}

export async function customFieldTargets(db: Knex): Promise<CustomFieldTarget[]> {
  const rows = (await db('custom_field_definitions').orderBy('position').orderBy('id').select('id', 'label', 'type', 'options')) as Array<{
    id: number
    label: string
    type: CustomFieldTarget['type']
    options: string
  }>
  return rows.map((r) => ({ id: r.id, label: r.label, type: r.type, options: JSON.parse(r.options) as string[] }))
}

const CUSTOM_HINTS: Record<CustomFieldTarget['type'], string> = {
  text: 'text',
  number: 'a number',
  date: 'a date',
  boolean: 'yes or no',
  choice: 'one of its choices',
}

/** The mapping menu: the record's fields, then this business's custom fields. */
export function fieldChoices(custom: readonly CustomFieldTarget[]): ImportFieldChoice[] {
  return [
    ...IMPORT_FIELDS,
    ...custom.map((f) => ({ key: `custom:${f.id}`, label: f.label, group: 'Custom fields' as const, hint: CUSTOM_HINTS[f.type] })),
  ]
}
