import type { ChangedMeanwhile, ChangeEntry } from '../../../preload/contract'
import { ApiFailure } from '../services/failure'

/**
 * A save or action refused because another desk changed the record since this
 * desk loaded it (CONFLICT with `changedMeanwhile`): what the refusal says
 * about the record now; null for any other failure.
 */
export function changedMeanwhileOf(failure: unknown): ChangedMeanwhile | null {
  return failure instanceof ApiFailure && failure.code === 'CONFLICT' ? (failure.error.changedMeanwhile ?? null) : null
}

/** The history entries written since a copy was loaded: those of `now` newer than every one the copy had. */
export function entriesSince(loaded: readonly ChangeEntry[], now: readonly ChangeEntry[]): ChangeEntry[] {
  const newest = loaded.reduce((max, entry) => Math.max(max, entry.id), 0)
  return now.filter((entry) => entry.id > newest)
}
