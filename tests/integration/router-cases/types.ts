import type { TestCore } from '../../helpers/core'

/**
 * One channel's router test: a valid input (run in contract order) and inputs that must be refused as VALIDATION.
 * `valid` may be a function that prepares its own data through the app and returns the input (ids it created).
 */
export interface RouterCase {
  valid: unknown
  invalid: unknown[]
  /** The valid input is refused for the app's state, not the input (e.g. restoring needs the app's data layer): this code. */
  refusedFor?: string
}

/** A valid input computed at run time, after the earlier cases ran. */
export type PreparedInput = (app: TestCore) => Promise<unknown>

export const prepared = (make: PreparedInput): { prepare: PreparedInput } => ({ prepare: make })

export function isPrepared(valid: unknown): valid is { prepare: PreparedInput } {
  return typeof valid === 'object' && valid !== null && 'prepare' in valid && typeof (valid as { prepare: unknown }).prepare === 'function'
}
