import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/** Runs of digits (a phone number typed whole) get an index of their own, filled from every customer. */
export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createDigitSearch(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropDigitSearch(knex)
}
