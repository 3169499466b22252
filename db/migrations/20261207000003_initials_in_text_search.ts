import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * A word beside an initial ("anna s", "jo s") is one look-up in one index:
 * the text indexes are made again with each customer's initials in them.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createInitialsInTextSearch(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropInitialsInTextSearch(knex)
}
