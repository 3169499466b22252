import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * On a server, each customer's search row carries the customer's sort name,
 * so a search's matches are sorted by name from the rows its first read has
 * read, without reading each customer again.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createSearchSortNames(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropSearchSortNames(knex)
}
