import type { SnapshotReader } from '../../../db/dialects/readSnapshot'
import type { ReportResult } from '../../../preload/contract/schemas/reports'
import { count, daysBetween, describeRange, monthsBetween, type ReportRange } from './range'

type Body = Omit<ReportResult, 'report' | 'from' | 'to' | 'currency'>

export const TOP_CUSTOMERS = 50
export const OWING_ROWS = 200
/** Ranges of up to this many months walk each month's list of payers; wider ones the list of lifetime payers. */
const MONTH_LISTS_UP_TO = 3

const customerNumber = (id: number) => `C-${String(id).padStart(6, '0')}`

/**
 * A list of (id, bound) read in descending order a page at a time (pages
 * double), so a walk that stops early reads little; the connection stays free
 * between pages for the look-ups the walk makes. `sql` selects `id` and
 * `bound` and ends with LIMIT ? OFFSET ?.
 */
async function* descending(reader: SnapshotReader, sql: string, ...bindings: unknown[]): AsyncGenerator<[id: number, bound: number]> {
  let offset = 0
  for (let size = 64; ; size = Math.min(size * 2, 4096)) {
    const rows = await reader.all<{ id: number; bound: number }>(sql, [...bindings, size, offset])
    for (const row of rows) yield [row.id, row.bound]
    if (rows.length < size) return
    offset += size
  }
}

/** The best `keep` so far, highest first; `floor` is the lowest kept once full. */
class Best<T extends { value: number; id: number }> {
  readonly rows: T[] = []
  constructor(private readonly keep: number) {}
  offer(row: T): void {
    if (this.rows.length >= this.keep && !this.beats(row, this.rows[this.rows.length - 1]!)) return
    let i = this.rows.length
    while (i > 0 && this.beats(row, this.rows[i - 1]!)) i--
    this.rows.splice(i, 0, row)
    if (this.rows.length > this.keep) this.rows.pop()
  }
  full(): boolean {
    return this.rows.length >= this.keep
  }
  /** True when nothing worth at most `bound` can still get in. */
  closedTo(bound: number): boolean {
    return this.full() && this.rows[this.rows.length - 1]!.value >= bound
  }
  private beats(a: T, b: T): boolean {
    return a.value > b.value || (a.value === b.value && a.id < b.id)
  }
}

interface Paid {
  id: number
  value: number
  bookings: number
}

/**
 * The customers who paid most in the range (payments less refunds, by the
 * day money was taken), found without adding up every customer: candidates
 * come in order of an upper bound of what they can have paid in the range
 * (what they paid in each month of it, or in their lifetime, refunds aside),
 * each gets its exact figure, and the walk stops once the last of the best
 * has paid at least the next candidate's bound.
 */
export async function topPayers(reader: SnapshotReader, range: ReportRange, keep: number, leaveOut: ReadonlySet<number>): Promise<Paid[]> {
  const exact = `SELECT coalesce(sum(CASE p.kind WHEN 'refund' THEN -p.amount_minor ELSE p.amount_minor END), 0) AS value,
       count(DISTINCT CASE WHEN b.plan_id IS NULL THEN p.booking_id END) AS bookings
     FROM bookings b JOIN payments p ON p.booking_id = b.id
     WHERE b.customer_id = ? AND p.taken_at >= ? AND p.taken_at < ?`
  const best = new Best<Paid>(keep)
  const seen = new Set<number>()
  const months = await monthsOfRange(reader, range)
  // What a customer paid in the months the range touches, refunds aside: a few index look-ups, where the exact figure reads their bookings.
  const inMonths = `SELECT coalesce(sum(paid), 0) AS bound FROM report_customer_months WHERE customer_id = ? AND month IN (${months.join(',')})`
  const consider = async (id: number) => {
    if (seen.has(id)) return
    seen.add(id)
    if (leaveOut.has(id)) return
    if (months.length && best.closedTo((await reader.first<{ bound: number }>(inMonths, [id]))!.bound)) return
    const row = (await reader.first<{ value: number; bookings: number }>(exact, [id, range.fromUtc, range.toUtc]))!
    if (row.value > 0) best.offer({ id, value: row.value, bookings: row.bookings })
  }
  if (months.length > 0 && months.length <= MONTH_LISTS_UP_TO) {
    // One list per month, read in turn: an unseen customer can have paid at most the sum of where each list has got to.
    const page = `SELECT customer_id AS id, paid AS bound FROM report_customer_months WHERE month = ? AND paid > 0 ORDER BY paid DESC, customer_id LIMIT ? OFFSET ?`
    const lists = months.map((month) => ({ walk: descending(reader, page, month), at: Number.POSITIVE_INFINITY }))
    for (;;) {
      let open = 0
      for (const list of lists) {
        if (list.at === 0) continue
        const next = await list.walk.next()
        if (next.done) {
          list.at = 0
          continue
        }
        open++
        list.at = next.value[1]
        await consider(next.value[0])
      }
      if (open === 0 || best.closedTo(lists.reduce((sum, l) => sum + l.at, 0))) break
    }
  } else {
    const page = `SELECT customer_id AS id, paid AS bound FROM report_customers WHERE paid > 0 ORDER BY paid DESC, customer_id LIMIT ? OFFSET ?`
    for await (const [id, bound] of descending(reader, page)) {
      if (best.closedTo(bound)) break
      await consider(id)
    }
  }
  return best.rows
}

