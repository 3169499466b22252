import { randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/**
 * Erasure: an erased customer keeps their row (their bookings and money stay
 * under "Erased customer") with the time they were erased, and tombstones
 * remember them by keyed hashes of their email and phones, never the values.
 * The change log chains a salted digest of each entry's content instead of
 * the content itself (db/changeChain.ts), so an erasure can redact the
 * personal values in a person's entries and the chain still verifies: every
 * entry already there is re-chained, oldest first. The search index overwrites
 * what it deletes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE customers ADD COLUMN erased_at VARCHAR(30) NULL')
  await knex.schema.createTable('tombstones', (t) => {
    t.increments('id').primary()
    t.string('kind', 8).notNullable()
    /** HMAC-SHA-256 (hex) of the normalised email or E.164 phone. */
    t.string('key_hash', 64).notNullable()
    t.string('erased_at', 30).notNullable()
    t.unique(['kind', 'key_hash'], { indexName: 'tombstones_key' })
  })
  // The tombstones' HMAC key: random per file, so its hashes match nothing outside it.
  await knex('settings').insert({ key: 'tombstoneKey', value: JSON.stringify(randomBytes(32).toString('hex')) })
  await knex.raw('ALTER TABLE change_log ADD COLUMN content_salt VARCHAR(32) NULL')
  await knex.raw('ALTER TABLE change_log ADD COLUMN content_hash VARCHAR(64) NULL')
  await knex.raw('ALTER TABLE change_log ADD COLUMN redacted_at VARCHAR(30) NULL')
  await dialectOf(knex).sealChangeLog(knex)
  await dialectOf(knex).setSearchSecureDelete(knex, true)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).setSearchSecureDelete(knex, false)
  // The guard names the new columns: it goes first, and chaining as before puts the strict one back.
  await dialectOf(knex).dropTrigger(knex, 'change_log_append_only_update', 'change_log')
  for (const column of ['content_salt', 'content_hash', 'redacted_at']) await knex.raw(`ALTER TABLE change_log DROP COLUMN ${column}`)
  await dialectOf(knex).chainChangeLog(knex)
  await knex('settings').where({ key: 'tombstoneKey' }).delete()
  await knex.schema.dropTable('tombstones')
  await knex.raw('ALTER TABLE customers DROP COLUMN erased_at')
}
