import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/** Single letters ("a", "j s") find any word start of a name or company through an index of initials, filled from every customer. */
export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createInitialsSearch(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropInitialsSearch(knex)
}
