import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/**
 * The Bookings page: every booking (plan orders left out) newest session
 * first, filtered by status, source, outstanding balance or item, a page at a
 * time at any depth. Each filter that can narrow the list most has an index
 * leading with it, in session order, carrying the other filters' columns so
 * the walk checks them without reading the rows; an item's bookings are kept
 * in their own table (see the dialect).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX bookings_list ON bookings (starts_at, id) WHERE plan_id IS NULL')
  await knex.raw('CREATE INDEX bookings_list_status ON bookings (status, starts_at, id, source, outstanding_minor) WHERE plan_id IS NULL')
  await knex.raw('CREATE INDEX bookings_list_source ON bookings (source, starts_at, id, status, outstanding_minor) WHERE plan_id IS NULL')
  await knex.raw('CREATE INDEX bookings_list_status_source ON bookings (status, source, starts_at, id, outstanding_minor) WHERE plan_id IS NULL')
  // Owing is a tenth of the bookings: its own small indexes, alone and with a status or a source.
  await knex.raw('CREATE INDEX bookings_list_owing ON bookings (starts_at, id, status, source) WHERE plan_id IS NULL AND outstanding_minor > 0')
  await knex.raw('CREATE INDEX bookings_list_owing_status ON bookings (status, starts_at, id, source) WHERE plan_id IS NULL AND outstanding_minor > 0')
  await knex.raw('CREATE INDEX bookings_list_owing_source ON bookings (source, starts_at, id, status) WHERE plan_id IS NULL AND outstanding_minor > 0')
  await dialectOf(knex).createBookingList(knex)
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).dropBookingList(knex)
  const names = ['bookings_list', 'bookings_list_status', 'bookings_list_source', 'bookings_list_status_source', 'bookings_list_owing', 'bookings_list_owing_status', 'bookings_list_owing_source']
  for (const name of names) await knex.raw(`DROP INDEX IF EXISTS ${name}`)
}
