import { randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import { dialectOf } from '../dialects'

/**
 * Messages: email templates, the outbox every message is written to before
 * it is delivered, marketing batches, and the single-use tokens of the
 * online booking site's account emails (kept only as hashes). A message is
 * rendered when it is queued, so what is delivered, retried or shown later
 * is exactly what was written.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_templates', (t) => {
    t.increments('id').primary()
    t.string('name', 120).notNullable()
    // What the template is for: the automatic emails use the one template of their purpose.
    t.string('purpose', 16)
      .notNullable()
      .checkIn(['general', 'marketing', 'confirmation', 'reminder', 'accountConfirm', 'passwordReset'], 'email_templates_purpose_check')
    t.string('subject', 300).notNullable()
    // Markdown with {{merge fields}}; rendered to HTML and to plain text.
    t.text('body').notNullable()
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
    t.string('updated_by_name', 200).notNullable().defaultTo('')
    t.unique(['name'], { indexName: 'email_templates_name' })
  })

  await knex.schema.createTable('message_batches', (t) => {
    t.increments('id').primary()
    t.integer('template_id').nullable().references('id').inTable('email_templates').onDelete('SET NULL')
    t.string('subject', 300).notNullable()
    t.string('created_at', 30).notNullable()
    t.integer('staff_id').nullable().references('id').inTable('staff').onDelete('SET NULL')
    t.string('staff_name', 200).notNullable().defaultTo('')
    t.integer('selected_count').notNullable().defaultTo(0)
    t.integer('queued_count').notNullable().defaultTo(0)
    // Who was left out and why, as counts: the names are shown when the batch is sent, not kept.
    t.integer('skipped_no_consent').notNullable().defaultTo(0)
    t.integer('skipped_no_email').notNullable().defaultTo(0)
    t.integer('skipped_other').notNullable().defaultTo(0)
  })

  await knex.schema.createTable('messages', (t) => {
    t.increments('id').primary()
    // Null for a test email; the message goes when the customer is removed for good.
    t.integer('customer_id').nullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('kind', 16)
      .notNullable()
      .checkIn(['general', 'marketing', 'confirmation', 'reminder', 'account', 'test'], 'messages_kind_check')
    t.integer('template_id').nullable().references('id').inTable('email_templates').onDelete('SET NULL')
    t.integer('booking_id').nullable().references('id').inTable('bookings').onDelete('SET NULL')
    t.integer('batch_id').nullable().references('id').inTable('message_batches').onDelete('SET NULL')
    // RFC 5322 Message-ID, fixed when queued: a message sent again after a crash keeps it.
    t.string('message_id', 255).notNullable()
    t.string('from_name', 200).notNullable().defaultTo('')
    t.string('from_address', 254).notNullable()
    t.string('reply_to', 254).notNullable().defaultTo('')
    t.string('to_name', 200).notNullable().defaultTo('')
    t.string('to_address', 254).notNullable()
    t.string('subject', 300).notNullable()
    t.text('body_text').notNullable()
    t.text('body_html').notNullable()
    // Extra headers as JSON (List-Unsubscribe and its one-click partner).
    t.text('headers').notNullable().defaultTo('{}')
    t.string('status', 10)
      .notNullable()
      .defaultTo('queued')
      .checkIn(['queued', 'sending', 'sent', 'failed', 'cancelled'], 'messages_status_check')
    t.integer('attempts').notNullable().defaultTo(0)
    t.string('next_attempt_at', 30).notNullable()
    // The server's reason for the last failed try, in its words.
    t.text('last_error').notNullable().defaultTo('')
    t.string('queued_at', 30).notNullable()
    t.string('sent_at', 30).nullable()
    t.string('updated_at', 30).notNullable()
    t.integer('staff_id').nullable().references('id').inTable('staff').onDelete('SET NULL')
    t.string('staff_name', 200).notNullable().defaultTo('')
    t.unique(['message_id'], { indexName: 'messages_message_id' })
    t.index(['status', 'next_attempt_at', 'id'], 'messages_due')
    // The Outbox page by status, newest first, and "sent today": a year of newsletters is a million rows.
    t.index(['status', 'id'], 'messages_status')
    t.index(['status', 'sent_at'], 'messages_sent')
    t.index(['customer_id', 'id'], 'messages_customer')
    t.index(['batch_id'], 'messages_batch')
  })
  // One confirmation and one reminder per booking, however often the sweep looks.
  await knex.raw(
    `CREATE UNIQUE INDEX messages_booking_once ON messages (booking_id, kind) WHERE booking_id IS NOT NULL AND kind IN ('confirmation', 'reminder')`,
  )

  await knex.schema.createTable('site_account_tokens', (t) => {
    t.increments('id').primary()
    t.integer('customer_id').notNullable().references('id').inTable('customers').onDelete('CASCADE')
    t.string('purpose', 16).notNullable().checkIn(['confirm', 'reset'], 'site_account_tokens_purpose_check')
    // SHA-256 (hex) of the token; the token itself is only ever in the email.
    t.string('token_hash', 64).notNullable()
    t.string('created_at', 30).notNullable()
    t.string('expires_at', 30).notNullable()
    t.string('used_at', 30).nullable()
    t.string('revoked_at', 30).nullable()
    t.string('revoked_reason', 40).notNullable().defaultTo('')
    t.unique(['token_hash'], { indexName: 'site_account_tokens_hash' })
    t.index(['customer_id'], 'site_account_tokens_customer')
  })

  // Whether a booking for the item sends its confirmation (when email is set up).
  await knex.raw(`ALTER TABLE catalogue_items ADD COLUMN confirmation_email BOOLEAN NOT NULL DEFAULT ${dialectOf(knex).booleanDefault(true)}`)
  // The reminder sweep looks up bookings by when they start.
  await knex.raw('CREATE INDEX bookings_starts_at ON bookings (starts_at)')
  // Signs unsubscribe links: random per file, so a link cannot be made up for another customer.
  await knex('settings').insert({ key: 'unsubscribeKey', value: JSON.stringify(randomBytes(32).toString('hex')) })
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings').whereIn('key', ['unsubscribeKey', 'mail']).delete()
  await knex.raw('DROP INDEX bookings_starts_at')
  await knex.raw('ALTER TABLE catalogue_items DROP COLUMN confirmation_email')
  await knex.schema.dropTable('site_account_tokens')
  await knex.raw('DROP INDEX messages_booking_once')
  await knex.schema.dropTable('messages')
  await knex.schema.dropTable('message_batches')
  await knex.schema.dropTable('email_templates')
}
