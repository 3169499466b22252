import type { TestCore } from './core'

/** Ids of the small catalogue `createCatalogue` makes, for tests that need something to book. */
export interface TestCatalogue {
  /** A class "Yoga Flow" with two prices. */
  yoga: {
    itemId: number
    /** Adult £12.50 (1250 GBP). */
    adultOptionId: number
    /** Concession £8.00 (800 GBP). */
    concessionOptionId: number
    /** Starts 1 day after `now`, 09:00–10:00 UTC, 10 places. */
    sessionId: number
    /** Starts 8 days after `now`, 2 places only (for capacity tests). */
    smallSessionId: number
  }
  /** An appointment type "Massage 60 min", £45.00 (4500 GBP), one session with 1 place, 2 days after `now`. */
  massage: { itemId: number; optionId: number; sessionId: number }
  /** An event "Pottery taster", £30.00 (3000 GBP), one session with 20 places, 15 days after `now`. */
  pottery: { itemId: number; optionId: number; sessionId: number }
}

/** Amounts used by the helper's price options, so tests can compute totals independently. */
export const TEST_PRICES = { yogaAdult: 1250, yogaConcession: 800, massage: 4500, pottery: 3000 } as const

/** The session starting `days` after `now`, at 09:00 UTC, lasting `hours`. */
export function sessionTimes(now: Date, days: number, hours = 1): { startsAt: string; endsAt: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, 9, 0, 0))
  return { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + hours * 3_600_000).toISOString() }
}

/**
 * Creates, through the API, a class with two price options and two sessions
 * (one with 2 places), an appointment type and an event, all in GBP, with
 * sessions dated after `now` (default: the real time).
 */
export async function createCatalogue(app: TestCore, options: { now?: Date } = {}): Promise<TestCatalogue> {
  const now = options.now ?? new Date()
  const yogaItem = await app.invoke('catalogue:saveItem', {
    kind: 'class',
    name: 'Yoga Flow',
    location: 'Studio 1',
    priceOptions: [
      { name: 'Adult', amountMinor: TEST_PRICES.yogaAdult, currency: 'GBP' },
      { name: 'Concession', amountMinor: TEST_PRICES.yogaConcession, currency: 'GBP' },
    ],
  })
  const yogaSession = await app.invoke('catalogue:saveSession', { itemId: yogaItem.id, ...sessionTimes(now, 1), capacity: 10 })
  const yogaSmall = await app.invoke('catalogue:saveSession', { itemId: yogaItem.id, ...sessionTimes(now, 8), capacity: 2 })

  const massageItem = await app.invoke('catalogue:saveItem', {
    kind: 'appointment',
    name: 'Massage 60 min',
    priceOptions: [{ name: 'Standard', amountMinor: TEST_PRICES.massage, currency: 'GBP' }],
  })
  const massageSession = await app.invoke('catalogue:saveSession', { itemId: massageItem.id, ...sessionTimes(now, 2), capacity: 1 })

  const potteryItem = await app.invoke('catalogue:saveItem', {
    kind: 'event',
    name: 'Pottery taster',
    location: 'Workshop',
    priceOptions: [{ name: 'Standard', amountMinor: TEST_PRICES.pottery, currency: 'GBP' }],
  })
  const potterySession = await app.invoke('catalogue:saveSession', { itemId: potteryItem.id, ...sessionTimes(now, 15, 3), capacity: 20 })

  return {
    yoga: {
      itemId: yogaItem.id,
      adultOptionId: yogaItem.priceOptions[0]!.id,
      concessionOptionId: yogaItem.priceOptions[1]!.id,
      sessionId: yogaSession.id,
      smallSessionId: yogaSmall.id,
    },
    massage: { itemId: massageItem.id, optionId: massageItem.priceOptions[0]!.id, sessionId: massageSession.id },
    pottery: { itemId: potteryItem.id, optionId: potteryItem.priceOptions[0]!.id, sessionId: potterySession.id },
  }
}
