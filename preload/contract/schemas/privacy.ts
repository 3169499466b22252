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

/** The channels answered by personal-data requests, each with the input it takes. */
export const privacyInputs = {
  'privacy:subjectAccess': subjectAccessInput,
  'privacy:subjectAccessSave': subjectAccessSaveInput,
}
