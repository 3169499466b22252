import { z } from 'zod'
import {
  byId,
  checkCreatedRange,
  contactText,
  customerFilter,
  customerFilterFields,
  customerStatuses,
  freeText,
  id,
  nameText,
  type CustomerStatus,
  type GroupRef,
} from './common'
import type { BookingMatch } from './bookings'

import { customerSources, type CustomerSource } from '../sources'

export { customerSources, customerSourceLabels, type CustomerSource } from '../sources'

export const phoneLabels = ['mobile', 'home', 'work', 'other'] as const
export const addressLabels = ['home', 'billing', 'service', 'work', 'other'] as const

export const sortKeys = ['number', 'name', 'email', 'createdAt'] as const
export type SortKey = (typeof sortKeys)[number]

const optionalName = (max: number) => nameText(max).default('')
const optionalText = (max: number) => freeText(max).default('')

const asciiEmail = z.email()
// RFC 6531 addresses: zod's ASCII rule with non-ASCII characters also allowed in atoms and labels.
const ATOM = String.raw`(?:[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~-]|[^\x00-\x7F])+`
const LABEL = String.raw`(?:[A-Za-z0-9]|[^\x00-\x7F])(?:(?:[A-Za-z0-9-]|[^\x00-\x7F])*(?:[A-Za-z0-9]|[^\x00-\x7F]))?`
const unicodeEmail = new RegExp(String.raw`^${ATOM}(?:\.${ATOM})*@${LABEL}(?:\.${LABEL})+$`, 'u')

/**
 * An address a customer could really receive mail at: zod's email rule, or an
 * RFC 5321/6531 dot-atom (all printable specials, international characters); never
 * whitespace, control characters, hyphen-edged labels or a bare top-level domain.
 */
export function isPlausibleEmail(value: string): boolean {
  if (value.length > 254 || /[\p{White_Space}\p{Cc}]/u.test(value)) return false
  const at = value.lastIndexOf('@')
  if (at < 1 || at > 64) return false
  const labels = value.slice(at + 1).split('.')
  if (labels.some((label) => label.startsWith('-') || label.endsWith('-') || [...label].length > 63)) return false
  try {
    return asciiEmail.safeParse(value).success || unicodeEmail.test(value)
  } catch {
    return false // malformed Unicode (lone surrogates) makes some checks throw
  }
}

export const phoneInput = z.strictObject({
  id: id.optional(),
  label: z.enum(phoneLabels, { error: 'Choose a label.' }).default('mobile'),
  number: contactText(40).min(1, { error: 'Enter a phone number.' }),
  isPrimary: z.boolean().default(false),
})
export type PhoneInput = z.input<typeof phoneInput>

export const addressInput = z.strictObject({
  id: id.optional(),
  label: z.enum(addressLabels, { error: 'Choose a label.' }).default('home'),
  line1: optionalText(200),
  line2: optionalText(200),
  city: optionalText(100),
  region: optionalText(100),
  postcode: optionalText(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/, { error: 'Use a two-letter country code, e.g. GB.' })
    .default(''),
  isDefaultLetters: z.boolean().default(false),
  isDefaultService: z.boolean().default(false),
})
export type AddressInput = z.input<typeof addressInput>

/**
 * The editable contact record. Email format and phone parsing are checked by
 * the service too (phones need the default-country setting), so these rules
 * are the first line, shared with the renderer's forms.
 */
const customerFields = z.strictObject({
  firstName: optionalName(100),
  lastName: optionalName(100),
  /** Empty means "derive from first and last name". */
  displayName: optionalName(200),
  company: optionalName(200),
  email: contactText(254, 'An email address is at most 254 characters.')
    .refine((v) => v === '' || isPlausibleEmail(v), { error: 'This is not a valid email address.' })
    .default(''),
  source: z.enum(customerSources).default('desk'),
  phones: z.array(phoneInput).max(10, { error: 'At most 10 phone numbers.' }).default([]),
  addresses: z.array(addressInput).max(10, { error: 'At most 10 addresses.' }).default([]),
})

function requireAName(value: { firstName: string; lastName: string; company: string; displayName: string }, ctx: z.RefinementCtx): void {
  if (!value.firstName && !value.lastName && !value.company && !value.displayName) {
    ctx.addIssue({ code: 'custom', path: ['firstName'], message: 'Enter a first name, last name or company.' })
  }
}

export const customerInput = customerFields.superRefine(requireAName)
export type CustomerInput = z.input<typeof customerInput>
export type CustomerInputParsed = z.output<typeof customerInput>

/** A new customer may also ask for a brochure there and then: the request is taken with the record. */
/**
 * `confirmErased`: the desk saw that this email or phone belonged to someone
 * whose data was erased, and goes ahead knowingly (otherwise refused, ERASED).
 */
export const createCustomerInput = customerFields
  .extend({ requestBrochure: z.boolean().default(false), confirmErased: z.boolean().default(false) })
  .superRefine(requireAName)
export type CreateCustomerInput = z.input<typeof createCustomerInput>

/**
 * `version`: the record's version as the desk loaded it; a save against a newer
 * one (another desk saved meanwhile) is refused with CONFLICT and `changedMeanwhile`.
 */
export const updateCustomerInput = z.strictObject({
  id,
  customer: customerInput,
  confirmErased: z.boolean().default(false),
  version: z.number().int().positive().optional(),
})

export const blockCustomerInput = z.strictObject({
  id,
  reason: freeText(500).min(1, { error: 'Give a reason for blocking.' }),
})

