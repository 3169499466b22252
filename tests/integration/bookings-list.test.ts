import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { allRows } from '../../db/queries/customerList'
import { seededRandom } from '../../main/demo/bookings'
import type { BookingListRow, BookingSource, BookingStatus, Input } from '../../preload/contract'
import { bookingSources, bookingStatuses } from '../../preload/contract'

/**
 * The Bookings page and finding a booking: every page walked with the keyset
 * the screen uses, compared with the same question asked of the raw rows.
 */
const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
let planOrderIds: number[] = []

async function rows<T>(sql: string, bindings: unknown[] = []): Promise<T[]> {
  return allRows<T>(await app.db.raw(sql, bindings as never))
}

/** Plan orders as the plans service writes them: a customer_plans row, an order naming it, one line for the plan (no session). */
async function addPlanOrders(count: number): Promise<number[]> {
  const customers = await rows<{ id: number }>('SELECT id FROM customers ORDER BY id LIMIT ?', [count])
  const ids: number[] = []
  for (const [i, c] of customers.entries()) {
    const [plan] = (await app.db('customer_plans')
      .insert({ customer_id: c.id, kind: 'membership', name: 'Gold', status: 'active', amount_minor: 5000, currency: 'GBP', sold_at: NOW.toISOString() })
      .returning('id')) as Array<{ id: number }>
    const [order] = (await app.db('bookings')
      .insert({
        reference: `B-9${String(i).padStart(5, '0')}`,
        customer_id: c.id,
        status: 'confirmed',
        source: 'walk_in',
        currency: 'GBP',
        total_minor: 5000,
        outstanding_minor: i % 2 ? 5000 : 0,
        paid_minor: i % 2 ? 0 : 5000,
        summary: 'Gold membership — 12 months',
        plan_id: plan!.id,
        created_at: NOW.toISOString(),
        updated_at: NOW.toISOString(),
      })
      .returning('id')) as Array<{ id: number }>
    await app.db('booking_lines').insert({ booking_id: order!.id, plan_id: plan!.id, description: 'Gold membership — 12 months', quantity: 1, unit_minor: 5000, total_minor: 5000 })
    ids.push(order!.id)
  }
  return ids
}

beforeAll(async () => {
  app = await openTestCore({ clock: () => NOW })
  await app.runJob('demo:seed', { count: 300 })
  planOrderIds = await addPlanOrders(6)
}, 120_000)
afterAll(async () => {
  await app.cleanup()
})

type ListInput = Input<'bookings:list'>

/** Every page the screen would show, 7 rows at a time. */
async function walk(input: ListInput): Promise<BookingListRow[]> {
  const seen: BookingListRow[] = []
  let after: string | null = null
  for (let guard = 0; guard < 1000; guard++) {
    const page: { rows: BookingListRow[]; next: string | null } = await app.invoke('bookings:list', { ...input, limit: 7, after })
    expect(page.rows.length).toBeLessThanOrEqual(7)
    seen.push(...page.rows)
    if (!page.next) return seen
    expect(page.rows).toHaveLength(7)
    after = page.next
  }
  throw new Error('The walk did not end')
}

/** The same question of the raw rows: bookings that are not plan orders, in session order, undated last. */
async function expected(input: ListInput): Promise<number[]> {
  const where = ['b.plan_id IS NULL']
  const bindings: unknown[] = []
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition)
    bindings.push(...values)
  }
  if (input.status) add('b.status = ?', input.status)
  if (input.source) add('b.source = ?', input.source)
  if (input.owing) where.push('b.outstanding_minor > 0')
  if (input.itemId) {
    where.push('EXISTS (SELECT 1 FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id WHERE l.booking_id = b.id AND s.item_id = ?)')
    bindings.push(input.itemId)
  }
  // Desk days in the machine's zone, as the desk's calendar reads them.
  if (input.from) add('b.starts_at >= ?', new Date(`${input.from}T00:00:00`).toISOString())
  if (input.to) {
    const end = new Date(`${input.to}T00:00:00`)
    end.setDate(end.getDate() + 1)
    where.push('b.starts_at < ?')
    bindings.push(end.toISOString())
  }
  const dir = input.order === 'oldest' ? 'ASC' : 'DESC'
  const found = await rows<{ id: number }>(
    `SELECT b.id FROM bookings b WHERE ${where.join(' AND ')} ORDER BY b.starts_at IS NULL, b.starts_at ${dir}, b.id ${dir}`,
    bindings,
  )
  return found.map((r) => r.id)
}

