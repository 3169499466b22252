import type { Knex } from 'knex'

/**
 * One ready-to-use email template for each purpose, so booking confirmations,
 * reminders and account emails can go out the day email is set up. The desk
 * rewrites them in Settings → Email templates. Bodies are Markdown with
 * {{merge fields}}; a {{#booking}}…{{/booking}} part shows only with a booking.
 */
export const DEFAULT_EMAIL_TEMPLATES = [
  {
    name: 'General email',
    purpose: 'general',
    subject: 'A note from {{business.name}}',
    body: `Dear {{firstName}},

Write your message here.

Best wishes,
{{staff.name}}
{{business.name}}`,
  },
  {
    name: 'Newsletter',
    purpose: 'marketing',
    subject: 'News from {{business.name}}',
    body: `Hello {{firstName}},

Here is what is new at {{business.name}} this month.

## Coming up

- **New classes**: tell your customers what starts soon.
- **Offers**: anything they can book at a special price.

We look forward to seeing you again. {{#business.phone}}Call us on {{business.phone}} or simply reply{{/business.phone}}{{^business.phone}}Simply reply{{/business.phone}} to this email.

{{business.name}}

*You receive this newsletter because you agreed to hear from us. [Unsubscribe]({{unsubscribeUrl}}) at any time.*`,
  },
  {
    name: 'Booking confirmation',
    purpose: 'confirmation',
    subject: 'Your booking {{booking.reference}} is confirmed',
    body: `Dear {{firstName}},

Thank you for booking with {{business.name}}. Here are the details:

{{#booking}}
- **What:** {{booking.item}}
- **When:** {{booking.date}} at {{booking.time}}
{{#booking.place}}
- **Where:** {{booking.place}}
{{/booking.place}}
- **Reference:** {{booking.reference}}
- **Total:** {{booking.total}}
{{/booking}}

If you need to change or cancel, {{#business.phone}}call us on {{business.phone}} or {{/business.phone}}reply to this email.

See you soon,
{{business.name}}`,
  },
  {
    name: 'Booking reminder',
    purpose: 'reminder',
    subject: 'Reminder: {{booking.item}} on {{booking.date}}',
    body: `Dear {{firstName}},

A friendly reminder of your booking with {{business.name}}:

{{#booking}}
- **What:** {{booking.item}}
- **When:** {{booking.date}} at {{booking.time}}
{{#booking.place}}
- **Where:** {{booking.place}}
{{/booking.place}}
- **Reference:** {{booking.reference}}
{{/booking}}

If you can no longer come, please let us know as soon as you can{{#business.phone}} on {{business.phone}}{{/business.phone}}, so someone else can have your place.

See you soon,
{{business.name}}`,
  },
  {
    name: 'Confirm your account',
    purpose: 'accountConfirm',
    subject: 'Confirm your account with {{business.name}}',
    body: `Dear {{firstName}},

Please confirm your online account with {{business.name}} so you can book and manage your bookings online:

[Confirm my account]({{accountUrl}})

This link works once and expires in 7 days. If you did not ask for an account, you can ignore this email.

{{business.name}}`,
  },
  {
    name: 'Reset your password',
    purpose: 'passwordReset',
    subject: 'Reset your password for {{business.name}}',
    body: `Dear {{firstName}},

Someone (we hope you) asked to reset the password of your online account with {{business.name}}. Choose a new password here:

[Reset my password]({{accountUrl}})

This link works once and expires in 1 hour. If you didn't ask for this, ignore this email: your password stays as it is.

{{business.name}}`,
  },
] as const

export async function up(knex: Knex): Promise<void> {
  const now = new Date().toISOString()
  await knex('email_templates').insert(DEFAULT_EMAIL_TEMPLATES.map((t) => ({ ...t, created_at: now, updated_at: now, updated_by_name: '' })))
}

export async function down(knex: Knex): Promise<void> {
  // Messages and batches keep their text; their link to a template is cleared by the foreign keys.
  await knex('email_templates').delete()
}
