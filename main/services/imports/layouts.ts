import { createHash } from 'node:crypto'
import type { ImportLayout } from '../../../preload/contract'
import type { CustomFieldTarget } from './fields'

/*
 * Known layouts, recognised from their header rows, with the mapping
 * prefilled; any other file gets a guess from the header words, and a mapping
 * the desk saved for the same header row wins over both.
 */

/** Header text compared loosely: case, accents, spaces and punctuation ignored. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
}

/** What an export's header adds to a custom field's label when the label is a header of the record's own ("City"). */
export const CUSTOM_FIELD_HEADER_SUFFIX = ' (custom field)'

/** Identifies a header row, for remembering its mapping. */
export function headersDigest(headers: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(headers.map(headerKey))).digest('hex').slice(0, 32)
}

type Table = Record<string, string>

/** Frontdesk's own export: its headers, exactly (main/services/exports). */
const FRONTDESK: Table = {
  customernumber: 'customerNumber',
  firstname: 'firstName',
  lastname: 'lastName',
  displayname: 'displayName',
  company: 'company',
  email: 'email',
  mobilephone: 'mobilePhone',
  homephone: 'homePhone',
  workphone: 'workPhone',
  otherphone: 'otherPhone',
  addressline1: 'addressLine1',
  addressline2: 'addressLine2',
  city: 'city',
  region: 'region',
  postcode: 'postcode',
  country: 'country',
  status: 'status',
  marketingconsent: 'marketingConsent',
  tags: 'tags',
  groups: 'groups',
  customersince: 'customerSince',
  notes: 'note',
}

/** The migration layout documented in the README. */
const MIGRATION: Table = {
  legacyid: 'legacyId',
  firstname: 'firstName',
  lastname: 'lastName',
  company: 'company',
  email: 'email',
  phone: 'phone',
  mobilephone: 'mobilePhone',
  addressline1: 'addressLine1',
  addressline2: 'addressLine2',
  city: 'city',
  region: 'region',
  postcode: 'postcode',
  country: 'country',
  customersince: 'customerSince',
  marketingconsent: 'marketingConsent',
  tags: 'tags',
  notedate: 'noteDate',
  note: 'note',
  bookingdate: 'bookingDate',
  booking: 'bookingDescription',
  bookingamount: 'bookingAmount',
  amountpaid: 'bookingPaid',
  bookingreference: 'bookingReference',
}

/** Google Contacts CSV, the older ("Given Name") and the current ("First Name", "Labels") forms. */
const GOOGLE: Table = {
  name: 'fullName',
  givenname: 'firstName',
  familyname: 'lastName',
  firstname: 'firstName',
  lastname: 'lastName',
  notes: 'note',
  groupmembership: 'tags',
  labels: 'tags',
  email1value: 'email',
  phone1value: 'phone',
  phone2value: 'phone',
  phone3value: 'phone',
  phone4value: 'phone',
  address1street: 'addressLine1',
  address1extendedaddress: 'addressLine2',
  address1city: 'city',
  address1region: 'region',
  address1postalcode: 'postcode',
  address1country: 'country',
  organization1name: 'company',
  organizationname: 'company',
}

/** Outlook's "Export to a file → Comma Separated Values". */
const OUTLOOK: Table = {
  firstname: 'firstName',
  lastname: 'lastName',
  company: 'company',
  emailaddress: 'email',
  mobilephone: 'mobilePhone',
  homephone: 'homePhone',
  homephone2: 'homePhone',
  businessphone: 'workPhone',
  businessphone2: 'workPhone',
  otherphone: 'otherPhone',
  primaryphone: 'phone',
  homestreet: 'addressLine1',
  homestreet2: 'addressLine2',
  homecity: 'city',
  homestate: 'region',
  homepostalcode: 'postcode',
  homecountryregion: 'country',
  notes: 'note',
  categories: 'tags',
}

/** The fixed columns the vCard reader gives every contact. */
const VCARD: Table = {
  fullname: 'fullName',
  firstname: 'firstName',
  lastname: 'lastName',
  company: 'company',
  email: 'email',
  mobilephone: 'mobilePhone',
  homephone: 'homePhone',
  workphone: 'workPhone',
  otherphone: 'otherPhone',
  street: 'addressLine1',
  extendedaddress: 'addressLine2',
  city: 'city',
  region: 'region',
  postcode: 'postcode',
  country: 'country',
  note: 'note',
  categories: 'tags',
  photo: 'photo',
}

