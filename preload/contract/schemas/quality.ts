import { z } from 'zod'
import { id, noInput } from './common'

/* ── The data-quality queue: records that need attention, each with its action ── */

export const qualityCategories = [
  'missingEmail',
  'invalidEmail',
  'invalidPhone',
  'duplicate',
  'noPostalAddress',
  'consentWithoutEvidence',
  'inactive',
] as const
export type QualityCategory = (typeof qualityCategories)[number]

/** One customer needing attention in one category, as the queue shows it. */
export interface QualityRow {
  customerId: number
  number: string
  displayName: string
  status: 'active' | 'archived' | 'blocked'
  /** What is wrong, in a sentence: "No email address", "07700 900181 is not a valid number for the United Kingdom". */
  problem: string
  /** Likely duplicates: the other customers' ids (the action reviews them together). */
  otherIds: number[]
  /** Inactive: the last booking, payment or change (ISO UTC). */
  lastActivityAt: string | null
}

export interface QualityPage {
  rows: QualityRow[]
  /** The customer id to pass as `after` for the next page; null on the last page. */
  nextAfter: number | null
}

export interface QualityCounts {
  counts: Record<QualityCategory, number>
  /** Every row of every category (a customer may be in several). */
  total: number
  /** When the whole address book was last checked (ISO UTC); null: never yet. */
  checkedAt: string | null
}

/** What a full check found. */
export interface QualityScanResult {
  customers: number
  counts: Record<QualityCategory, number>
  ms: number
}

export const qualityPageInput = z.strictObject({
  category: z.enum(qualityCategories, { error: 'Choose a category.' }),
  /** Keyset paging by customer number: the page after this customer. */
  after: id.optional(),
  pageSize: z.number().int().min(1).max(200).default(50),
})

/** The channels of the data-quality queue, each with the input it takes. */
export const qualityInputs = {
  'quality:counts': noInput,
  'quality:page': qualityPageInput,
  'quality:scan': noInput,
}