describe('the Bookings page', () => {
  it('has bookings of every kind to list', async () => {
    const counts = await rows<{ n: number; owing: number; statuses: number; sources: number }>(
      `SELECT count(*) AS n, sum(CASE WHEN outstanding_minor > 0 THEN 1 ELSE 0 END) AS owing, count(DISTINCT status) AS statuses, count(DISTINCT source) AS sources FROM bookings WHERE plan_id IS NULL`,
    )
    expect(counts[0]!.n).toBeGreaterThan(300)
    expect(counts[0]!.owing).toBeGreaterThan(10)
    expect(counts[0]!.statuses).toBe(5)
    expect(counts[0]!.sources).toBe(4)
  })

  it('lists every booking newest session first, plan orders left out, with who booked it', async () => {
    const all = await walk({})
    expect(all.map((r) => r.id)).toEqual(await expected({}))
    expect(all.map((r) => r.id)).not.toEqual(expect.arrayContaining([planOrderIds[0]]))
    const raw = await rows<{ id: number; reference: string; total_minor: number; outstanding_minor: number; display_name: string; customer_id: number }>(
      'SELECT b.id, b.reference, b.total_minor, b.outstanding_minor, c.display_name, c.id AS customer_id FROM bookings b JOIN customers c ON c.id = b.customer_id WHERE b.plan_id IS NULL',
    )
    const byId = new Map(raw.map((r) => [r.id, r]))
    for (const row of all) {
      const r = byId.get(row.id)!
      expect([row.reference, row.totalMinor, row.outstandingMinor, row.customer?.displayName, row.customer?.id]).toEqual([
        r.reference,
        r.total_minor,
        r.outstanding_minor,
        r.display_name,
        r.customer_id,
      ])
    }
    expect((await walk({ order: 'oldest' })).map((r) => r.id)).toEqual(await expected({ order: 'oldest' }))
  })

  it('filters by status, source, item, owing and session dates, alone and together, page after page', async () => {
    const items = await rows<{ id: number }>('SELECT id FROM catalogue_items ORDER BY id')
    const days = await rows<{ day: string }>("SELECT DISTINCT substr(starts_at, 1, 10) AS day FROM bookings WHERE starts_at IS NOT NULL ORDER BY day")
    const random = seededRandom(7)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    const cases: ListInput[] = [
      { status: 'pending' },
      { source: 'import' },
      { owing: true },
      { itemId: items[0]!.id },
      { itemId: items[items.length - 1]!.id, owing: true, order: 'oldest' },
      { status: 'cancelled', owing: true },
      { from: days[Math.floor(days.length / 3)]!.day, to: days[Math.floor((2 * days.length) / 3)]!.day },
    ]
    for (let i = 0; i < 25; i++) {
      const input: ListInput = {}
      if (random() < 0.5) input.status = pick(bookingStatuses) as BookingStatus
      if (random() < 0.4) input.source = pick(bookingSources) as BookingSource
      if (random() < 0.4) input.itemId = pick(items).id
      if (random() < 0.4) input.owing = true
      if (random() < 0.3) input.order = 'oldest'
      if (random() < 0.4) {
        const a = pick(days).day
        const b = pick(days).day
        input.from = a < b ? a : b
        input.to = a < b ? b : a
      }
      cases.push(input)
    }
    for (const input of cases) {
      expect((await walk(input)).map((r) => r.id), JSON.stringify(input)).toEqual(await expected(input))
    }
  })

  it('stays in step when bookings are cancelled, paid, moved to another item or removed', async () => {
    const [massage] = await rows<{ id: number }>("SELECT id FROM catalogue_items WHERE kind = 'appointment' ORDER BY id LIMIT 1")
    const owingNow = await rows<{ id: number }>(
      "SELECT id FROM bookings WHERE plan_id IS NULL AND outstanding_minor > 0 AND status IN ('confirmed', 'pending') AND starts_at > ? ORDER BY id LIMIT 3",
      [NOW.toISOString()],
    )
    expect(owingNow).toHaveLength(3)
    const [pay, cancel, remove] = owingNow as [{ id: number }, { id: number }, { id: number }]
    const owed = (await app.invoke('bookings:get', { id: pay.id })).outstandingMinor
    await app.invoke('bookings:addPayment', { bookingId: pay.id, amountMinor: owed, method: 'cash' })
    await app.invoke('bookings:setStatus', { id: cancel.id, status: 'cancelled' })
    await app.db('bookings').where({ id: remove.id }).delete()
    // A line moved by hand to another item's session (as a transfer does).
    const [line] = await rows<{ id: number; booking_id: number }>(
      'SELECT l.id, l.booking_id FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id WHERE s.item_id <> ? ORDER BY l.id LIMIT 1',
      [massage!.id],
    )
    const [session] = await rows<{ id: number }>('SELECT id FROM catalogue_sessions WHERE item_id = ? ORDER BY id LIMIT 1', [massage!.id])
    await app.db('booking_lines').where({ id: line!.id }).update({ session_id: session!.id })

    for (const input of [{ owing: true }, { status: 'cancelled' as const }, { itemId: massage!.id }, { itemId: massage!.id, owing: true }, {}]) {
      expect((await walk(input)).map((r) => r.id), JSON.stringify(input)).toEqual(await expected(input))
    }
    expect((await walk({ itemId: massage!.id })).map((r) => r.id)).toContain(line!.booking_id)
  })

  it('refuses a page position it did not give', async () => {
    expect(await app.call('bookings:list', { after: 'not-a-position' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { after: expect.any(String) } } })
  })
})