const cursor = z.string().max(1000).regex(/^[A-Za-z0-9_-]*$/, { error: 'Invalid page cursor.' })

export const listCustomersInput = z
  .strictObject({
    ...customerFilterFields,
    tab: z.enum(customerStatuses).default('active'),
    sort: z.enum(sortKeys).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    /** Keyset paging: continue after or before an opaque cursor, or open the last page. */
    after: cursor.optional(),
    before: cursor.optional(),
    last: z.boolean().optional(),
    pageSize: z.number().int().min(1).max(200).default(50),
  })
  .superRefine(checkCreatedRange)
export type ListCustomersInput = z.input<typeof listCustomersInput>

export const countCustomersInput = z.strictObject(customerFilterFields).superRefine(checkCreatedRange)
export type CountCustomersInput = z.input<typeof countCustomersInput>

/** Every customer of a tab matching a search and filters, counted exactly (a job): what "Select all matching" selects. */
export const countMatchingInput = z.strictObject({ tab: z.enum(customerStatuses), filter: customerFilter })

/** The exact count a countMatching job answers. */
export interface MatchingCount {
  count: number
}

/** Who has a phone number, as typed or pasted into the list's search. */
export interface PhoneLookup {
  /** The number in international form ("+44 7700 900123"), or null when what was typed is not a whole phone number. */
  number: string | null
  /** Every customer with exactly this number, live ones first (at most CALLER_MATCHES). */
  matches: CustomerListRow[]
  /** More customers have the number than `matches` lists (a switchboard many contacts share). */
  more: boolean
}

/** How many of the customers who share a caller's number the look-up lists. */
export const CALLER_MATCHES = 20

/** The kinds of change a customer's history can be narrowed to. */
export const changeKinds = ['all', 'contact', 'status', 'notes', 'tags', 'groups', 'preferences', 'account', 'bookings', 'brochures'] as const

export const changesInput = z.strictObject({
  id,
  limit: z.number().int().min(1).max(500).default(200),
  /** Only changes of one kind (contact details, status, notes, …). */
  kind: z.enum(changeKinds, { error: 'Choose a kind of change.' }).default('all'),
})

export interface TagRef {
  id: number
  name: string
  color: string | null
}

export interface CustomerListRow {
  id: number
  number: string
  displayName: string
  company: string
  email: string
  phone: string
  status: CustomerStatus
  statusReason: string
  tags: TagRef[]
  createdAt: string
}

export interface CustomerPage {
  rows: CustomerListRow[]
  /** Cursor for the next page, or null on the last page. */
  nextCursor: string | null
  /** Cursor for the previous page, or null on the first page. */
  prevCursor: string | null
  /** Matching customers in this tab; capped when searching (see `totalCapped`). */
  total: number
  totalCapped: boolean
  /**
   * Every tab's count for the same search and filters, read with the page (one
   * look-up per keystroke); null when paging on from a cursor, where they do
   * not change, and when filters without a search would make the rows wait for
   * them (ask customers:counts for those).
   */
  counts: TabCounts | null
  /**
   * When the search looks like a phone number, who has exactly that number (the
   * caller look-up), answered with the page that starts the list afresh so the
   * desk needs one round trip per keystroke; null otherwise, and when paging on.
   */
  caller: PhoneLookup | null
  /**
   * The booking the search names by its reference (B-000123, b123, 123) or a
   * receipt number (R-000042), with the page that starts the list afresh, for
   * staff who may look bookings up; null otherwise.
   */
  booking: BookingMatch | null
}

export interface TabCounts {
  active: number
  archived: number
  blocked: number
  /** True when a search matched more than the counting cap. */
  capped: boolean
}

export interface Phone {
  id: number
  label: (typeof phoneLabels)[number]
  number: string
  e164: string | null
  isPrimary: boolean
}

export interface Address {
  id: number
  label: (typeof addressLabels)[number]
  line1: string
  line2: string
  city: string
  region: string
  postcode: string
  country: string
  isDefaultLetters: boolean
  isDefaultService: boolean
}

export interface CustomerDetail {
  id: number
  number: string
  firstName: string
  lastName: string
  displayName: string
  displayNameIsCustom: boolean
  company: string
  email: string
  /** 'deleted' while the customer is in the recycle bin (the profile offers Restore). */
  status: CustomerStatus | 'deleted'
  statusReason: string
  source: CustomerSource
  createdAt: string
  updatedAt: string
  /** Raised by every change of the record, on any desk: a save names the version it started from. */
  version: number
  phones: Phone[]
  addresses: Address[]
  tags: TagRef[]
  groups: GroupRef[]
  /** Set when the person's data was erased: the record is "Erased customer" and can no longer be changed. */
  erasedAt?: string
}

/** A customer's contact details only (what a team member may see): no notes, no money, no history. */
export interface CustomerContact {
  id: number
  number: string
  displayName: string
  company: string
  email: string
  status: CustomerStatus
  phones: Phone[]
  addresses: Address[]
}

/** The channels answered by the address book: customer records, their lists and counts, and their change history, each with the input it takes. */
export const customersInputs = {
  'customers:list': listCustomersInput,
  'customers:counts': countCustomersInput,
  'customers:countMatching': countMatchingInput,
  'customers:get': byId,
  'customers:create': createCustomerInput,
  'customers:update': updateCustomerInput,
  'customers:archive': byId,
  'customers:unarchive': byId,
  'customers:block': blockCustomerInput,
  'customers:unblock': byId,
  'customers:changes': changesInput,
  'customers:contact': byId,
}
