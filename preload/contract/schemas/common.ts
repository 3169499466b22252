import { z } from 'zod'
import { collapseSpaces, freeTextProblem, hiddenCharacterProblem, nameProblem, normalizeFreeText, stripInvisible } from '../text'

/** Database ids are positive integers; anything else is refused at the door. */
export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const byId = z.strictObject({ id })

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

/** What is typed into a search box: invisible characters dropped, NFC, trimmed; never refused for its characters. */
export const searchText = (max: number) => z.string().overwrite((value) => stripInvisible(value).normalize('NFC')).trim().max(max, tooLong(max))

export const isoDateTime = z.string()

/**
 * BUSY: the customer file is held by another program for longer than a save waits;
 * STORAGE: the file cannot be written (read-only, disk full) or is damaged;
 * CANCELLED: a job stopped at the receptionist's request, nothing changed.
 */
export const errorCodes = ['VALIDATION', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN', 'BUSY', 'STORAGE', 'CANCELLED', 'INTERNAL'] as const
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
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError }
