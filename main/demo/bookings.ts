import type { BulkConnection } from '../../db/bulk'
import { ChangeLogAppender } from '../../db/changeChain'
import { sampleEntry } from './changeLog'
import { formatBookingReference, lineDescription, outstandingOf, summarise } from '../services/bookings/derivedValues'
import { DEMO_CURRENCY, PRICE_NAMES, writeDemoCatalogue, writeSeatsTaken, type DemoCatalogueItem, type DemoSessions } from './catalogue'
import { writeDemoPlanOrders, writeDemoPlans } from './plans'

export interface DemoBookingOptions {
  /** The customers (an id range) who may have booked. */
  firstCustomerId: number
  lastCustomerId: number
  now: Date
  seed: number
  /** Share of customers who have booked at all (default 0.6). */
  share?: number
  /** Bookings per customer who booked, on average (default 3). */
  averagePerCustomer?: number
  /** Exactly this many bookings in all (the benchmark); otherwise random around the average. */
  exactTotal?: number
  /** Customers given exactly this many bookings (the benchmark's busiest customer). */
  fixed?: ReadonlyMap<number, number>
  /** A "booking.created" change-log entry per booking, as the desk writes (default true; the benchmark leaves them out). */
  changeLog?: boolean
  /** Bookings written so far of all those to write, every thousand or so. */
  onProgress?: (bookings: number, total: number) => void
  /** Throws to stop; the caller's transaction then rolls back. */
  checkCancelled?: () => void
}

export interface DemoBookingCounts {
  bookings: number
  lines: number
  payments: number
  sessions: number
}

const DAY_MS = 86_400_000
const STAFF = ['Sam (front desk)', 'Priya (front desk)', 'Online checkout', 'Tom (manager)']
const METHODS = ['card', 'card', 'card', 'card', 'card', 'cash', 'bank_transfer', 'voucher'] as const
const SOURCES = ['phone', 'phone', 'online', 'online', 'online', 'walk_in', 'walk_in', 'import'] as const

/** Small, fast, seeded random numbers: a million customers' bookings need tens of millions of draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Sample bookings for a share of the given customers, on a sample catalogue:
 * lines, payments (some part-paid, some refunded), cancelled, completed and
 * no-show ones, and plans sold as orders (memberships, passes, subscriptions
 * with their collections). Every derived column is what the
 * booking services would have written: seats taken, totals, paid, outstanding
 * (outstandingOf), summary (summarise), first start, kind and references. Runs
 * inside the caller's transaction with prepared statements.
 */
