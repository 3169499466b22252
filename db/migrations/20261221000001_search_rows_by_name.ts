import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * On a server, the search rows are kept in name order too (by tab), so a
 * broad search's page by name is found by walking them and testing each
 * row's own document, without reading the customers.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createSearchNameOrder(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropSearchNameOrder(knex)
}
