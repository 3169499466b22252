import { describe, expect, it } from 'vitest'
import { describeDays, isDay, presetDays, rangeFromQuery, rangeProblem, rangeToQuery } from '../../renderer/src/components/reports/ranges'
import { formatCell, isReportKind, monthName } from '../../renderer/src/components/reports/report-text'
import { formatDay } from '../../renderer/src/services/money'

/** The Reports screen's periods and cells, seen from 15 March 2026 (local time). */
const today = new Date(2026, 2, 15)

describe('report periods', () => {
  it('covers whole months up to the end of this month (or year)', () => {
    expect(presetDays('this-month', today)).toEqual({ from: '2026-03-01', to: '2026-03-31' })
    expect(presetDays('last-3-months', today)).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(presetDays('this-year', today)).toEqual({ from: '2026-01-01', to: '2026-12-31' })
    expect(presetDays('last-12-months', today)).toEqual({ from: '2025-04-01', to: '2026-03-31' })
    expect(presetDays('all', today)).toEqual({ from: null, to: null })
    expect(presetDays('last-3-months', new Date(2026, 0, 31))).toEqual({ from: '2025-11-01', to: '2026-01-31' })
  })

  it('reads the period back from the address, falling back to the last 12 months', () => {
    expect(rangeFromQuery({ range: 'this-month' }, today)).toEqual({ range: 'this-month', from: '2026-03-01', to: '2026-03-31' })
    expect(rangeFromQuery({ range: 'custom', from: '2025-02-01', to: '2025-02-28' }, today)).toEqual({ range: 'custom', from: '2025-02-01', to: '2025-02-28' })
    expect(rangeFromQuery({ range: 'custom', from: '2025-02-01' }, today)).toEqual({ range: 'custom', from: '2025-02-01', to: null })
    expect(rangeFromQuery({ range: 'custom', from: '2025-02-30', to: 'soon' }, today)).toEqual({ range: 'custom', from: null, to: null })
    expect(rangeFromQuery({ range: 'custom', from: '2025-03-01', to: '2025-02-01' }, today).range).toBe('last-12-months')
    expect(rangeFromQuery({ range: 'nonsense' }, today)).toEqual({ range: 'last-12-months', from: '2025-04-01', to: '2026-03-31' })
    expect(rangeFromQuery({}, today).range).toBe('last-12-months')
    expect(rangeToQuery({ range: 'custom', from: '2025-02-01', to: null })).toEqual({ range: 'custom', from: '2025-02-01' })
    expect(rangeToQuery({ range: 'all', from: null, to: null })).toEqual({ range: 'all' })
  })

  it('says in words what is wrong with a custom range', () => {
    expect(rangeProblem('2026-03-01', '2026-03-31')).toEqual({ from: '', to: '' })
    expect(rangeProblem('', '2026-03-31')).toEqual({ from: '', to: '' })
    expect(rangeProblem('2026-04-01', '2026-03-31').to).toBe('The start date must be on or before the end date.')
    expect(rangeProblem('2026-02-30', '').from).toMatch(/Enter a date/)
    expect(isDay('2024-02-29')).toBe(true)
    expect(isDay('2025-02-29')).toBe(false)
  })

  it('describes the days covered', () => {
    expect(describeDays({ from: null, to: null })).toBe('All time')
    expect(describeDays({ from: '2026-03-01', to: '2026-03-31' })).toBe(`${formatDay('2026-03-01')} – ${formatDay('2026-03-31')}`)
    expect(describeDays({ from: '2026-03-01', to: null })).toBe(`From ${formatDay('2026-03-01')}`)
    expect(describeDays({ from: null, to: '2026-03-31' })).toBe(`Up to ${formatDay('2026-03-31')}`)
  })
})

describe('report cells', () => {
  it('formats each kind of figure', () => {
    expect(formatCell(123456, 'money', 'GBP')).toBe(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'GBP' }).format(1234.56))
    expect(formatCell(1234567, 'count', 'GBP')).toBe(new Intl.NumberFormat().format(1234567))
    expect(formatCell(33.3, 'percent', 'GBP')).toMatch(/^33[.,]3\s?%$/)
    expect(formatCell('2026-03', 'month', 'GBP')).toBe(monthName('2026-03'))
    expect(formatCell(null, 'money', 'GBP')).toBe('—')
    expect(formatCell('Yoga', 'text', 'GBP')).toBe('Yoga')
    expect(isReportKind('topCustomers')).toBe(true)
    expect(isReportKind('nope')).toBe(false)
  })
})
