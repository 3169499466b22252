import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * On a server, a word start beside an initial ("jo s", "mar j") is one
 * look-up in one index: each search row's initials join its word starts.
 * SQLite's text indexes hold them already.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createInitialsInWordStarts(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropInitialsInWordStarts(knex)
}
