import { z } from 'zod'
import { id } from './common'

/* ── Merging two or three customer records into one, and undoing it ── */

/** A field the person chooses the surviving value of: the record's own, or a custom field (`custom:<field id>`). */
export const mergeFieldKeys = ['name', 'company', 'email', 'status', 'source', 'createdAt', 'tax', 'referredBy', 'household', 'photo'] as const
export type MergeFieldKey = (typeof mergeFieldKeys)[number] | `custom:${number}`

const fieldKey = z.string().regex(/^(name|company|email|status|source|createdAt|tax|referredBy|household|photo|custom:\d{1,9})$/, {
  error: 'Unknown field.',
})

const customerIds = z
  .array(id)
  .min(2, { error: 'Choose two or three customers to merge.' })
  .max(3, { error: 'Merge at most three customers at a time.' })
  .refine((ids) => new Set(ids).size === ids.length, { error: 'Choose different customers to merge.' })

export const mergePreviewInput = z
  .strictObject({ customerIds, survivorId: id })
  .refine((v) => v.customerIds.includes(v.survivorId), { path: ['survivorId'], error: 'The record that stays must be one of those merged.' })

export const mergeInput = z
  .strictObject({
    customerIds,
    survivorId: id,
    /** Which customer's value each field keeps; fields left out keep the survivor's. */
    choices: z.record(fieldKey, id).default({}),
  })
  .refine((v) => v.customerIds.includes(v.survivorId), { path: ['survivorId'], error: 'The record that stays must be one of those merged.' })
  .refine((v) => Object.values(v.choices).every((choice) => v.customerIds.includes(choice)), {
    path: ['choices'],
    error: 'Each value must come from one of the customers merged.',
  })

export const mergeIdInput = z.strictObject({ mergeId: id })
export const mergesForCustomerInput = z.strictObject({ customerId: id })

/** One customer's value of one field, as the choice table shows it. */
export interface MergeFieldValue {
  customerId: number
  /** The value as the desk reads it ('' when there is none). */
  text: string
}

export interface MergeChoiceField {
  key: MergeFieldKey
  label: string
  values: MergeFieldValue[]
  /** The values differ: the person should choose. */
  differs: boolean
  /** Whose value is proposed: the survivor's, or the only one that has a value. */
  proposed: number
}

export interface MergeCustomer {
  id: number
  number: string
  displayName: string
  email: string
  status: 'active' | 'archived' | 'blocked' | 'deleted'
  createdAt: string
}

/** What moves with the merged records, per kind, in the receptionist's words. */
export interface MergeCount {
  key: string
  label: string
  /** Rows that move to the survivor. */
  moves: number
  /** Rows the survivor already has (same tag, same phone…): kept once. */
  duplicates: number
}

export interface MergeConflict {
  /** `block`: the merge is refused; `warn`: it can go ahead, the person should know. */
  level: 'block' | 'warn'
  message: string
}

export interface MergePreview {
  survivorId: number
  customers: MergeCustomer[]
  fields: MergeChoiceField[]
  counts: MergeCount[]
  conflicts: MergeConflict[]
  /** Marketing consent after the merge: the more restrictive wins. */
  consent: { marketingConsent: boolean; unsubscribed: boolean; text: string }
  /** Rewards balances are added together (minor units). */
  rewardsBalanceMinor: number
  currency: string
  /** Rows that move in all; a large merge runs as a background task and is backed up first. */
  totalRows: number
  canMerge: boolean
}

export interface MergeResult {
  mergeId: number
  survivorId: number
  survivorNumber: string
  mergedNumbers: string[]
  moved: number
}

/** A merge as the profile lists it, with whether it can still be undone. */
export interface MergeRecord {
  id: number
  survivorId: number
  survivorNumber: string
  mergedIds: number[]
  mergedNumbers: string[]
  mergedNames: string[]
  at: string
  staffName: string
  undoneAt: string | null
  undoneBy: string | null
  /** Why Undo is not possible now, in a sentence; null when it is. */
  undoBlockedBy: string | null
}

export interface MergeUndoResult {
  mergeId: number
  survivorId: number
  restoredIds: number[]
  restoredNumbers: string[]
}

export const mergesInputs = {
  'merges:preview': mergePreviewInput,
  'merges:merge': mergeInput,
  'merges:undo': mergeIdInput,
  'merges:forCustomer': mergesForCustomerInput,
}
