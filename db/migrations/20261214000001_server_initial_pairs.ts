import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * On a server too, every two different initials of a name and company are
 * one word start ("j s" → one list of the customers with both), as SQLite's
 * initials index holds them: two initials alone were two long lists merged
 * whole on every page.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createInitialPairStarts(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropInitialPairStarts(knex)
}
