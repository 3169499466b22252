import { z } from 'zod'
import { byId, id, noInput } from './common'

/**
 * Customers in from a spreadsheet, a contacts export or vCards. Main shows
 * the open dialog and keeps the chosen file behind a `sourceId`; the desk maps
 * columns to fields, checks (a dry run) and then imports, in the background,
 * all or nothing. A finished import can be undone whole.
 */

/** What a column can become. Custom fields are `custom:<id>`; '' ignores the column. */
export const importFieldKeys = [
  'customerNumber',
  'legacyId',
  'fullName',
  'firstName',
  'lastName',
  'displayName',
  'company',
  'email',
  'phone',
  'mobilePhone',
  'homePhone',
  'workPhone',
  'otherPhone',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postcode',
  'country',
  'status',
  'customerSince',
  'marketingConsent',
  'tags',
  'groups',
  'note',
  'noteDate',
  'photo',
  'bookingDate',
  'bookingDescription',
  'bookingAmount',
  'bookingPaid',
  'bookingReference',
] as const
export type ImportFieldKey = (typeof importFieldKeys)[number]

const mappingTarget = z.union([z.enum(importFieldKeys), z.string().regex(/^custom:\d{1,9}$/), z.literal('')])

/**
 * When a row's customer is already in the address book (same customer
 * number, same email, then same phone): fill their empty fields, overwrite
 * with the file's values, leave them as they are, or create a new customer
 * anyway — never one whose email another live customer has.
 */
export const importMatchModes = ['fill', 'overwrite', 'skip', 'create'] as const
export type ImportMatchMode = (typeof importMatchModes)[number]

export const importSourceId = z.string().regex(/^[a-f0-9]{16,64}$/)

export const importPreviewInput = z.strictObject({ sourceId: importSourceId, sheet: z.string().max(200).nullable() })

export const importRequest = z.strictObject({
  sourceId: importSourceId,
  sheet: z.string().max(200).nullable(),
  /** One target per column of the file, in the file's order. */
  mapping: z.array(mappingTarget).min(1).max(1000),
  match: z.enum(importMatchModes).default('fill'),
  /** Rows of people whose email or phone belonged to someone erased are refused unless this is set. */
  includeErased: z.boolean().default(false),
})
export type ImportRequestInput = z.output<typeof importRequest>

export interface ImportFieldChoice {
  key: string
  label: string
  group: 'Record' | 'Name' | 'Contact' | 'Address' | 'Organise' | 'Notes' | 'Past bookings' | 'Custom fields'
  /** What the column should hold, e.g. "yes/no", "a date", "several, separated by ;". */
  hint: string
}

export type ImportLayout = 'google' | 'outlook' | 'frontdesk' | 'migration' | 'vcard' | 'remembered' | 'guessed'

export interface ImportPreview {
  sourceId: string
  fileName: string
  format: 'csv' | 'xlsx' | 'vcard'
  /** "CSV, semicolon-separated, Windows-1252", "Excel workbook, sheet “Customers”"… */
  description: string
  sheets: string[]
  sheet: string | null
  headers: string[]
  /** The first rows as text, for the mapping preview. */
  sampleRows: string[][]
  layout: ImportLayout
  /** The layout in words: "Google Contacts export", "Your mapping for these columns, from 3 Dec". */
  layoutLabel: string
  /** The suggested target of each column ('' = ignore). */
  mapping: string[]
  fields: ImportFieldChoice[]
}

export interface ImportReject {
  /** Where the desk finds it: the row number in the file (a contact's number in a vCard file). */
  line: number
  reason: string
}

/** What an import did (or a check would do): rows read, customers by outcome, rows rejected, notes and past bookings added. */
export interface ImportCounts {
  rows: number
  created: number
  updated: number
  unchanged: number
  skipped: number
  rejected: number
  notes: number
  bookings: number
}

export interface ImportSummary extends ImportCounts {
  dryRun: boolean
  fileName: string
  /** The first rejects; all of them are in the file `imports:saveRejects` saves. */
  rejects: ImportReject[]
  /** Set once an import has run: its entry in Settings → Imports. */
  importId: number | null
  seconds: number
}

export interface ImportRecord extends ImportCounts {
  id: number
  fileName: string
  format: string
  staffName: string
  startedAt: string
  finishedAt: string
  match: ImportMatchMode
  state: 'running' | 'done' | 'undone'
  undoneAt: string | null
  undoneBy: string | null
}

export interface ImportUndoResult {
  removed: number
  restored: number
  /** Fields changed by someone after the import, left as they are now. */
  keptLaterEdits: number
}

/** The rejected rows of a check or an import, by its job. */
export const saveRejectsInput = z.strictObject({ jobId: id })

export const importsInputs = {
  'imports:choose': noInput,
  'imports:preview': importPreviewInput,
  'imports:check': importRequest,
  'imports:run': importRequest,
  'imports:saveRejects': saveRejectsInput,
  'imports:list': noInput,
  'imports:undo': byId,
}
