import type { ApiError } from '../../../preload/contract'

/** A call the backend refused: carries the readable, serialisable error. */
export class ApiFailure extends Error {
  readonly error: ApiError

  constructor(error: ApiError) {
    super(error.message)
    this.name = 'ApiFailure'
    this.error = error
  }

  get code(): ApiError['code'] {
    return this.error.code
  }

  /** Field path → message, e.g. `phones.0.number`. Always an object. */
  get fields(): Record<string, string> {
    if (this.error.fields) return this.error.fields
    return this.error.field ? { [this.error.field]: this.error.message } : {}
  }
}

/** A readable message for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiFailure) return error.message
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong. Please try again.'
}
