import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * On a server, each customer's search row carries the customer's status, so
 * a search's counts by tab come from the rows it has read already.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createSearchStatus(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropSearchStatus(knex)
}
