import type { Knex } from 'knex'
import type { OutboxCounts } from '../../../preload/contract'
import { getMailSettings, isMailSetUp } from '../mail/settings'

/** What the sender last found: whether the server could be reached. */
export interface DeliveryState {
  offline: boolean
  nextTryAt: string | null
  offlineReason: string
}

export const NOT_TRIED: DeliveryState = { offline: false, nextTryAt: null, offlineReason: '' }

/** The outbox at a glance: waiting, on their way, failed and sent today (the desk's local day starts at `dayStart`). */
export async function outboxCounts(db: Knex, delivery: DeliveryState, dayStart: string): Promise<OutboxCounts> {
  const rows = (await db('messages')
    .whereIn('status', ['queued', 'sending', 'failed'])
    .groupBy('status')
    .select('status')
    .count({ n: '*' })) as Array<{ status: string; n: number | string }>
  const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0)
  const sent = (await db('messages').where('status', 'sent').andWhere('sent_at', '>=', dayStart).count({ n: '*' }).first()) as { n: number | string }
  const settings = await getMailSettings(db)
  return {
    queued: count('queued'),
    sending: count('sending'),
    failed: count('failed'),
    sentToday: Number(sent.n),
    ...delivery,
    setUp: isMailSetUp(settings),
  }
}
