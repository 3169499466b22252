import type { Knex } from 'knex'

/*
 * The customers outside the Active tab (archived, blocked, in the recycle
 * bin), a small index of their own: a search's counts by tab look up each of
 * its first matches there once, where the status index needed a look-up per status.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX customers_not_active ON customers (id, status) WHERE status <> 'active'`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX customers_not_active')
}
