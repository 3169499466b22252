import { z } from 'zod'
import { id, isoDate } from './common'

/** The longest period one statement covers, in years: 2016-12-02 to 2026-12-01 at most. */
export const MAX_STATEMENT_YEARS = 10

/** The same day `years` earlier, as text (compared as text, so 29 February needs no special case). */
const yearsBefore = (day: string, years: number) => `${String(Number(day.slice(0, 4)) - years).padStart(4, '0')}${day.slice(4)}`

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
  .refine((v) => v.from > v.to || v.from > yearsBefore(v.to, MAX_STATEMENT_YEARS), {
    error: 'A statement covers at most 10 years. Choose a later start date.',
    path: ['from'],
  })
export type MakeStatementInput = z.output<typeof makeStatementInput>

/** The channels answered by statements, each with the input it takes. */
export const statementsInputs = {
  'statements:make': makeStatementInput,
}
