import type { Knex } from 'knex'

/**
 * The catalogue (what can be booked), bookings with their lines and payments,
 * and memberships/passes/subscriptions sold to customers. Schema only.
 * Money is integer minor units next to an ISO 4217 currency code.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalogue_items', (t) => {
    t.increments('id')
    t.string('kind', 16).notNullable().checkIn(['class', 'event', 'appointment'], 'catalogue_items_kind_check')
    t.string('name', 200).notNullable()
    t.text('description').notNullable().defaultTo('')
    t.string('location', 200).notNullable().defaultTo('')
    t.boolean('active').notNullable().defaultTo(true)
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
  })

  await knex.schema.createTable('price_options', (t) => {
    t.increments('id')
    t.integer('item_id').notNullable().references('id').inTable('catalogue_items').onDelete('CASCADE')
    t.string('name', 100).notNullable()
    t.integer('amount_minor').notNullable()
    t.string('currency', 3).notNullable()
    t.integer('position').notNullable().defaultTo(0)
    t.boolean('archived').notNullable().defaultTo(false)
    t.index(['item_id', 'position'], 'price_options_item')
  })

  await knex.schema.createTable('catalogue_sessions', (t) => {
    t.increments('id')
    t.integer('item_id').notNullable().references('id').inTable('catalogue_items').onDelete('CASCADE')
    t.string('starts_at', 30).notNullable()
    t.string('ends_at', 30).notNullable()
    t.integer('capacity').notNullable()
    // Places held by bookings that are not cancelled; kept by the booking service in the same transaction.
    t.integer('seats_taken').notNullable().defaultTo(0)
    t.string('location', 200).notNullable().defaultTo('')
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
    t.index(['starts_at'], 'catalogue_sessions_start')
    t.index(['item_id', 'starts_at'], 'catalogue_sessions_item_start')
  })

  await knex.schema.createTable('customer_plans', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('kind', 16).notNullable().checkIn(['membership', 'pass', 'subscription'], 'customer_plans_kind_check')
    t.string('name', 200).notNullable()
    // Stored status; "upcoming", "expired" and "used up" are worked out when read.
    t.string('status', 16).notNullable().defaultTo('active').checkIn(['active', 'paused', 'cancelled'], 'customer_plans_status_check')
    t.string('valid_from', 10).nullable()
    t.string('valid_to', 10).nullable()
    t.integer('credits_total').nullable()
    // Membership/pass price, or the subscription's recurring amount.
    t.integer('amount_minor').notNullable()
    t.string('currency', 3).notNullable()
    t.string('interval', 8).nullable()
    t.string('sold_at', 30).notNullable()
    t.string('cancelled_at', 30).nullable()
    t.index(['customer_id', 'kind'], 'customer_plans_customer')
  })

  await knex.schema.createTable('bookings', (t) => {
    t.increments('id')
    // B-000123 for bookings made here; imports keep their own.
    t.string('reference', 40).notNullable().unique('bookings_reference')
    // Null once the customer is removed for good: the money history stays.
    t.integer('customer_id').nullable().references('id').inTable('customers').onDelete('SET NULL')
    t.string('status', 16)
      .notNullable()
      .checkIn(['pending', 'confirmed', 'cancelled', 'completed', 'no_show'], 'bookings_status_check')
    t.string('source', 16).notNullable().checkIn(['phone', 'walk_in', 'online', 'import'], 'bookings_source_check')
    t.string('kind', 16).notNullable().defaultTo('booking').checkIn(['booking', 'appointment'], 'bookings_kind_check')
    t.string('currency', 3).notNullable()
    // Derived money kept on the row (by the booking service, in the same transaction) so lists and filters read one row.
    t.integer('total_minor').notNullable().defaultTo(0)
    t.integer('paid_minor').notNullable().defaultTo(0)
    // Total (zero when cancelled) less paid; negative is credit due to the customer.
    t.integer('outstanding_minor').notNullable().defaultTo(0)
    // What was booked in a few words ("Pottery taster ×2"), kept with the lines so lists read one row.
    t.string('summary', 300).notNullable().defaultTo('')
    // Start of the earliest session booked, for upcoming/past.
    t.string('starts_at', 30).nullable()
    t.integer('pass_id').nullable().references('id').inTable('customer_plans').onDelete('SET NULL')
    t.text('note').notNullable().defaultTo('')
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
    t.string('cancelled_at', 30).nullable()
    t.string('created_by_name', 200).notNullable().defaultTo('')
    t.index(['customer_id', 'starts_at'], 'bookings_customer_start')
    t.index(['customer_id', 'created_at'], 'bookings_customer_created')
  })
  // "Has outstanding balance" list filter: only owing bookings are in this index.
  await knex.raw('CREATE INDEX bookings_owing ON bookings (customer_id) WHERE outstanding_minor > 0')

  await knex.schema.createTable('booking_lines', (t) => {
    t.increments('id')
    t.integer('booking_id').notNullable().references('id').inTable('bookings').onDelete('CASCADE')
    t.integer('session_id').notNullable().references('id').inTable('catalogue_sessions').onDelete('RESTRICT')
    t.integer('price_option_id').notNullable().references('id').inTable('price_options').onDelete('RESTRICT')
    // What the invoice says, kept as sold even if the catalogue is renamed later.
    t.string('description', 300).notNullable()
    t.integer('quantity').notNullable()
    t.integer('unit_minor').notNullable()
    t.integer('total_minor').notNullable()
    t.boolean('covered_by_pass').notNullable().defaultTo(false)
    t.index(['booking_id'], 'booking_lines_booking')
    t.index(['session_id'], 'booking_lines_session')
    t.index(['price_option_id'], 'booking_lines_price_option')
  })

  await knex.schema.createTable('payments', (t) => {
    t.increments('id')
    t.integer('booking_id').notNullable().references('id').inTable('bookings').onDelete('CASCADE')
    t.string('kind', 8).notNullable().checkIn(['payment', 'refund'], 'payments_kind_check')
    // Always positive; refunds count against the amount paid.
    t.integer('amount_minor').notNullable()
    t.string('method', 16).notNullable()
    t.string('taken_at', 30).notNullable()
    t.string('reference', 100).notNullable().defaultTo('')
    t.string('staff_name', 200).notNullable().defaultTo('')
    t.string('created_at', 30).notNullable()
    t.index(['booking_id'], 'payments_booking')
  })

  await knex.schema.createTable('pass_uses', (t) => {
    t.increments('id')
    t.integer('pass_id').notNullable().references('id').inTable('customer_plans').onDelete('CASCADE')
    t.integer('booking_id').notNullable().references('id').inTable('bookings').onDelete('CASCADE')
    t.integer('credits').notNullable()
    t.string('created_at', 30).notNullable()
    // Set when the booking is cancelled and its credits go back on the pass.
    t.string('returned_at', 30).nullable()
    t.index(['pass_id'], 'pass_uses_pass')
    t.index(['booking_id'], 'pass_uses_booking')
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['pass_uses', 'payments', 'booking_lines', 'bookings', 'customer_plans', 'catalogue_sessions', 'price_options', 'catalogue_items']) {
    await knex.schema.dropTableIfExists(table)
  }
}
