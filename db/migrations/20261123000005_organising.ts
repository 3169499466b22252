import type { Knex } from 'knex'

/** Saved list filters, the recycle bin (soft delete) and note authorship. Schema only. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('saved_filters', (t) => {
    t.increments('id')
    t.string('name', 80).notNullable()
    // Case- and accent-folded name: saving under an existing name overwrites that filter.
    t.string('name_normalized', 80).notNullable().unique('saved_filters_name_normalized')
    // The list filter as JSON (customerFilter in the contract).
    t.text('filter').notNullable()
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
  })

  // Adding nullable columns is an in-place ALTER TABLE ADD COLUMN: no table rebuild, child rows untouched.
  await knex.schema.alterTable('customers', (t) => {
    t.string('deleted_at', 30).nullable()
    t.string('status_before_delete', 16).nullable()
  })
  // The recycle bin is small next to the address book: a partial index keeps it out of the way.
  await knex.raw(`CREATE INDEX customers_recycle_bin ON customers (deleted_at) WHERE status = 'deleted'`)

  await knex.schema.alterTable('notes', (t) => {
    // Kept as text: imported notes name an author who is not a member of staff here.
    t.string('author_name', 200).notNullable().defaultTo('')
  })
  // Few notes carry a reminder; the due-reminders list reads only those.
  await knex.raw(`CREATE INDEX notes_reminder ON notes (reminder_at) WHERE reminder_at IS NOT NULL`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS notes_reminder')
  await knex.raw('DROP INDEX IF EXISTS customers_recycle_bin')
  // Native DROP COLUMN: knex's dropColumn rebuilds the table on SQLite and cascades deletes to child rows.
  await knex.raw('ALTER TABLE notes DROP COLUMN author_name')
  await knex.raw('ALTER TABLE customers DROP COLUMN status_before_delete')
  await knex.raw('ALTER TABLE customers DROP COLUMN deleted_at')
  await knex.schema.dropTableIfExists('saved_filters')
}
