import type { Knex } from 'knex'

/** The address-book core: staff, customers, phones, addresses, tags, groups, notes, change log, settings. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff', (t) => {
    t.increments('id')
    t.string('name', 200).notNullable()
    t.string('email', 254).notNullable().defaultTo('')
    t.string('role', 16).notNullable().defaultTo('staff')
    t.string('created_at', 30).notNullable()
  })

  await knex.schema.createTable('customers', (t) => {
    // Also the customer number (C-000123): AUTOINCREMENT/sequence values are never reused.
    t.increments('id')
    t.string('first_name', 100).notNullable().defaultTo('')
    t.string('last_name', 100).notNullable().defaultTo('')
    t.string('display_name', 200).notNullable()
    t.boolean('display_name_is_custom').notNullable().defaultTo(false)
    // Accent- and case-folded display name: the key the list sorts by.
    t.string('sort_name', 200).notNullable()
    t.string('company', 200).notNullable().defaultTo('')
    t.string('email', 254).notNullable().defaultTo('')
    // Trimmed, Unicode-lower-cased; '' when the customer has no email.
    t.string('email_normalized', 254).notNullable().defaultTo('')
    t.string('status', 16).notNullable().defaultTo('active').checkIn(['active', 'archived', 'blocked', 'deleted'], 'customers_status_check')
    t.text('status_reason').notNullable().defaultTo('')
    t.string('source', 16).notNullable().defaultTo('desk')
    t.boolean('marketing_consent').notNullable().defaultTo(false)
    t.boolean('unsubscribed').notNullable().defaultTo(false)
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
    t.string('archived_at', 30).nullable()
    t.string('blocked_at', 30).nullable()
    t.integer('created_by_staff_id').nullable().references('id').inTable('staff').onDelete('SET NULL')
    t.index(['status', 'sort_name', 'id'], 'customers_status_name')
    t.index(['status', 'email_normalized', 'id'], 'customers_status_email')
    t.index(['status', 'created_at', 'id'], 'customers_status_created')
    t.index(['status'], 'customers_status_id')
  })
  // Two live records never share an email; archived and deleted ones may (they are history).
  await knex.raw(
    `CREATE UNIQUE INDEX customers_live_email ON customers (email_normalized) WHERE email_normalized <> '' AND status IN ('active', 'blocked')`,
  )
  await knex.raw(`CREATE INDEX customers_email ON customers (email_normalized)`)

  await knex.schema.createTable('phones', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('label', 16).notNullable().defaultTo('mobile')
    t.string('number', 40).notNullable()
    t.string('e164', 20).nullable()
    // Every digit form a caller might quote (as typed, international, national): feeds the search index.
    t.string('search_digits', 120).notNullable().defaultTo('')
    t.boolean('is_primary').notNullable().defaultTo(false)
    t.integer('position').notNullable().defaultTo(0)
    t.index(['customer_id', 'position'], 'phones_customer')
    t.index(['e164'], 'phones_e164')
  })

  await knex.schema.createTable('addresses', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('label', 16).notNullable().defaultTo('home')
    t.string('line1', 200).notNullable().defaultTo('')
    t.string('line2', 200).notNullable().defaultTo('')
    t.string('city', 100).notNullable().defaultTo('')
    t.string('region', 100).notNullable().defaultTo('')
    t.string('postcode', 20).notNullable().defaultTo('')
    t.string('country', 2).notNullable().defaultTo('')
    t.boolean('is_default_letters').notNullable().defaultTo(false)
    t.boolean('is_default_service').notNullable().defaultTo(false)
    t.integer('position').notNullable().defaultTo(0)
    t.index(['customer_id', 'position'], 'addresses_customer')
    t.index(['postcode'], 'addresses_postcode')
  })

  await knex.schema.createTable('tags', (t) => {
    t.increments('id')
    t.string('name', 60).notNullable()
    t.string('name_normalized', 60).notNullable().unique('tags_name_normalized')
    t.string('color', 16).nullable()
    t.string('created_at', 30).notNullable()
  })

  await knex.schema.createTable('customer_tags', (t) => {
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('tag_id').notNullable().references('id').inTable('tags').onDelete('CASCADE')
    t.string('created_at', 30).notNullable()
    t.primary(['customer_id', 'tag_id'])
    t.index(['tag_id', 'customer_id'], 'customer_tags_tag')
  })

  // "groups" is a keyword in SQLite window frames; the product calls them customer groups.
  await knex.schema.createTable('customer_groups', (t) => {
    t.increments('id')
    t.string('name', 100).notNullable()
    t.string('name_normalized', 100).notNullable().unique('customer_groups_name_normalized')
    t.text('description').notNullable().defaultTo('')
    t.string('created_at', 30).notNullable()
  })

  await knex.schema.createTable('customer_group_members', (t) => {
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.integer('group_id').notNullable().references('id').inTable('customer_groups').onDelete('CASCADE')
    t.string('created_at', 30).notNullable()
    t.primary(['customer_id', 'group_id'])
    t.index(['group_id', 'customer_id'], 'customer_group_members_group')
  })

  await knex.schema.createTable('notes', (t) => {
    t.increments('id')
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.text('body').notNullable()
    t.boolean('pinned').notNullable().defaultTo(false)
    t.integer('position').notNullable().defaultTo(0)
    t.string('reminder_at', 30).nullable()
    // 'staff' for notes written here; otherwise the earlier system they were imported from.
    t.string('source', 60).notNullable().defaultTo('staff')
    t.integer('author_staff_id').nullable().references('id').inTable('staff').onDelete('SET NULL')
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
    t.index(['customer_id', 'pinned', 'position'], 'notes_customer')
  })

  // Append-only; no foreign key on customer_id because the log outlives deleted customers.
  await knex.schema.createTable('change_log', (t) => {
    t.increments('id')
    t.string('at', 30).notNullable()
    t.integer('staff_id').nullable()
    t.string('staff_name', 200).notNullable()
    t.string('entity_type', 40).notNullable()
    t.integer('entity_id').notNullable()
    t.integer('customer_id').nullable()
    t.string('action', 60).notNullable()
    t.text('summary').notNullable().defaultTo('')
    t.text('changes').notNullable().defaultTo('[]')
    t.index(['customer_id', 'id'], 'change_log_customer')
    t.index(['entity_type', 'entity_id', 'id'], 'change_log_entity')
  })

  await knex.schema.createTable('settings', (t) => {
    t.string('key', 100).primary()
    t.text('value').notNullable()
  })

  // Tab counts kept in step with every write, because COUNT(*) over a million rows is too slow for a keystroke.
  await knex.schema.createTable('customer_counts', (t) => {
    t.string('status', 16).primary()
    t.integer('count').notNullable().defaultTo(0)
  })
  await knex('customer_counts').insert([
    { status: 'active', count: 0 },
    { status: 'archived', count: 0 },
    { status: 'blocked', count: 0 },
    // In the recycle bin: counted, but shown in no tab.
    { status: 'deleted', count: 0 },
  ])
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'customer_counts',
    'settings',
    'change_log',
    'notes',
    'customer_group_members',
    'customer_groups',
    'customer_tags',
    'tags',
    'addresses',
    'phones',
    'customers',
    'staff',
  ]) {
    await knex.schema.dropTableIfExists(table)
  }
}
