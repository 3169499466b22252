import type { z } from 'zod'
import type { MyBooking, MyBookings, myBookingsInput } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { bookingCustomers } from './caller'
import { loadAddresses } from './listRows'

const DAY_MS = 86_400_000

interface MineRecord {
  id: number
  reference: string
  status: MyBooking['status']
  kind: MyBooking['kind']
  starts_at: string | null
  summary: string
  customer_id: number | null
  address_id: number | null
}

/**
 * The signed-in person's own bookings (assigned to them), earliest first:
 * when, what, where and the customer's contact details. Never prices,
 * payments or notes: a team member sees this and nothing else of bookings.
 */
export async function myBookings(ctx: ServiceContext, input: z.output<typeof myBookingsInput>): Promise<MyBookings> {
  const from = input.from ?? ctx.clock().toISOString().slice(0, 10)
  const to = new Date(Date.parse(`${from}T00:00:00Z`) + (input.days - 1) * DAY_MS).toISOString().slice(0, 10)
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString()
  const records = (await ctx.db('bookings')
    .where({ assigned_staff_id: ctx.staff.id })
    .whereNull('plan_id')
    .where('starts_at', '>=', `${from}T00:00:00.000Z`)
    .where('starts_at', '<', end)
    .modify((q) => {
      if (!input.includeCancelled) void q.whereNot('status', 'cancelled')
    })
    .orderBy([{ column: 'starts_at' }, { column: 'id' }])
    .limit(1000)
    .select('id', 'reference', 'status', 'kind', 'starts_at', 'summary', 'customer_id', 'address_id')) as MineRecord[]
  const ids = records.map((r) => r.id)
  const [customers, addresses, sessions] = await Promise.all([
    bookingCustomers(ctx.db, [...new Set(records.flatMap((r) => (r.customer_id === null ? [] : [r.customer_id])))]),
    loadAddresses(
      ctx.db,
      records.flatMap((r) => (r.address_id === null ? [] : [r.address_id])),
    ),
    ids.length
      ? (ctx.db('booking_lines as l')
          .join('catalogue_sessions as s', 's.id', 'l.session_id')
          .join('catalogue_items as i', 'i.id', 's.item_id')
          .whereIn('l.booking_id', ids)
          .orderBy([{ column: 's.starts_at' }, { column: 'l.id' }])
          .select('l.booking_id', 'i.name as item_name', 's.starts_at', 's.ends_at', 's.location') as Promise<
          Array<{ booking_id: number; item_name: string; starts_at: string; ends_at: string; location: string }>
        >)
      : Promise.resolve([]),
  ])
  const customerById = new Map(customers.map((c) => [c.id, c]))
  const sessionsOf = new Map<number, MyBooking['sessions']>()
  for (const s of sessions) {
    const list = sessionsOf.get(s.booking_id) ?? []
    list.push({ itemName: s.item_name, startsAt: s.starts_at, endsAt: s.ends_at, location: s.location })
    sessionsOf.set(s.booking_id, list)
  }
  return {
    from,
    to,
    rows: records.map((r) => ({
      id: r.id,
      reference: r.reference,
      status: r.status,
      kind: r.kind,
      startsAt: r.starts_at,
      summary: r.summary,
      sessions: sessionsOf.get(r.id) ?? [],
      customer: r.customer_id === null ? null : (customerById.get(r.customer_id) ?? null),
      address: r.address_id === null ? null : (addresses.get(r.address_id) ?? null),
    })),
  }
}
