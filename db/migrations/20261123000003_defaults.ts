import type { Knex } from 'knex'

/** Data, not schema: the built-in administrator and default settings. */
export async function up(knex: Knex): Promise<void> {
  const now = new Date().toISOString()
  // The first row of the new table: id 1 on either engine, given by the table itself, so a server's id sequence moves past it.
  await knex('staff').insert({ name: 'Administrator', email: '', role: 'admin', created_at: now })
  await knex('settings').insert([
    { key: 'businessName', value: JSON.stringify('My Business') },
    { key: 'defaultCountry', value: JSON.stringify('GB') },
  ])
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings').whereIn('key', ['businessName', 'defaultCountry']).delete()
  await knex('staff').where({ id: 1 }).delete()
}
