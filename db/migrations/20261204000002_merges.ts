import type { Knex } from 'knex'

/**
 * Merges, each with what it moved (so it can be undone exactly), and the
 * customer numbers of merged records, which go on finding the survivor.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('merges', (t) => {
    t.increments('id').primary()
    t.integer('survivor_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    /** JSON array of the ids of the records merged into the survivor. */
    t.text('merged_ids').notNullable()
    t.string('at', 30).notNullable()
    t.integer('staff_id').nullable().references('id').inTable('staff').onDelete('SET NULL')
    t.string('staff_name', 200).notNullable()
    /** JSON: the merged records as they were, the survivor's fields before, and every row moved or dropped. */
    t.text('undo').notNullable()
    t.string('undone_at', 30).nullable()
    t.string('undone_by', 200).nullable()
  })
  await knex.raw('CREATE INDEX merges_survivor ON merges (survivor_id, id)')

  await knex.schema.createTable('customer_aliases', (t) => {
    /** The merged record's id, which is its customer number. */
    t.integer('customer_id').primary()
    t.integer('survivor_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('merge_id').notNullable().references('id').inTable('merges').onDelete('CASCADE')
  })
  await knex.raw('CREATE INDEX customer_aliases_survivor ON customer_aliases (survivor_id)')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_aliases')
  await knex.schema.dropTable('merges')
}