/** The months (202601) the range touches, open ends cut to the months anyone paid in. */
async function monthsOfRange(reader: SnapshotReader, range: ReportRange): Promise<number[]> {
  // Two queries: SQLite answers min() or max() alone from the index end, both together by reading it all.
  const known = {
    first: (await reader.first<{ month: number | null }>(`SELECT min(month) AS month FROM report_customer_months`))?.month ?? null,
    last: (await reader.first<{ month: number | null }>(`SELECT max(month) AS month FROM report_customer_months`))?.month ?? null,
  }
  if (known.first === null || known.last === null) return []
  const first = Math.max(known.first, Math.floor(range.fromDay / 100))
  const last = Math.min(known.last, Math.floor(range.toDay / 100))
  return first <= last ? monthsBetween(first, last) : []
}

interface Owing {
  id: number
  value: number
  bookings: number
  oldest: string
}

/** The customers owing most on bookings made in the range, walked in order of all they owe (see topPayers). */
export async function topOwing(reader: SnapshotReader, range: ReportRange, keep: number): Promise<Owing[]> {
  const exact = `SELECT coalesce(sum(outstanding_minor), 0) AS value, count(*) AS bookings, min(created_at) AS oldest FROM bookings ${reader.indexedBy('bookings_owing_made')}
     WHERE customer_id = ? AND outstanding_minor > 0 AND created_at >= ? AND created_at < ?`
  const page = `SELECT customer_id AS id, owed AS bound FROM report_customers WHERE owed > 0 ORDER BY owed DESC, customer_id LIMIT ? OFFSET ?`
  const best = new Best<Owing>(keep)
  for await (const [id, bound] of descending(reader, page)) {
    if (best.closedTo(bound)) break
    const row = (await reader.first<{ value: number; bookings: number; oldest: string | null }>(exact, [id, range.fromUtc, range.toUtc]))!
    if (row.value > 0) best.offer({ id, value: row.value, bookings: row.bookings, oldest: row.oldest! })
  }
  return best.rows
}

/**
 * Owing bookings made in a narrow range, added up per customer by the
 * database straight from the index of when they were made, with how many
 * customers owe in all (counted before the limit).
 */
async function owingNarrow(reader: SnapshotReader, range: ReportRange, keep: number): Promise<{ top: Owing[]; customers: number }> {
  const rows = await reader.all<Owing & { customers: number }>(
    `SELECT customer_id AS id, sum(outstanding_minor) AS value, count(*) AS bookings, min(created_at) AS oldest, count(*) OVER () AS customers
     FROM bookings ${reader.indexedBy('bookings_owing_when')}
     WHERE outstanding_minor > 0 AND created_at >= ? AND created_at < ? AND customer_id IS NOT NULL
     GROUP BY customer_id ORDER BY value DESC, customer_id LIMIT ?`,
    [range.fromUtc, range.toUtc, keep],
  )
  return { top: rows.map(({ customers: _, ...row }) => row), customers: rows[0]?.customers ?? 0 }
}

/** Customers owing on bookings made in a wide range (or at all), counted from the index of owing bookings by customer. */
async function customersOwing(reader: SnapshotReader, range: ReportRange): Promise<number> {
  if (!range.from && !range.to) return (await reader.first<{ n: number }>(`SELECT count(*) AS n FROM report_customers WHERE owed > 0`))!.n
  return (await reader.first<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT customer_id FROM bookings ${reader.indexedBy('bookings_owing_made')}
     WHERE outstanding_minor > 0 AND created_at >= ? AND created_at < ? AND customer_id IS NOT NULL GROUP BY customer_id) owing`,
    [range.fromUtc, range.toUtc],
  ))!.n
}

interface Names {
  get(id: number): { name: string; status: string } | undefined
}

async function namesOf(reader: SnapshotReader, ids: number[]): Promise<Names> {
  const rows = ids.length
    ? await reader.all<{ id: number; name: string; status: string }>(
        `SELECT id, display_name AS name, status FROM customers WHERE id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      )
    : []
  return new Map(rows.map((r) => [r.id, r]))
}

