import { z } from 'zod'
import { id } from './common'
import type { Printout } from './printouts'

/* ── Personal-data requests: a person's complete data given to them ── */

/** A subject-access request for one customer: made in the background, then previewed and saved. */
export const subjectAccessInput = z.strictObject({ customerId: id })

export const subjectAccessFormats = ['json', 'pdf'] as const
export type SubjectAccessFormat = (typeof subjectAccessFormats)[number]

/** Saving one of the request's two files where the person chooses (main shows the dialog). */
export const subjectAccessSaveInput = z.strictObject({
  /** The PDF printout's id: the data file was kept with it. */
  id: z.string().regex(/^[0-9a-f]{24}$/, { error: 'This subject access request is not known; make it again.' }),
  format: z.enum(subjectAccessFormats),
})

/** What a finished subject-access job answers: the PDF to preview, the data file beside it, and how much each section holds. */
export interface SubjectAccessResult {
  customerId: number
  customerNumber: string
  /** The readable PDF, kept as a printout (its id also names the data file). */
  printout: Printout
  /** The name suggested for the JSON data file, and its size. */
  dataFileName: string
  dataBytes: number
  /** Rows per section, in the order the PDF shows them ("Bookings" → 12). */
  sections: { title: string; count: number }[]
}

export interface SavedSubjectAccessFile {
  fileName: string
}

/* ── Erasure: a person's personal data removed, their accounts kept ── */

export const erasePreviewInput = z.strictObject({ customerId: id })

/** Erasing needs the customer number typed out (ErasurePreview.confirmWith): it cannot be undone. */
export const eraseInput = z.strictObject({
  customerId: id,
  confirm: z.string().trim().max(20, { error: 'Type the customer number, e.g. C-000123.' }),
})

/** What an erasure would remove and keep, for the confirmation. */
export interface ErasurePreview {
  customerId: number
  number: string
  displayName: string
  status: string
  /** Set when this person was erased already. */
  erasedAt: string | null
  /** What goes, with how many rows each ("Phone numbers" → 2); only what there is. */
  removed: Array<{ label: string; count: number }>
  /** What stays for the accounts: bookings, payments, plans, rewards, change-log entries (redacted). */
  kept: Array<{ label: string; count: number }>
  /** What the person confirming types: the customer number. */
  confirmWith: string
}

/** What a finished erasure job answers. */
export interface ErasureResult {
  customerId: number
  number: string
  erasedAt: string
  /** Change-log entries whose personal values were redacted. */
  redactedEntries: number
  /** Contacts remembered by keyed hash (email and each phone). */
  tombstones: number
  /** Whether the write-ahead log was emptied at once (false: a reader held it; the idle checkpoint copies it later). */
  checkpointed: boolean
  ms: number
}

/** The channels answered by personal-data requests, each with the input it takes. */
export const privacyInputs = {
  'privacy:subjectAccess': subjectAccessInput,
  'privacy:subjectAccessSave': subjectAccessSaveInput,
  'privacy:erasePreview': erasePreviewInput,
  'privacy:erase': eraseInput,
}
