import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/*
 * Several desks on one database: each customer, booking and note carries a
 * version that every change raises, so a save made from an older copy is
 * noticed instead of overwriting another desk's change; and on a server,
 * every committed change is told to the other desks so their screens follow.
 */

const VERSIONED = ['customers', 'bookings', 'notes'] as const

export async function up(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex)
  for (const table of VERSIONED) {
    await knex.schema.alterTable(table, (t) => {
      t.integer('version').notNullable().defaultTo(1)
    })
  }
  await dialect.createRecordVersions(knex, VERSIONED)
  await dialect.createChangeNotices(knex)
}

export async function down(knex: Knex): Promise<void> {
  const dialect = dialectOf(knex)
  await dialect.dropChangeNotices(knex)
  await dialect.dropRecordVersions(knex, VERSIONED)
  // Plain DROP COLUMN on both engines: Knex would rebuild a SQLite table, losing its triggers.
  for (const table of VERSIONED) await knex.raw(`ALTER TABLE ${table} DROP COLUMN version`)
}
