import { z } from 'zod'
import { collapseSpaces, freeTextProblem, hiddenCharacterProblem, nameProblem, normalizeFreeText, stripInvisible } from '../text'

/** Database ids are positive integers; anything else is refused at the door. */
export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const byId = z.strictObject({ id })

/** Calls about one customer's bookings, plans and money. */
export const customerIdInput = z.strictObject({ customerId: id })

export const noInput = z.undefined().or(z.strictObject({}))

const tooLong = (max: number) => ({ error: `Keep this under ${max} characters.` })

/** A refinement adding the field message `problem` finds, if any. */
const refuseWhen = (problem: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx<string>) => {
  const message = problem(value)
  if (message) ctx.addIssue({ code: 'custom', message })
}

/*
 * Every typed string arrives in Unicode NFC, so text typed with its marks in
 * another order is stored, compared and indexed as the same text.
 */

/** Bounded text: NFC, trimmed, and never longer than `max` characters. */
export const text = (max: number) => z.string().normalize('NFC').trim().max(max, tooLong(max))

/**
 * A name (customer, company, tag, group, label…): NFC, trimmed, inner spaces
 * collapsed; control and invisible formatting characters and card numbers refused.
 */
export const nameText = (max: number) => z.string().normalize('NFC').overwrite(collapseSpaces).superRefine(refuseWhen(nameProblem)).max(max, tooLong(max))

/**
 * Free text (notes, reasons, references, addresses…): NFC, line ends as \n,
 * trimmed; control characters other than line break and tab, bidi overrides and
 * card numbers refused.
 */
export const freeText = (max: number) => z.string().overwrite(normalizeFreeText).trim().superRefine(refuseWhen(freeTextProblem)).max(max, tooLong(max))

/** An email or phone number as typed: NFC, trimmed, no control or invisible characters (its own rules follow). */
export const contactText = (max: number, tooLongMessage = tooLong(max).error) =>
  z.string().normalize('NFC').trim().superRefine(refuseWhen(hiddenCharacterProblem)).max(max, { error: tooLongMessage })

/** What is typed into a search box: invisible and private-use characters dropped, NFC, trimmed; never refused for its characters. */
export const searchText = (max: number) => z.string().overwrite((value) => stripInvisible(value).normalize('NFC')).trim().max(max, tooLong(max))

export const isoDateTime = z.string()

/** A calendar day, YYYY-MM-DD, that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Use a date like 2026-01-31.' })
  // Round-trip, because Date.parse accepts 2026-02-30 and rolls it into March.
  .refine(
    (v) => {
      const ms = Date.parse(`${v}T00:00:00Z`)
      return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === v
    },
    { error: 'This date does not exist.' },
  )

/** The fields of every list filter; the list and count inputs extend these. */
export const customerFilterFields = {
  search: searchText(200).default(''),
  tagIds: z.array(id).max(50).default([]),
  groupIds: z.array(id).max(50).default([]),
  /** Newsletter (marketing) consent. */
  marketingConsent: z.enum(['any', 'yes', 'no']).default('any'),
  /** Created between these days, both included (the business's calendar days, compared in UTC). */
  createdFrom: isoDate.nullable().default(null),
  createdTo: isoDate.nullable().default(null),
  /** Custom field equals value, in canonical form (NFC text, numbers as decimals, dates YYYY-MM-DD, 'true'/'false'), matched exactly. */
  customFields: z
    .array(z.strictObject({ fieldId: id, value: text(200).min(1, { error: 'Enter a value to look for.' }) }))
    .max(10, { error: 'At most 10 custom field conditions.' })
    .default([]),
  /** Customers whose bookings still owe money. */
  outstanding: z.enum(['any', 'yes']).default('any'),
}

/** "Created between" must not run backwards. */
export function checkCreatedRange(value: { createdFrom: string | null; createdTo: string | null }, ctx: z.RefinementCtx): void {
  if (value.createdFrom && value.createdTo && value.createdFrom > value.createdTo) {
    ctx.addIssue({ code: 'custom', path: ['createdTo'], message: 'The end date is before the start date.' })
  }
}

/** Everything the list can be narrowed by; saved filters store exactly this. */
export const customerFilter = z.strictObject(customerFilterFields).superRefine(checkCreatedRange)
export type CustomerFilter = z.output<typeof customerFilter>
export type CustomerFilterInput = z.input<typeof customerFilter>

/**
 * BUSY: the customer file is held by another program for longer than a save waits;
 * STORAGE: the file cannot be written (read-only, disk full) or is damaged;
 * CANCELLED: a job stopped at the receptionist's request, nothing changed;
 * SIGNED_OUT: no one is signed in (or the session ended);
 * LOCKED: the desk is locked until its person unlocks it;
 * ERASED: the email or phone belongs to someone whose data was erased (a
 * tombstone): the desk may go on only when the person confirms it.
 */
/** OFFLINE: the database server could not be reached (nothing was changed; the desk retries by itself). */
export const errorCodes = ['VALIDATION', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN', 'BUSY', 'STORAGE', 'CANCELLED', 'INTERNAL', 'SIGNED_OUT', 'LOCKED', 'ERASED', 'OFFLINE'] as const
export type ErrorCode = (typeof errorCodes)[number]

/** The only error shape that crosses IPC: readable, serialisable, never a stack. */
export interface ApiError {
  code: ErrorCode
  message: string
  /** First offending field path (e.g. `email`, `phones.0.number`). */
  field?: string
  /** Every offending field path with its message. */
  fields?: Record<string, string>
  /** For conflicts: the record the input collided with. */
  existing?: { id: number; number: string; displayName: string }
  /** For a record that was merged into another: the record its number now leads to. */
  mergedInto?: { id: number; number: string; displayName: string; at: string }
  /** For a save refused because another desk changed the record since it was loaded: the record now, and each field that differs. */
  changedMeanwhile?: ChangedMeanwhile
  /** For an import stopped part-way that kept what it had written (listed in Settings → Imports, to undo later): how many it added. */
  keptImport?: { created: number }
}

/** A field of a record as saved meanwhile (theirs) beside the refused save's (yours), with who changed it last and when. */
export interface FieldConflict {
  /** The field's key in the record (firstName, email, phones…). */
  key: string
  /** The field's name as the desk reads it. */
  field: string
  theirs: string
  yours: string
  by: string | null
  at: string | null
}

export interface ChangedMeanwhile {
  /** The record's version now: a save choosing per field sends it. */
  version: number
  /** The record as it is now (the profile's own shape). */
  current: unknown
  fields: FieldConflict[]
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError }

/**
 * How money was taken or given back, for bookings and plans alike; `rewards`:
 * from (or back to) the customer's referral rewards balance.
 */
export const tenderTypes = ['card', 'cash', 'bank_transfer', 'cheque', 'voucher', 'other', 'rewards'] as const
export type TenderType = (typeof tenderTypes)[number]

/*
 * Words of the address book that other domains' answers use too (a booking names its customer's
 * status, a price the groups it is for): kept here so those schemas need not import the customers' own.
 */

export const customerStatuses = ['active', 'archived', 'blocked'] as const
export type CustomerStatus = (typeof customerStatuses)[number]

export interface GroupRef {
  id: number
  name: string
}

export interface FieldChange {
  field: string
  before: string | null
  after: string | null
}

export interface ChangeEntry {
  id: number
  at: string
  action: string
  staffName: string
  summary: string
  changes: FieldChange[]
}
