import type { Knex } from 'knex'
import type { ReportResult } from '../../../preload/contract/schemas/reports'
import { count, describeRange, percent, type ReportRange } from './range'
import { totalsByKey } from './totals'

type Body = Omit<ReportResult, 'report' | 'from' | 'to' | 'currency'>

const SOURCES: Array<[key: string, label: string]> = [
  ['phone', 'Phone'],
  ['walk_in', 'Walk-in'],
  ['online', 'Online'],
  ['import', 'Import'],
]

/** Bookings made in the range (not cancelled) per catalogue item: one booking per item however many of its lines name it. */
export async function bookingsByItem(db: Knex, range: ReportRange): Promise<Body> {
  const items = (await db('catalogue_items').select('id', 'name', 'kind')) as Array<{ id: number; name: string; kind: string }>
  const totals = new Map((await totalsByKey(db, 'item', range)).map((r) => [Number(r.key), r]))
  const rows = items
    .map((item) => ({ item: item.name, bookings: totals.get(item.id)?.n ?? 0, value: totals.get(item.id)?.amount ?? 0 }))
    .sort((a, b) => b.value - a.value || b.bookings - a.bookings || a.item.localeCompare(b.item))
  const value = rows.reduce((sum, r) => sum + r.value, 0)
  // The footer adds up the column (a booking for two items is in both rows); the note counts each booking once.
  const bookings = (await totalsByKey(db, 'source', range)).reduce((sum, r) => sum + r.n, 0)
  return {
    title: 'Bookings by item',
    description:
      'Bookings made in the period (by the day they were made), cancelled ones left out, per catalogue item, with the value of their lines for that item. A booking with lines for two items counts under each.',
    columns: [
      { key: 'item', label: 'Item', kind: 'text' },
      { key: 'bookings', label: 'Bookings', kind: 'count' },
      { key: 'value', label: 'Value', kind: 'money' },
    ],
    rows,
    totals: { item: 'Total', bookings: rows.reduce((sum, r) => sum + r.bookings, 0), value },
    chart: {
      type: 'bar',
      labels: rows.map((r) => r.item),
      series: [
        { label: 'Bookings', kind: 'count', values: rows.map((r) => r.bookings) },
        { label: 'Value', kind: 'money', values: rows.map((r) => r.value) },
      ],
    },
    note: `${count(bookings)} bookings made ${describeRange(range)}, cancelled ones aside.`,
  }
}

/** Bookings made in the range (not cancelled) per source: phone, walk-in, online, import. */
export async function bookingsBySource(db: Knex, range: ReportRange): Promise<Body> {
  const totals = new Map((await totalsByKey(db, 'source', range)).map((r) => [r.key, r]))
  const bookings = [...totals.values()].reduce((sum, r) => sum + r.n, 0)
  const rows = SOURCES.map(([key, label]) => {
    const n = totals.get(key)?.n ?? 0
    return { source: label, bookings: n, value: totals.get(key)?.amount ?? 0, share: percent(n, bookings) }
  })
  const value = rows.reduce((sum, r) => sum + r.value, 0)
  return {
    title: 'Bookings by source',
    description: 'Bookings made in the period (by the day they were made), cancelled ones left out, by how they came in, with their value.',
    columns: [
      { key: 'source', label: 'Source', kind: 'text' },
      { key: 'bookings', label: 'Bookings', kind: 'count' },
      { key: 'value', label: 'Value', kind: 'money' },
      { key: 'share', label: 'Share of bookings', kind: 'percent' },
    ],
    rows,
    totals: { source: 'Total', bookings, value, share: bookings ? 100 : 0 },
    chart: { type: 'doughnut', labels: rows.map((r) => r.source), series: [{ label: 'Bookings', kind: 'count', values: rows.map((r) => r.bookings) }] },
    note: `${count(bookings)} bookings made ${describeRange(range)}, cancelled ones aside.`,
  }
}
