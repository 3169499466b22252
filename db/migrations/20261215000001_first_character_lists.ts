import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * SQLite's word index keeps a list of its words' first characters beside the
 * words (FTS5's prefix = '1'): a single digit ("0", the first key of a
 * phone number) reads one list from its lowest ids, where it merged the
 * whole lists of every two-character start it begins. The index is made
 * again from the customers. A server's lists of word starts have them already.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).listFirstCharacters(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).unlistFirstCharacters(knex)
}
