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
  /**
   * Waits for the job's turn to write, for work that reads first and writes
   * last: until then the desk's own saves go on. Called directly, it is at once.
   */
  waitForWriteTurn(): Promise<void>
  /**
   * For work that commits in turns while holding its turn to write: the
   * desk's saves waiting meanwhile go first. Called directly, it is at once.
   */
  passWriteTurn?(): Promise<void>
}

export const NO_PROGRESS: Progress = {
  report() {},
  checkCancelled() {},
  waitForWriteTurn: () => Promise.resolve(),
}

export class Cancelled extends DomainError {
  constructor(message = 'Cancelled: nothing was changed.') {
    super('CANCELLED', message)
  }
}
