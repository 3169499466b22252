import { describe, expect, it } from 'vitest'
import { addDays, collectionDay, followingCollectionDay, nextCollectionDay, planEndDay } from '../../main/services/plans/schedule'

describe('plan days', () => {
  it('end a plan on the day before the same day a length later, both days included', () => {
    expect(planEndDay('2026-03-15', 12, 'month')).toBe('2027-03-14')
    expect(planEndDay('2026-03-15', 1, 'year')).toBe('2027-03-14')
    expect(planEndDay('2026-01-31', 1, 'month')).toBe('2026-02-27')
    expect(planEndDay('2026-03-02', 1, 'week')).toBe('2026-03-08')
    expect(planEndDay('2026-03-02', 1, 'day')).toBe('2026-03-02')
    expect(planEndDay('2028-02-29', 1, 'year')).toBe('2029-02-27')
  })

  it('count collections from the start, so the 31st stays the 31st where the month allows', () => {
    expect([1, 2, 3, 4].map((k) => collectionDay('2026-01-31', 'month', k))).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31'])
    expect(followingCollectionDay('2026-01-31', 'month', '2026-02-28')).toBe('2026-03-31')
    expect(followingCollectionDay('2026-02-16', 'week', '2026-02-16')).toBe('2026-02-23')
    expect(followingCollectionDay('2024-02-29', 'year', '2024-02-29')).toBe('2025-02-28')
    expect(nextCollectionDay('2026-01-31', 'month', '2026-04-10')).toBe('2026-04-30')
    expect(nextCollectionDay('2026-05-01', 'month', '2026-04-10')).toBe('2026-05-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
  })
})
