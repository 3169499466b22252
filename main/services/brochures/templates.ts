import type { Knex } from 'knex'
import type { z } from 'zod'
import type { LetterTemplate, MergeField, saveLetterTemplateInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { diffFields, recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { foldName } from '../organise/names'
import { checkTemplateBody, customMergeFields, STANDARD_FIELDS } from './mergeFields'

interface TemplateRow {
  id: number
  name: string
  body: string
  is_default: number | boolean
  updated_at: string
}

const toTemplate = (row: TemplateRow): LetterTemplate => ({
  id: row.id,
  name: row.name,
  body: row.body,
  isDefault: Boolean(row.is_default),
  updatedAt: row.updated_at,
})

/** Every letter template, the default first, then by name. */
export async function listTemplates(ctx: Pick<ServiceContext, 'db'>): Promise<LetterTemplate[]> {
  const rows = (await ctx.db('letter_templates')
    .orderBy([{ column: 'is_default', order: 'desc' }, { column: 'name_normalized' }, { column: 'id' }])
    .select('id', 'name', 'body', 'is_default', 'updated_at')) as TemplateRow[]
  return rows.map(toTemplate)
}

export async function getTemplate(db: Knex, id: number): Promise<LetterTemplate> {
  const row = (await db('letter_templates').where({ id }).first('id', 'name', 'body', 'is_default', 'updated_at')) as TemplateRow | undefined
  if (!row) throw new NotFound('This letter template no longer exists.')
  return toTemplate(row)
}

/** The fields a body may use: the standard ones and one per custom field. */
export async function mergeFields(ctx: Pick<ServiceContext, 'db'>): Promise<MergeField[]> {
  const labels = ((await ctx.db('custom_field_definitions').orderBy('position').select('label')) as Array<{ label: string }>).map((r) => r.label)
  return [...STANDARD_FIELDS, ...customMergeFields(labels)]
}

export async function knownFieldKeys(db: Knex): Promise<Set<string>> {
  return new Set((await mergeFields({ db })).map((f) => f.key))
}

const LABELS = { name: 'Name', body: 'Text', isDefault: 'Default' }

/** Creates or changes a template; a body naming fields that do not exist is refused, naming them. */
export async function saveTemplate(ctx: ServiceContext, input: z.output<typeof saveLetterTemplateInput>): Promise<LetterTemplate[]> {
  checkTemplateBody(input.body, await knownFieldKeys(ctx.db))
  const nameNormalized = foldName(input.name)
  const now = ctx.clock().toISOString()
  await ctx.db.transaction(async (trx) => {
    const clash = trx('letter_templates').where({ name_normalized: nameNormalized }).first('id')
    if (input.id !== undefined) clash.whereNot({ id: input.id })
    if (await clash) {
      const message = 'There is already a letter template with this name.'
      throw new Conflict(message, { field: 'name', fields: { name: message } })
    }
    const count = Number(((await trx('letter_templates').count({ n: '*' }).first()) as { n: number | string }).n)
    // The first template is the default whatever was asked; the default cannot be un-made (choose another instead).
    const before = input.id === undefined ? null : await getTemplate(trx, input.id)
    const isDefault = input.isDefault || count === 0 || Boolean(before?.isDefault)
    if (isDefault) await trx('letter_templates').where({ is_default: true }).update({ is_default: false })
    const values = { name: input.name, name_normalized: nameNormalized, body: input.body, is_default: isDefault, updated_at: now }
    let id = input.id
    if (before) await trx('letter_templates').where({ id: before.id }).update(values)
    else id = ((await trx('letter_templates').insert({ ...values, created_at: now }).returning('id')) as Array<{ id: number }>)[0]!.id
    const text = (t: { name: string; body: string; isDefault: boolean } | null): Record<string, string> =>
      t ? { name: t.name, body: t.body, isDefault: t.isDefault ? 'Yes' : 'No' } : {}
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'letterTemplate',
      entityId: id!,
      action: before ? 'letterTemplate.updated' : 'letterTemplate.created',
      summary: `Letter template “${input.name}” ${before ? 'changed' : 'added'}`,
      changes: diffFields(text(before), text({ name: input.name, body: input.body, isDefault }), LABELS),
    })
  })
  return listTemplates(ctx)
}

/** Removes a template; the last one stays, and when the default goes the next by name takes its place. */
export async function deleteTemplate(ctx: ServiceContext, id: number): Promise<LetterTemplate[]> {
  await ctx.db.transaction(async (trx) => {
    const template = await getTemplate(trx, id)
    const count = Number(((await trx('letter_templates').count({ n: '*' }).first()) as { n: number | string }).n)
    if (count <= 1) throw ValidationFailed.field('id', 'Keep at least one letter template: letters are printed from one.')
    await trx('letter_templates').where({ id }).delete()
    if (template.isDefault) {
      const next = (await trx('letter_templates').orderBy([{ column: 'name_normalized' }, { column: 'id' }]).first('id')) as { id: number }
      await trx('letter_templates').where({ id: next.id }).update({ is_default: true })
    }
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'letterTemplate',
      entityId: id,
      action: 'letterTemplate.deleted',
      summary: `Letter template “${template.name}” removed`,
    })
  })
  return listTemplates(ctx)
}
