import type { Knex } from 'knex'
import type { z } from 'zod'
import type { EmailTemplate, EmailTemplatePurpose, saveEmailTemplateInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { diffFields, recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { foldName } from '../organise/names'
import { checkTemplate } from './validate'

interface TemplateRow {
  id: number
  name: string
  purpose: EmailTemplatePurpose
  subject: string
  body: string
  updated_at: string
  updated_by_name: string
}

const COLUMNS = ['id', 'name', 'purpose', 'subject', 'body', 'updated_at', 'updated_by_name'] as const

const toTemplate = (row: TemplateRow): EmailTemplate => ({
  id: row.id,
  name: row.name,
  purpose: row.purpose,
  subject: row.subject,
  body: row.body,
  updatedAt: row.updated_at,
  updatedByName: row.updated_by_name,
})

/** The order the settings list shows: the everyday ones first, then the automatic ones. */
const PURPOSE_ORDER: EmailTemplatePurpose[] = ['general', 'marketing', 'confirmation', 'reminder', 'accountConfirm', 'passwordReset']

/** The purposes whose emails the app sends by itself, from the one template there is for each. */
export const AUTOMATIC_PURPOSES: readonly EmailTemplatePurpose[] = ['confirmation', 'reminder', 'accountConfirm', 'passwordReset']

const PURPOSE_WORDS: Record<EmailTemplatePurpose, string> = {
  general: 'everyday emails',
  marketing: 'newsletters',
  confirmation: 'booking confirmations',
  reminder: 'booking reminders',
  accountConfirm: 'confirm-account emails',
  passwordReset: 'reset-password emails',
}

export async function listTemplates(db: Knex): Promise<EmailTemplate[]> {
  const rows = (await db('email_templates').select(...COLUMNS)) as TemplateRow[]
  return rows
    .map(toTemplate)
    .sort((a, b) => PURPOSE_ORDER.indexOf(a.purpose) - PURPOSE_ORDER.indexOf(b.purpose) || a.name.localeCompare(b.name) || a.id - b.id)
}

export async function getTemplate(db: Knex, id: number): Promise<EmailTemplate> {
  const row = (await db('email_templates').where({ id }).first(...COLUMNS)) as TemplateRow | undefined
  if (!row) throw new NotFound('This email template no longer exists.')
  return toTemplate(row)
}

/** The template automatic emails of a purpose are written from (the oldest, when there are several). */
export async function templateForPurpose(db: Knex, purpose: EmailTemplatePurpose): Promise<EmailTemplate> {
  const row = (await db('email_templates').where({ purpose }).orderBy('id').first(...COLUMNS)) as TemplateRow | undefined
  if (!row) throw new NotFound(`There is no email template for ${PURPOSE_WORDS[purpose]}. Add one in Settings → Email templates.`)
  return toTemplate(row)
}

const LABELS = { name: 'Name', purpose: 'Used for', subject: 'Subject', body: 'Text' }

function asText(t: Pick<EmailTemplate, 'name' | 'purpose' | 'subject' | 'body'> | null): Record<string, string> {
  return t ? { name: t.name, purpose: PURPOSE_WORDS[t.purpose], subject: t.subject, body: t.body } : {}
}

async function countOfPurpose(trx: Knex, purpose: EmailTemplatePurpose): Promise<number> {
  const row = (await trx('email_templates').where({ purpose }).count({ n: '*' }).first()) as { n: number | string }
  return Number(row.n)
}

/** Creates or changes a template; unknown merge fields, forbidden tags and a name in use are refused in words. */
export async function saveTemplate(ctx: ServiceContext, input: z.output<typeof saveEmailTemplateInput>): Promise<EmailTemplate> {
  await checkTemplate(ctx.db, input)
  // An account email without its link leaves the customer nothing to click.
  if ((input.purpose === 'accountConfirm' || input.purpose === 'passwordReset') && !/\{\{\s*accountUrl\s*\}\}/.test(input.body)) {
    throw ValidationFailed.field('body', `The ${PURPOSE_WORDS[input.purpose].replace(/s$/, '')} needs its link: insert {{accountUrl}} (Insert field → Online account link).`)
  }
  const now = ctx.clock().toISOString()
  const id = await ctx.db.transaction(async (trx) => {
    const before = input.id === undefined ? null : await getTemplate(trx, input.id)
    const names = (await trx('email_templates').select('id', 'name')) as Array<{ id: number; name: string }>
    if (names.some((t) => t.id !== input.id && foldName(t.name) === foldName(input.name))) {
      const message = 'There is already an email template with this name. Choose another name.'
      throw new Conflict(message, { field: 'name', fields: { name: message } })
    }
    // Moving the last template of an automatic purpose elsewhere would leave those emails without one.
    if (before && before.purpose !== input.purpose && (await countOfPurpose(trx, before.purpose)) <= 1) {
      const message = `This is the only template for ${PURPOSE_WORDS[before.purpose]}. Add another one for them before changing what this one is for.`
      throw ValidationFailed.field('purpose', message)
    }
    const values = { name: input.name, purpose: input.purpose, subject: input.subject, body: input.body, updated_at: now, updated_by_name: ctx.staff.name }
    let savedId: number
    if (before) {
      await trx('email_templates').where({ id: before.id }).update(values)
      savedId = before.id
    } else {
      savedId = ((await trx('email_templates').insert({ ...values, created_at: now }).returning('id')) as Array<{ id: number }>)[0]!.id
    }
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'emailTemplate',
      entityId: savedId,
      action: before ? 'emailTemplate.updated' : 'emailTemplate.created',
      summary: `Email template “${input.name}” ${before ? 'changed' : 'added'}`,
      changes: diffFields(asText(before), asText(input), LABELS),
    })
    return savedId
  })
  return getTemplate(ctx.db, id)
}

/** Removes a template; each purpose keeps at least one, since the emails of that purpose are written from it. */
export async function deleteTemplate(ctx: ServiceContext, id: number): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    const template = await getTemplate(trx, id)
    if ((await countOfPurpose(trx, template.purpose)) <= 1) {
      const why = AUTOMATIC_PURPOSES.includes(template.purpose)
        ? `the app writes ${PURPOSE_WORDS[template.purpose]} from it by itself`
        : `${PURPOSE_WORDS[template.purpose]} start from it`
      throw ValidationFailed.field('id', `This is the only template for ${PURPOSE_WORDS[template.purpose]}, and ${why}. Change its text instead, or add another one first.`)
    }
    await trx('email_templates').where({ id }).delete()
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'emailTemplate',
      entityId: id,
      action: 'emailTemplate.deleted',
      summary: `Email template “${template.name}” removed`,
    })
  })
}
