import type { TestCore } from '../../helpers/core'
import { createCatalogue, sessionTimes, type TestCatalogue } from '../../helpers/catalogue'
import { addTestPlanProduct, sellTestPlan } from '../../helpers/plans'
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
  'bookings:quote': {
    valid: prepared(async (app) => ({ customerId: null, lines: [{ priceOptionId: (await catalogueOf(app)).yoga.adultOptionId, quantity: 2 }] })),
    invalid: [{ lines: [{ priceOptionId: 1, quantity: 0 }] }, { customerId: 'x', lines: [] }, {}],
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
  'bookings:assign': {
    valid: prepared(async (app) => ({ id: (await bookPottery(app)).booking.id, staffId: 1 })),
    invalid: [{ id: 1 }, { id: 1, staffId: 0 }, { id: 1, staffId: '1' }],
  },
  'bookings:mine': { valid: { from: '2026-01-01', days: 30 }, invalid: [{ days: 0 }, { days: 93 }, { from: '2026-02-30' }] },
  'plans:list': {
    valid: prepared(async (app) => ({ customerId: await bookerId(app) })),
    invalid: [{ customerId: 0 }, {}],
  },
  'plans:sell': {
    valid: prepared(async (app) => ({
      customerId: await bookerId(app),
      productId: await addTestPlanProduct(app, { kind: 'membership', name: 'Router gold', priceMinor: 9900 }),
      startsOn: '2026-01-01',
      payment: { amountMinor: 1000, method: 'card' },
    })),
    invalid: [
      { customerId: 1, productId: 1, startsOn: '2026-02-30' },
      { customerId: 1, productId: 1, startsOn: '2026-01-01', payment: { amountMinor: 0, method: 'card' } },
      { customerId: 1, productId: 1, startsOn: '2026-01-01', payment: { amountMinor: 100, method: 'bitcoin' } },
      { kind: 'membership', customerId: 1, name: 'x', validFrom: '2026-01-01', validTo: '2026-02-01', priceMinor: 1, currency: 'GBP' },
      { customerId: 1, startsOn: '2026-01-01' },
    ],
  },
  'plans:setStatus': {
    valid: prepared(async (app) => {
      const sold = await sellTestPlan(app, await bookerId(app), { kind: 'subscription', name: 'Router monthly', priceMinor: 2500, interval: 'month' }, { startsOn: '2026-01-15' })
      return { id: sold.planId, status: 'paused' }
    }),
    invalid: [{ id: 1, status: 'expired' }, {}],
  },
  'plans:products': {
    valid: { includeArchived: true },
    invalid: [{ includeArchived: 'yes' }, { archived: true }],
  },
  'plans:saveProduct': {
    valid: { kind: 'pass', name: 'Router 5-class pass', priceMinor: 4000, credits: 5, lengthCount: 3, lengthUnit: 'month' },
    invalid: [
      { kind: 'pass', name: 'No credits', priceMinor: 4000 },
      { kind: 'membership', name: 'No length', priceMinor: 4000 },
      { kind: 'subscription', name: 'No interval', priceMinor: 4000 },
      { kind: 'subscription', name: 'Fortnightly', priceMinor: 4000, interval: 'fortnight' },
      { kind: 'voucher', name: 'x', priceMinor: 1 },
      { kind: 'pass', name: '', priceMinor: 1, credits: 1 },
      { kind: 'pass', name: 'Negative', priceMinor: -1, credits: 1 },
      { kind: 'pass', name: 'Rate', priceMinor: 1, credits: 1, taxRateBp: 20.5 },
    ],
  },
  'plans:archiveProduct': {
    valid: prepared(async (app) => ({ id: await addTestPlanProduct(app, { kind: 'pass', name: 'Router old pass', priceMinor: 100, credits: 1 }), archived: true })),
    invalid: [{ id: 0 }, { id: 1, archived: 'yes' }],
  },
  'plans:collectionsDue': {
    valid: { limit: 50 },
    invalid: [{ limit: 0 }, { after: { dueOn: '2026-13-01', planId: 1 } }],
  },
  'plans:recordCollection': {
    valid: prepared(async (app) => {
      const sold = await sellTestPlan(app, await bookerId(app), { kind: 'subscription', name: 'Router weekly', priceMinor: 500, interval: 'week' }, { startsOn: '2026-01-05' })
      const plan = (await app.invoke('plans:list', { customerId: await bookerId(app) })).subscriptions.find((s) => s.id === sold.planId)!
      return { planId: sold.planId, dueOn: plan.nextDueOn, outcome: 'paid', method: 'card' }
    }),
    invalid: [
      { planId: 1, dueOn: '2026-01-01', outcome: 'paid' },
      { planId: 1, dueOn: '2026-01-01', outcome: 'lost' },
      { planId: 1, dueOn: 'today', outcome: 'failed' },
    ],
  },
}
