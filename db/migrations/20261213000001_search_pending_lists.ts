import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * A server's search indexes merge new entries in once they fill a quarter of a megabyte, instead of
 * the server's default four: every search reads the entries not yet merged, which a few thousand
 * saves would otherwise pile up between autovacuum's visits. SQLite's indexes have no such list.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).limitSearchPendingLists(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).unlimitSearchPendingLists(knex)
}
