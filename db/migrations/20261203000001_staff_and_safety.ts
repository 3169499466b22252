import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/**
 * Staff who sign in, and a change log that shows tampering. Staff get an
 * active flag, a password and an optional PIN (scrypt hashes with their
 * parameters), and a count of failed tries with the time sign-in is held
 * until; a booking can be assigned to a member of staff (a team member sees
 * the bookings assigned to them). Every change-log entry gets the hash that
 * chains it to the one before (see db/changeChain.ts), entries already there
 * included, in order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE staff ADD COLUMN active BOOLEAN NOT NULL DEFAULT ${dialectOf(knex).booleanDefault(true)}`)
  await knex.raw('ALTER TABLE staff ADD COLUMN password_hash TEXT NULL')
  await knex.raw('ALTER TABLE staff ADD COLUMN pin_hash TEXT NULL')
  await knex.raw('ALTER TABLE staff ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0')
  await knex.raw('ALTER TABLE staff ADD COLUMN locked_until VARCHAR(30) NULL')
  await knex.raw('ALTER TABLE staff ADD COLUMN last_sign_in_at VARCHAR(30) NULL')
  await knex.raw('ALTER TABLE staff ADD COLUMN updated_at VARCHAR(30) NULL')
  await knex.raw('ALTER TABLE bookings ADD COLUMN assigned_staff_id INTEGER NULL REFERENCES staff (id) ON DELETE SET NULL')
  await knex.raw('CREATE INDEX bookings_assigned ON bookings (assigned_staff_id, starts_at, id) WHERE assigned_staff_id IS NOT NULL')
  await knex.raw(`ALTER TABLE change_log ADD COLUMN hash VARCHAR(64) NOT NULL DEFAULT ''`)
  await dialectOf(knex).chainChangeLog(knex)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS bookings_assigned')
  // Column by column: rebuilding a table would drop the triggers that keep the report totals.
  await knex.raw('ALTER TABLE bookings DROP COLUMN assigned_staff_id')
  await knex.raw('ALTER TABLE change_log DROP COLUMN hash')
  for (const column of ['active', 'password_hash', 'pin_hash', 'failed_attempts', 'locked_until', 'last_sign_in_at', 'updated_at']) {
    await knex.raw(`ALTER TABLE staff DROP COLUMN ${column}`)
  }
}
