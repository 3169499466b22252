import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

export { planSearch } from './plan'

/** Keeps the search documents of these customers in step; call inside the writing transaction. */
export function refreshCustomerSearch(db: Knex, customerIds: readonly number[]): Promise<void> {
  return dialectOf(db).refreshSearch(db, customerIds)
}

/** Rewrites the index whole so nothing of deleted documents stays in the file (after removing people for good). */
export function rewriteCustomerSearch(db: Knex): Promise<void> {
  return dialectOf(db).rewriteSearchIndex(db)
}

export function rebuildCustomerSearch(db: Knex): Promise<void> {
  return dialectOf(db).rebuildSearch(db)
}
