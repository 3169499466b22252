import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * SQLite's initials index holds every two different initials of a name and
 * company as one word too ("j s" → "js"): two initials alone are then one
 * short list instead of two long ones read whole. The index is filled again.
 * A server merges its lists of word starts in id order already.
 */

export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createInitialPairs(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropInitialPairs(knex)
}
