import type { Knex } from 'knex'
import { dialectOf } from './dialects'

/*
 * Idle-time upkeep, run every minute in the job worker: search-index merging
 * and WAL checkpoints, work a customer write would otherwise pay for now and
 * then. Merging goes in small slices, each its own short write transaction,
 * so a save from the desk never waits long behind it.
 */

/** One slice of search-index merging; true when it found work (another may follow). */
export function mergeSearchSlice(db: Knex): Promise<boolean> {
  return db.transaction((trx) => dialectOf(trx).mergeSearchSlice(trx))
}

export function checkpointDatabase(db: Knex): Promise<void> {
  return dialectOf(db).checkpoint(db)
}

/** At most this many slices per round of upkeep: the rest waits for the next round. */
export const MAX_MERGE_SLICES = 64

/** A whole round on one connection (tests, the benchmark): slices until there is no work left, then a checkpoint. */
export async function tidyDatabase(db: Knex): Promise<void> {
  for (let i = 0; i < MAX_MERGE_SLICES && (await mergeSearchSlice(db)); i++);
  await checkpointDatabase(db)
}
