import type { Knex } from 'knex'
import { createSqliteReportTriggers, dropSqliteReportTriggers } from './sqliteReportTotals'

/*
 * SQLite cannot drop a NOT NULL in place, so booking lines are copied into a
 * table of the new shape (the documented twelve-step way). The report
 * triggers read booking_lines, so they are dropped first and made again
 * after; the totals they keep are untouched (the copy changes no amounts).
 */

const KEYS = `foreign key(\`booking_id\`) references \`bookings\`(\`id\`) on delete CASCADE,
  foreign key(\`session_id\`) references \`catalogue_sessions\`(\`id\`) on delete RESTRICT,
  foreign key(\`price_option_id\`) references \`price_options\`(\`id\`) on delete RESTRICT`

const COMMON = `\`id\` integer not null primary key autoincrement, \`booking_id\` integer not null`
const MONEY = `\`description\` varchar(300) not null, \`quantity\` integer not null, \`unit_minor\` integer not null,
  \`total_minor\` integer not null, \`covered_by_pass\` boolean not null default '0'`

/** Lines of places at sessions, or of a plan sold or collected; tax carried in the total. */
const WITH_PLANS = `CREATE TABLE \`booking_lines_next\` (${COMMON}, \`session_id\` integer null, \`price_option_id\` integer null,
  \`plan_id\` integer null, ${MONEY}, \`tax_rate_bp\` integer not null default '0', \`tax_minor\` integer not null default '0',
  ${KEYS}, foreign key(\`plan_id\`) references \`customer_plans\`(\`id\`) on delete SET NULL)`

const PLACES_ONLY = `CREATE TABLE \`booking_lines_next\` (${COMMON}, \`session_id\` integer not null, \`price_option_id\` integer not null,
  ${MONEY}, ${KEYS})`

const COPIED = 'id, booking_id, session_id, price_option_id, description, quantity, unit_minor, total_minor, covered_by_pass'

async function rebuild(knex: Knex, create: string, plansAsOrders: boolean, where: string): Promise<void> {
  await dropSqliteReportTriggers(knex)
  await knex.raw(create)
  await knex.raw(`INSERT INTO booking_lines_next (${COPIED}) SELECT ${COPIED} FROM booking_lines ${where}`)
  await knex.raw('DROP TABLE booking_lines')
  await knex.raw('ALTER TABLE booking_lines_next RENAME TO booking_lines')
  await knex.raw('CREATE INDEX `booking_lines_booking` on `booking_lines` (`booking_id`)')
  await knex.raw('CREATE INDEX `booking_lines_session` on `booking_lines` (`session_id`)')
  await knex.raw('CREATE INDEX `booking_lines_price_option` on `booking_lines` (`price_option_id`)')
  if (plansAsOrders) await knex.raw('CREATE INDEX `booking_lines_plan` on `booking_lines` (`plan_id`) WHERE plan_id IS NOT NULL')
  await createSqliteReportTriggers(knex, { plansAsOrders })
}

export async function rebuildSqliteBookingLines(knex: Knex): Promise<void> {
  await rebuild(knex, WITH_PLANS, true, '')
}

/** Back to lines of places only; lines of plans cannot be kept in that shape and go. */
export async function restoreSqliteBookingLines(knex: Knex): Promise<void> {
  await rebuild(knex, PLACES_ONLY, false, 'WHERE session_id IS NOT NULL AND price_option_id IS NOT NULL')
}
