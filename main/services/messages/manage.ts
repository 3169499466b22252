import type { Knex } from 'knex'
import type { MessageStatus } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { appendChanges } from '../changeLog'
import { Conflict, NotFound } from '../errors'
import { chunks } from '../../../db/idChunks'

interface Target {
  id: number
  customer_id: number | null
  subject: string
  status: MessageStatus
}

/** Why a message in `status` cannot be retried or cancelled, in the desk's words. */
const NOT_RETRIABLE: Record<MessageStatus, string> = {
  queued: 'This email is already waiting to be sent.',
  sending: 'This email is being sent right now.',
  sent: 'This email was sent already.',
  failed: '',
  cancelled: 'This email was cancelled: write it again to send it.',
}
const NOT_CANCELLABLE: Record<MessageStatus, string> = {
  queued: '',
  sending: 'This email is being handed to the mail server right now and can no longer be cancelled.',
  sent: 'This email was sent already: it cannot be called back.',
  failed: 'This email failed and will not be sent again unless you retry it.',
  cancelled: 'This email was cancelled already.',
}

async function targets(db: Knex, ids: readonly number[]): Promise<Target[]> {
  const rows: Target[] = []
  for (const part of chunks(ids)) rows.push(...((await db('messages').whereIn('id', part).select('id', 'customer_id', 'subject', 'status')) as Target[]))
  return rows
}

/**
 * Moves the messages that are `from` to `to` (only those: the sender may
 * claim one at any moment, so the status is checked in the update itself)
 * and logs each on its customer. One message asked for and not movable is
 * refused with the reason; of several, those that can move do.
 */
async function move(
  ctx: ServiceContext,
  ids: readonly number[],
  from: MessageStatus,
  set: Record<string, unknown>,
  words: { reasons: Record<MessageStatus, string>; action: string; summary: string },
): Promise<number> {
  return ctx.db.transaction(async (trx) => {
    const found = await targets(trx, ids)
    if (found.length === 0) throw new NotFound(ids.length === 1 ? 'This email no longer exists.' : 'These emails no longer exist.')
    const movable = found.filter((m) => m.status === from)
    if (movable.length === 0) {
      throw new Conflict(found.length === 1 ? words.reasons[found[0]!.status] : `None of these emails can be ${words.summary.toLowerCase()}.`)
    }
    const now = ctx.clock().toISOString()
    let moved = 0
    for (const part of chunks(movable.map((m) => m.id))) {
      moved += await trx('messages').whereIn('id', part).where('status', from).update({ ...set, updated_at: now })
    }
    const base = { at: now, staff_id: ctx.staff.id, staff_name: ctx.staff.name, entity_type: 'message', action: words.action, changes: '[]' }
    await appendChanges(
      trx,
      movable
        .filter((m) => m.customer_id !== null)
        .map((m) => ({ ...base, entity_id: m.id, customer_id: m.customer_id, summary: `Email ${words.summary.toLowerCase()}: ${m.subject}` })),
    )
    return moved
  })
}

/** Failed messages go back in the queue, to be tried at once as if new (same Message-ID). */
export async function retryMessages(ctx: ServiceContext, ids: readonly number[]): Promise<{ retried: number }> {
  const now = ctx.clock().toISOString()
  const retried = await move(ctx, ids, 'failed', { status: 'queued', attempts: 0, next_attempt_at: now, last_error: '' }, {
    reasons: NOT_RETRIABLE,
    action: 'message.retried',
    summary: 'Retried',
  })
  return { retried }
}

/** Waiting messages are not sent after all; one already being sent cannot be stopped. */
export async function cancelMessages(ctx: ServiceContext, ids: readonly number[]): Promise<{ cancelled: number }> {
  const cancelled = await move(ctx, ids, 'queued', { status: 'cancelled' }, {
    reasons: NOT_CANCELLABLE,
    action: 'message.cancelled',
    summary: 'Cancelled',
  })
  return { cancelled }
}
