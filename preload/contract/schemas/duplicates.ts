import { z } from 'zod'
import { id, noInput, searchText, type CustomerStatus } from './common'

/* ── Likely duplicates: warned about as a record is typed, and found by a full scan ── */

/** Why two records may be one person, strongest first. */
export const duplicateReasons = ['email', 'phone', 'name-postcode', 'swapped', 'nickname', 'same-name', 'similar-name'] as const
export type DuplicateReason = (typeof duplicateReasons)[number]

export const duplicateReasonLabels: Record<DuplicateReason, string> = {
  email: 'Same email',
  phone: 'Same phone',
  'name-postcode': 'Similar name, same postcode',
  swapped: 'First and last name swapped',
  nickname: 'Nickname of the same name',
  'same-name': 'Same name',
  'similar-name': 'Similar name',
}

/** A customer as a duplicate warning or group shows them. */
export interface DuplicateCustomer {
  id: number
  number: string
  displayName: string
  email: string
  /** The primary phone as typed ('' when none). */
  phone: string
  /** The first address's postcode ('' when none). */
  postcode: string
  status: CustomerStatus
  createdAt: string
}

export interface DuplicateMatch {
  customer: DuplicateCustomer
  reasons: DuplicateReason[]
  /** 0–100: how sure the match is. */
  score: number
}

export interface DuplicateCheck {
  /** Likely the same person, most likely first (at most 5). */
  matches: DuplicateMatch[]
  /** Set when the email or a phone belonged to someone whose data was erased. */
  erased: { at: string; kind: 'email' | 'phone' } | null
}

/**
 * The details typed so far (of a new customer, a new caller, or a customer
 * being edited). Partial text is fine: nothing here is refused for being
 * incomplete, only what is complete is compared.
 */
export const duplicateCheckInput = z.strictObject({
  email: searchText(254).optional(),
  phones: z.array(searchText(40)).max(10).optional(),
  firstName: searchText(100).optional(),
  lastName: searchText(100).optional(),
  postcode: searchText(20).optional(),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/, { error: 'Use a two-letter country code, e.g. GB.' })
    .optional(),
  /** The customer being edited: never their own duplicate. */
  excludeCustomerId: id.optional(),
})
export type DuplicateCheckInput = z.input<typeof duplicateCheckInput>

/** "It's a different person": these records are never offered as duplicates of each other again. */
export const dismissDuplicateInput = z.strictObject({
  customerId: id,
  otherIds: z.array(id).min(1).max(20),
})

export const duplicatesForCustomerInput = z.strictObject({ customerId: id })

export const duplicateGroupsInput = z.strictObject({
  /** Groups are ranked by their strongest pair; pages of `pageSize` from `page` 0. */
  page: z.number().int().min(0).max(100_000).default(0),
  pageSize: z.number().int().min(1).max(100).default(20),
})

export interface DuplicateGroupPair {
  customerA: number
  customerB: number
  reasons: DuplicateReason[]
  score: number
}

/** Records the scan thinks are one person: every pair found between them, strongest first. */
export interface DuplicateGroup {
  customers: DuplicateCustomer[]
  pairs: DuplicateGroupPair[]
  /** The strongest pair's score. */
  score: number
}

export interface DuplicateGroupsPage {
  groups: DuplicateGroup[]
  /** Groups in all, and the pairs behind them (dismissed pairs left out). */
  totalGroups: number
  totalPairs: number
  /** When the last full scan finished (ISO UTC), or null before the first. */
  scannedAt: string | null
  /** How many customers the last scan compared. */
  scannedCustomers: number
}

/** What a full scan found (the job's result). */
export interface DuplicateScanResult {
  customers: number
  pairs: number
  groups: number
  scannedAt: string
  seconds: number
}

/** The channels answered for likely duplicates, each with the input it takes. */
export const duplicatesInputs = {
  'duplicates:check': duplicateCheckInput,
  'duplicates:dismiss': dismissDuplicateInput,
  'duplicates:forCustomer': duplicatesForCustomerInput,
  'duplicates:groups': duplicateGroupsInput,
  'duplicates:scan': noInput,
}
