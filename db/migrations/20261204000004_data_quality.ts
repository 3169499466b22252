import type { Knex } from 'knex'

/**
 * The data-quality queue as last checked: one row per customer and problem
 * (never the personal values themselves, which are read from the record when
 * shown, so an erasure leaves nothing behind here), and when the whole book
 * was last checked.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('quality_issues', (t) => {
    /** missingEmail, invalidEmail, invalidPhone, noPostalAddress, consentWithoutEvidence, inactive (likely duplicates are read from duplicate_pairs). */
    t.string('category', 24).notNullable()
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    /** What the row says beyond the record itself, such as the last activity's date (never names or contacts). */
    t.string('detail', 300).notNullable().defaultTo('')
    t.string('found_at', 30).notNullable()
    t.primary(['category', 'customer_id'])
  })
  await knex.raw('CREATE INDEX quality_issues_customer ON quality_issues (customer_id)')

  await knex.schema.createTable('quality_checks', (t) => {
    t.integer('id').primary()
    t.string('checked_at', 30).notNullable()
    t.integer('customers').notNullable()
    t.integer('ms').notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('quality_checks')
  await knex.schema.dropTable('quality_issues')
}
