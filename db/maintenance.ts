import type { Knex } from 'knex'
import { dialectOf } from './dialects'

/**
 * Idle-time upkeep, run every minute by the app: merges a bounded slice of the
 * search index and checkpoints the WAL, work a customer write would otherwise
 * pay for now and then (tens of milliseconds at a million customers).
 */
export function tidyDatabase(db: Knex): Promise<void> {
  return dialectOf(db).tidy(db)
}
