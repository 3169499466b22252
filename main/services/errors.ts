import type { ApiError, ErrorCode } from '../../preload/contract'
import { describeDatabaseFailure } from '../../db/errors'

/** What the user reads when something failed that no rule foresaw; every write is transactional, so nothing changed. */
export const INTERNAL_ERROR: ApiError = {
  code: 'INTERNAL',
  message: 'Something went wrong and nothing was changed. Please try again.',
}

/** Base for every error a service may throw on purpose; the router maps these to ApiError. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ApiError, 'code' | 'message'> = {},
  ) {
    super(message)
    this.name = new.target.name
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message, ...this.extra }
  }
}

export class ValidationFailed extends DomainError {
  constructor(message: string, fields: Record<string, string> = {}) {
    const first = Object.keys(fields)[0]
    super('VALIDATION', message, first ? { field: first, fields } : {})
  }

  static field(field: string, message: string): ValidationFailed {
    return new ValidationFailed(message, { [field]: message })
  }
}

export class NotFound extends DomainError {
  constructor(message: string, extra: Omit<ApiError, 'code' | 'message'> = {}) {
    super('NOT_FOUND', message, extra)
  }
}

export class Conflict extends DomainError {
  constructor(message: string, extra: Omit<ApiError, 'code' | 'message'> = {}) {
    super('CONFLICT', message, extra)
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message)
  }
}

/**
 * The answer for anything a request or job threw. `expected` is false when the
 * failure was not a rule the service enforces and deserves a log entry.
 */
export function apiErrorOf(error: unknown): { error: ApiError; expected: boolean } {
  if (error instanceof DomainError) return { error: error.toApiError(), expected: true }
  if (isLiveEmailTaken(error)) return { error: LIVE_EMAIL_TAKEN, expected: true }
  return { error: describeDatabaseFailure(error) ?? INTERNAL_ERROR, expected: false }
}

/**
 * The database's own refusal of a second live customer with one email (the unique index
 * customers_live_email): the desk's check comes first, so only a write racing another desk's
 * reaches it.
 */
const LIVE_EMAIL_TAKEN: ApiError = {
  code: 'CONFLICT',
  message: 'Another customer has just been saved with this email address, at another desk. Nothing was changed: search for the email to find them.',
  field: 'email',
  fields: { email: 'Another customer has just been saved with this email address.' },
}

function isLiveEmailTaken(error: unknown): boolean {
  const failure = error as { code?: unknown; constraint?: unknown; message?: unknown } | null
  // PostgreSQL names the index; SQLite names the indexed column (only that index makes it unique).
  if (failure?.code === '23505') return failure.constraint === 'customers_live_email'
  return failure?.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(failure.message).includes('customers.email_normalized')
}
