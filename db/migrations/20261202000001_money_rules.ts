import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/**
 * Money that follows the desk's rules: plans sold from a catalogue as orders
 * (a plan's sale, and each subscription collection, is a row in `bookings`
 * whose one line names the plan instead of a session), tax carried on every
 * line, referral rewards kept as a ledger, prices and items limited to
 * customer groups, and the address a home service is done at. Schema only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('plan_products', (t) => {
    t.increments('id')
    t.string('kind', 16).notNullable().checkIn(['membership', 'pass', 'subscription'], 'plan_products_kind_check')
    t.string('name', 200).notNullable()
    t.text('description').notNullable().defaultTo('')
    // The membership or pass price, or the subscription's amount per collection; tax as prices are set in Settings.
    t.integer('price_minor').notNullable()
    t.string('currency', 3).notNullable()
    // Null: the standard rate in Settings.
    t.integer('tax_rate_bp').nullable()
    // How long a membership lasts, or a pass is valid (null count: a pass that never expires).
    t.integer('length_count').nullable()
    t.string('length_unit', 8).nullable().checkIn(['day', 'week', 'month', 'year'], 'plan_products_length_unit_check')
    t.integer('credits').nullable()
    t.string('interval', 8).nullable().checkIn(['week', 'month', 'year'], 'plan_products_interval_check')
    t.boolean('active').notNullable().defaultTo(true)
    t.integer('position').notNullable().defaultTo(0)
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
  })

  // Columns with a foreign key are added in plain SQL: Knex would copy the whole table on SQLite.
  await knex.raw('ALTER TABLE customer_plans ADD COLUMN product_id INTEGER NULL REFERENCES plan_products (id) ON DELETE SET NULL')
  await knex.schema.alterTable('customer_plans', (t) => {
    // The rate the plan was sold at (null: the standard rate), so each collection is taxed alike.
    t.integer('tax_rate_bp').nullable()
    // A subscription's next collection not yet recorded (paid or failed); none while paused or cancelled.
    t.string('next_due_on', 10).nullable()
  })
  await knex.raw(`CREATE INDEX customer_plans_due ON customer_plans (next_due_on, id) WHERE next_due_on IS NOT NULL`)
  // Subscriptions sold before collections were recorded start with their next day due from today on.
  const now = new Date()
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
  const active = (await knex('customer_plans')
    .where({ kind: 'subscription', status: 'active' })
    .select('id', 'valid_from', 'interval')) as Array<{ id: number; valid_from: string | null; interval: 'week' | 'month' | 'year' | null }>
  for (const plan of active) {
    const due = firstCollectionFrom(plan.valid_from ?? today, plan.interval ?? 'month', today)
    await knex('customer_plans').where({ id: plan.id }).update({ next_due_on: due })
  }

  // Set on a plan's sale and on each subscription collection: an order, not a booking of places.
  await knex.raw('ALTER TABLE bookings ADD COLUMN plan_id INTEGER NULL REFERENCES customer_plans (id) ON DELETE SET NULL')
  // A home service: which of the customer's addresses it is done at.
  await knex.raw('ALTER TABLE bookings ADD COLUMN address_id INTEGER NULL REFERENCES addresses (id) ON DELETE SET NULL')
  await knex.schema.alterTable('bookings', (t) => {
    // A collection: the day it fell due, and when it failed (then it is owed).
    t.string('collection_due_on', 10).nullable()
    t.string('collection_failed_at', 30).nullable()
  })
  await knex.raw(`CREATE INDEX bookings_plan ON bookings (plan_id, collection_due_on) WHERE plan_id IS NOT NULL`)
  // A line is a place at a session or a plan sold or collected; each carries the tax in its total.
  await dialectOf(knex).rebuildBookingLines(knex)

  await knex.schema.alterTable('catalogue_items', (t) => {
    // Null: the standard rate in Settings.
    t.integer('tax_rate_bp').nullable()
    // Appointments done at the customer's (home services): the booking records which address.
    t.boolean('at_customer_address').notNullable().defaultTo(false)
  })

  // An item, or one of its prices, offered only to customers in any of these groups (none listed: everyone).
  await knex.schema.createTable('catalogue_item_groups', (t) => {
    t.integer('item_id').notNullable().references('id').inTable('catalogue_items').onDelete('CASCADE')
    t.integer('group_id').notNullable().references('id').inTable('customer_groups').onDelete('CASCADE')
    t.primary(['item_id', 'group_id'])
    t.index(['group_id'], 'catalogue_item_groups_group')
  })
  await knex.schema.createTable('price_option_groups', (t) => {
    t.integer('price_option_id').notNullable().references('id').inTable('price_options').onDelete('CASCADE')
    t.integer('group_id').notNullable().references('id').inTable('customer_groups').onDelete('CASCADE')
    t.primary(['price_option_id', 'group_id'])
    t.index(['group_id'], 'price_option_groups_group')
  })

  // Referral rewards as a ledger; customers.rewards_balance_minor is its sum, kept in the same transaction.
  await knex.schema.createTable('reward_entries', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('kind', 16).notNullable().checkIn(['earned', 'spent', 'returned', 'adjusted'], 'reward_entries_kind_check')
    // Signed, in the business's currency: earned and returned add, spent takes away.
    t.integer('amount_minor').notNullable()
    t.string('currency', 3).notNullable()
    // Earned: the referred customer and the booking whose payment earned it.
    t.integer('referred_customer_id').nullable().references('id').inTable('customers').onDelete('SET NULL')
    t.integer('booking_id').nullable().references('id').inTable('bookings').onDelete('SET NULL')
    // Spent or returned: the payment or refund that moved it.
    t.integer('payment_id').nullable().references('id').inTable('payments').onDelete('SET NULL')
    t.text('note').notNullable().defaultTo('')
    t.string('staff_name', 200).notNullable().defaultTo('')
    t.string('created_at', 30).notNullable()
    t.index(['customer_id', 'id'], 'reward_entries_customer')
  })
  // A referred customer earns their referrer one reward, ever.
  await knex.raw(`CREATE UNIQUE INDEX reward_entries_earned_once ON reward_entries (referred_customer_id) WHERE kind = 'earned'`)
  // A balance typed in before rewards were earned stays, as one entry, so the ledger adds up to it.
  const currencyRow = (await knex('settings').where({ key: 'currency' }).first('value')) as { value: string } | undefined
  await knex.raw(
    `INSERT INTO reward_entries (customer_id, kind, amount_minor, currency, note, created_at)
     SELECT id, 'adjusted', rewards_balance_minor, ?, 'Balance carried over', ? FROM customers WHERE rewards_balance_minor <> 0`,
    [currencyRow ? (JSON.parse(currencyRow.value) as string) : 'GBP', now.toISOString()],
  )
  // "Customers this person referred" on the profile.
  await knex.raw(`CREATE INDEX customers_referred_by ON customers (referred_by_id) WHERE referred_by_id IS NOT NULL`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS customers_referred_by')
  for (const table of ['reward_entries', 'price_option_groups', 'catalogue_item_groups']) await knex.schema.dropTableIfExists(table)
  await dialectOf(knex).restoreBookingLines(knex)
  await knex.raw('DROP INDEX IF EXISTS bookings_plan')
  await knex.raw('DROP INDEX IF EXISTS customer_plans_due')
  const columns = {
    catalogue_items: ['tax_rate_bp', 'at_customer_address'],
    bookings: ['plan_id', 'collection_due_on', 'collection_failed_at', 'address_id'],
    customer_plans: ['product_id', 'tax_rate_bp', 'next_due_on'],
  }
  for (const [table, names] of Object.entries(columns)) {
    for (const name of names) await knex.raw(`ALTER TABLE ${table} DROP COLUMN ${name}`)
  }
  await knex.schema.dropTableIfExists('plan_products')
}

/**
 * The first collection day on or after `today` of a subscription started on `startsOn`, as subscriptions
 * were collected when this migration was written: every week, or the start's day of the month (held at
 * the month's last day when it is shorter), each counted from the start. Kept here as it was then: a
 * migration does what it did when it was written, whatever the rules become.
 */
function firstCollectionFrom(startsOn: string, interval: 'week' | 'month' | 'year', today: string): string {
  const [year, month, day] = startsOn.split('-').map(Number) as [number, number, number]
  const utcDay = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10)
  for (let k = 0; ; k++) {
    let due: string
    if (interval === 'week') due = utcDay(year, month, day + 7 * k)
    else {
      const months = interval === 'month' ? k : 12 * k
      const lastOfMonth = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate()
      due = utcDay(year, month + months, Math.min(day, lastOfMonth))
    }
    if (due >= today) return due
  }
}
