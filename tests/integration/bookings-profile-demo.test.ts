import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { allRows } from '../../db/queries/customerList'
import { formatBookingReference, outstandingOf } from '../../main/services/bookings/derivedValues'
import type { BookingStatus } from '../../preload/contract'

/** Sample data (customers with bookings) must look exactly like what the booking services write. */
const NOW = new Date('2026-03-02T12:00:00Z')
let app: TestCore
beforeAll(async () => {
  app = await openTestCore({ clock: () => NOW })
  await app.runJob('demo:seed', { count: 2000 })
}, 60_000)
afterAll(async () => {
  await app.cleanup()
})

async function rows<T>(sql: string, bindings: unknown[] = []): Promise<T[]> {
  return allRows<T>(await app.db.raw(sql, bindings as never))
}

interface Recount {
  id: number
  reference: string
  status: BookingStatus
  kind: string
  total_minor: number
  paid_minor: number
  outstanding_minor: number
  starts_at: string
  created_at: string
  customer_created: string
  line_total: number
  line_count: number
  first_start: string
  any_appointment: number
  payments: number
  refunds: number
}

/** Every booking with its figures worked out again from its lines and payments. */
const recount = () =>
  rows<Recount>(`SELECT b.id, b.reference, b.status, b.kind, b.total_minor, b.paid_minor, b.outstanding_minor, b.starts_at, b.created_at,
      c.created_at AS customer_created,
      (SELECT sum(l.total_minor) FROM booking_lines l WHERE l.booking_id = b.id) AS line_total,
      (SELECT count(*) FROM booking_lines l WHERE l.booking_id = b.id) AS line_count,
      (SELECT min(s.starts_at) FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id WHERE l.booking_id = b.id) AS first_start,
      (SELECT count(*) FROM booking_lines l JOIN catalogue_sessions s ON s.id = l.session_id JOIN catalogue_items i ON i.id = s.item_id
        WHERE l.booking_id = b.id AND i.kind = 'appointment') AS any_appointment,
      (SELECT coalesce(sum(p.amount_minor), 0) FROM payments p WHERE p.booking_id = b.id AND p.kind = 'payment') AS payments,
      (SELECT coalesce(sum(p.amount_minor), 0) FROM payments p WHERE p.booking_id = b.id AND p.kind = 'refund') AS refunds
    FROM bookings b JOIN customers c ON c.id = b.customer_id ORDER BY b.id`)

