import type { Knex } from 'knex'
import { customFieldKey } from '../brochures/mergeFields'

/** A merge field as the template editor offers it: written {{key}} in a subject or body. */
export interface EmailMergeField {
  key: string
  label: string
  /** The heading the editor lists it under. */
  group: string
  /** An example of what it prints, for the picker. */
  example: string
}

/*
 * The merge fields of email templates. Only these names read customer data,
 * and none of them reads a staff note (notes, a booking's note, the reason a
 * customer was blocked): a template cannot reach what is not listed here.
 */
export const STANDARD_EMAIL_FIELDS: readonly EmailMergeField[] = [
  { key: 'firstName', label: 'First name', group: 'Customer', example: 'Ada' },
  { key: 'lastName', label: 'Last name', group: 'Customer', example: 'Lovelace' },
  { key: 'fullName', label: 'Full name', group: 'Customer', example: 'Ada Lovelace' },
  { key: 'displayName', label: 'Display name', group: 'Customer', example: 'Ada Lovelace' },
  { key: 'customerNumber', label: 'Customer number', group: 'Customer', example: 'C-000042' },
  { key: 'email', label: 'Email', group: 'Customer', example: 'ada@example.com' },
  { key: 'phone', label: 'Phone', group: 'Customer', example: '07700 900123' },
  { key: 'company', label: 'Company', group: 'Customer', example: 'Analytical Engines Ltd' },
  { key: 'address.line1', label: 'Address line 1', group: 'Customer', example: '12 Rose Lane' },
  { key: 'address.line2', label: 'Address line 2', group: 'Customer', example: 'Flat 3' },
  { key: 'address.city', label: 'Town or city', group: 'Customer', example: 'Bath' },
  { key: 'address.region', label: 'County or region', group: 'Customer', example: 'Somerset' },
  { key: 'address.postcode', label: 'Postcode', group: 'Customer', example: 'BA1 1AA' },
  { key: 'booking.reference', label: 'Booking reference', group: 'Booking', example: 'B-000128' },
  { key: 'booking.item', label: 'What was booked', group: 'Booking', example: 'Yoga Flow' },
  { key: 'booking.date', label: 'Date', group: 'Booking', example: 'Tuesday 8 December 2026' },
  { key: 'booking.time', label: 'Time', group: 'Booking', example: '10:00' },
  { key: 'booking.place', label: 'Place', group: 'Booking', example: 'Studio 1' },
  { key: 'booking.total', label: 'Total', group: 'Booking', example: '£24.00' },
  { key: 'business.name', label: 'Business name', group: 'Business', example: 'Riverside Studio' },
  { key: 'business.address', label: 'Business address', group: 'Business', example: '1 High Street, Bath' },
  { key: 'business.phone', label: 'Business phone', group: 'Business', example: '01225 000000' },
  { key: 'business.email', label: 'Business email', group: 'Business', example: 'hello@example.com' },
  { key: 'staff.name', label: 'Your name', group: 'Other', example: 'Sam' },
  { key: 'today', label: 'Today’s date', group: 'Other', example: '1 December 2026' },
  { key: 'unsubscribeUrl', label: 'Unsubscribe link', group: 'Links', example: 'https://example.com/unsubscribe?t=…' },
  { key: 'accountUrl', label: 'Online account link', group: 'Links', example: 'https://example.com/account/confirm?token=…' },
]

/** Objects a template may open as a section, e.g. {{#booking}}…{{/booking}} for lines shown only with a booking. */
export const SECTION_GROUPS = ['booking', 'address', 'business', 'staff', 'custom'] as const

/** Every field, with this customer file's custom fields (keys as letters use them: custom.favourite_class). */
export async function emailMergeFields(db: Knex): Promise<EmailMergeField[]> {
  const rows = (await db('custom_field_definitions').orderBy('position').orderBy('id').select('label')) as Array<{ label: string }>
  const custom = rows.map((row) => ({ key: customFieldKey(row.label), label: row.label, group: 'Custom fields', example: '' }))
  return [...STANDARD_EMAIL_FIELDS, ...custom]
}

/** The names a template may use: fields, and the groups as sections. */
export async function knownFieldNames(db: Knex): Promise<Set<string>> {
  return new Set([...(await emailMergeFields(db)).map((f) => f.key), ...SECTION_GROUPS])
}
