import { customerInput, makeStatementInput, settingsShape } from '../../../preload/contract'
import type { z } from 'zod'

/** Field path → first message, from a zod error (same paths the backend reports). */
function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = issue.path.join('.') || 'form'
    fields[path] ??= issue.message
  }
  return fields
}

/**
 * Checks a customer form with the contract's own schema before sending it,
 * so simple mistakes are shown at once. The backend checks again (phones
 * need the default-country setting, email uniqueness needs the database).
 */
export function checkCustomer(input: unknown): Record<string, string> {
  const result = customerInput.safeParse(input)
  return result.success ? {} : fieldsOf(result.error)
}

export function checkSettings(input: unknown): Record<string, string> {
  const result = settingsShape.partial().safeParse(input)
  return result.success ? {} : fieldsOf(result.error)
}

/** A statement's period: real days, in order, at most 10 years, and not ending after `today`. */
export function checkStatementPeriod(input: { customerId: number; from: string; to: string }, today: string): Record<string, string> {
  const result = makeStatementInput.safeParse(input)
  const fields = result.success ? {} : fieldsOf(result.error)
  if (!fields['to'] && input.to > today) fields['to'] = 'A statement cannot end after today.'
  return fields
}
