import { randomBytes } from 'node:crypto'
import type { Knex } from 'knex'

/**
 * Erasure: an erased customer keeps their row (their bookings and money stay
 * under "Erased customer") with the time they were erased, and tombstones
 * remember them by keyed hashes of their email and phones, never the values.
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
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings').where({ key: 'tombstoneKey' }).delete()
  await knex.schema.dropTable('tombstones')
  await knex.raw('ALTER TABLE customers DROP COLUMN erased_at')
}
