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
 * The scope in two halves of about as many customers each, the first before the second in id
 * order; null when it is walked whole (no customers to share).
 */
export async function halvesOf(db: Knex, scope: ResolvedScope): Promise<[Walk, Walk] | null> {
  if (scope.ids !== null) {
    const half = Math.ceil(scope.ids.length / 2)
    return half ? [{ ids: scope.ids.slice(0, half) }, { ids: scope.ids.slice(half) }] : null
  }
  // Ids are given in order and seldom leave gaps of any size: the middle id halves the book closely enough.
  const row = firstRow<{ low: number | null; high: number | null }>(await db.raw(`SELECT min(c.id) AS low, max(c.id) AS high FROM customers c`))
  if (row?.low === null || row?.low === undefined || row.high === null || row.high === undefined) return null
  const middle = Math.floor((Number(row.low) + Number(row.high)) / 2) + 1
  return [{ ids: null, below: middle }, { ids: null, from: middle }]
}

