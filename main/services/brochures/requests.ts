import type { Knex } from 'knex'
import type { BrochureRequest, BrochureRequestStatus } from '../../../preload/contract'
import { chunks } from '../../../db/idChunks'
import { appendChanges, recordChange } from '../changeLog'
import type { ServiceContext } from '../context'
import { Conflict, NotFound } from '../errors'
import { formatDay } from './days'
import { recheckCustomers } from '../quality/recheck'

interface RequestRow {
  id: number
  customer_id: number
  requested_at: string
  taken_by_name: string
  note: string
  status: BrochureRequestStatus
  posted_on: string | null
  posted_by_name: string
  updated_at: string
}

const COLUMNS = ['id', 'customer_id', 'requested_at', 'taken_by_name', 'note', 'status', 'posted_on', 'posted_by_name', 'updated_at']

function toRequest(row: RequestRow): BrochureRequest {
  return {
    id: row.id,
    customerId: row.customer_id,
    requestedAt: row.requested_at,
    takenByName: row.taken_by_name,
    note: row.note,
    status: row.status,
    postedOn: row.posted_on,
    postedByName: row.posted_by_name,
    cancelledAt: row.status === 'cancelled' ? row.updated_at : null,
  }
}

/** A customer's requests, newest first: the pending one (if any) leads, then what was posted or cancelled. */
export async function listCustomerRequests(ctx: ServiceContext, customerId: number): Promise<BrochureRequest[]> {
  const rows = (await ctx.db('brochure_requests')
    .where({ customer_id: customerId })
    .orderBy([
      { column: 'requested_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .select(COLUMNS)) as RequestRow[]
  return rows.map(toRequest)
}

async function loadRequestable(trx: Knex, customerId: number): Promise<{ id: number; display_name: string; status: string }> {
  const customer = (await trx('customers').where({ id: customerId }).first('id', 'display_name', 'status')) as
    | { id: number; display_name: string; status: string }
    | undefined
  if (!customer) throw new NotFound('This customer no longer exists.')
  if (customer.status === 'deleted') throw new Conflict(`${customer.display_name} is in the recycle bin; restore them first to request a brochure.`)
  return customer
}

/**
 * Adds a pending request for each customer who has none yet, as one staff
 * member taking them now, with a change log entry each. Returns the customers
 * it added one for: those already waiting for a brochure are left as they are.
 * Call inside the caller's transaction (new customer, bulk action).
 */
export async function addPendingRequests(trx: Knex, ctx: ServiceContext, customerIds: number[], note = ''): Promise<number[]> {
  const now = ctx.clock().toISOString()
  const added: number[] = []
  for (const chunk of chunks([...new Set(customerIds)])) {
    const waiting = new Set(
      ((await trx('brochure_requests').whereIn('customer_id', chunk).andWhere({ status: 'pending' }).select('customer_id')) as Array<{ customer_id: number }>).map(
        (r) => r.customer_id,
      ),
    )
    const fresh = chunk.filter((id) => !waiting.has(id))
    if (!fresh.length) continue
    // Ten values a row: 90 rows a statement keeps well inside SQLite's bound-variable limit.
    for (const part of chunks(fresh, 90)) {
      const inserted = (await trx('brochure_requests')
        .insert(
          part.map((customerId) => ({
            customer_id: customerId,
            requested_at: now,
            taken_by_staff_id: ctx.staff.id,
            taken_by_name: ctx.staff.name,
            note,
            status: 'pending',
            posted_on: null,
            posted_by_name: '',
            created_at: now,
            updated_at: now,
          })),
        )
        .returning(['id', 'customer_id'])) as Array<{ id: number; customer_id: number }>
      await logRequests(trx, ctx, inserted, now)
      added.push(...inserted.map((r) => r.customer_id))
    }
  }
  return added
}

async function logRequests(trx: Knex, ctx: ServiceContext, requests: Array<{ id: number; customer_id: number }>, at: string): Promise<void> {
  const changes = JSON.stringify([{ field: 'Brochure', before: null, after: 'Requested' }])
  await appendChanges(
    trx,
    requests.map((r) => ({
      at,
      staff_id: ctx.staff.id,
      staff_name: ctx.staff.name,
      entity_type: 'brochureRequest',
      entity_id: r.id,
      customer_id: r.customer_id,
      action: 'brochure.requested',
      summary: 'Brochure requested',
      changes,
    })),
  )
}

/**
 * Takes a brochure request for one customer. A customer has at most one
 * request waiting: asking again says when the waiting one was taken, and by whom.
 */
export async function requestBrochure(ctx: ServiceContext, customerId: number, note: string): Promise<BrochureRequest[]> {
  await ctx.db.transaction(async (trx) => {
    const customer = await loadRequestable(trx, customerId)
    const waiting = (await trx('brochure_requests').where({ customer_id: customerId, status: 'pending' }).first('requested_at', 'taken_by_name')) as
      | { requested_at: string; taken_by_name: string }
      | undefined
    if (waiting) {
      throw new Conflict(
        `A brochure for ${customer.display_name} is already waiting to be posted (requested ${formatDay(waiting.requested_at)} by ${waiting.taken_by_name}).`,
      )
    }
    await addPendingRequests(trx, ctx, [customerId], note)
    await recheckCustomers(trx, [customerId], ctx.clock())
  })
  return listCustomerRequests(ctx, customerId)
}

/** Cancels a request that has not been posted; a posted one stays as the record of what was sent. */
export async function cancelRequest(ctx: ServiceContext, id: number): Promise<BrochureRequest[]> {
  const customerId = await ctx.db.transaction(async (trx) => {
    const row = (await trx('brochure_requests').where({ id }).first(COLUMNS)) as RequestRow | undefined
    if (!row) throw new NotFound('This brochure request no longer exists; reload the profile.')
    if (row.status === 'posted') throw new Conflict(`This brochure was already posted on ${formatDay(row.posted_on ?? row.updated_at)}; it cannot be cancelled.`)
    if (row.status === 'cancelled') throw new Conflict('This brochure request was already cancelled.')
    await trx('brochure_requests').where({ id }).update({ status: 'cancelled', updated_at: ctx.clock().toISOString() })
    await recordChange(trx, ctx, {
      customerId: row.customer_id,
      entityType: 'brochureRequest',
      entityId: id,
      action: 'brochure.cancelled',
      summary: `Brochure request of ${formatDay(row.requested_at)} cancelled`,
      changes: [{ field: 'Brochure', before: 'Requested', after: 'Cancelled' }],
    })
    await recheckCustomers(trx, [row.customer_id], ctx.clock())
    return row.customer_id
  })
  return listCustomerRequests(ctx, customerId)
}
