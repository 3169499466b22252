import type { ApiError, ErrorCode } from '../../preload/contract'

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
  constructor(message: string) {
    super('NOT_FOUND', message)
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
