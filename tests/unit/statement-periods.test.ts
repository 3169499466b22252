import { describe, expect, it } from 'vitest'
import { periodDays } from '../../renderer/src/components/statements/periods'
import { makeStatementInput } from '../../preload/contract'
import { checkStatementPeriod } from '../../renderer/src/services/validation'

describe('a statement’s ready-made periods', () => {
  it('run from the first of this month, of the month two before, or of January, to today', () => {
    const today = new Date(2026, 11, 1, 15, 30)
    expect(periodDays('this-month', today)).toEqual({ from: '2026-12-01', to: '2026-12-01' })
    expect(periodDays('last-3-months', today)).toEqual({ from: '2026-10-01', to: '2026-12-01' })
    expect(periodDays('this-year', today)).toEqual({ from: '2026-01-01', to: '2026-12-01' })
    // Across the new year.
    expect(periodDays('last-3-months', new Date(2027, 0, 31))).toEqual({ from: '2026-11-01', to: '2027-01-31' })
    expect(periodDays('this-year', new Date(2027, 0, 1))).toEqual({ from: '2027-01-01', to: '2027-01-01' })
  })

  it('are checked as the app checks them: real days, in order, at most 10 years, not after today', () => {
    const check = (from: string, to: string) => checkStatementPeriod({ customerId: 1, from, to }, '2026-12-01')
    expect(check('2026-01-01', '2026-12-01')).toEqual({})
    expect(check('2016-12-02', '2026-12-01')).toEqual({})
    expect(check('2016-12-01', '2026-12-01')).toEqual({ from: 'A statement covers at most 10 years. Choose a later start date.' })
    expect(check('2026-12-02', '2026-12-01')).toEqual({ to: 'The start date must be on or before the end date.' })
    expect(check('2026-11-01', '2026-12-02')).toEqual({ to: 'A statement cannot end after today.' })
    expect(check('', '2026-12-01')).toMatchObject({ from: expect.any(String) })
    expect(check('2026-02-30', '2026-12-01')).toEqual({ from: 'This date does not exist.' })
    expect(makeStatementInput.safeParse({ customerId: 1, from: '2026-01-01', to: '2026-01-01' }).success).toBe(true)
  })
})
