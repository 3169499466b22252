import type { z } from 'zod'
import type { CustomerExtras, FieldChange, setCustomFieldsInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { recordChange } from '../changeLog'
import { ValidationFailed } from '../errors'
import { loadExtras, requireCustomer, touchCustomer } from './extras'
import {
  describeCustomFieldValue,
  encodeCustomFieldValue,
  InvalidCustomFieldValue,
  toDefinition,
  type CustomFieldDefinitionRow,
} from './customFieldCodec'

/**
 * Sets some of a customer's custom field values (null or empty clears one);
 * fields not mentioned keep their value. All values are checked before any is written.
 */
export async function setCustomFieldValues(ctx: ServiceContext, input: z.output<typeof setCustomFieldsInput>): Promise<CustomerExtras> {
  return ctx.db.transaction(async (trx) => {
    await requireCustomer(trx, input.id)
    const fieldIds = Object.keys(input.values).map(Number)
    const definitions = new Map(
      ((await trx('custom_field_definitions').whereIn('id', fieldIds)) as CustomFieldDefinitionRow[]).map((row) => [row.id, toDefinition(row)]),
    )
    const current = new Map(
      ((await trx('customer_custom_values').where({ customer_id: input.id }).whereIn('field_id', fieldIds).select('field_id', 'value')) as Array<{
        field_id: number
        value: string
      }>).map((row) => [row.field_id, row.value]),
    )

    const errors: Record<string, string> = {}
    const writes: Array<{ fieldId: number; value: string | null }> = []
    const changes: FieldChange[] = []
    for (const [key, raw] of Object.entries(input.values)) {
      const fieldId = Number(key)
      const definition = definitions.get(fieldId)
      if (!definition) {
        errors[`values.${key}`] = 'This field no longer exists.'
        continue
      }
      let value: string | null
      try {
        value = encodeCustomFieldValue(definition, raw)
      } catch (error) {
        if (!(error instanceof InvalidCustomFieldValue)) throw error
        errors[`values.${key}`] = error.message
        continue
      }
      const before = current.get(fieldId) ?? null
      if (before === value) continue
      writes.push({ fieldId, value })
      changes.push({
        field: definition.label,
        before: describeCustomFieldValue(definition.type, before) || null,
        after: describeCustomFieldValue(definition.type, value) || null,
      })
    }
    if (Object.keys(errors).length) throw new ValidationFailed(Object.values(errors)[0]!, errors)
    if (!writes.length) return loadExtras(trx, ctx, input.id)

    for (const { fieldId, value } of writes) {
      const key = { customer_id: input.id, field_id: fieldId }
      if (value === null) await trx('customer_custom_values').where(key).delete()
      else await trx('customer_custom_values').insert({ ...key, value }).onConflict(['customer_id', 'field_id']).merge()
    }
    await touchCustomer(trx, ctx, input.id)
    await recordChange(trx, ctx, {
      customerId: input.id,
      entityType: 'customer',
      entityId: input.id,
      action: 'customer.customFields',
      summary: `Updated ${changes.map((c) => c.field).join(', ')}`,
      changes,
    })
    return loadExtras(trx, ctx, input.id)
  })
}
