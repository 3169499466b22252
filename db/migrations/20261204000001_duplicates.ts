import type { Knex } from 'knex'

/**
 * Likely duplicates found by the full scan (one row per pair, the lower id
 * first, with why and how sure), and pairs someone said are different
 * people, which no scan or warning offers again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('duplicate_pairs', (t) => {
    t.integer('customer_a').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('customer_b').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    /** Comma-separated reason codes, strongest first (email, phone, name-postcode, swapped, nickname…). */
    t.string('reasons', 200).notNullable()
    /** 0–100: how sure the scan is that these are the same person. */
    t.integer('score').notNullable()
    t.string('found_at', 30).notNullable()
    t.primary(['customer_a', 'customer_b'])
  })
  await knex.raw('CREATE INDEX duplicate_pairs_b ON duplicate_pairs (customer_b, customer_a)')
  await knex.raw('CREATE INDEX duplicate_pairs_score ON duplicate_pairs (score, customer_a, customer_b)')

  await knex.schema.createTable('duplicate_dismissals', (t) => {
    t.integer('customer_a').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('customer_b').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('staff_id').nullable().references('id').inTable('staff').onDelete('SET NULL')
    t.string('staff_name', 200).notNullable()
    t.string('at', 30).notNullable()
    t.primary(['customer_a', 'customer_b'])
  })
  await knex.raw('CREATE INDEX duplicate_dismissals_b ON duplicate_dismissals (customer_b, customer_a)')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('duplicate_dismissals')
  await knex.schema.dropTable('duplicate_pairs')
}
