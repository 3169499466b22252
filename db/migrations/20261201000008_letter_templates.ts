import type { Knex } from 'knex'

/**
 * Letter templates: the body of the letters printed for brochure requests,
 * with merge fields ({{first_name}}, {{business_name}}, …). The address and
 * the date are placed by the letter's layout, not the body. One template is
 * the default the print dialog offers first; a plain brochure letter is put in
 * so the desk can print on day one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('letter_templates', (t) => {
    t.increments('id')
    t.string('name', 100).notNullable()
    // Folded name ("Brochure  Letter" and "brochure letter" are one name).
    t.string('name_normalized', 100).notNullable().unique('letter_templates_name')
    t.text('body').notNullable()
    t.boolean('is_default').notNullable().defaultTo(false)
    t.string('created_at', 30).notNullable()
    t.string('updated_at', 30).notNullable()
  })
  const now = new Date().toISOString()
  await knex('letter_templates').insert({
    name: 'Brochure letter',
    name_normalized: 'brochure letter',
    body: DEFAULT_BODY,
    is_default: true,
    created_at: now,
    updated_at: now,
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('letter_templates')
}

// Business details the desk has not filled in leave no gap: a {{#field}}…{{/field}} part prints only when the field has a value.
const DEFAULT_BODY = `Dear {{display_name}},

Thank you for asking for our brochure. You will find it enclosed with this letter.

If you have any questions, or would like to book, please get in touch{{#business_phone}} on {{business_phone}}{{/business_phone}}{{#business_email}} or at {{business_email}}{{/business_email}}. We look forward to seeing you.

Kind regards,

{{business_name}}`
