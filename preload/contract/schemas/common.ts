import { z } from 'zod'

/** Database ids are positive integers; anything else is refused at the door. */
export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const byId = z.strictObject({ id })

export const noInput = z.undefined().or(z.strictObject({}))

/** Bounded free text: trimmed, and never longer than `max` characters. */
export const text = (max: number) => z.string().trim().max(max, { error: `Keep this under ${max} characters.` })

export const isoDateTime = z.string()

export const errorCodes = ['VALIDATION', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN', 'INTERNAL'] as const
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
