import type { Knex } from 'knex'
import type { ReportResult } from '../../../preload/contract/schemas/reports'
import { reportMonths } from './months'
import { count, describeRange, monthLabel, percent, type ReportRange } from './range'
import { totalsByKey, totalsByMonth } from './totals'

type Body = Omit<ReportResult, 'report' | 'from' | 'to' | 'currency'>

/** The customers measure's key: 'active:1:0' = status, agreed to marketing, unsubscribed. */
function parseKey(key: string): { status: string; marketing: boolean; unsubscribed: boolean } {
  const [status = '', marketing, unsubscribed] = key.split(':')
  return { status, marketing: marketing === '1', unsubscribed: unsubscribed === '1' }
}

interface MonthCounts {
  customers: number
  marketing: number
  unsubscribed: number
}

/** Customers made per month of the range (not those in the recycle bin), with their consent as it stands. */
async function customersPerMonth(db: Knex, range: ReportRange): Promise<Array<[month: number, counts: MonthCounts]>> {
  const months = await reportMonths(db, 'customers', range)
  const byMonth = new Map<number, MonthCounts>(months.map((m) => [m, { customers: 0, marketing: 0, unsubscribed: 0 }]))
  for (const row of await totalsByMonth(db, 'customers', range)) {
    const key = parseKey(row.key)
    const counts = byMonth.get(row.month)
    if (key.status === 'deleted' || !counts) continue
    counts.customers += row.n
    if (key.marketing) counts.marketing += row.n
    if (key.unsubscribed) counts.unsubscribed += row.n
  }
  return [...byMonth.entries()]
}

export async function newCustomers(db: Knex, range: ReportRange): Promise<Body> {
  const months = await customersPerMonth(db, range)
  const total = months.reduce((sum, [, c]) => sum + c.customers, 0)
  return {
    title: 'New customers',
    description: 'Customers added each month (by the day their record was made), whatever their status now; customers in the recycle bin are left out.',
    columns: [
      { key: 'month', label: 'Month', kind: 'month' },
      { key: 'customers', label: 'New customers', kind: 'count' },
    ],
    rows: months.map(([month, c]) => ({ month: monthLabel(month), customers: c.customers })),
    totals: { month: 'Total', customers: total },
    chart: { type: 'bar', labels: months.map(([m]) => monthLabel(m)), series: [{ label: 'New customers', kind: 'count', values: months.map(([, c]) => c.customers) }] },
    note: `${count(total)} new customers, ${describeRange(range)}.`,
  }
}

export async function consentRates(db: Knex, range: ReportRange): Promise<Body> {
  const months = await customersPerMonth(db, range)
  const all = months.reduce((sum, [, c]) => ({ customers: sum.customers + c.customers, marketing: sum.marketing + c.marketing, unsubscribed: sum.unsubscribed + c.unsubscribed }), {
    customers: 0,
    marketing: 0,
    unsubscribed: 0,
  })
  return {
    title: 'Consent rates',
    description:
      'For the customers added each month (by the day their record was made; the recycle bin left out): how many agree to marketing and how many have unsubscribed, as their consent stands today.',
    columns: [
      { key: 'month', label: 'Month added', kind: 'month' },
      { key: 'customers', label: 'Customers', kind: 'count' },
      { key: 'marketing', label: 'Agreed to marketing', kind: 'count' },
      { key: 'unsubscribed', label: 'Unsubscribed', kind: 'count' },
      { key: 'rate', label: 'Consent rate', kind: 'percent' },
    ],
    rows: months.map(([month, c]) => ({ month: monthLabel(month), ...c, rate: percent(c.marketing, c.customers) })),
    totals: { month: 'Overall', ...all, rate: percent(all.marketing, all.customers) },
    chart: {
      type: 'line',
      labels: months.map(([m]) => monthLabel(m)),
      series: [
        { label: 'Agreed to marketing', kind: 'percent', values: months.map(([, c]) => percent(c.marketing, c.customers)) },
        { label: 'Unsubscribed', kind: 'percent', values: months.map(([, c]) => percent(c.unsubscribed, c.customers)) },
      ],
    },
    note: `${percent(all.marketing, all.customers)}% of ${count(all.customers)} customers agree to marketing; ${count(all.unsubscribed)} have unsubscribed.`,
  }
}

/** Customers (not in the recycle bin) made in the range with each tag or in each group, and their share of all customers made then. */
export async function customersByLabel(db: Knex, range: ReportRange, which: 'tag' | 'group'): Promise<Body> {
  const labels = (await db(which === 'tag' ? 'tags' : 'customer_groups').select('id', 'name')) as Array<{ id: number; name: string }>
  const counts = new Map((await totalsByKey(db, which, range)).map((r) => [Number(r.key), r.n]))
  const customers = (await totalsByKey(db, 'customers', range)).filter((r) => parseKey(r.key).status !== 'deleted').reduce((sum, r) => sum + r.n, 0)
  const rows = labels
    .map((label) => ({ name: label.name, customers: counts.get(label.id) ?? 0 }))
    .sort((a, b) => b.customers - a.customers || a.name.localeCompare(b.name))
    .map((row) => ({ ...row, share: percent(row.customers, customers) }))
  const noun = which === 'tag' ? 'tag' : 'group'
  const shown = rows.filter((r) => r.customers > 0)
  return {
    title: which === 'tag' ? 'Customers by tag' : 'Customers by group',
    description: `How many customers have each ${noun}, and their share of all customers; with a period, only customers added in it (by the day their record was made). Customers in the recycle bin are left out; a customer with several ${noun}s counts under each.`,
    columns: [
      { key: 'name', label: which === 'tag' ? 'Tag' : 'Group', kind: 'text' },
      { key: 'customers', label: 'Customers', kind: 'count' },
      { key: 'share', label: 'Share of customers', kind: 'percent' },
    ],
    rows,
    totals: { name: 'All customers', customers, share: null },
    chart: { type: 'bar', labels: shown.map((r) => r.name), series: [{ label: 'Customers', kind: 'count', values: shown.map((r) => r.customers) }] },
    note: `${count(customers)} customers${range.from || range.to ? ` added ${describeRange(range)}` : ''}; ${rows.length} ${noun}s.`,
  }
}
