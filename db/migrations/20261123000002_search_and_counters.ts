import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/** Search index, tab counters and the append-only guard: dialect-specific, so each dialect owns its SQL. */
export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createSearchAndCounters(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropSearchAndCounters(knex)
}