export async function writeDemoBookings(conn: BulkConnection, options: DemoBookingOptions, changeLog = new ChangeLogAppender(conn)): Promise<DemoBookingCounts> {
  const random = seededRandom(options.seed)
  const now = options.now.getTime()
  const customers = await loadCustomers(conn, options.firstCustomerId, options.lastCustomerId)
  const counts = bookingsPerCustomer(customers.ids, random, options)
  let expected = 0
  for (const n of counts) expected += n
  const { items, sessions } = await writeDemoCatalogue(conn, options.now, expected)
  const plans = await writeDemoPlans(conn, customers, counts, random, options.now)

  const insertBooking = conn.prepare(`INSERT INTO bookings (id, reference, customer_id, status, source, kind, currency, total_minor,
      paid_minor, outstanding_minor, summary, starts_at, pass_id, note, created_at, updated_at, cancelled_at, created_by_name)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`)
  const insertLine = conn.prepare(`INSERT INTO booking_lines (booking_id, session_id, price_option_id, description, quantity, unit_minor, total_minor, covered_by_pass)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertPayment = conn.prepare(`INSERT INTO payments (booking_id, kind, amount_minor, method, taken_at, reference, staff_name, created_at)
    VALUES (?, ?, ?, ?, ?, '', ?, ?)`)
  const insertPassUse = conn.prepare('INSERT INTO pass_uses (pass_id, booking_id, credits, created_at, returned_at) VALUES (?, ?, ?, ?, ?)')

  const result: DemoBookingCounts = { bookings: 0, lines: 0, payments: 0, sessions: sessions.ids.length }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!

  // First every booking finds its session (places are held as they go, so none is overfilled)...
  const placed = placeAll(customers, counts, expected, items, sessions, now, random)
  // ...then they are written in the order they were made, so ids and references follow time and a
  // customer's bookings lie scattered through the table as they would after years at the desk.
  const order = timeOrder(placed)
  let nextId = order.length ? await conn.reserveIds('bookings', order.length) : 0
  sessions.taken.set(sessions.takenBefore)
  for (const n of order) {
    const c = placed.customer[n]!
    const customerId = customers.ids[c]!
    const pass = plans.passes.get(customerId)
    const member = plans.members.has(customerId)
    const booked = items[placed.item[n]!]!
    const session = placed.session[n]!
    const places = placed.places[n]!
    const created = placed.created[n]!
    const start = sessions.startsAt[session]!
    const past = start < now
    const roll = random()
    const status = past
      ? roll < 0.08 ? 'cancelled' : roll < 0.12 ? 'no_show' : roll < 0.18 ? 'confirmed' : 'completed'
      : roll < 0.07 ? 'cancelled' : roll < 0.14 ? 'pending' : 'confirmed'
    const cancelledAt = status === 'cancelled' ? created + (Math.min(start, now) - created) * random() : null

    // Lines: one price option, or (for a couple) an adult and a concession on the same session.
    const usePass =
      pass !== undefined && booked.kind === 'class' && places === 1 && pass.left > 0 && created >= pass.soldAt && start <= pass.validUntil && random() < 0.8
    const option = member ? (random() < 0.8 ? 2 : 0) : random() < 0.7 ? 0 : 1
    const lines: Array<[option: number, quantity: number]> = places === 2 && random() < 0.5 ? [[0, 1], [1, 1]] : [[option, places]]
    let total = 0
    for (const [o, q] of lines) total += usePass ? 0 : booked.prices[o]! * q

    const payments = usePass ? [] : demoPayments(total, status, past, created, start, cancelledAt, random)
    let paid = 0
    for (const p of payments) paid += p.kind === 'payment' ? p.amount : -p.amount
    const id = nextId++
    const summary = summarise([{ itemName: booked.name, quantity: places }])
    const createdIso = new Date(created).toISOString()
    let lastChange = Math.max(created, cancelledAt ?? 0)
    for (const p of payments) lastChange = Math.max(lastChange, p.at)
    await insertBooking.run(
      id,
      formatBookingReference(id),
      customerId,
      status,
      pick(SOURCES),
      booked.kind === 'appointment' ? 'appointment' : 'booking',
      DEMO_CURRENCY,
      total,
      paid,
      outstandingOf(status, total, paid),
      summary,
      new Date(start).toISOString(),
      usePass ? pass!.id : null,
      createdIso,
      new Date(lastChange).toISOString(),
      cancelledAt === null ? null : new Date(cancelledAt).toISOString(),
      pick(STAFF),
    )
    for (const [o, q] of lines) {
      const unit = usePass ? 0 : booked.prices[o]!
      await insertLine.run(id, sessions.ids[session], booked.optionIds[o], lineDescription(booked.name, PRICE_NAMES[o]!), q, unit, unit * q, usePass ? 1 : 0)
      result.lines++
    }
    if (options.changeLog !== false) await changeLog.append(sampleEntry(createdIso, 'booking', id, customerId, 'booking.created', `Booked ${formatBookingReference(id)}: ${summary}`))
    const staff = pick(STAFF)
    for (const p of payments) {
      const at = new Date(p.at).toISOString()
      await insertPayment.run(id, p.kind, p.amount, p.method, at, staff, at)
      result.payments++
    }
    if (usePass) {
      // A cancelled booking gave its credit back to the pass.
      await insertPassUse.run(pass!.id, id, 1, createdIso, cancelledAt === null ? null : new Date(cancelledAt).toISOString())
      if (cancelledAt === null) pass!.left--
    }
    if (status !== 'cancelled') sessions.taken[session]! += places
    result.bookings++
    if (result.bookings % 1000 === 0) {
      options.checkCancelled?.()
      options.onProgress?.(result.bookings, order.length)
    }
  }
  await writeSeatsTaken(conn, sessions)
  // The plans' orders (sales and collections) come after the bookings, with their own random numbers so the bookings stay as they were.
  await writeDemoPlanOrders(conn, changeLog, plans.sales, {
    now: options.now,
    random: seededRandom(options.seed + 1),
    staff: STAFF,
    changeLog: options.changeLog !== false,
  })
  return result
}

/** Where each booking goes, in compact arrays (five million of them at benchmark scale). */
interface PlacedBookings {
  count: number
  customer: Int32Array
  item: Uint8Array
  session: Int32Array
  places: Uint8Array
  created: Float64Array
}

function placeAll(
  customers: { ids: Int32Array; createdAt: Float64Array },
  counts: Int32Array,
  expected: number,
  items: DemoCatalogueItem[],
  sessions: DemoSessions,
  now: number,
  random: () => number,
): PlacedBookings {
  const placed: PlacedBookings = {
    count: 0,
    customer: new Int32Array(expected),
    item: new Uint8Array(expected),
    session: new Int32Array(expected),
    places: new Uint8Array(expected),
    created: new Float64Array(expected),
  }
  for (let c = 0; c < customers.ids.length; c++) {
    const joined = customers.createdAt[c]!
    for (let b = 0; b < counts[c]!; b++) {
      const wanted = chooseItem(items, random)
      const places = wanted.kind === 'appointment' ? 1 : random() < 0.85 ? 1 : random() < 0.67 ? 2 : 3
      const spot = placeBooking(items, wanted, sessions, joined, places, random)
      if (!spot) continue
      const start = sessions.startsAt[spot.session]!
      const lead = (spot.item.kind === 'event' ? 3 + random() * 50 : random() * 18) * DAY_MS
      const n = placed.count++
      placed.customer[n] = c
      placed.item[n] = items.indexOf(spot.item)
      placed.session[n] = spot.session
      placed.places[n] = places
      // Made before the session, after the customer joined, and never in the future.
      placed.created[n] = Math.min(now - 60_000, Math.max(joined + 3_600_000, start - lead))
      sessions.taken[spot.session]! += places
    }
  }
  return placed
}

/** Booking indexes by time made. Sorts plain numbers (second made, then index, packed in one float): far faster than a comparator at millions. */
function timeOrder(placed: PlacedBookings): Uint32Array {
  const { count, created } = placed
  let first = Infinity
  let last = -Infinity
  for (let i = 0; i < count; i++) {
    first = Math.min(first, created[i]!)
    last = Math.max(last, created[i]!)
  }
  const slots = 2 ** Math.ceil(Math.log2(count + 1))
  const order = new Uint32Array(count)
  if (count && (Math.floor((last - first) / 1000) + 1) * slots < 2 ** 53) {
    const keys = new Float64Array(count)
    for (let i = 0; i < count; i++) keys[i] = Math.floor((created[i]! - first) / 1000) * slots + i
    keys.sort()
    for (let i = 0; i < count; i++) order[i] = keys[i]! % slots
    return order
  }
  for (let i = 0; i < count; i++) order[i] = i
  return order.sort((x, y) => created[x]! - created[y]! || x - y)
}

interface DemoPayment {
  kind: 'payment' | 'refund'
  amount: number
  method: string
  at: number
}

/**
 * How sample bookings were paid: nearly all past ones in full, future ones
 * in full, by deposit or not yet; cancelled ones unpaid, refunded, or (a few)
 * still holding the money as credit.
 */
function demoPayments(
  total: number,
  status: string,
  past: boolean,
  created: number,
  start: number,
  cancelledAt: number | null,
  random: () => number,
): DemoPayment[] {
  if (total === 0 || status === 'pending') return []
  const method = METHODS[Math.floor(random() * METHODS.length)]!
  const full = (at: number): DemoPayment => ({ kind: 'payment', amount: total, method, at })
  const deposit = (): DemoPayment => ({ kind: 'payment', amount: Math.max(100, Math.min(total - 100, Math.round((total * 0.3) / 100) * 100)), method, at: created })
  const roll = random()
  if (status === 'cancelled') {
    if (roll < 0.45) return []
    if (roll < 0.9) return [full(created), { kind: 'refund', amount: total, method, at: cancelledAt! }]
    return [full(created)]
  }
  if (past) {
    if (roll < 0.96) return [full(created > start ? created : random() < 0.7 ? created : start)]
    if (roll < 0.98 && total > 100) return [deposit()]
    return []
  }
  if (roll < 0.7) return [full(created)]
  if (roll < 0.85 && total > 100) return [deposit()]
  return []
}

async function loadCustomers(conn: BulkConnection, first: number, last: number): Promise<{ ids: Int32Array; createdAt: Float64Array }> {
  const n = (await conn.prepare(`SELECT count(*) AS n FROM customers WHERE id BETWEEN ? AND ? AND status <> 'deleted'`).get<{ n: number }>(first, last))!.n
  const ids = new Int32Array(n)
  const createdAt = new Float64Array(n)
  let i = 0
  // In pages of ids: a million customers are never all in memory as rows at once.
  const page = conn.prepare(`SELECT id, created_at FROM customers WHERE id > ? AND id <= ? AND status <> 'deleted' ORDER BY id LIMIT 20000`)
  for (let after = first - 1; ; ) {
    const rows = await page.all<{ id: number; created_at: string }>(after, last)
    if (!rows.length) break
    for (const row of rows) {
      ids[i] = row.id
      createdAt[i++] = Date.parse(row.created_at)
    }
    after = rows[rows.length - 1]!.id
  }
  return { ids, createdAt }
}

/** How many bookings each customer made: none for most of the rest, a geometric spread for those who booked. */
function bookingsPerCustomer(ids: Int32Array, random: () => number, options: DemoBookingOptions): Int32Array {
  const share = options.share ?? 0.6
  const fixed = options.fixed ?? new Map<number, number>()
  let fixedTotal = 0
  for (const n of fixed.values()) fixedTotal += n
  const free = Math.max(1, ids.length - fixed.size)
  const mean = options.exactTotal !== undefined ? Math.max(1, (options.exactTotal - fixedTotal) / (share * free)) : (options.averagePerCustomer ?? 3)
  const p = 1 / mean
  const counts = new Int32Array(ids.length)
  let total = 0
  for (let i = 0; i < ids.length; i++) {
    const set = fixed.get(ids[i]!)
    const n = set ?? (random() < share ? (p >= 1 ? 1 : Math.min(200, 1 + Math.floor(Math.log(1 - random()) / Math.log(1 - p)))) : 0)
    counts[i] = n
    total += n
  }
  if (options.exactTotal === undefined || !ids.length) return counts
  // Nudge random customers up or down until the total is exact.
  let diff = options.exactTotal - total
  while (diff !== 0) {
    const i = Math.floor(random() * ids.length)
    if (fixed.has(ids[i]!) || counts[i] === 0) continue
    if (diff > 0) {
      counts[i]!++
      diff--
    } else if (counts[i]! > 1) {
      counts[i]!--
      diff++
    }
  }
  return counts
}

function chooseItem(items: DemoCatalogueItem[], random: () => number): DemoCatalogueItem {
  let r = random()
  for (const item of items) {
    r -= item.share
    if (r <= 0) return item
  }
  return items[0]!
}

/**
 * A session of the item with `places` free that starts after the customer
 * joined; falls back to the other items when this one is full. Null only when
 * the whole catalogue is full for them.
 */
function placeBooking(
  items: DemoCatalogueItem[],
  wanted: DemoCatalogueItem,
  sessions: DemoSessions,
  joined: number,
  places: number,
  random: () => number,
): { item: DemoCatalogueItem; session: number } | null {
  for (const item of [wanted, ...items.filter((i) => i !== wanted)]) {
    const lo = firstStartingAfter(sessions.startsAt, item.first, item.end, joined + 3_600_000)
    if (lo >= item.end) continue
    const fits = (s: number) => sessions.taken[s]! + places <= sessions.capacity[s]!
    for (let attempt = 0; attempt < 12; attempt++) {
      const s = lo + Math.floor(random() * (item.end - lo))
      if (fits(s)) return { item, session: s }
    }
    for (let s = lo; s < item.end; s++) if (fits(s)) return { item, session: s }
  }
  return null
}

function firstStartingAfter(starts: Float64Array, from: number, to: number, at: number): number {
  let lo = from
  let hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (starts[mid]! < at) lo = mid + 1
    else hi = mid
  }
  return lo
}
