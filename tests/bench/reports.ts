/**
 * The reports on the bookings work copy (1,000,000 customers, 5,000,000
 * bookings): each report for this month, the last 3 months, this year and
 * all time, through reports:run as the screen calls it (the read worker), and
 * one printed to PDF. Target: every report p95 < 500 ms.
 */
import type { FrontdeskCore } from '../../main/app-core'
import type { Channel, ReportKind } from '../../preload/contract'
import { reportKinds } from '../../preload/contract'
import { localDay } from '../../main/services/calendarDay'
import { firstRow } from '../../db/queries/customerList'
import { seededRandom } from '../../main/demo/bookings'
import { measure } from './measure'

const TARGET_MS = 500
const BROCHURE_REQUESTS = 20_000

/** Brochure requests over the last two years, when the copy has none: the report needs something to count. */
async function brochureRequestsToCount(core: FrontdeskCore, now: Date): Promise<void> {
  const has = firstRow<{ n: number }>(await core.db.raw('SELECT count(*) AS n FROM brochure_requests'))!.n
  if (has > 0) return
  const customers = firstRow<{ n: number }>(await core.db.raw('SELECT max(id) AS n FROM customers'))!.n
  const random = seededRandom(11)
  const rows: unknown[][] = []
  for (let i = 0; i < BROCHURE_REQUESTS; i++) {
    const asked = new Date(now.getTime() - Math.floor(random() * 730 * 86_400_000))
    const roll = random()
    const status = roll < 0.7 ? 'posted' : roll < 0.9 ? 'pending' : 'cancelled'
    const posted = status === 'posted' ? localDay(new Date(Math.min(now.getTime(), asked.getTime() + Math.floor(random() * 10) * 86_400_000))) : null
    rows.push([1 + Math.floor(random() * customers), asked.toISOString(), 'Bench', status, posted, asked.toISOString(), asked.toISOString()])
  }
  await core.db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500)
      await trx.raw(
        `INSERT INTO brochure_requests (customer_id, requested_at, taken_by_name, status, posted_on, created_at, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flat() as never[],
      )
    }
  })
  console.log(`  added ${BROCHURE_REQUESTS.toLocaleString('en-GB')} brochure requests to count`)
}

export async function benchReports(core: FrontdeskCore): Promise<void> {
  const now = new Date()
  await brochureRequestsToCount(core, now)
  const today = localDay(now)
  const monthStart = `${today.slice(0, 7)}-01`
  const threeMonthsAgo = localDay(new Date(now.getFullYear(), now.getMonth() - 3, 1))
  const lastMonthEnd = localDay(new Date(now.getFullYear(), now.getMonth(), 0))
  const ranges: Array<[label: string, from: string | null, to: string | null]> = [
    ['this month', monthStart, today],
    ['last 3 months', threeMonthsAgo, lastMonthEnd],
    ['this year', `${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`],
    ['all time', null, null],
  ]
  const call = async (channel: Channel, input: unknown) => {
    const result = await core.dispatch(channel, input, { url: 'app://bench', isTopFrame: true })
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.message}`)
    return result.data
  }
  for (const report of reportKinds as readonly ReportKind[]) {
    for (const [label, from, to] of ranges) {
      await measure(`report ${report}, ${label} (reports:run, read worker)`, TARGET_MS, [() => call('reports:run', { report, from, to })], 5)
    }
  }
  await measure('reports:print topCustomers, last 3 months (PDF, read worker)', TARGET_MS, [
    () => call('reports:print', { report: 'topCustomers', from: threeMonthsAgo, to: lastMonthEnd }),
  ], 5)
}
