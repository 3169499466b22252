import { DomainError } from './errors'

/**
 * What long work tells the desk as it goes, and how it hears "Cancel".
 * Services that can run as a job take one; called directly they get NO_PROGRESS.
 */
export interface Progress {
  /** `done` of `total` items, optionally naming the current step. */
  report(done: number, total: number, phase?: string): void
  /** Throws Cancelled when the receptionist asked to stop; the transaction then rolls back whole. */
  checkCancelled(): void
}

export const NO_PROGRESS: Progress = {
  report() {},
  checkCancelled() {},
}

export class Cancelled extends DomainError {
  constructor(message = 'Cancelled: nothing was changed.') {
    super('CANCELLED', message)
  }
}
