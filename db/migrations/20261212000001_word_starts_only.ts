import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * SQLite's word index answers one- and two-character word starts only (longer words are the trigram
 * index's), so it holds the first two characters of each word instead of every whole word: a few
 * hundred words with long lists instead of millions, a quarter of the size, and a quarter less work to
 * index a customer. The index is made again from the customers. A server keeps its own word starts.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).keepOnlyWordStarts(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).keepWholeWords(knex)
}
