import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mergeCustomers, previewMerge, undoMerge } from '../../main/services/merges'
import { DomainError } from '../../main/services/errors'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue } from '../helpers/catalogue'
import { snapshotDatabase } from '../helpers/merges'

/**
 * Random records with random related rows, then random merges and undos in a
 * random order: nothing is ever lost or duplicated, every reference stays
 * whole, report totals follow, and undoing what still stands (newest first)
 * gives back the database exactly as it was.
 */

const PHONES = ['+44 7700 900001', '+44 7700 900002', '+44 7700 900003']
const STREETS = ['1 High Street', '2 Mill Lane', '3 Quay Road']
const TAGS = ['Regular', 'VIP', 'Yoga']

const person = fc.record({
  first: fc.constantFrom('Anna', 'Ann', 'Annie', 'Jo', 'Jo-Ann'),
  email: fc.boolean(),
  phones: fc.subarray(PHONES, { maxLength: 2 }),
  streets: fc.subarray(STREETS, { maxLength: 2 }),
  tags: fc.subarray(TAGS),
  group: fc.boolean(),
  notes: fc.integer({ min: 0, max: 2 }),
  bookings: fc.integer({ min: 0, max: 2 }),
  paid: fc.boolean(),
  card: fc.boolean(),
  shoe: fc.option(fc.constantFrom('38', '39'), { nil: null }),
  consent: fc.boolean(),
  unsubscribed: fc.boolean(),
  rewards: fc.integer({ min: 0, max: 3 }),
  referredBy: fc.option(fc.nat(), { nil: null }),
})

const step = fc.oneof(
  fc.record({ kind: fc.constant('merge' as const), pick: fc.array(fc.nat(), { minLength: 2, maxLength: 3 }), survivor: fc.nat(), choose: fc.array(fc.nat(), { maxLength: 12 }) }),
  fc.record({ kind: fc.constant('undo' as const), which: fc.nat() }),
)

/** Rows that must survive any sequence exactly once (they belong to someone, whoever that is). */
let runs = 0
const KEPT = ['bookings', 'payments', 'notes', 'consent_events', 'customer_plans', 'payment_methods', 'brochure_requests', 'reward_entries']

async function ids(app: TestCore, table: string): Promise<number[]> {
  return ((await app.db(table).orderBy('id').select('id')) as Array<{ id: number }>).map((r) => r.id)
}

type Person = typeof person extends fc.Arbitrary<infer T> ? T : never

/** The failure's message when it is a refusal in words; anything else fails the test. */
async function refusal(work: Promise<unknown>): Promise<string | null> {
  try {
    await work
    return null
  } catch (error) {
    if (error instanceof DomainError) return error.message
    throw error
  }
}

async function build(app: TestCore, people: Person[]): Promise<number[]> {
  const cat = await createCatalogue(app, { now: new Date('2026-11-01T10:00:00Z') })
  const members = (await app.invoke('groups:create', { name: 'Members' })).id
  const shoe = (await app.invoke('customFields:save', { label: 'Shoe size', type: 'text', options: [] }))[0]!.id
  const made: number[] = []
  for (const [i, p] of people.entries()) {
    const customer = await app.invoke('customers:create', {
      firstName: p.first,
      lastName: 'Smith',
      email: p.email ? `person${i}@example.com` : '',
      phones: p.phones.map((number, k) => ({ number, isPrimary: k === 0 })),
      addresses: p.streets.map((line1, k) => ({ line1, city: 'Bath', postcode: 'BA1 1AA', country: 'GB', isDefaultLetters: k === 0 })),
    })
    const id = customer.id
    made.push(id)
    for (const name of p.tags) await app.invoke('customers:addTag', { customerId: id, name })
    if (p.group) await app.invoke('customers:addToGroup', { customerId: id, groupId: members })
    for (let n = 0; n < p.notes; n++) await app.invoke('notes:add', { customerId: id, body: `Note ${n} of ${p.first}`, pinned: false, reminderOn: null })
    for (let n = 0; n < p.bookings; n++) {
      await app.invoke('bookings:create', {
        customer: { kind: 'existing', id },
        lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId, quantity: 1 }],
        ...(p.paid ? { payment: { amountMinor: 700 + n, method: 'cash' as const } } : {}),
      })
    }
    if (p.card) await app.invoke('paymentMethods:add', { customerId: id, brand: 'visa', last4: '4242', expMonth: 1, expYear: 2030, isDefault: true })
    if (p.shoe) await app.invoke('customers:setCustomFields', { id, values: { [shoe]: p.shoe } })
    if (p.consent || p.unsubscribed) {
      await app.invoke('customers:setPreferences', { id, marketingConsent: p.consent, unsubscribed: p.unsubscribed, channel: 'desk', wording: p.consent ? 'Newsletter' : '' })
    }
    if (p.rewards) await app.invoke('rewards:adjust', { customerId: id, amountMinor: p.rewards * 100, reason: 'Goodwill' })
    if (p.referredBy !== null && made.length > 1) {
      await app.invoke('customers:setReferral', { id, referredById: made[p.referredBy % (made.length - 1)]! })
    }
  }
  return made
}

