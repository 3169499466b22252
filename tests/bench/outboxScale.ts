/**
 * The outbox after a year of newsletters: 1,000,000 messages, mostly sent.
 * The navigation badge's counts (asked every few seconds) and an Outbox
 * page for each status filter are read in the main process, so each must
 * stay far under 100 ms (target: 16 ms, as any list page).
 */
import type { Knex } from 'knex'
import { outboxCounts, NOT_TRIED } from '../../main/services/messages/counts'
import { outboxPage } from '../../main/services/messages/history'
import { outboxFilters } from '../../preload/contract'
import { recordSamples } from './measure'

const MESSAGES = 1_000_000

/** Fills the outbox in one statement: one in a thousand failed, the last 100 waiting, the rest sent over the year. */
async function fillOutbox(db: Knex): Promise<void> {
  await db.raw(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MESSAGES})
    INSERT INTO messages (kind, message_id, from_address, to_address, subject, body_text, body_html, status, next_attempt_at, queued_at, sent_at, updated_at)
    SELECT 'marketing', '<bench.' || i || '@studio.example>', 'desk@studio.example', 'reader' || i || '@example.com', 'Spring news',
      'The spring timetable is out.', '<p>The spring timetable is out.</p>',
      CASE WHEN i % 1000 = 0 THEN 'failed' WHEN i > ${MESSAGES - 100} THEN 'queued' ELSE 'sent' END,
      '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z',
      CASE WHEN i % 1000 = 0 OR i > ${MESSAGES - 100} THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * 28) || ' seconds') END,
      '2026-11-01T00:00:00.000Z' FROM n`)
  await db.raw('ANALYZE')
}

async function samplesOf(fn: () => Promise<unknown>, runs = 30): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return samples
}

export async function benchOutboxAtScale(db: Knex): Promise<void> {
  const started = performance.now()
  await fillOutbox(db)
  console.log(`  ${MESSAGES.toLocaleString('en-GB')} messages in the outbox (${((performance.now() - started) / 1000).toFixed(1)} s to write)`)
  const counts = await samplesOf(() => outboxCounts(db, NOT_TRIED, '2026-12-01T00:00:00.000Z'))
  recordSamples(`messages: outbox counts among ${MESSAGES.toLocaleString('en-GB')}`, counts, 16)
  for (const status of outboxFilters) {
    recordSamples(`messages: Outbox page (${status}) among ${MESSAGES.toLocaleString('en-GB')}`, await samplesOf(() => outboxPage(db, { status, pageSize: 50 })), 16)
  }
}
