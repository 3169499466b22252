import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * On a server, the word starts (and marked initials) move from a GIN index
 * into a B-tree list per start: a one- or two-letter search reads its lowest
 * ids first and stops at the page. SQLite's text indexes already read so.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createWordStartLists(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropWordStartLists(knex)
}
