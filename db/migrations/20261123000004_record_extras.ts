import type { Knex } from 'knex'

/**
 * The rest of the customer record: tax, referral, rewards, households,
 * consent evidence, payment card references, photos and custom fields.
 * Schema only.
 *
 * Columns with a foreign key are added with native `ALTER TABLE … ADD COLUMN`:
 * knex's alterTable would rebuild `customers` for a foreign key on SQLite, which
 * drops its triggers and, inside the migration transaction, cascades deletes to
 * child rows. `down` uses native `DROP COLUMN` for the same reason.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.string('tax_status', 16).notNullable().defaultTo('standard').checkIn(['standard', 'exempt', 'special'], 'customers_tax_status_check')
    // Basis points (1250 = 12.5%); only for a special rate.
    t.integer('tax_rate_bp').nullable()
    t.integer('rewards_balance_minor').notNullable().defaultTo(0)
  })
  await knex.raw('ALTER TABLE customers ADD COLUMN referred_by_id INTEGER NULL REFERENCES customers (id) ON DELETE SET NULL')
  await knex.raw('ALTER TABLE customers ADD COLUMN household_payer_id INTEGER NULL REFERENCES customers (id) ON DELETE SET NULL')
  await knex.raw('CREATE INDEX customers_household_payer ON customers (household_payer_id)')

  await knex.schema.createTable('consent_events', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('at', 30).notNullable()
    t.integer('staff_id').nullable()
    t.string('staff_name', 200).notNullable()
    t.string('kind', 16).notNullable().checkIn(['marketing', 'unsubscribed'], 'consent_events_kind_check')
    t.boolean('granted').notNullable()
    t.string('channel', 16).notNullable()
    t.text('wording').notNullable().defaultTo('')
    t.index(['customer_id', 'id'], 'consent_events_customer')
  })

  // A reference to a card, never the card: no number, no CVC.
  await knex.schema.createTable('payment_methods', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('brand', 16).notNullable()
    t.specificType('last4', 'char(4)').notNullable()
    t.integer('exp_month').notNullable()
    t.integer('exp_year').notNullable()
    t.boolean('is_default').notNullable().defaultTo(false)
    t.string('created_at', 30).notNullable()
    t.index(['customer_id'], 'payment_methods_customer')
  })

  await knex.schema.createTable('customer_photos', (t) => {
    t.integer('customer_id').primary().references('id').inTable('customers').onDelete('CASCADE')
    t.string('mime', 40).notNullable()
    t.integer('width').notNullable()
    t.integer('height').notNullable()
    t.binary('bytes').notNullable()
    t.string('updated_at', 30).notNullable()
  })

  await knex.schema.createTable('custom_field_definitions', (t) => {
    t.increments('id')
    t.string('label', 60).notNullable()
    t.string('label_normalized', 60).notNullable().unique('custom_field_definitions_label')
    t.string('type', 16).notNullable()
    // JSON array of choices ("choice" fields only).
    t.text('options').notNullable().defaultTo('[]')
    t.integer('position').notNullable().defaultTo(0)
    t.string('created_at', 30).notNullable()
  })

  // Values stored canonically as text so the list filter can compare with `=`.
  await knex.schema.createTable('customer_custom_values', (t) => {
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('field_id').notNullable().references('id').inTable('custom_field_definitions').onDelete('CASCADE')
    t.text('value').notNullable()
    t.primary(['customer_id', 'field_id'])
    t.index(['field_id', 'value', 'customer_id'], 'customer_custom_values_filter')
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['customer_custom_values', 'custom_field_definitions', 'customer_photos', 'payment_methods', 'consent_events']) {
    await knex.schema.dropTableIfExists(table)
  }
  await knex.raw('DROP INDEX IF EXISTS customers_household_payer')
  for (const column of ['household_payer_id', 'referred_by_id', 'rewards_balance_minor', 'tax_rate_bp', 'tax_status']) {
    await knex.raw(`ALTER TABLE customers DROP COLUMN ${column}`)
  }
}
