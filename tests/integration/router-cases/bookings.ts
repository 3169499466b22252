import type { TestCore } from '../../helpers/core'
import { createCatalogue, sessionTimes, type TestCatalogue } from '../../helpers/catalogue'
import { prepared, type RouterCase } from './types'

/** The catalogue the booking cases book from, made once per database on first use. */
const catalogues = new WeakMap<TestCore, Promise<TestCatalogue>>()
const catalogueOf = (app: TestCore): Promise<TestCatalogue> => {
  let made = catalogues.get(app)
  if (!made) {
    made = createCatalogue(app)
    catalogues.set(app, made)
  }
  return made
}

/** A live customer of these cases' own, so earlier cases archiving or deleting fixtures cannot get in the way. */
const ROUTER_BOOKER = { kind: 'caller', firstName: 'Router', lastName: 'Booker', email: 'router.booker@example.com' } as const

const bookPottery = async (app: TestCore) => {
  const cat = await catalogueOf(app)
  const { booking } = await app.invoke('bookings:create', {
    customer: ROUTER_BOOKER,
    lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
  })
  return { cat, booking }
}

const bookerId = async (app: TestCore): Promise<number> =>
  (await app.invoke('bookings:findCaller', { query: ROUTER_BOOKER.email })).customers[0]?.id ??
  (await bookPottery(app)).booking.customer!.id

const transferOf = async (app: TestCore) => {
  const { cat, booking } = await bookPottery(app)
  return { bookingId: booking.id, lineId: booking.lines[0]!.id, sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.concessionOptionId }
}

const price = { name: 'Adult', amountMinor: 1000, currency: 'GBP' }

