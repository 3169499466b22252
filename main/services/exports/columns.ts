import type { Knex } from 'knex'
import type { CustomerSource, CustomFieldType, ExportColumn } from '../../../preload/contract'
import { customerSourceLabels } from '../../../preload/contract/sources'
import { formatCustomerNumber } from '../customers/normalize'
import { describeCustomFieldValue } from '../profile/customFieldCodec'
import { CUSTOM_FIELD_HEADER_SUFFIX, headerKey } from '../imports/layouts'

/**
 * The columns of an export: what each is called in the file (the import reads
 * Frontdesk's own files back by these headers, so keys and labels are a
 * contract), how its values are written, and what it needs read per page.
 */

/** How a column's values are written: text, a day, a moment, a count, money (minor units) or a plain number. */
export type ValueKind = 'text' | 'date' | 'dateTime' | 'count' | 'money' | 'number'

/** A value as read: text ('' when empty), a day (YYYY-MM-DD), an ISO moment, a number (money in minor units), or nothing. */
export type CellValue = string | number | null

/** What a page reads beyond the customers row, one query each, only when a chosen column needs it. */
export type Related = 'phones' | 'address' | 'tags' | 'groups' | 'custom' | 'bookings' | 'notes'

export type PhoneLabel = 'mobile' | 'home' | 'work' | 'other'

export interface AddressParts {
  line1: string
  line2: string
  city: string
  region: string
  postcode: string
  country: string
}

/** One customer with everything the chosen columns show; related parts not read are left empty. */
export interface CustomerForExport {
  id: number
  firstName: string
  lastName: string
  displayName: string
  company: string
  email: string
  status: 'active' | 'archived' | 'blocked'
  source: CustomerSource
  /** Newsletter consent, false once the customer unsubscribed from all email. */
  marketingConsent: boolean
  createdAt: string
  updatedAt: string
  /** Numbers per label, "; "-joined, the primary first (absent: none, or not read). */
  phones?: Partial<Record<PhoneLabel, string>>
  /** The default address for letters, else the first. */
  address?: AddressParts
  tags?: string[]
  groups?: string[]
  /** Stored (canonical) custom field values by field id. */
  custom?: Map<number, string>
  /** Bookings not cancelled, in any currency. */
  bookings?: number
  /** Received and still owed, in the business's currency (minor units). */
  receivedMinor?: number
  outstandingMinor?: number
  /** Newest first. */
  notes?: Array<{ day: string; body: string }>
}

export interface ColumnSpec extends ExportColumn {
  kind: ValueKind
  /** A spreadsheet column width (characters) that fits the header and typical content. */
  width: number
  needs: Related | null
  value(customer: CustomerForExport): CellValue
}

type Group = ExportColumn['group']

const STATUS_LABELS = { active: 'Active', archived: 'Archived', blocked: 'Blocked' } as const

function column(
  key: string,
  label: string,
  group: Group,
  kind: ValueKind,
  typicalWidth: number,
  needs: Related | null,
  value: (customer: CustomerForExport) => CellValue,
): ColumnSpec {
  return { key, label, group, defaultOn: true, adminOnly: false, kind, width: Math.max(typicalWidth, label.length + 2), needs, value }
}

const phone = (key: string, label: string, phoneLabel: PhoneLabel) =>
  column(key, label, 'Contact', 'text', 17, 'phones', (c) => c.phones?.[phoneLabel] ?? '')
const address = (key: string, label: string, part: keyof AddressParts, width: number) =>
  column(key, label, 'Address', 'text', width, 'address', (c) => c.address?.[part] ?? '')

