import type { Knex } from 'knex'
import type { z } from 'zod'
import type {
  BrochureSelection,
  WorklistCounts,
  WorklistFilter,
  WorklistFlag,
  worklistInput,
  WorklistPage,
  WorklistRow,
  WorklistTab,
} from '../../../preload/contract'
import { chunks } from '../../../db/idChunks'
import type { ServiceContext } from '../context'
import { Conflict, ValidationFailed } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'
import { startOfDay, startOfNextDay } from './days'
import { addressSummary, isPostable, letterAddresses } from '../letterAddresses'

type WorklistInput = z.output<typeof worklistInput>

/** Pending requests are worked oldest first; posted ones are looked back on newest first. */
const ORDER: Record<WorklistTab, 'asc' | 'desc'> = { pending: 'asc', posted: 'desc' }

/** Requests in a tab, requested within the filter's days (both included), along the (status, requested_at, id) index. */
function inTab(db: Knex, tab: WorklistTab, filter: WorklistFilter): Knex.QueryBuilder {
  const query = db('brochure_requests as r').where('r.status', tab)
  if (filter.from) query.andWhere('r.requested_at', '>=', startOfDay(filter.from))
  if (filter.to) query.andWhere('r.requested_at', '<', startOfNextDay(filter.to))
  return query
}

function encodeCursor(row: { requested_at: string; id: number }): string {
  return Buffer.from(JSON.stringify([row.requested_at, row.id]), 'utf8').toString('base64url')
}

function decodeCursor(cursor: string): { requestedAt: string; id: number } {
  try {
    const [requestedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown]
    if (typeof requestedAt === 'string' && typeof id === 'number' && Number.isSafeInteger(id)) return { requestedAt, id }
  } catch {
    // fall through to the readable error
  }
  throw ValidationFailed.field('after', 'This page is no longer valid; go back to the first page.')
}

interface WorklistRecord {
  id: number
  customer_id: number
  requested_at: string
  taken_by_name: string
  note: string
  posted_on: string | null
  posted_by_name: string
  display_name: string
  customer_status: string
  unsubscribed: number | boolean
}

/** One page of the worklist, each request with its customer, where the letter goes, and what stands in its way. */
export async function worklistPage(ctx: ServiceContext, input: WorklistInput): Promise<WorklistPage> {
  const order = ORDER[input.tab]
  const query = inTab(ctx.db, input.tab, input.filter)
    .join('customers as c', 'c.id', 'r.customer_id')
    .orderBy([
      { column: 'r.requested_at', order },
      { column: 'r.id', order },
    ])
    .limit(input.pageSize + 1)
    .select(
      'r.id',
      'r.customer_id',
      'r.requested_at',
      'r.taken_by_name',
      'r.note',
      'r.posted_on',
      'r.posted_by_name',
      'c.display_name',
      'c.status as customer_status',
      'c.unsubscribed',
    )
  if (input.after) {
    const key = decodeCursor(input.after)
    const beyond = order === 'asc' ? '>' : '<'
    query.andWhere((q) => q.where('r.requested_at', beyond, key.requestedAt).orWhere((q2) => q2.where('r.requested_at', key.requestedAt).andWhere('r.id', beyond, key.id)))
  }
  const records = (await query) as WorklistRecord[]
  const page = records.slice(0, input.pageSize)
  const addresses = await letterAddresses(ctx.db, page.map((r) => r.customer_id))
  const rows = page.map((record): WorklistRow => {
    const address = addresses.get(record.customer_id) ?? null
    const flags: WorklistFlag[] = []
    if (!address || !isPostable(address)) flags.push('cannotPost')
    if (record.unsubscribed) flags.push('unsubscribed')
    if (record.customer_status === 'archived' || record.customer_status === 'blocked' || record.customer_status === 'deleted') {
      flags.push(record.customer_status)
    }
    return {
      id: record.id,
      customerId: record.customer_id,
      customerNumber: formatCustomerNumber(record.customer_id),
      customerName: record.display_name,
      requestedAt: record.requested_at,
      takenByName: record.taken_by_name,
      note: record.note,
      postedOn: record.posted_on,
      postedByName: record.posted_by_name,
      address: addressSummary(address),
      flags,
    }
  })
  const last = page[page.length - 1]
  return { rows, nextCursor: records.length > input.pageSize && last ? encodeCursor(last) : null }
}

/** How many requests each tab holds within the date filter. */
export async function worklistCounts(ctx: ServiceContext, filter: WorklistFilter): Promise<WorklistCounts> {
  const count = async (tab: WorklistTab) => Number(((await inTab(ctx.db, tab, filter).count({ n: '*' }).first()) as { n: number | string }).n)
  return { pending: await count('pending'), posted: await count('posted') }
}

/**
 * The request ids a selection stands for, in worklist order. Ticked ids must
 * all still be in `tab`; "all matching" must still match as many as the
 * receptionist saw. Otherwise nothing is done and the message says why.
 */
export async function resolveRequestSelection(db: Knex, selection: BrochureSelection, tab: WorklistTab): Promise<number[]> {
  if (selection.kind === 'filter') {
    if (selection.tab !== tab) throw ValidationFailed.field('selection', `Choose requests from the ${tab === 'pending' ? 'Pending' : 'Sent'} tab.`)
    const ids = ((await inTab(db, tab, selection.filter).orderBy([{ column: 'r.requested_at', order: ORDER[tab] }, { column: 'r.id', order: ORDER[tab] }]).select('r.id')) as Array<{ id: number }>).map(
      (r) => r.id,
    )
    if (ids.length !== selection.expectedCount) {
      throw new Conflict(`The worklist changed since you selected it: ${ids.length.toLocaleString('en-GB')} requests match now. Check and try again.`)
    }
    return ids
  }
  const ids = [...new Set(selection.ids)]
  let found = 0
  for (const chunk of chunks(ids)) {
    found += Number(((await db('brochure_requests').whereIn('id', chunk).andWhere({ status: tab }).count({ n: '*' }).first()) as { n: number | string }).n)
  }
  if (found !== ids.length) {
    const gone = ids.length - found
    const which = tab === 'pending' ? 'were posted, cancelled or removed meanwhile' : 'are no longer in the Sent tab'
    throw ValidationFailed.field('selection', `${gone.toLocaleString('en-GB')} of the chosen requests ${which}. Reload the worklist and choose again.`)
  }
  return ids
}
