import type { CustomFieldDefinition } from '../../preload/contract'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { allRows } from '../../db/queries/customerList'

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
  await app.invoke('customers:create', { firstName: 'Ann', lastName: 'Smith' })
})
afterEach(async () => {
  await app.cleanup()
})

async function countRows(table: string): Promise<number> {
  const [row] = (await app.db(table).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

async function defineFields() {
  await app.invoke('customFields:save', { label: 'Allergies', type: 'text' })
  await app.invoke('customFields:save', { label: 'Shoe size', type: 'number' })
  await app.invoke('customFields:save', { label: 'Birthday', type: 'date' })
  await app.invoke('customFields:save', { label: 'Vegan', type: 'boolean' })
  return app.invoke('customFields:save', { label: 'Preferred stylist', type: 'choice', options: ['Kim', 'Lee'] })
}

describe('custom field definitions', () => {
  it('are listed by position and logged as settings changes', async () => {
    const fields = await defineFields()
    expect(fields.map((f) => [f.label, f.type, f.position])).toEqual([
      ['Allergies', 'text', 0],
      ['Shoe size', 'number', 1],
      ['Birthday', 'date', 2],
      ['Vegan', 'boolean', 3],
      ['Preferred stylist', 'choice', 4],
    ])
    expect(fields[4]?.options).toEqual(['Kim', 'Lee'])
    expect(await app.invoke('customFields:list', undefined)).toEqual(fields)
    expect(await app.db('change_log').where({ action: 'settings.customField' }).first('entity_type', 'customer_id', 'summary')).toEqual({
      entity_type: 'settings',
      customer_id: null,
      summary: 'Added custom field "Allergies"',
    })
  })

  it('keep names unique regardless of case', async () => {
    await app.invoke('customFields:save', { label: 'Allergies', type: 'text' })
    expect(await app.call('customFields:save', { label: '  ALLERGIES ', type: 'number' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', field: 'label' },
    })
  })

  it('need an option for a choice, and keep options and type that values use', async () => {
    const fields = await defineFields()
    const [, size, , , stylist] = fields
    expect(await app.call('customFields:save', { label: 'Colour', type: 'choice', options: [] })).toMatchObject({ ok: false, error: { field: 'options' } })
    await app.invoke('customers:setCustomFields', { id: 1, values: { [stylist!.id]: 'Kim', [size!.id]: 41 } })
    const changesBefore = await countRows('change_log')
    expect(await app.call('customFields:save', { id: stylist!.id, label: 'Preferred stylist', type: 'choice', options: ['Lee'] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'options', message: expect.stringContaining('"Kim"') },
    })
    expect(await app.call('customFields:save', { id: size!.id, label: 'Shoe size', type: 'text' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'type' },
    })
    expect(await countRows('change_log')).toBe(changesBefore)
    // Unused options may go, and fields may be renamed.
    const saved = await app.invoke('customFields:save', { id: stylist!.id, label: 'Stylist', type: 'choice', options: ['Kim', 'Max'] })
    expect(saved[4]).toMatchObject({ label: 'Stylist', options: ['Kim', 'Max'] })
    // A field without values may change type.
    expect((await app.invoke('customFields:save', { id: fields[0]!.id, label: 'Allergies', type: 'boolean' }))[0]?.type).toBe('boolean')
  })

  it('are deleted with every value in one step', async () => {
    const fields = await defineFields()
    await app.invoke('customers:setCustomFields', { id: 1, values: { [fields[0]!.id]: 'Nuts' } })
    const remaining = await app.runJob<CustomFieldDefinition[]>('customFields:delete', { id: fields[0]!.id })
    expect(remaining.map((f) => f.label)).not.toContain('Allergies')
    expect(await countRows('customer_custom_values')).toBe(0)
    expect((await app.db('change_log').orderBy('id', 'desc').first('action', 'entity_type', 'summary')) as unknown).toEqual({
      action: 'settings.customField',
      entity_type: 'settings',
      summary: 'Deleted custom field "Allergies" and its 1 value',
    })
  })

  it('may be changed by an administrator only', async () => {
    const fields = await defineFields()
    const receptionist = { id: 2, name: 'Desk', role: 'staff' as const }
    const changesBefore = await countRows('change_log')
    expect(await app.as(receptionist, () => app.call('customFields:save', { label: 'New', type: 'text', options: [] }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only an administrator can change custom fields.' },
    })
    expect(await app.as(receptionist, () => app.call('customFields:delete', { id: fields[0]!.id }))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await countRows('custom_field_definitions')).toBe(5)
    expect(await countRows('change_log')).toBe(changesBefore)
  })
})

describe('custom field values', () => {
  it('are stored canonically as text and shown typed, with every defined field listed', async () => {
    const fields = await defineFields()
    const [allergies, size, birthday, vegan, stylist] = fields.map((f) => f.id)
    const extras = await app.invoke('customers:setCustomFields', {
      id: 1,
      values: { [allergies!]: '  Nuts ', [size!]: '41.50', [birthday!]: '1990-02-28', [vegan!]: true, [stylist!]: 'Lee' },
    })
    expect(extras.customFields.map((f) => [f.label, f.value])).toEqual([
      ['Allergies', 'Nuts'],
      ['Shoe size', 41.5],
      ['Birthday', '1990-02-28'],
      ['Vegan', true],
      ['Preferred stylist', 'Lee'],
    ])
    const stored = await app.db('customer_custom_values').orderBy('field_id').pluck('value')
    expect(stored).toEqual(['Nuts', '41.5', '1990-02-28', 'true', 'Lee'])
    // The list filter's query finds the customer by the canonical value.
    const hit = allRows(
      await app.db.raw(
        `SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM customer_custom_values v WHERE v.customer_id = c.id AND v.field_id = ? AND v.value = ?)`,
        [size!, '41.5'],
      ),
    )
    expect(hit).toEqual([{ id: 1 }])
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({
      action: 'customer.customFields',
      changes: expect.arrayContaining([
        { field: 'Vegan', before: null, after: 'Yes' },
        { field: 'Shoe size', before: null, after: '41.5' },
      ]),
    })
  })

  it('clear with null, keep fields not mentioned, and log before → after', async () => {
    const fields = await defineFields()
    const [allergies, size] = fields.map((f) => f.id)
    await app.invoke('customers:setCustomFields', { id: 1, values: { [allergies!]: 'Nuts', [size!]: 40 } })
    const extras = await app.invoke('customers:setCustomFields', { id: 1, values: { [allergies!]: null } })
    expect(extras.customFields.slice(0, 2).map((f) => f.value)).toEqual([null, 40])
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({ changes: [{ field: 'Allergies', before: 'Nuts', after: null }] })
    const changesBefore = await countRows('change_log')
    await app.invoke('customers:setCustomFields', { id: 1, values: { [size!]: '40' } })
    expect(await countRows('change_log')).toBe(changesBefore)
  })

  it('are checked against their type with a field path each, writing nothing if any is wrong', async () => {
    const fields = await defineFields()
    const [allergies, size, birthday, vegan, stylist] = fields.map((f) => f.id)
    await app.invoke('customers:setCustomFields', { id: 1, values: { [allergies!]: 'Nuts' } })
    const changesBefore = await countRows('change_log')
    const result = await app.call('customers:setCustomFields', {
      id: 1,
      values: { [allergies!]: 'Shellfish', [size!]: 'big', [birthday!]: '2026-02-30', [vegan!]: 'maybe', [stylist!]: 'Bob', 999: 'x' },
    })
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: {
          [`values.${size}`]: 'Enter a number, e.g. 42 or 3.5.',
          [`values.${birthday}`]: 'Enter a real date as YYYY-MM-DD.',
          [`values.${vegan}`]: 'Choose yes or no.',
          [`values.${stylist}`]: 'Choose one of the options.',
          'values.999': 'This field no longer exists.',
        },
      },
    })
    expect(await countRows('change_log')).toBe(changesBefore)
    expect(await app.db('customer_custom_values').pluck('value')).toEqual(['Nuts'])
    for (const value of [Number.POSITIVE_INFINITY, 1e300, '1e5']) {
      expect(await app.call('customers:setCustomFields', { id: 1, values: { [size!]: value } })).toMatchObject({
        ok: false,
        error: { field: `values.${size}` },
      })
    }
    expect(await app.call('customers:setCustomFields', { id: 1, values: { [allergies!]: 'x'.repeat(1001) } })).toMatchObject({
      ok: false,
      error: { field: `values.${allergies}` },
    })
  })
})
