import { describe, expect, it } from 'vitest'
import { customerInput } from '../../preload/contract'
import { FieldProblem, recordEmail, recordName, recordText } from '../../main/services/imports/recordRules'

/** The import checks each field with the rule functions directly; it must refuse exactly what the desk's form refuses, with the same words. */
const values = [
  'Zoë',
  '  Anna   Maria  ',
  'A\u200bnna',
  'Ann\u202ea',
  'Card 4111 1111 1111 1111',
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(201),
  'O\u0308sterreich',
  'Line\nbreak',
  'Tab\there',
  '=1+1',
  'مرحبا',
  '🎉 Party',
  '\u0000null',
]
const emails = ['anna@example.com', 'ANNA@Example.COM ', 'not-an-email', 'a@b', 'josé@exämple.com', 'a\u200b@example.com', `${'a'.repeat(250)}@example.com`, 'a b@example.com', '']

function outcome(check: () => string): string {
  try {
    return `ok ${check()}`
  } catch (error) {
    if (error instanceof FieldProblem) return `refused ${error.message}`
    throw error
  }
}

function formSays(input: Record<string, unknown>, field: string[]): string {
  const parsed = customerInput.safeParse({ firstName: 'Someone', ...input })
  const issue = parsed.success ? undefined : parsed.error.issues.find((i) => i.path.join('.') === field.join('.'))
  if (issue) return `refused ${issue.message}`
  const data = parsed.data as unknown as Record<string, unknown>
  return `ok ${field.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], data) as string}`
}

describe('the import refuses exactly what the customer form refuses', () => {
  it.each(values)('names: %j', (value) => {
    expect(outcome(() => recordName(value, 100))).toBe(formSays({ lastName: value }, ['lastName']))
    expect(outcome(() => recordName(value, 200))).toBe(formSays({ company: value }, ['company']))
  })

  it.each(values)('address lines: %j', (value) => {
    expect(outcome(() => recordText(value, 200))).toBe(formSays({ addresses: [{ line1: value }] }, ['addresses', '0', 'line1']))
    expect(outcome(() => recordText(value, 20))).toBe(formSays({ addresses: [{ line1: 'x', postcode: value }] }, ['addresses', '0', 'postcode']))
  })

  it.each(emails)('emails: %j', (value) => {
    expect(outcome(() => recordEmail(value))).toBe(formSays({ email: value }, ['email']))
  })
})
