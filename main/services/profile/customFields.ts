import type { Knex } from 'knex'
import type { z } from 'zod'
import type { CustomFieldDefinition, saveCustomFieldInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { diffFields, recordChange } from '../changeLog'
import { Conflict, NotFound, ValidationFailed } from '../errors'
import { toDefinition, type CustomFieldDefinitionRow } from './customFieldCodec'
import { NO_PROGRESS, type Progress } from '../progress'
import { removeInBatches } from '../batches'

/*
 * Custom field definitions: set up by an administrator, shown on every profile.
 * Settings changes are logged with entity_type 'settings' and no customer.
 */

const TYPE_LABELS = { text: 'Text', number: 'Number', date: 'Date', boolean: 'Yes/no', choice: 'Choice' } as const
const LABELS = { label: 'Name', type: 'Type', options: 'Options' }

/** Labels compare trimmed, Unicode-normalised and case-insensitively. */
function normalizeLabel(label: string): string {
  return label.normalize('NFC').trim().toLowerCase()
}

async function listDefinitions(db: Knex): Promise<CustomFieldDefinition[]> {
  const rows = (await db('custom_field_definitions').orderBy('position').orderBy('id')) as CustomFieldDefinitionRow[]
  return rows.map(toDefinition)
}

async function loadDefinition(db: Knex, id: number): Promise<CustomFieldDefinitionRow> {
  const row = (await db('custom_field_definitions').where({ id }).first()) as CustomFieldDefinitionRow | undefined
  if (!row) throw new NotFound('This custom field no longer exists.')
  return row
}

export async function describeCustomFieldDelete(ctx: ServiceContext, id: number): Promise<string> {
  return `Deleting the custom field “${(await loadDefinition(ctx.db, id)).label}”`
}

function describe(def: Pick<CustomFieldDefinition, 'label' | 'type' | 'options'>): Record<string, string> {
  return { label: def.label, type: TYPE_LABELS[def.type], options: def.options.join(', ') }
}

export function listCustomFields(ctx: ServiceContext): Promise<CustomFieldDefinition[]> {
  return listDefinitions(ctx.db)
}

function checkOptions(input: z.output<typeof saveCustomFieldInput>): string[] {
  if (input.type !== 'choice') return []
  if (!input.options.length) throw ValidationFailed.field('options', 'Give a choice field at least one option.')
  const seen = new Set<string>()
  for (const option of input.options) {
    const key = normalizeLabel(option)
    if (seen.has(key)) throw ValidationFailed.field('options', `"${option}" is listed twice.`)
    seen.add(key)
  }
  return input.options
}

/** Creates a field, or changes one while keeping every stored value valid. */
export async function saveCustomField(ctx: ServiceContext, input: z.output<typeof saveCustomFieldInput>): Promise<CustomFieldDefinition[]> {
  const options = checkOptions(input)
  const labelNormalized = normalizeLabel(input.label)
  const wanted = { label: input.label, type: input.type, options }
  return ctx.db.transaction(async (trx) => {
    const clash = trx('custom_field_definitions').where({ label_normalized: labelNormalized }).first('id')
    if (input.id !== undefined) clash.whereNot({ id: input.id })
    if (await clash) {
      throw new Conflict('There is already a custom field with this name.', {
        field: 'label',
        fields: { label: 'There is already a custom field with this name.' },
      })
    }

    let id = input.id
    let before: Record<string, string> = {}
    if (id === undefined) {
      const [{ max } = { max: null }] = (await trx('custom_field_definitions').max({ max: 'position' })) as Array<{ max: number | null }>
      const [inserted] = (await trx('custom_field_definitions')
        .insert({ ...wanted, options: JSON.stringify(options), label_normalized: labelNormalized, position: (max ?? -1) + 1, created_at: ctx.clock().toISOString() })
        .returning('id')) as Array<{ id: number }>
      id = inserted!.id
    } else {
      const row = (await trx('custom_field_definitions').where({ id }).first()) as CustomFieldDefinitionRow | undefined
      if (!row) throw new NotFound('This custom field no longer exists.')
      const current = toDefinition(row)
      before = describe(current)
      const values = trx('customer_custom_values').where({ field_id: id })
      if (current.type !== input.type && (await values.clone().first('customer_id'))) {
        throw ValidationFailed.field('type', 'Customers already have values in this field, so its type cannot change.')
      }
      const dropped = current.type === 'choice' && input.type === 'choice' ? current.options.filter((o) => !options.includes(o)) : []
      if (dropped.length) {
        const used = (await values.clone().whereIn('value', dropped).distinct('value')) as Array<{ value: string }>
        if (used.length) {
          throw ValidationFailed.field('options', `Customers still have ${used.map((u) => `"${u.value}"`).join(', ')}: change their values first.`)
        }
      }
      await trx('custom_field_definitions')
        .where({ id })
        .update({ ...wanted, options: JSON.stringify(options), label_normalized: labelNormalized })
    }

    const changes = diffFields(before, describe(wanted), LABELS)
    if (changes.length) {
      await recordChange(trx, ctx, {
        customerId: null,
        entityType: 'settings',
        entityId: id,
        action: 'settings.customField',
        summary: input.id === undefined ? `Added custom field "${input.label}"` : `Changed custom field "${input.label}"`,
        changes,
      })
    }
    return listDefinitions(trx)
  })
}

/** Removes a field and every customer's value in it. */
/** Deletes a field and every customer's value of it; one log entry. A job, in batches with progress; all or nothing. */
export async function deleteCustomField(ctx: ServiceContext, id: number, progress: Progress = NO_PROGRESS): Promise<CustomFieldDefinition[]> {
  return ctx.db.transaction(async (trx) => {
    const row = await loadDefinition(trx, id)
    const removedValues = await removeInBatches(trx, { table: 'customer_custom_values', column: 'field_id', value: id, key: 'customer_id' }, progress)
    await trx('custom_field_definitions').where({ id }).delete()
    await recordChange(trx, ctx, {
      customerId: null,
      entityType: 'settings',
      entityId: id,
      action: 'settings.customField',
      summary: `Deleted custom field "${row.label}" and its ${removedValues} value${removedValues === 1 ? '' : 's'}`,
      changes: diffFields(describe(toDefinition(row)), {}, LABELS),
    })
    return listDefinitions(trx)
  })
}
