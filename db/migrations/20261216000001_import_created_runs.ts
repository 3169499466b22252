import type { Knex } from 'knex'

/*
 * An import writes in turns with the desk (a save goes in between two of its
 * commits), so the customers it creates are no longer one run of ids: each
 * run is kept, and undoing the import removes exactly those, with the tags
 * and lists it made that nobody uses by then. While it runs
 * the import is in state 'running' and says when it last committed, so an
 * import cut off (the app killed, the machine off) is found and rolled back.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_created', (t) => {
    t.integer('import_id').notNullable().references('id').inTable('imports').onDelete('CASCADE')
    t.integer('first_id').notNullable()
    t.integer('last_id').notNullable()
    t.primary(['import_id', 'first_id'])
  })
  await knex.raw(`INSERT INTO import_created (import_id, first_id, last_id)
    SELECT id, first_created_id, last_created_id FROM imports WHERE first_created_id IS NOT NULL`)
  await knex.schema.alterTable('imports', (t) => {
    t.string('alive_at', 30).nullable()
    // JSON: the ids of the tags and lists it made, { "tags": [...], "groups": [...] }.
    t.text('created_lists').nullable()
  })
  // Plain columns, so both engines drop them in place (SQLite since 3.35).
  await knex.raw('ALTER TABLE imports DROP COLUMN first_created_id')
  await knex.raw('ALTER TABLE imports DROP COLUMN last_created_id')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('imports', (t) => {
    t.integer('first_created_id').nullable()
    t.integer('last_created_id').nullable()
  })
  await knex.raw(`UPDATE imports SET
    first_created_id = (SELECT min(first_id) FROM import_created c WHERE c.import_id = imports.id),
    last_created_id = (SELECT max(last_id) FROM import_created c WHERE c.import_id = imports.id)`)
  // An import still running when the schema goes back is left as the older version knew it: done.
  await knex('imports').where({ state: 'running' }).update({ state: 'done' })
  await knex.raw('ALTER TABLE imports DROP COLUMN alive_at')
  await knex.raw('ALTER TABLE imports DROP COLUMN created_lists')
  await knex.schema.dropTable('import_created')
}
