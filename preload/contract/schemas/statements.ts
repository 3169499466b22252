import { z } from 'zod'
import { id, isoDate } from './common'

/** The longest period one statement covers: ten years of the desk's days (leap days included). */
export const MAX_STATEMENT_DAYS = 3653

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/**
 * A statement of a customer's account for a period of the desk's calendar
 * days, both included: everything before `from` is brought forward.
 */
export const makeStatementInput = z
  .strictObject({
    customerId: id,
    from: isoDate,
    to: isoDate,
  })
  .refine((v) => v.from <= v.to, { error: 'The start date must be on or before the end date.', path: ['to'] })
  .refine((v) => v.from > v.to || daysBetween(v.from, v.to) < MAX_STATEMENT_DAYS, {
    error: 'A statement covers at most 10 years. Choose a later start date.',
    path: ['from'],
  })
export type MakeStatementInput = z.output<typeof makeStatementInput>

/** The channels answered by statements, each with the input it takes. */
export const statementsInputs = {
  'statements:make': makeStatementInput,
}