describe('sample bookings', () => {
  it('are made for a share of the sample customers, on a realistic catalogue', async () => {
    const [counts] = await rows<{ bookings: number; customers: number }>('SELECT count(*) AS bookings, count(DISTINCT customer_id) AS customers FROM bookings')
    expect(counts!.customers).toBeGreaterThan(800)
    expect(counts!.customers).toBeLessThan(1600)
    expect(counts!.bookings).toBeGreaterThan(counts!.customers)
    const kinds = await rows<{ kind: string }>('SELECT DISTINCT kind FROM catalogue_items ORDER BY kind')
    expect(kinds.map((k) => k.kind)).toEqual(['appointment', 'class', 'event'])
    const prices = await rows<{ name: string }>('SELECT DISTINCT name FROM price_options ORDER BY name')
    expect(prices.map((p) => p.name)).toEqual(['Adult', 'Concession', 'Member'])
    const statuses = await rows<{ status: string }>('SELECT DISTINCT status FROM bookings ORDER BY status')
    expect(statuses.map((s) => s.status)).toEqual(['cancelled', 'completed', 'confirmed', 'no_show', 'pending'])
    const [span] = await rows<{ first: string; last: string }>('SELECT min(starts_at) AS first, max(starts_at) AS last FROM catalogue_sessions')
    expect(Date.parse(span!.first)).toBeLessThan(NOW.getTime() - 360 * 86_400_000)
    expect(Date.parse(span!.last)).toBeGreaterThan(NOW.getTime() + 85 * 86_400_000)
    const plans = await rows<{ kind: string }>('SELECT DISTINCT kind FROM customer_plans ORDER BY kind')
    expect(plans.map((p) => p.kind)).toEqual(['membership', 'pass', 'subscription'])
  })

  it('keep totals, paid, outstanding, first start, kind and references in step with lines and payments', async () => {
    const all = await recount()
    for (const b of all) {
      const where = `booking ${b.id}`
      expect(b.reference, where).toBe(formatBookingReference(b.id))
      expect(b.line_count, where).toBeGreaterThan(0)
      expect(b.total_minor, where).toBe(b.line_total)
      expect(b.paid_minor, where).toBe(b.payments - b.refunds)
      expect(b.outstanding_minor, where).toBe(outstandingOf(b.status, b.total_minor, b.paid_minor))
      expect(b.starts_at, where).toBe(b.first_start)
      expect(b.kind, where).toBe(b.any_appointment ? 'appointment' : 'booking')
      expect(b.created_at <= NOW.toISOString() && b.created_at >= b.customer_created, where).toBe(true)
    }
    // Some of each money situation.
    expect(all.some((b) => b.outstanding_minor > 0 && b.paid_minor > 0)).toBe(true)
    expect(all.some((b) => b.refunds > 0)).toBe(true)
    expect(all.some((b) => b.outstanding_minor < 0)).toBe(true)
    const [late] = await rows<{ n: number }>(`SELECT count(*) AS n FROM payments WHERE taken_at > ?`, [NOW.toISOString()])
    expect(late!.n).toBe(0)
  })

  it('never overfill a session: seats taken equal the places of bookings not cancelled', async () => {
    const sessions = await rows<{ id: number; capacity: number; seats_taken: number; places: number }>(`SELECT s.id, s.capacity, s.seats_taken,
        (SELECT coalesce(sum(l.quantity), 0) FROM booking_lines l JOIN bookings b ON b.id = l.booking_id
          WHERE l.session_id = s.id AND b.status <> 'cancelled') AS places
      FROM catalogue_sessions s`)
    for (const s of sessions) {
      expect(s.seats_taken, `session ${s.id}`).toBe(s.places)
      expect(s.seats_taken, `session ${s.id}`).toBeLessThanOrEqual(s.capacity)
    }
    expect(sessions.some((s) => s.seats_taken > 0)).toBe(true)
  })

  it('use pass credits within what each pass holds, priced at nothing', async () => {
    const passes = await rows<{ id: number; credits_total: number; used: number }>(`SELECT p.id, p.credits_total,
        (SELECT coalesce(sum(u.credits), 0) FROM pass_uses u WHERE u.pass_id = p.id AND u.returned_at IS NULL) AS used
      FROM customer_plans p WHERE p.kind = 'pass'`)
    for (const p of passes) expect(p.used).toBeLessThanOrEqual(p.credits_total)
    const [covered] = await rows<{ n: number; priced: number; unlinked: number }>(`SELECT count(*) AS n,
        sum(CASE WHEN l.total_minor <> 0 THEN 1 ELSE 0 END) AS priced,
        sum(CASE WHEN b.pass_id IS NULL OR NOT EXISTS (SELECT 1 FROM pass_uses u WHERE u.booking_id = b.id) THEN 1 ELSE 0 END) AS unlinked
      FROM booking_lines l JOIN bookings b ON b.id = l.booking_id WHERE l.covered_by_pass`)
    expect(covered!.n).toBeGreaterThan(0)
    expect(covered!.priced).toBe(0)
    expect(covered!.unlinked).toBe(0)
  })

  it('read back through the services exactly as stored', async () => {
    const sample = await rows<{ id: number; customer_id: number }>('SELECT id, customer_id FROM bookings WHERE id % 97 = 1')
    for (const { id } of sample) {
      const booking = await app.invoke('bookings:get', { id })
      const lines = [...booking.lines, ...(booking.plan?.lines ?? [])]
      expect(booking.totalMinor).toBe(lines.reduce((sum, l) => sum + l.totalMinor, 0))
      expect(booking.paidMinor).toBe(booking.payments.reduce((sum, p) => sum + (p.kind === 'payment' ? p.amountMinor : -p.amountMinor), 0))
      expect(booking.outstandingMinor).toBe(outstandingOf(booking.status, booking.totalMinor, booking.paidMinor))
    }
    const customerId = sample[0]!.customer_id
    const [money] = await rows<{ invoiced: number; received: number }>(
      `SELECT sum(CASE WHEN status <> 'cancelled' THEN total_minor ELSE 0 END) AS invoiced, sum(paid_minor) AS received FROM bookings WHERE customer_id = ?`,
      [customerId],
    )
    const summary = await app.invoke('customers:summary', { id: customerId })
    expect(summary.money[0]).toMatchObject({ currency: 'GBP', invoicedMinor: money!.invoiced, incomeReceivedMinor: money!.received })
  })

  it('agree with the "has outstanding balance" counts, worked out from lines and payments', async () => {
    const owing = new Set((await recount()).filter((b) => (b.status === 'cancelled' ? 0 : b.line_total) - (b.payments - b.refunds) > 0).map((b) => b.id))
    const byCustomer = await rows<{ id: number; customer_id: number; status: string }>(
      'SELECT b.id, b.customer_id, c.status FROM bookings b JOIN customers c ON c.id = b.customer_id',
    )
    const expected = { active: new Set<number>(), archived: new Set<number>(), blocked: new Set<number>() }
    for (const b of byCustomer) if (owing.has(b.id) && b.status in expected) expected[b.status as keyof typeof expected].add(b.customer_id)
    expect(await app.invoke('customers:counts', { outstanding: 'yes' })).toEqual({
      active: expected.active.size,
      archived: expected.archived.size,
      blocked: expected.blocked.size,
      capped: false,
    })
  })

  it('sell plans from the sample catalogue of plans as orders, with subscriptions collected and some due', async () => {
    const products = await rows<{ kind: string; name: string }>('SELECT kind, name FROM plan_products ORDER BY position')
    expect(products.map((p) => p.kind)).toEqual(['membership', 'pass', 'subscription'])
    // Every plan sold has its sale order; its one line names the plan.
    const [unsold] = await rows<{ n: number }>('SELECT count(*) AS n FROM customer_plans p WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.plan_id = p.id)')
    expect(unsold!.n).toBe(0)
    const [lines] = await rows<{ n: number; odd: number }>(`SELECT count(*) AS n,
        sum(CASE WHEN l.plan_id IS DISTINCT FROM b.plan_id OR l.session_id IS NOT NULL OR b.starts_at IS NOT NULL OR b.customer_id IS DISTINCT FROM p.customer_id THEN 1 ELSE 0 END) AS odd
      FROM bookings b JOIN booking_lines l ON l.booking_id = b.id JOIN customer_plans p ON p.id = b.plan_id`)
    expect(lines!.n).toBeGreaterThan(50)
    expect(lines!.odd).toBe(0)
    const subscriptions = await rows<{ status: string; next_due_on: string | null; collections: number; failed: number }>(`SELECT p.status, p.next_due_on,
        (SELECT count(*) FROM bookings b WHERE b.plan_id = p.id AND b.collection_due_on IS NOT NULL) AS collections,
        (SELECT count(*) FROM bookings b WHERE b.plan_id = p.id AND b.collection_failed_at IS NOT NULL) AS failed
      FROM customer_plans p WHERE p.kind = 'subscription'`)
    for (const sub of subscriptions) expect(sub.next_due_on === null, sub.status).toBe(sub.status !== 'active')
    expect(subscriptions.some((s) => s.collections > 2)).toBe(true)
    const due = await app.invoke('plans:collectionsDue', {})
    const [raw] = await rows<{ n: number; amount: number }>(
      `SELECT count(*) AS n, sum(p.amount_minor) AS amount FROM customer_plans p JOIN customers c ON c.id = p.customer_id
       WHERE p.kind = 'subscription' AND p.status = 'active' AND p.next_due_on <= ? AND c.status <> 'deleted'`,
      ['2026-03-02'],
    )
    expect(raw!.n).toBeGreaterThan(1)
    // No tax rates in sample settings: each collection is its plan's amount.
    expect({ total: due.total, totalMinor: due.totalMinor }).toEqual({ total: raw!.n, totalMinor: raw!.amount })
    expect(subscriptions.some((s) => s.failed > 0)).toBe(true)
  })

  it('reuse the sample catalogue when sample customers are added again', async () => {
    const items = await rows<{ n: number }>('SELECT count(*) AS n FROM catalogue_items')
    await app.runJob('demo:seed', { count: 500, seed: 7 })
    expect(await rows<{ n: number }>('SELECT count(*) AS n FROM catalogue_items')).toEqual(items)
    expect(await rows<{ n: number }>('SELECT count(*) AS n FROM plan_products')).toEqual([{ n: 3 }])
    const [over] = await rows<{ n: number }>(`SELECT count(*) AS n FROM catalogue_sessions s WHERE s.seats_taken > s.capacity OR s.seats_taken <>
        (SELECT coalesce(sum(l.quantity), 0) FROM booking_lines l JOIN bookings b ON b.id = l.booking_id WHERE l.session_id = s.id AND b.status <> 'cancelled')`)
    expect(over!.n).toBe(0)
  })
})
