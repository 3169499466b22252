import type { Knex } from 'knex'
import { allRows } from '../../db/queries/customerList'
import type { Progress } from './progress'

/** Rows per statement when a change reaches many customers: small enough that Cancel and progress come often. */
const BATCH = 5000

/**
 * Deletes every row of `table` where `column = value`, walking `key` (the
 * customer) in batches, with progress in customers and Cancel between
 * batches. Runs inside the caller's transaction, so it stays all or nothing.
 * `beforeEach` runs on each batch's keys first (e.g. to copy links elsewhere).
 * Returns how many rows went.
 */
export async function removeInBatches(
  trx: Knex,
  target: { table: string; column: string; value: number; key: string },
  progress: Progress,
  beforeEach?: (keys: number[]) => Promise<void>,
): Promise<number> {
  const { table, column, value, key } = target
  const total = Number((allRows<{ n: number }>(await trx.raw(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`, [value]))[0]?.n) ?? 0)
  let done = 0
  progress.report(0, total)
  for (;;) {
    progress.checkCancelled()
    const keys = allRows<{ k: number }>(
      await trx.raw(`SELECT ${key} AS k FROM ${table} WHERE ${column} = ? ORDER BY ${key} LIMIT ?`, [value, BATCH]),
    ).map((r) => Number(r.k))
    if (!keys.length) break
    await beforeEach?.(keys)
    const last = keys[keys.length - 1]!
    await trx.raw(`DELETE FROM ${table} WHERE ${column} = ? AND ${key} <= ?`, [value, last])
    done += keys.length
    progress.report(done, total)
  }
  return done
}