/** Words other systems use for the same fields, for files no layout knows. */
const SYNONYMS: Table = {
  ...FRONTDESK,
  ...MIGRATION,
  name: 'fullName',
  fullname: 'fullName',
  customername: 'fullName',
  clientname: 'fullName',
  contactname: 'fullName',
  forename: 'firstName',
  forenames: 'firstName',
  givenname: 'firstName',
  first: 'firstName',
  surname: 'lastName',
  familyname: 'lastName',
  last: 'lastName',
  organisation: 'company',
  organization: 'company',
  business: 'company',
  companyname: 'company',
  emailaddress: 'email',
  mail: 'email',
  telephone: 'phone',
  tel: 'phone',
  phonenumber: 'phone',
  telephonenumber: 'phone',
  mobile: 'mobilePhone',
  mobilenumber: 'mobilePhone',
  cell: 'mobilePhone',
  cellphone: 'mobilePhone',
  landline: 'homePhone',
  address: 'addressLine1',
  address1: 'addressLine1',
  street: 'addressLine1',
  streetaddress: 'addressLine1',
  address2: 'addressLine2',
  // The vCard columns' own name, as a rejects file made from cards has it.
  extendedaddress: 'addressLine2',
  town: 'city',
  county: 'region',
  state: 'region',
  province: 'region',
  zip: 'postcode',
  zipcode: 'postcode',
  postalcode: 'postcode',
  postcode: 'postcode',
  consent: 'marketingConsent',
  marketing: 'marketingConsent',
  newsletter: 'marketingConsent',
  optin: 'marketingConsent',
  tag: 'tags',
  categories: 'tags',
  labels: 'tags',
  lists: 'groups',
  group: 'groups',
  notes: 'note',
  comments: 'note',
  comment: 'note',
  id: 'legacyId',
  clientid: 'legacyId',
  customerid: 'legacyId',
  membernumber: 'legacyId',
  since: 'customerSince',
  created: 'customerSince',
  joined: 'customerSince',
}

interface Recognised {
  layout: ImportLayout
  label: string
  mapping: string[]
}

const has = (keys: Set<string>, ...wanted: string[]) => wanted.every((w) => keys.has(w))

/**
 * Each header's field: a custom field's by its label (or "Label (custom field)", as Frontdesk exports a field labelled
 * like one of the record's columns), else the layout's. In Frontdesk's own export the record's columns come first:
 * there a "City" is the address's, whatever the custom fields are called.
 */
function mapWith(headers: readonly string[], table: Table, custom: readonly CustomFieldTarget[], single = true, ownFirst = false): string[] {
  const customByKey = new Map(
    custom.flatMap((f) => [
      [headerKey(f.label), `custom:${f.id}`],
      [headerKey(`${f.label}${CUSTOM_FIELD_HEADER_SUFFIX}`), `custom:${f.id}`],
    ]),
  )
  const used = new Set<string>()
  const repeatable = new Set(['phone', 'mobilePhone', 'homePhone', 'workPhone', 'otherPhone', 'tags', 'groups', 'note'])
  return headers.map((header) => {
    const key = headerKey(header)
    const target = (ownFirst ? (table[key] ?? customByKey.get(key)) : (customByKey.get(key) ?? table[key])) ?? ''
    if (!target) return ''
    if (single && used.has(target) && !repeatable.has(target)) return ''
    used.add(target)
    return target
  })
}

/** The layout a header row belongs to and the mapping that goes with it. */
export function recogniseLayout(format: 'csv' | 'xlsx' | 'vcard', headers: readonly string[], custom: readonly CustomFieldTarget[]): Recognised {
  const keys = new Set(headers.map(headerKey))
  if (format === 'vcard') return { layout: 'vcard', label: 'vCard contacts', mapping: mapWith(headers, VCARD, custom) }
  if (has(keys, 'legacyid') && (keys.has('bookingdate') || keys.has('note'))) {
    return { layout: 'migration', label: 'Migration layout (customers, notes and past bookings)', mapping: mapWith(headers, MIGRATION, custom) }
  }
  if (has(keys, 'customernumber', 'displayname')) {
    return { layout: 'frontdesk', label: 'Frontdesk export', mapping: mapWith(headers, FRONTDESK, custom, true, true) }
  }
  if ((has(keys, 'givenname', 'familyname') || has(keys, 'firstname', 'lastname')) && (keys.has('email1value') || keys.has('phone1value'))) {
    return { layout: 'google', label: 'Google Contacts export', mapping: mapWith(headers, GOOGLE, custom) }
  }
  if (has(keys, 'firstname', 'lastname', 'emailaddress') && (keys.has('mobilephone') || keys.has('homestreet') || keys.has('businessphone'))) {
    return { layout: 'outlook', label: 'Outlook contacts export', mapping: mapWith(headers, OUTLOOK, custom) }
  }
  return { layout: 'guessed', label: 'Columns matched by their names — check each one', mapping: mapWith(headers, SYNONYMS, custom) }
}

/**
 * Google writes a phone's kind in the column before its number ("Phone 1 -
 * Type": Mobile, Home, Work): for each phone column, the column holding its kind.
 */
export function phoneKindColumns(headers: readonly string[]): Map<number, number> {
  const keys = headers.map(headerKey)
  const kinds = new Map<number, number>()
  keys.forEach((key, index) => {
    const m = /^(phone\d+)value$/.exec(key)
    if (!m) return
    const kind = keys.findIndex((k) => k === `${m[1]}type` || k === `${m[1]}label`)
    if (kind >= 0) kinds.set(index, kind)
  })
  return kinds
}
