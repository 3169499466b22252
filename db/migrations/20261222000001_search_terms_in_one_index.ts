import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * On a server, the search rows' trigrams, word starts and digit pieces go into
 * one index, so a search of a fragment beside an initial ("anna s") is one scan
 * of it rather than two lists read whole and intersected.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).joinSearchIndexes(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).splitSearchIndexes(knex)
}
