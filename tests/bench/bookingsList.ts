/**
 * The Bookings page at 5,000,000 bookings: a page of every booking (plan
 * orders left out) newest session first, at any depth and under every kind of
 * filter, alone and combined (the rarest status, an item, a source, owing
 * only, a date range), finding a booking by its reference or a receipt
 * number, and the profile's Bookings tab of the busiest customer. Target: p95
 * < 16 ms a page. Reads only, so it can run on the cache itself.
 */
import type { FrontdeskCore } from '../../main/app-core'
import { firstRow } from '../../db/queries/customerList'
import { addPayment, createBooking, findBooking, listBookings, listCustomerBookings } from '../../main/services/bookings'
import { encodePosition } from '../../main/services/bookings/keyset'
import { localDay } from '../../main/services/calendarDay'
import { addPaymentInput, createBookingInput, listBookingsInput, listCustomerBookingsInput } from '../../preload/contract'
import { measure } from './measure'

const TARGET_MS = 16

export async function benchBookingsList(core: FrontdeskCore, busyCustomerId: number): Promise<void> {
  const ctx = core.context()
  const one = async (sql: string, bindings: unknown[] = []) => firstRow<Record<string, unknown>>(await core.db.raw(sql, bindings as never[]))
  // Not timed: the rarest and the commonest item, deep keyset positions, a receipt.
  const items = (await core.db.raw(
    'SELECT item_id AS id, count(*) AS n FROM booking_list_items GROUP BY item_id ORDER BY n',
  )) as Array<{ id: number; n: number }>
  const rare = items[0]!
  const common = items[items.length - 1]!
  const total = Number((await one('SELECT count(*) AS n FROM bookings WHERE plan_id IS NULL'))!['n'])
  console.log(`  Bookings page: ${total.toLocaleString('en-GB')} bookings; items from ${rare.n.toLocaleString('en-GB')} to ${common.n.toLocaleString('en-GB')} bookings`)
  const at = async (fraction: number) => {
    const row = (await one(
      'SELECT starts_at, id FROM bookings INDEXED BY bookings_list WHERE plan_id IS NULL AND starts_at IS NOT NULL ORDER BY starts_at DESC, id DESC LIMIT 1 OFFSET ?',
      [Math.floor(total * fraction)],
    )) as { starts_at: string; id: number }
    return encodePosition({ startsAt: row.starts_at, id: row.id })
  }
  const deep = await at(0.9)
  const middle = await at(0.5)
  const page = (input: Record<string, unknown>) => () => listBookings(ctx, listBookingsInput.parse(input))
  const today = localDay(new Date())
  const monthAgo = localDay(new Date(Date.now() - 30 * 86_400_000))

  await measure('Bookings page: first page, newest / oldest first', TARGET_MS, [page({}), page({ order: 'oldest' })])
  await measure('Bookings page: page at depth 50% and 90%', TARGET_MS, [page({ after: middle }), page({ after: deep })])
  await measure('Bookings page: status (pending 2%, no-show, cancelled, completed)', TARGET_MS, [
    page({ status: 'pending' }),
    page({ status: 'no_show' }),
    page({ status: 'cancelled' }),
    page({ status: 'completed', after: deep }),
  ])
  await measure('Bookings page: source (import, walk-in), deep page', TARGET_MS, [page({ source: 'import' }), page({ source: 'walk_in', after: deep })])
  await measure('Bookings page: owing only (first, deep page)', TARGET_MS, [page({ owing: true }), page({ owing: true, after: deep })])
  await measure(`Bookings page: item (rarest, ${rare.n.toLocaleString('en-GB')}; commonest; deep)`, TARGET_MS, [
    page({ itemId: rare.id }),
    page({ itemId: common.id }),
    page({ itemId: rare.id, after: deep }),
  ])
  await measure('Bookings page: date range (last 30 days, one day, this day + owing)', TARGET_MS, [
    page({ from: monthAgo, to: today }),
    page({ from: today, to: today }),
    page({ from: monthAgo, to: today, owing: true }),
  ])
  await measure('Bookings page: two filters (pending + import, no-show + owing, cancelled + walk-in)', TARGET_MS, [
    page({ status: 'pending', source: 'import' }),
    page({ status: 'no_show', owing: true }),
    page({ status: 'cancelled', source: 'walk_in' }),
  ])
  await measure('Bookings page: item + status / + owing / + source (rarest item)', TARGET_MS, [
    page({ itemId: rare.id, status: 'pending' }),
    page({ itemId: rare.id, owing: true }),
    page({ itemId: rare.id, source: 'import' }),
  ])
  await measure('Bookings page: every filter at once (rare item, pending, import, owing, 1 year)', TARGET_MS, [
    page({ itemId: rare.id, status: 'pending', source: 'import', owing: true }),
    page({ itemId: rare.id, status: 'pending', source: 'import', owing: true, from: localDay(new Date(Date.now() - 365 * 86_400_000)), to: today }),
    page({ status: 'pending', source: 'import', owing: true }),
  ])
  // Combinations that match nothing prove it by walking every candidate: the worst case for a walk.
  await measure('Bookings page: filters matching nothing (cancelled + owing; cancelled + owing + item)', TARGET_MS, [
    page({ status: 'cancelled', owing: true }),
    page({ status: 'cancelled', owing: true, itemId: common.id }),
  ])

  const maxBooking = Number((await one('SELECT max(id) AS id FROM bookings'))!['id'])
  const maxPayment = Number((await one('SELECT max(id) AS id FROM payments'))!['id'])
  await measure('find a booking: B-000123, b123, 4567 / receipt R-000042', TARGET_MS, [
    () => findBooking(ctx, `B-${String(Math.floor(maxBooking / 2)).padStart(6, '0')}`),
    () => findBooking(ctx, 'b123'),
    () => findBooking(ctx, String(maxBooking - 4567)),
    () => findBooking(ctx, `R-${String(Math.floor(maxPayment / 3)).padStart(6, '0')}`),
  ])

  // What the Bookings page's indexes and item table cost a write: a booking made and paid, rolled back so the cache stays as it was.
  const session = firstRow<{ id: number; option: number }>(
    await core.db.raw(
      `SELECT s.id, (SELECT o.id FROM price_options o WHERE o.item_id = s.item_id ORDER BY o.position LIMIT 1) AS option
       FROM catalogue_sessions s JOIN catalogue_items i ON i.id = s.item_id WHERE i.active AND s.starts_at > ? AND s.capacity - s.seats_taken >= 1 ORDER BY s.starts_at LIMIT 1`,
      [new Date(Date.now() + 86_400_000).toISOString()],
    ),
  )
  if (session) {
    const customers = (
      (await core.db.raw(`SELECT id FROM customers WHERE status = 'active' AND id > ? ORDER BY id LIMIT 40`, [busyCustomerId])) as Array<{ id: number }>
    ).map((c) => c.id)
    let turn = 0
    const rolledBack = new Error('rolled back')
    const write = async () => {
      await core.db
        .transaction(async (trx) => {
          const tctx = { ...ctx, db: trx }
          const made = await createBooking(
            tctx,
            createBookingInput.parse({ customer: { kind: 'existing', id: customers[turn++ % customers.length]! }, lines: [{ sessionId: session.id, priceOptionId: session.option }] }),
          )
          await addPayment(tctx, addPaymentInput.parse({ bookingId: made.booking.id, amountMinor: 100, method: 'cash' }))
          throw rolledBack
        })
        .catch((error: unknown) => {
          if (error !== rolledBack) throw error
        })
    }
    await measure('write: create a booking, then a payment (rolled back), with the list indexes', TARGET_MS, [write], 20)
  }

  const tab = (filter: string, after: string | null = null) => () =>
    listCustomerBookings(ctx, listCustomerBookingsInput.parse({ customerId: busyCustomerId, filter, limit: 50, after }))
  const second = (await tab('all')()).next
  await measure('profile Bookings tab (500 bookings): pages of 50, appointments, past', TARGET_MS, [
    tab('all'),
    tab('all', second),
    tab('appointments'),
    tab('past'),
  ])
}