describe('finding a booking by its reference or a receipt number', () => {
  /** The booking the address book's search names, as it comes with the list's first page. */
  const bookingNamedBy = async (search: string) => (await app.invoke('customers:list', { search })).booking

  it('finds B-000123 however it is typed, and a payment by its receipt number', async () => {
    const [booking] = await rows<{ id: number; reference: string }>('SELECT id, reference FROM bookings WHERE plan_id IS NULL AND id > 100 ORDER BY id LIMIT 1')
    const n = booking!.id
    for (const typed of [booking!.reference, booking!.reference.toLowerCase(), `b${n}`, `B ${n}`, `b-${n}`, ` ${n} `, `000${n}`]) {
      expect(await bookingNamedBy(typed), typed).toMatchObject({ matchedBy: 'reference', number: booking!.reference, booking: { id: n } })
    }
    const [payment] = await rows<{ id: number; booking_id: number }>('SELECT id, booking_id FROM payments ORDER BY id DESC LIMIT 1')
    const receipt = `R-${String(payment!.id).padStart(6, '0')}`
    for (const typed of [receipt, `r${payment!.id}`, `R ${payment!.id}`]) {
      expect(await bookingNamedBy(typed), typed).toMatchObject({ matchedBy: 'receipt', number: receipt, booking: { id: payment!.booking_id } })
    }
  })

  it('finds a plan order too (it has a reference), and nothing for what matches nothing', async () => {
    const [order] = await rows<{ reference: string }>('SELECT reference FROM bookings WHERE id = ?', [planOrderIds[0]])
    expect(await bookingNamedBy(order!.reference)).toMatchObject({ booking: { id: planOrderIds[0] } })
    for (const typed of ['B-999999', 'R-999999', 'b0', 'smith', '', 'C-000001']) expect(await bookingNamedBy(typed), typed).toBeNull()
  })

  it('is named only on the first page, and never to a team member, who may not look bookings up', async () => {
    const [booking] = await rows<{ id: number; reference: string }>('SELECT id, reference FROM bookings WHERE plan_id IS NULL ORDER BY id LIMIT 1')
    const first = await app.invoke('customers:list', { search: String(booking!.id), pageSize: 1 })
    expect(first.booking).toMatchObject({ booking: { id: booking!.id } })
    expect((await app.invoke('customers:list', { search: String(booking!.id), pageSize: 1, after: first.nextCursor! })).booking).toBeNull()
    const team = { id: 1, name: 'Tia Crew', role: 'team' as const }
    expect(await app.as(team, () => bookingNamedBy(booking!.reference))).toBeNull()
  })
})

describe("the profile's Bookings tab", () => {
  it('pages through every booking of the customer, plan orders left out; appointments on their own', async () => {
    const [busy] = await rows<{ customer_id: number; n: number }>(
      'SELECT customer_id, count(*) AS n FROM bookings WHERE plan_id IS NULL GROUP BY customer_id ORDER BY n DESC LIMIT 1',
    )
    // The customer with the most bookings also has a plan order.
    await app.db('bookings').where({ id: planOrderIds[1] }).update({ customer_id: busy!.customer_id, starts_at: '2026-06-01T09:00:00.000Z' })
    const pages = async (filter: 'all' | 'appointments' | 'past' | 'upcoming') => {
      const seen: number[] = []
      let after: string | null = null
      do {
        const page: { rows: BookingListRow[]; next: string | null } = await app.invoke('bookings:listForCustomer', { customerId: busy!.customer_id, filter, limit: 2, after })
        seen.push(...page.rows.map((r) => r.id))
        after = page.next
      } while (after)
      return seen
    }
    const raw = async (where: string, order = 'DESC') =>
      (
        await rows<{ id: number }>(
          `SELECT id FROM bookings WHERE customer_id = ? AND plan_id IS NULL AND ${where} ORDER BY starts_at IS NULL, starts_at ${order}, id ${order}`,
          [busy!.customer_id],
        )
      ).map((r) => r.id)
    expect(busy!.n).toBeGreaterThan(2)
    expect(await pages('all')).toEqual(await raw('1 = 1'))
    expect(await pages('all')).not.toContain(planOrderIds[1])
    expect(await pages('appointments')).toEqual(await raw("kind = 'appointment'"))
    expect(await pages('past')).toEqual(await raw(`status <> 'cancelled' AND starts_at < '${NOW.toISOString()}'`))
    expect(await pages('upcoming')).toEqual(await raw(`status <> 'cancelled' AND starts_at >= '${NOW.toISOString()}'`, 'ASC'))
    const warnings = await app.invoke('bookings:warnings', { customerId: busy!.customer_id })
    expect(warnings.future.map((r) => r.id)).not.toContain(planOrderIds[1])
  })
})
