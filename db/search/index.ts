import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

export { planSearch } from './plan'

/** Keeps the search documents of these customers in step; call inside the writing transaction. */
export function refreshCustomerSearch(db: Knex, customerIds: readonly number[]): Promise<void> {
  return dialectOf(db).refreshSearch(db, customerIds)
}

export function rebuildCustomerSearch(db: Knex): Promise<void> {
  return dialectOf(db).rebuildSearch(db)
}