/** The catalogue, the desk's booking actions and plans. */
export const bookingCases: Record<string, RouterCase> = {
  'catalogue:list': { valid: undefined, invalid: [{ x: 1 }] },
  'catalogue:saveItem': {
    valid: { kind: 'class', name: 'Router class', priceOptions: [price] },
    invalid: [
      { kind: 'class', name: 'No prices', priceOptions: [] },
      { kind: 'course', name: 'x', priceOptions: [price] },
      { kind: 'event', name: '', priceOptions: [price] },
      { kind: 'event', name: 'x', priceOptions: [{ ...price, amountMinor: 12.5 }] },
      { kind: 'event', name: 'x', priceOptions: [{ ...price, currency: 'POUNDS' }] },
      { kind: 'event', name: 'x', priceOptions: [{ ...price, amountMinor: -1 }] },
    ],
  },
  'catalogue:deleteItem': {
    valid: prepared(async (app) => ({ id: (await app.invoke('catalogue:saveItem', { kind: 'event', name: 'Router delete me', priceOptions: [price] })).id })),
    invalid: [{ id: 0 }, {}],
  },
  'catalogue:sessions': {
    valid: {},
    invalid: [{ from: 'tomorrow' }, { limit: 0 }, { itemId: '1' }, { to: '2026-01-01' }],
  },
  'catalogue:saveSession': {
    valid: prepared(async (app) => ({ itemId: (await catalogueOf(app)).yoga.itemId, ...sessionTimes(new Date(), 30), capacity: 5 })),
    invalid: [
      { itemId: 1, startsAt: '2026-05-01T10:00:00Z', endsAt: '2026-05-01T09:00:00Z', capacity: 5 },
      { itemId: 1, startsAt: '2026-05-01T10:00:00Z', endsAt: '2026-05-01T11:00:00Z', capacity: 0 },
      { itemId: 1, startsAt: 'soon', endsAt: '2026-05-01T11:00:00Z', capacity: 5 },
      { itemId: 1, startsAt: '2026-05-01T10:00:00Z', endsAt: '2026-05-01T11:00:00Z', capacity: 2.5 },
    ],
  },
  'catalogue:deleteSession': {
    valid: prepared(async (app) => {
      const cat = await catalogueOf(app)
      return { id: (await app.invoke('catalogue:saveSession', { itemId: cat.pottery.itemId, ...sessionTimes(new Date(), 40), capacity: 3 })).id }
    }),
    invalid: [{ id: -1 }, { id: 'x' }],
  },
  'bookings:findCaller': {
    valid: { query: 'router@example.com' },
    invalid: [{ query: '' }, {}, { query: 'x'.repeat(255) }],
  },
  'bookings:create': {
    valid: prepared(async (app) => {
      const cat = await catalogueOf(app)
      return { customer: ROUTER_BOOKER, lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }], payment: { amountMinor: 100, method: 'card' } }
    }),
    invalid: [
      { customer: { kind: 'existing', id: 1 }, lines: [] },
      { customer: { kind: 'existing', id: 1 }, lines: [{ sessionId: 1, priceOptionId: 1, quantity: 0 }] },
      { customer: { kind: 'someone', id: 1 }, lines: [{ sessionId: 1, priceOptionId: 1 }] },
      { customer: { kind: 'caller', firstName: 'No contact' }, lines: [{ sessionId: 1, priceOptionId: 1 }] },
      { customer: { kind: 'existing', id: 1 }, lines: [{ sessionId: 1, priceOptionId: 1 }], status: 'cancelled' },
      { customer: { kind: 'existing', id: 1 }, lines: [{ sessionId: 1, priceOptionId: 1 }], payment: { amountMinor: 0, method: 'card' } },
      { customer: { kind: 'existing', id: 1 }, lines: [{ sessionId: 1, priceOptionId: 1 }], source: 'fax' },
    ],
  },
  'bookings:get': {
    valid: prepared(async (app) => ({ id: (await bookPottery(app)).booking.id })),
    invalid: [{ id: '1' }, {}],
  },
  'bookings:setStatus': {
    valid: prepared(async (app) => ({ id: (await bookPottery(app)).booking.id, status: 'cancelled', reason: 'Router test' })),
    invalid: [{ id: 1, status: 'pending' }, { id: 1, status: 'cancelled', reason: 'x'.repeat(501) }, { status: 'confirmed' }],
  },
  'bookings:addPayment': {
    valid: prepared(async (app) => ({ bookingId: (await bookPottery(app)).booking.id, amountMinor: 500, method: 'cash', reference: 'Till 1' })),
    invalid: [
      { bookingId: 1, amountMinor: 0, method: 'cash' },
      { bookingId: 1, amountMinor: 100, method: 'bitcoin' },
      { bookingId: 1, amountMinor: 100, method: 'cash', takenOn: '2026-02-30' },
      { bookingId: 1, amountMinor: 1.5, method: 'cash' },
      { bookingId: 1, amountMinor: 100, method: 'cash', kind: 'gift' },
    ],
  },
  'bookings:previewTransfer': {
    valid: prepared(transferOf),
    invalid: [{ bookingId: 1, sessionId: 1, priceOptionId: 1 }, { bookingId: 1, lineId: 1, sessionId: 0, priceOptionId: 1 }],
  },
  'bookings:transfer': {
    valid: prepared(transferOf),
    invalid: [{ bookingId: 1, lineId: 1, sessionId: 1 }, { bookingId: 1, lineId: 1, sessionId: 1, priceOptionId: 1, extra: true }],
  },
  'plans:list': {
    valid: prepared(async (app) => ({ customerId: await bookerId(app) })),
    invalid: [{ customerId: 0 }, {}],
  },
  'plans:sell': {
    valid: prepared(async (app) => ({
      kind: 'membership',
      customerId: await bookerId(app),
      name: 'Router gold',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      priceMinor: 9900,
      currency: 'GBP',
    })),
    invalid: [
      { kind: 'membership', customerId: 1, name: 'x', validFrom: '2026-02-01', validTo: '2026-01-01', priceMinor: 1, currency: 'GBP' },
      { kind: 'voucher', customerId: 1, name: 'x', priceMinor: 1, currency: 'GBP' },
      { kind: 'pass', customerId: 1, name: 'x', credits: 0, priceMinor: 1, currency: 'GBP' },
      { kind: 'subscription', customerId: 1, name: 'x', amountMinor: 1, currency: 'pounds', interval: 'month', startsOn: '2026-01-01' },
      { kind: 'subscription', customerId: 1, name: 'x', amountMinor: 1, currency: 'GBP', interval: 'fortnight', startsOn: '2026-01-01' },
    ],
  },
  'plans:setStatus': {
    valid: prepared(async (app) => {
      const plans = await app.invoke('plans:sell', {
        kind: 'subscription',
        customerId: await bookerId(app),
        name: 'Router monthly',
        amountMinor: 2500,
        currency: 'GBP',
        interval: 'month',
        startsOn: '2026-01-15',
      })
      return { id: plans.subscriptions[0]!.id, status: 'paused' }
    }),
    invalid: [{ id: 1, status: 'expired' }, {}],
  },
}