/** The record's own columns, in the order they appear in the file. */
const RECORD_COLUMNS: readonly ColumnSpec[] = [
  column('number', 'Customer number', 'Record', 'text', 10, null, (c) => formatCustomerNumber(c.id)),
  column('firstName', 'First name', 'Record', 'text', 14, null, (c) => c.firstName),
  column('lastName', 'Last name', 'Record', 'text', 16, null, (c) => c.lastName),
  column('displayName', 'Display name', 'Record', 'text', 24, null, (c) => c.displayName),
  column('company', 'Company', 'Record', 'text', 22, null, (c) => c.company),
  column('email', 'Email', 'Contact', 'text', 30, null, (c) => c.email),
  phone('mobilePhone', 'Mobile phone', 'mobile'),
  phone('homePhone', 'Home phone', 'home'),
  phone('workPhone', 'Work phone', 'work'),
  phone('otherPhone', 'Other phone', 'other'),
  address('addressLine1', 'Address line 1', 'line1', 26),
  address('addressLine2', 'Address line 2', 'line2', 18),
  address('city', 'City', 'city', 16),
  address('region', 'Region', 'region', 14),
  address('postcode', 'Postcode', 'postcode', 10),
  address('country', 'Country', 'country', 8),
  column('status', 'Status', 'Record', 'text', 9, null, (c) => STATUS_LABELS[c.status]),
  column('source', 'Source', 'Record', 'text', 12, null, (c) => customerSourceLabels[c.source] ?? c.source),
  column('marketingConsent', 'Marketing consent', 'Contact', 'text', 8, null, (c) => (c.marketingConsent ? 'Yes' : 'No')),
  column('tags', 'Tags', 'Organise', 'text', 24, 'tags', (c) => c.tags?.join('; ') ?? ''),
  column('groups', 'Groups', 'Organise', 'text', 24, 'groups', (c) => c.groups?.join('; ') ?? ''),
  column('createdAt', 'Customer since', 'Record', 'date', 12, null, (c) => c.createdAt),
  column('updatedAt', 'Last updated', 'Record', 'dateTime', 22, null, (c) => c.updatedAt),
  column('bookings', 'Bookings', 'Money', 'count', 9, 'bookings', (c) => c.bookings ?? 0),
  column('income', 'Income', 'Money', 'money', 12, 'bookings', (c) => c.receivedMinor ?? 0),
  column('outstanding', 'Outstanding balance', 'Money', 'money', 12, 'bookings', (c) => c.outstandingMinor ?? 0),
]

/** Staff notes: personal remarks, so only an administrator exports them, and only when asked. */
const NOTES_COLUMN: ColumnSpec = {
  ...column('notes', 'Notes', 'Notes', 'text', 50, 'notes', (c) => c.notes?.map((n) => `${n.day}: ${n.body}`).join('\n\n') ?? ''),
  defaultOn: false,
  adminOnly: true,
}

interface FieldDefinition {
  id: number
  label: string
  type: CustomFieldType
}

const CUSTOM_KINDS: Record<CustomFieldType, ValueKind> = { text: 'text', choice: 'text', boolean: 'text', number: 'number', date: 'date' }

/** The headers of the record's own columns, as an import compares headers. */
const OWN_HEADERS = new Set<string>()

/**
 * A custom field's column: values as the profile shows them (numbers as numbers, dates as days, yes/no as "Yes"/"No").
 * A field labelled like one of the record's columns is headed "City (custom field)": two columns headed "City" would
 * come back from an import as one, the other's values lost.
 */
function customColumn(field: FieldDefinition): ColumnSpec {
  const kind = CUSTOM_KINDS[field.type]
  const label = OWN_HEADERS.has(headerKey(field.label)) ? `${field.label}${CUSTOM_FIELD_HEADER_SUFFIX}` : field.label
  return column(`custom:${field.id}`, label, 'Custom fields', kind, kind === 'text' ? 18 : 12, 'custom', (c) => {
    const stored = c.custom?.get(field.id)
    if (stored === undefined) return null
    return field.type === 'number' ? Number(stored) : describeCustomFieldValue(field.type, stored)
  })
}

for (const { label } of [...RECORD_COLUMNS, NOTES_COLUMN]) OWN_HEADERS.add(headerKey(label))

/** Every column the desk can choose, in file order: the record, the custom fields (by position), then notes. */
export async function allColumns(db: Knex): Promise<ColumnSpec[]> {
  const fields = (await db('custom_field_definitions').orderBy('position').orderBy('id').select('id', 'label', 'type')) as FieldDefinition[]
  return [...RECORD_COLUMNS, ...fields.map(customColumn), NOTES_COLUMN]
}

/** The catalogue entry the screen shows (plain data: it crosses to the renderer). */
export function describeColumn({ key, label, group, defaultOn, adminOnly }: ColumnSpec): ExportColumn {
  return { key, label, group, defaultOn, adminOnly }
}

/**
 * The chosen columns in file order, whatever order they were ticked in, and
 * the keys that name no column (a custom field deleted since the list was shown).
 */
export async function chooseColumns(db: Knex, keys: readonly string[]): Promise<{ columns: ColumnSpec[]; unknown: string[] }> {
  const all = await allColumns(db)
  const wanted = new Set(keys)
  const known = new Set(all.map((c) => c.key))
  return { columns: all.filter((c) => wanted.has(c.key)), unknown: [...wanted].filter((key) => !known.has(key)) }
}
