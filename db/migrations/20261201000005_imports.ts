import type { Knex } from 'knex'

/**
 * Imports: each run with its counts (Settings → Imports), what it changed per
 * customer so it can be undone whole, the keys that let the same file find
 * the same customers again, and the column mappings remembered per header row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('imports', (t) => {
    t.increments('id')
    t.string('file_name', 260).notNullable()
    t.string('format', 8).notNullable()
    t.string('match_mode', 16).notNullable()
    t.integer('staff_id').nullable()
    t.string('staff_name', 200).notNullable()
    t.string('started_at', 30).notNullable()
    t.string('finished_at', 30).notNullable()
    for (const count of ['rows', 'created', 'updated', 'unchanged', 'skipped', 'rejected', 'notes', 'bookings']) {
      t.integer(count).notNullable().defaultTo(0)
    }
    // The customers it created: ids in one run, as the import is the only writer while it writes.
    t.integer('first_created_id').nullable()
    t.integer('last_created_id').nullable()
    t.string('state', 16).notNullable().defaultTo('done')
    t.string('undone_at', 30).nullable()
    t.string('undone_by_name', 200).nullable()
  })
  await knex.schema.createTable('import_changes', (t) => {
    t.increments('id')
    t.integer('import_id').notNullable().references('id').inTable('imports').onDelete('CASCADE')
    // No foreign key: undoing the import removes the customers it created, and the record of it stays.
    t.integer('customer_id').notNullable()
    // Created customers have an entry only when the import brought them past bookings (undo removes those first).
    t.boolean('created').notNullable()
    // What undoing needs, as JSON: the values before, the rows added.
    t.text('undo').notNullable()
    t.index(['import_id', 'customer_id'], 'import_changes_import')
  })
  await knex.schema.createTable('import_keys', (t) => {
    // "legacy:<id from the earlier system>" or "row:<digest of a row with no email, phone or number>".
    t.string('key', 300).primary()
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('import_id').notNullable()
    t.index(['customer_id'], 'import_keys_customer')
  })
  await knex.schema.createTable('import_mappings', (t) => {
    // A digest of the header row: a file with the same columns gets the same mapping.
    t.string('headers_key', 64).primary()
    t.text('mapping').notNullable()
    t.string('updated_at', 30).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('import_mappings')
  await knex.schema.dropTableIfExists('import_keys')
  await knex.schema.dropTableIfExists('import_changes')
  await knex.schema.dropTableIfExists('imports')
}
