import type { Knex } from 'knex'
import type { OutboxCounts } from '../../../preload/contract'
import { allRows } from '../../../db/queries/customerList'
import { getMailSettings, isMailSetUp } from '../mail/settings'

/** What the sender last found: whether the server could be reached. */
export interface DeliveryState {
  offline: boolean
  nextTryAt: string | null
  offlineReason: string
}

export const NOT_TRIED: DeliveryState = { offline: false, nextTryAt: null, offlineReason: '' }

/**
 * The outbox at a glance: waiting, on their way, failed and sent today (the desk's local day starts at `dayStart`).
 * One statement, so one snapshot: read in two, a count taken while the sender worked said "4 on their way" beside
 * "5 sent today" of the same five messages.
 */
export async function outboxCounts(db: Knex, delivery: DeliveryState, dayStart: string): Promise<OutboxCounts> {
  const rows = allRows<{ status: string; n: number | string }>(
    await db.raw(
      `SELECT status, count(*) AS n FROM messages WHERE status IN ('queued', 'sending', 'failed') GROUP BY status
      UNION ALL SELECT 'sentToday', count(*) FROM messages WHERE status = 'sent' AND sent_at >= ?`,
      [dayStart],
    ),
  )
  const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0)
  const settings = await getMailSettings(db)
  return {
    queued: count('queued'),
    sending: count('sending'),
    failed: count('failed'),
    sentToday: count('sentToday'),
    ...delivery,
    setUp: isMailSetUp(settings),
  }
}
