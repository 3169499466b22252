import type { Knex } from 'knex'
import { CHAIN_READ_COLUMNS, ChainWalk, type ChainCheck, type ChainRow } from './changeChain'
import { dialectOf } from './dialects'

const PAGE = 10_000

function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  const rows = (result as { rows?: unknown } | null)?.rows
  return Array.isArray(rows) ? (rows as T[]) : []
}

/**
 * Walks the whole change log through Knex, in pages of ids (a constant
 * amount of memory on either engine), and finds the first entry that does
 * not follow from the one before (db/changeChain.ts, ChainWalk). Read-only.
 */
export async function verifyChangeChainOf(db: Knex, onProgress?: (done: number, total: number) => void): Promise<ChainCheck> {
  const total = onProgress ? Number(rowsOf<{ n: number }>(await db.raw('SELECT count(*) AS n FROM change_log'))[0]?.n ?? 0) : 0
  const walk = new ChainWalk()
  const sql = `SELECT ${CHAIN_READ_COLUMNS.join(', ')} FROM change_log WHERE id > ? ORDER BY id LIMIT ${PAGE}`
  walking: for (let after = 0; ; ) {
    const rows = rowsOf<Record<(typeof CHAIN_READ_COLUMNS)[number], unknown>>(await db.raw(sql, [after]))
    if (!rows.length) break
    for (const row of rows) {
      const entry = CHAIN_READ_COLUMNS.map((column) => row[column]) as ChainRow
      if (!walk.step(entry)) break walking
      if (onProgress && walk.entries % 50_000 === 0) onProgress(walk.entries, total)
    }
    after = Number(rows[rows.length - 1]!.id)
  }
  return walk.finish(await dialectOf(db).highestChangeLogId(db))
}
