import type { Knex } from 'knex'
import type { ExportScope } from '../../../preload/contract'
import { firstRow, selectAllMatchingIds } from '../../../db/queries/customerList'
import { dialectOf } from '../../../db/dialects'
import { followMergedNumber, searchAndFilters } from '../customers/list'
import { NOT_DELETED, type Walk } from './rows'

/** Who is exported, and how many they are. */
export interface ResolvedScope extends Walk {
  total: number
}

export async function resolveScope(db: Knex, scope: ExportScope): Promise<ResolvedScope> {
  switch (scope.kind) {
    case 'all': {
      const row = firstRow<{ n: number }>(await db.raw(`SELECT count(*) AS n FROM customers c WHERE ${NOT_DELETED}`))
      return { total: Number(row?.n ?? 0), ids: null }
    }
    case 'filter': {
      // The same look-up as the list's "select all matching", so the file holds what the list showed.
      const { plan, filters } = searchAndFilters(scope.filter)
      await followMergedNumber(db, plan)
      const ids = await selectAllMatchingIds(db, scope.tab, plan, filters)
      return { total: ids.length, ids }
    }
    case 'ids': {
      const ids = [...new Set(scope.ids)].sort((a, b) => a - b)
      const list = dialectOf(db).idListSql(ids)
      const row = firstRow<{ n: number }>(
        await db.raw(`SELECT count(*) AS n FROM (${list.sql}) m CROSS JOIN customers c WHERE c.id = m.id AND ${NOT_DELETED}`, list.bindings),
      )
      return { total: Number(row?.n ?? 0), ids }
    }
  }
}

/**
 * The scope in pieces of about `size` customers (larger if that would make more than `most`), in
 * id order: ranges of ids when every customer is walked (ids seldom leave gaps of any size), slices
 * of the list otherwise. None when it is empty.
 */
export async function piecesOf(db: Knex, scope: ResolvedScope, size: number, most: number): Promise<Walk[]> {
  const pieces: Walk[] = []
  if (scope.ids !== null) {
    const step = Math.max(size, Math.ceil(scope.ids.length / most))
    for (let i = 0; i < scope.ids.length; i += step) pieces.push({ ids: scope.ids.slice(i, i + step) })
    return pieces
  }
  const row = firstRow<{ low: number | null; high: number | null }>(await db.raw(`SELECT min(c.id) AS low, max(c.id) AS high FROM customers c`))
  if (row?.low === null || row?.low === undefined || row.high === null || row.high === undefined) return []
  const [low, high] = [Number(row.low), Number(row.high)]
  const step = Math.max(size, Math.ceil((high - low + 1) / most))
  for (let from = low; from <= high; from += step) pieces.push({ ids: null, from, below: Math.min(from + step, high + 1) })
  return pieces
}
