import type { Knex } from 'knex'
import { dialectOf } from '../dialects'
import type { WrittenCustomer } from '../dialects/types'

export { planSearch } from './plan'

/**
 * Keeps the search documents of these customers in step; call inside the writing transaction. A save of
 * one customer passes the rows it wrote, sparing a server the round trip that would read them back.
 */
export function refreshCustomerSearch(db: Knex, customerIds: readonly number[], written?: WrittenCustomer): Promise<void> {
  return dialectOf(db).refreshSearch(db, customerIds, written)
}

/** Rewrites the index whole so nothing of deleted documents stays in the file (after removing people for good). */
export function rewriteCustomerSearch(db: Knex): Promise<void> {
  return dialectOf(db).rewriteSearchIndex(db)
}

export function rebuildCustomerSearch(db: Knex): Promise<void> {
  return dialectOf(db).rebuildSearch(db)
}
