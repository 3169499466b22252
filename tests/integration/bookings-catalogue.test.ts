import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, sessionTimes, type TestCatalogue } from '../helpers/catalogue'

const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
beforeEach(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
})
afterEach(async () => {
  await app.cleanup()
})

describe('the catalogue', () => {
  it('lists items with prices in order and upcoming sessions', async () => {
    const items = await app.invoke('catalogue:list', undefined)
    const yoga = items.find((i) => i.id === cat.yoga.itemId)!
    expect(yoga.priceOptions.map((o) => [o.name, o.amountMinor, o.currency])).toEqual([
      ['Adult', 1250, 'GBP'],
      ['Concession', 800, 'GBP'],
    ])
    expect(yoga.upcomingSessions).toBe(2)
    expect(yoga.location).toBe('Studio 1')
    const sessions = await app.invoke('catalogue:sessions', { itemId: cat.yoga.itemId })
    expect(sessions.map((s) => [s.capacity, s.spacesLeft, s.location])).toEqual([
      [10, 10, 'Studio 1'],
      [2, 2, 'Studio 1'],
    ])
    const all = await app.invoke('catalogue:sessions', {})
    expect(all.map((s) => s.startsAt)).toEqual([...all.map((s) => s.startsAt)].sort())
    expect(all).toHaveLength(4)
    const early = await app.invoke('catalogue:sessions', { to: sessionTimes(NOW, 3).startsAt })
    expect(early.map((s) => s.id)).toEqual([cat.yoga.sessionId, cat.massage.sessionId])
  })
})
