import { z } from 'zod'
import { freeText, id, isoDate, nameText, noInput } from './common'
import type { Printout } from './printouts'

/* ── Brochure requests: taking them, the worklist, marking them posted ── */

export const brochureRequestStatuses = ['pending', 'posted', 'cancelled'] as const
export type BrochureRequestStatus = (typeof brochureRequestStatuses)[number]

/** One customer's request, as the profile lists it. */
export interface BrochureRequest {
  id: number
  customerId: number
  /** ISO UTC. */
  requestedAt: string
  takenByName: string
  note: string
  status: BrochureRequestStatus
  /** The desk's calendar day it was posted (YYYY-MM-DD). */
  postedOn: string | null
  postedByName: string
  /** When it was cancelled (ISO UTC). */
  cancelledAt: string | null
}

export const requestBrochureInput = z.strictObject({
  customerId: id,
  note: freeText(500).default(''),
})
export const customerBrochureRequestsInput = z.strictObject({ customerId: id })
export const brochureRequestIdInput = z.strictObject({ id })

export const worklistTabs = ['pending', 'posted'] as const
export type WorklistTab = (typeof worklistTabs)[number]

/** The worklist's date filter: requested between these desk days, both included; null is open-ended. */
export const worklistFilter = z
  .strictObject({
    from: isoDate.nullable().default(null),
    to: isoDate.nullable().default(null),
  })
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end date is before the start date.' })
  })
export type WorklistFilter = z.output<typeof worklistFilter>
export type WorklistFilterInput = z.input<typeof worklistFilter>

const cursor = z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, { error: 'Invalid page cursor.' })

export const worklistInput = z.strictObject({
  tab: z.enum(worklistTabs).default('pending'),
  filter: worklistFilter.default({ from: null, to: null }),
  /** Keyset paging: the page after this cursor (pending oldest first, posted newest first). */
  after: cursor.optional(),
  pageSize: z.number().int().min(1).max(200).default(50),
})

export const worklistCountsInput = z.strictObject({ filter: worklistFilter.default({ from: null, to: null }) })

/**
 * Why a letter may not go out as it is: no postal address to write on it
 * (`cannotPost`), or a customer who should not be mailed or is no longer live.
 */
export const worklistFlags = ['cannotPost', 'unsubscribed', 'archived', 'blocked', 'deleted'] as const
export type WorklistFlag = (typeof worklistFlags)[number]

export interface WorklistRow {
  id: number
  customerId: number
  customerNumber: string
  customerName: string
  requestedAt: string
  takenByName: string
  note: string
  postedOn: string | null
  postedByName: string
  /** The letters address on one line ("1 High St, Bath BA1 1AA, GB"); '' when there is none. */
  address: string
  flags: WorklistFlag[]
}

export interface WorklistPage {
  rows: WorklistRow[]
  nextCursor: string | null
}

export interface WorklistCounts {
  pending: number
  posted: number
}

/**
 * The requests an action applies to: the ones ticked on screen, or "every
 * request in this tab matching the date filter" with the count the receptionist
 * saw — if that changed since, nothing is done and the new count is given.
 */
export const brochureSelection = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ids'), ids: z.array(id).min(1, { error: 'Choose at least one request.' }).max(100_000) }),
  z.strictObject({
    kind: z.literal('filter'),
    tab: z.enum(worklistTabs),
    filter: worklistFilter,
    expectedCount: z.number().int().min(1).max(10_000_000),
  }),
])
export type BrochureSelection = z.output<typeof brochureSelection>
export type BrochureSelectionInput = z.input<typeof brochureSelection>

export const markPostedInput = z.strictObject({
  selection: brochureSelection,
  /** The desk's calendar day they went in the post; not in the future. */
  postedOn: isoDate,
})

export interface MarkPostedResult {
  posted: number
}

/* ── Letters, address labels and letter templates ── */

export const envelopeKinds = ['dl', 'c5'] as const
export type EnvelopeKind = (typeof envelopeKinds)[number]
export const labelSheetKinds = ['a4-3x7', 'a4-2x7', 'letter-3x10'] as const
export type LabelSheetKind = (typeof labelSheetKinds)[number]

export interface LetterTemplate {
  id: number
  name: string
  body: string
  /** The template the print dialog offers first; exactly one is. */
  isDefault: boolean
  updatedAt: string
}

/** A merge field for the editor's Insert field menu: written {{key}} in a body. */
export interface MergeField {
  key: string
  label: string
  description: string
}

const templateBody = freeText(20_000).refine((body) => body.length > 0, { error: 'Write the letter’s text.' })

export const saveLetterTemplateInput = z.strictObject({
  id: id.optional(),
  name: nameText(100).refine((name) => name.trim().length > 0, { error: 'Give the template a name.' }),
  body: templateBody,
  isDefault: z.boolean().default(false),
})
export const letterTemplateIdInput = z.strictObject({ id })

/** A template as it is being edited, on one customer (or a sample when null). */
export const letterPreviewInput = z.strictObject({
  body: templateBody,
  customerId: id.nullable().default(null),
  envelope: z.enum(envelopeKinds).default('dl'),
})

/** What a print run is made of: chosen requests, or all those matching the worklist's filter. */
export const printSelectionInput = z.strictObject({ selection: brochureSelection })

export const printLettersInput = z.strictObject({
  selection: brochureSelection,
  templateId: id,
  envelope: z.enum(envelopeKinds),
  /** Leave out unsubscribed, archived, blocked and deleted customers (the check lists them first). */
  skipFlagged: z.boolean().default(true),
})

export const printLabelsInput = z.strictObject({
  selection: brochureSelection,
  sheet: z.enum(labelSheetKinds),
  /** The first free label on the first sheet, counted row by row from 1 (a partly used sheet). */
  start: z.number().int().min(1, { error: 'Start at label 1 or later.' }).max(30, { error: 'A sheet has at most 30 labels.' }).default(1),
  skipFlagged: z.boolean().default(true),
})

export interface PrintCheckCustomer {
  customerId: number
  customerName: string
  flags: WorklistFlag[]
}

/** Letters or labels made: the PDF, how many were printed, and who was left out. */
export interface BrochurePrintout extends Printout {
  printed: number
  cannotPost: PrintCheckCustomer[]
  /** Flagged customers left out as the desk chose. */
  leftOut: PrintCheckCustomer[]
}

/** Before printing: who gets a letter, who cannot be posted to, who is flagged. */
export interface PrintCheck {
  requests: number
  /** Distinct customers with a postal address (one letter each). */
  postable: number
  /** No postal address: left out of letters and labels. */
  cannotPost: PrintCheckCustomer[]
  /** Unsubscribed, archived, blocked or deleted: printed only when asked. */
  flagged: PrintCheckCustomer[]
}

/** The channels answered for brochure requests, each with the input it takes. */
export const brochuresInputs = {
  'brochures:request': requestBrochureInput,
  'brochures:forCustomer': customerBrochureRequestsInput,
  'brochures:cancel': brochureRequestIdInput,
  'brochures:worklist': worklistInput,
  'brochures:counts': worklistCountsInput,
  'brochures:markPosted': markPostedInput,
  'brochures:templates': noInput,
  'brochures:mergeFields': noInput,
  'brochures:saveTemplate': saveLetterTemplateInput,
  'brochures:deleteTemplate': letterTemplateIdInput,
  'brochures:previewLetter': letterPreviewInput,
  'brochures:printCheck': printSelectionInput,
  'brochures:printLetters': printLettersInput,
  'brochures:printLabels': printLabelsInput,
}
