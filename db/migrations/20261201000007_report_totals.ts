import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/**
 * The reports' running totals, kept in step by triggers and filled from the
 * rows already there, so a report over years of bookings reads a few
 * thousand totals instead of millions of rows. Dialect-specific (triggers,
 * local calendar days), so each dialect owns its SQL.
 */
export async function up(knex: Knex): Promise<void> {
  await dialectOf(knex).createReportTotals(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropReportTotals(knex)
}
