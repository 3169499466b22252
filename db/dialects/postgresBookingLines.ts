import type { Knex } from 'knex'
import { createPostgresReportTriggers, dropPostgresReportTriggers } from './postgresReportTotals'

/*
 * PostgreSQL changes booking lines in place (the columns SQLite gets by
 * copying the table). The report triggers read booking_lines and bookings'
 * plan_id, so they are dropped first and made again for the new shape (as
 * then, counting row by row); the totals they keep are untouched (the change
 * moves no amounts).
 */

export async function rebuildPostgresBookingLines(knex: Knex): Promise<void> {
  await dropPostgresReportTriggers(knex)
  await knex.raw('ALTER TABLE booking_lines ALTER COLUMN session_id DROP NOT NULL, ALTER COLUMN price_option_id DROP NOT NULL')
  await knex.raw(`ALTER TABLE booking_lines
    ADD COLUMN plan_id integer NULL REFERENCES customer_plans (id) ON DELETE SET NULL,
    ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0,
    ADD COLUMN tax_minor integer NOT NULL DEFAULT 0`)
  await knex.raw('CREATE INDEX booking_lines_plan ON booking_lines (plan_id) WHERE plan_id IS NOT NULL')
  await createPostgresReportTriggers(knex, { plansAsOrders: true, perStatement: false })
}

/** Back to lines of places only; lines of plans cannot be kept in that shape and go. */
export async function restorePostgresBookingLines(knex: Knex): Promise<void> {
  await dropPostgresReportTriggers(knex)
  await knex.raw('DELETE FROM booking_lines WHERE session_id IS NULL OR price_option_id IS NULL')
  await knex.raw('DROP INDEX IF EXISTS booking_lines_plan')
  await knex.raw('ALTER TABLE booking_lines DROP COLUMN plan_id, DROP COLUMN tax_rate_bp, DROP COLUMN tax_minor')
  await knex.raw('ALTER TABLE booking_lines ALTER COLUMN session_id SET NOT NULL, ALTER COLUMN price_option_id SET NOT NULL')
  await createPostgresReportTriggers(knex, { plansAsOrders: false, perStatement: false })
}