export async function topCustomers(reader: SnapshotReader, range: ReportRange): Promise<Body> {
  const binned = new Set((await reader.all<{ id: number }>(`SELECT id FROM customers WHERE status = 'deleted'`)).map(({ id }) => id))
  const best = await topPayers(reader, range, TOP_CUSTOMERS, binned)
  const names = await namesOf(
    reader,
    best.map((b) => b.id),
  )
  const { paying } = (await reader.first<{ paying: number }>(`SELECT count(*) AS paying FROM report_customers WHERE paid > 0`))!
  const taken = (await reader.first<{ amount: number }>(
    `SELECT coalesce(sum(amount), 0) AS amount FROM report_totals WHERE measure = 'income' AND day BETWEEN ? AND ?`,
    [range.fromDay, range.toDay],
  ))!
  const rows = best.map((b) => ({ number: customerNumber(b.id), customer: names.get(b.id)?.name ?? customerNumber(b.id), customerId: b.id, paid: b.value, bookings: b.bookings }))
  const paidByTop = rows.reduce((sum, r) => sum + r.paid, 0)
  return {
    title: 'Top customers',
    description: `The ${TOP_CUSTOMERS} customers who paid most in the period: payments less refunds, by the day the money was taken, on all their bookings and plans; "Bookings" counts the bookings they paid for in the period (plans' sales and collections aside). Customers in the recycle bin are left out.`,
    columns: [
      { key: 'number', label: 'Number', kind: 'text' },
      { key: 'customer', label: 'Customer', kind: 'customer' },
      { key: 'paid', label: 'Paid', kind: 'money' },
      { key: 'bookings', label: 'Bookings', kind: 'count' },
    ],
    rows,
    totals: { number: 'Total', customer: null, paid: paidByTop, bookings: rows.reduce((sum, r) => sum + r.bookings, 0) },
    chart: { type: 'bar', labels: rows.slice(0, 20).map((r) => r.customer), series: [{ label: 'Paid', kind: 'money', values: rows.slice(0, 20).map((r) => r.paid) }] },
    note: `The ${count(rows.length)} customers who paid most ${describeRange(range)}, of ${count(paying)} who have ever paid anything; ${taken.amount ? `${Math.round((paidByTop / taken.amount) * 1000) / 10}% of everything taken in the period` : 'nothing was taken in the period'}.`,
  }
}

/** Bookings owing counted into age bands by days since they were made. */
const BANDS: Array<[label: string, upTo: number]> = [
  ['0–30 days', 30],
  ['31–60 days', 60],
  ['61–90 days', 90],
  ['Over 90 days', Number.POSITIVE_INFINITY],
]

export async function outstandingBalances(reader: SnapshotReader, range: ReportRange, today: string): Promise<Body> {
  const perDay = await reader.all<{ day: number; n: number; amount: number }>(
    `SELECT day, n, amount FROM report_totals WHERE measure = 'owing' AND day BETWEEN ? AND ? AND n <> 0`,
    [range.fromDay, range.toDay],
  )
  const bands = BANDS.map(() => ({ bookings: 0, amount: 0 }))
  let owingBookings = 0
  let owed = 0
  for (const row of perDay) {
    const iso = `${String(row.day).slice(0, 4)}-${String(row.day).slice(4, 6)}-${String(row.day).slice(6, 8)}`
    const age = daysBetween(iso, today)
    const band = bands[BANDS.findIndex(([, upTo]) => age <= upTo)]!
    band.bookings += row.n
    band.amount += row.amount
    owingBookings += row.n
    owed += row.amount
  }
  // A narrow range holds few owing bookings: the database adds them up directly; a wide one is walked biggest debtor first.
  const narrow = owingBookings <= 150_000 && Boolean(range.from || range.to)
  const { top, customers: owing } = narrow
    ? await owingNarrow(reader, range, OWING_ROWS)
    : { top: await topOwing(reader, range, OWING_ROWS), customers: await customersOwing(reader, range) }
  const names = await namesOf(
    reader,
    top.map((t) => t.id),
  )
  const rows = top.map((t) => ({
    number: customerNumber(t.id),
    customer: names.get(t.id)?.name ?? customerNumber(t.id),
    customerId: t.id,
    owed: t.value,
    bookings: t.bookings,
    oldest: localDayOf(t.oldest),
  }))
  return {
    title: 'Outstanding balances',
    description: `What customers still owe on bookings made in the period (by the day each booking was made), biggest first (the top ${OWING_ROWS}); the chart shows the amount owing by how long ago the booking was made. Customers in the recycle bin still owe, so they are listed too.`,
    columns: [
      { key: 'number', label: 'Number', kind: 'text' },
      { key: 'customer', label: 'Customer', kind: 'customer' },
      { key: 'owed', label: 'Owed', kind: 'money' },
      { key: 'bookings', label: 'Bookings owing', kind: 'count' },
      { key: 'oldest', label: 'Oldest booking made', kind: 'text' },
    ],
    rows,
    totals: { number: 'All customers owing', customer: count(owing), owed, bookings: owingBookings, oldest: null },
    chart: {
      type: 'bar',
      labels: BANDS.map(([label]) => label),
      series: [{ label: 'Owed', kind: 'money', values: bands.map((b) => b.amount) }],
    },
    note: `${count(owing)} customers owe on ${count(owingBookings)} bookings made ${describeRange(range)}${owing > rows.length ? `; the ${count(rows.length)} who owe most are listed` : ''}.`,
  }
}

/** An ISO UTC time as the desk's calendar day. */
function localDayOf(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