async function checkWhole(app: TestCore, kept: Record<string, number[]>): Promise<void> {
  for (const table of KEPT) expect(await ids(app, table), table).toEqual(kept[table])
  // Every row belongs to a customer who exists; every alias leads to one.
  for (const table of ['bookings', 'notes', 'phones', 'addresses', 'customer_tags', 'customer_plans', 'payment_methods', 'reward_entries']) {
    const orphans = await app.db(table).whereNotIn('customer_id', app.db('customers').select('id')).count({ n: '*' })
    expect(orphans, `${table} rows without a customer`).toEqual([{ n: 0 }])
  }
  expect(await app.db('customer_aliases').whereNotIn('survivor_id', app.db('customers').select('id')).count({ n: '*' })).toEqual([{ n: 0 }])
  // Report totals follow the money: each customer's paid is what their bookings' payments add up to.
  const paid = (await app.db('payments as p').join('bookings as b', 'b.id', 'p.booking_id').where('p.kind', 'payment').groupBy('b.customer_id').select('b.customer_id').sum({ s: 'p.amount_minor' })) as Array<{ customer_id: number; s: number }>
  for (const row of paid) expect(await app.db('report_customers').where({ customer_id: row.customer_id }).first('paid')).toEqual({ paid: row.s })
  // One primary phone at most per customer.
  const primaries = (await app.db('phones').where({ is_primary: 1 }).groupBy('customer_id').having(app.db.raw('count(*) > 1')).select('customer_id')) as unknown[]
  expect(primaries).toEqual([])
}

describe('merges under random sequences', () => {
  it('never lose or duplicate a row, and undoing what stands restores the database exactly', { timeout: 900_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: 3, maxLength: 5 }), fc.array(step, { minLength: 2, maxLength: 6 }), async (people, steps) => {
        const app = await openTestCore({ clock: () => new Date('2026-11-10T10:00:00Z') })
        runs++
        try {
          const customers = await build(app, people)
          const start = await snapshotDatabase(app.db)
          const kept: Record<string, number[]> = {}
          for (const table of KEPT) kept[table] = await ids(app, table)
          const standing: number[] = []
          for (const s of steps) {
            if (s.kind === 'merge') {
              const live = ((await app.db('customers').whereIn('id', customers).orderBy('id').select('id')) as Array<{ id: number }>).map((r) => r.id)
              const chosen = [...new Set(s.pick.map((n) => live[n % live.length]!))]
              if (chosen.length < 2) continue
              const survivorId = chosen[s.survivor % chosen.length]!
              const ctx = app.context()
              const preview = await previewMerge(ctx, chosen, survivorId)
              const choices: Record<string, number> = {}
              preview.fields.forEach((f, i) => {
                if (s.choose[i] !== undefined) choices[f.key] = chosen[s.choose[i]! % chosen.length]!
              })
              if (!preview.canMerge) {
                expect(await refusal(mergeCustomers(ctx, { customerIds: chosen, survivorId, choices }))).toMatch(/^Nothing was merged\./)
                continue
              }
              standing.push((await mergeCustomers(ctx, { customerIds: chosen, survivorId, choices })).mergeId)
            } else {
              if (!standing.length) continue
              const mergeId = standing[s.which % standing.length]!
              // Out of order is refused with a reason when a later merge holds the survivor.
              const refused = await refusal(undoMerge(app.context(), mergeId))
              if (refused === null) standing.splice(standing.indexOf(mergeId), 1)
              else expect(refused).toMatch(/^The merge cannot be undone\. .+/)
            }
            await checkWhole(app, kept)
          }
          for (const mergeId of [...standing].reverse()) {
            await undoMerge(app.context(), mergeId)
          }
          expect(await snapshotDatabase(app.db)).toEqual(start)
        } finally {
          await app.cleanup()
        }
      }),
      { numRuns: 30, seed: 1402 },
    )
    expect(runs).toBeGreaterThanOrEqual(30)
  })
})
