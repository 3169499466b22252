import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, TEST_PRICES as P, type TestCatalogue } from '../helpers/catalogue'

/**
 * The list filter "has outstanding balance": customers with a booking that
 * still owes money. Credit (money to give back) is not a balance owed.
 */
const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let cat: TestCatalogue
const who: Record<string, number> = {}

const book = (customerId: number, sessionId: number, priceOptionId: number, payment: number | null = null) =>
  app.invoke('bookings:create', {
    customer: { kind: 'existing', id: customerId },
    lines: [{ sessionId, priceOptionId, quantity: 1 }],
    payment: payment === null ? null : { amountMinor: payment, method: 'card' },
  })

beforeAll(async () => {
  app = await openTestCore({ clock: () => NOW })
  cat = await createCatalogue(app, { now: NOW })
  const add = async (key: string, firstName: string, lastName: string) => {
    who[key] = (await app.invoke('customers:create', { firstName, lastName, email: `${key}@example.com` })).id
  }
  await add('owes', 'Olive', 'Owens')
  await add('partPaid', 'Olga', 'Smith')
  await add('paid', 'Paula', 'Smith')
  await add('credit', 'Cedric', 'Credit')
  await add('nothing', 'Nora', 'None')
  await add('archivedOwes', 'Arthur', 'Smith')
  await add('owesTwice', 'Tess', 'Twice')

  await book(who.owes!, cat.yoga.sessionId, cat.yoga.adultOptionId)
  await book(who.partPaid!, cat.pottery.sessionId, cat.pottery.optionId, 1000)
  await book(who.paid!, cat.yoga.sessionId, cat.yoga.adultOptionId, P.yogaAdult)
  const credit = await book(who.credit!, cat.yoga.sessionId, cat.yoga.concessionOptionId, P.yogaConcession)
  await app.invoke('bookings:setStatus', { id: credit.booking.id, status: 'cancelled' })
  await book(who.archivedOwes!, cat.pottery.sessionId, cat.pottery.optionId)
  await app.invoke('customers:archive', { id: who.archivedOwes! })
  await book(who.owesTwice!, cat.yoga.sessionId, cat.yoga.adultOptionId)
  await book(who.owesTwice!, cat.pottery.sessionId, cat.pottery.optionId)
  await app.invoke('customers:addTag', { customerId: who.owes!, name: 'VIP' })
  await app.invoke('customers:addTag', { customerId: who.paid!, name: 'VIP' })
})
afterAll(async () => {
  await app.cleanup()
})

const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id).sort((a, b) => a - b)
const of = (...keys: string[]) => keys.map((k) => who[k]!).sort((a, b) => a - b)

describe('the "has outstanding balance" filter', () => {
  it('lists only customers who owe, once each, on their own tab', async () => {
    const page = await app.invoke('customers:list', { outstanding: 'yes' })
    expect(ids(page.rows)).toEqual(of('owes', 'partPaid', 'owesTwice'))
    expect(page).toMatchObject({ total: 3, totalCapped: false })
    const archived = await app.invoke('customers:list', { outstanding: 'yes', tab: 'archived' })
    expect(ids(archived.rows)).toEqual(of('archivedOwes'))
    expect((await app.invoke('customers:list', { outstanding: 'any' })).rows).toHaveLength(6)
  })

  it('counts every tab', async () => {
    expect(await app.invoke('customers:counts', { outstanding: 'yes' })).toEqual({ active: 3, archived: 1, blocked: 0, capped: false })
  })

  it('combines with a search, a tag and other filters', async () => {
    const smiths = await app.invoke('customers:list', { outstanding: 'yes', search: 'smith' })
    expect(ids(smiths.rows)).toEqual(of('partPaid'))
    expect(await app.invoke('customers:counts', { outstanding: 'yes', search: 'smith' })).toEqual({ active: 1, archived: 1, blocked: 0, capped: false })
    const vip = await app.invoke('customers:list', { outstanding: 'yes', tagIds: [(await app.db('tags').where({ name: 'VIP' }).first('id')).id] })
    expect(ids(vip.rows)).toEqual(of('owes'))
    expect(ids((await app.invoke('customers:list', { outstanding: 'yes', search: 'o' })).rows)).toEqual(of('owes', 'partPaid'))
    expect((await app.invoke('customers:list', { outstanding: 'yes', createdTo: '2000-01-01' })).rows).toEqual([])
  })

  it('pages through with keyset cursors in both directions', async () => {
    const first = await app.invoke('customers:list', { outstanding: 'yes', sort: 'name', pageSize: 2 })
    expect(first.rows.map((r) => r.displayName)).toEqual(['Olga Smith', 'Olive Owens'])
    const next = await app.invoke('customers:list', { outstanding: 'yes', sort: 'name', pageSize: 2, after: first.nextCursor! })
    expect(next.rows.map((r) => r.displayName)).toEqual(['Tess Twice'])
    expect(next.nextCursor).toBeNull()
    const back = await app.invoke('customers:list', { outstanding: 'yes', sort: 'name', pageSize: 2, before: next.prevCursor! })
    expect(back.rows.map((r) => r.displayName)).toEqual(['Olga Smith', 'Olive Owens'])
  })

  it('follows payments: a customer who pays up leaves the list', async () => {
    const { booking } = await book(who.nothing!, cat.massage.sessionId, cat.massage.optionId)
    expect(ids((await app.invoke('customers:list', { outstanding: 'yes' })).rows)).toContain(who.nothing)
    await app.invoke('bookings:addPayment', { bookingId: booking.id, amountMinor: P.massage, method: 'cash' })
    expect(ids((await app.invoke('customers:list', { outstanding: 'yes' })).rows)).not.toContain(who.nothing)
  })

  it('is what a bulk action on "all matching" acts on', async () => {
    const result = await app.runJob('customers:bulk', {
      selection: { kind: 'filter', tab: 'active', filter: { outstanding: 'yes' }, expectedCount: 3 },
      action: { kind: 'tag', tagName: 'Chase payment' },
    })
    expect(result).toEqual({ selected: 3, changed: 3 })
    const tagged = (await app.db('customer_tags as ct').join('tags as t', 't.id', 'ct.tag_id').where('t.name', 'Chase payment').select('ct.customer_id')) as Array<{
      customer_id: number
    }>
    expect(tagged.map((r) => r.customer_id).sort((a, b) => a - b)).toEqual(of('owes', 'partPaid', 'owesTwice'))
  })

  it('can be saved as a named filter', async () => {
    const saved = await app.invoke('savedFilters:save', { name: 'Owing', filter: { outstanding: 'yes' } })
    expect(JSON.stringify(saved)).toContain('"outstanding":"yes"')
  })
})
