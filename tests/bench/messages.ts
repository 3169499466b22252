/**
 * Messages: the figures the outbox is held to.
 *
 * Marketing: 10,000 marketing emails written to the outbox (each composed
 * for its customer, with its unsubscribe link and headers) in one batch
 * transaction, < 5 s, with the peak memory. The reminder sweep's look for
 * bookings due a reminder among 100,000 bookings, < 100 ms. The outbox's
 * counts and each status filter's page among 1,000,000 messages, < 16 ms.
 *
 * Run alone with `tsx tests/bench/messages.ts`, or from `npm run bench`
 * (--messages-only, --skip-messages).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { openDatabase, closeDatabase } from '../../db/connection'
import { copyFreshDataFile } from '../helpers/freshFile'
import { peakMemoryMb } from '../helpers/peakMemory'
import { seedDemoCustomers } from '../../main/demo/generate'
import { BUILT_IN_ADMIN, type ServiceContext } from '../../main/services/context'
import { queueMarketing } from '../../main/services/messages/marketing'
import { sweepReminders } from '../../main/services/messages/reminders'
import { printTable, record, time } from './measure'
import { benchDelivery } from './messageDelivery'
import { benchOutboxAtScale } from './outboxScale'

const MARKETING = 10_000
const BOOKINGS = 100_000

async function setUpMail(db: Knex): Promise<void> {
  const mail = { host: '127.0.0.1', port: 9, fromName: 'Studio', fromAddress: 'desk@studio.example', siteAddress: 'https://book.studio.example', reminderHours: 24 }
  await db('settings').insert({ key: 'mail', value: JSON.stringify(mail) }).onConflict('key').merge()
}

/** 10,000 marketing emails in one batch, as the marketingQueue job writes them. */
async function benchMarketingQueue(db: Knex): Promise<void> {
  await seedDemoCustomers(db, { count: MARKETING + 2_000, seed: 42, bookings: false })
  // 10,000 of them agreed and can be written to; the other 2,000 are left out (no consent).
  await db('customers').update({ status: 'active', unsubscribed: false, marketing_consent: false, email: db.raw("'reader' || id || '@example.org'") })
  const ids = ((await db('customers').orderBy('id').select('id')) as Array<{ id: number }>).map((r) => r.id)
  await db('customers').whereIn('id', ids.slice(0, MARKETING)).update({ marketing_consent: true })
  const template = (await db('email_templates').where({ purpose: 'marketing' }).first('id')) as { id: number }
  const ctx: ServiceContext = { db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
  const rssBefore = process.memoryUsage().rss / 2 ** 20
  const started = performance.now()
  const result = await queueMarketing(ctx, { selection: { kind: 'ids', ids }, templateId: template.id })
  const seconds = (performance.now() - started) / 1000
  if (result.queued !== MARKETING) throw new Error(`Queued ${result.queued}, expected ${MARKETING}`)
  const peak = peakMemoryMb()
  console.log(`  queue ${MARKETING.toLocaleString('en-GB')} marketing messages: ${seconds.toFixed(2)} s (target < 5 s), peak memory ${peak.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before it; the process peak includes making the sample customers)`)
  record(`messages: queue ${MARKETING.toLocaleString('en-GB')} marketing messages (ms)`, seconds * 1000, `peak ${peak.toFixed(0)} MB`, 5000)
}

/** 100,000 bookings over the next 100 days; the sweep looks for those starting within 24 hours. */
async function benchReminderSweep(db: Knex): Promise<void> {
  const customers = ((await db('customers').orderBy('id').limit(5_000).select('id')) as Array<{ id: number }>).map((r) => r.id)
  const now = new Date()
  const rows = Array.from({ length: BOOKINGS }, (_, i) => {
    // Spread evenly over the next 100 days: about 1,000 start within the next 24 hours.
    const startsAt = new Date(now.getTime() + 60_000 + Math.floor((i / BOOKINGS) * 100 * 86_400_000)).toISOString()
    return {
      customer_id: customers[i % customers.length],
      reference: `B-BENCH-${i}`,
      status: i % 7 === 0 ? 'cancelled' : 'confirmed',
      source: 'phone',
      currency: 'GBP',
      starts_at: startsAt,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    }
  })
  for (let i = 0; i < rows.length; i += 500) await db('bookings').insert(rows.slice(i, i + 500))
  await db.raw('ANALYZE')
  const ctx: ServiceContext = { db, staff: BUILT_IN_ADMIN, clock: () => now }
  // A full sweep (the 200 it writes at most), then the rest caught up: afterwards each minute's sweep is the look alone.
  const [writeMs, first] = await time(() => sweepReminders(ctx, now))
  console.log(`  a full sweep wrote ${first.queued} reminders in ${writeMs.toFixed(0)} ms (${(writeMs / Math.max(1, first.queued)).toFixed(2)} ms each, one row at a time)`)
  record('messages: a full reminder sweep (200 written)', writeMs, `${first.queued} written`)
  let caughtUp = first.queued
  for (let more = first; more.due > 0 && more.queued > 0; ) {
    more = await sweepReminders(ctx, now)
    caughtUp += more.queued
  }
  const samples: number[] = []
  for (let i = 0; i < 20; i++) samples.push((await time(() => sweepReminders(ctx, now)))[0])
  samples.sort((a, b) => a - b)
  const p95 = samples[Math.floor(samples.length * 0.95)] ?? samples[samples.length - 1]!
  console.log(`  reminder sweep among ${BOOKINGS.toLocaleString('en-GB')} bookings (${caughtUp} reminders written first): p95 ${p95.toFixed(1)} ms (target < 100 ms)`)
  record(`messages: reminder sweep among ${BOOKINGS.toLocaleString('en-GB')} bookings`, p95, 'p95', 100)
}

export async function benchMessages(): Promise<void> {
  console.log('\nMessages')
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-messages-'))
  const file = join(dir, 'frontdesk.sqlite3')
  await copyFreshDataFile(file)
  const db = openDatabase(file)
  try {
    await setUpMail(db)
    await benchMarketingQueue(db)
    await benchReminderSweep(db)
    await benchOutboxAtScale(db)
  } finally {
    await closeDatabase(db)
    rmSync(dir, { recursive: true, force: true })
  }
  // Delivery to a local SMTP server (messages a second, memory, main-thread delays), on a file of its own.
  await benchDelivery()
}

if (process.argv[1]?.endsWith('messages.ts')) {
  benchMessages()
    .then(() => printTable())
    .catch((error: unknown) => {
      console.error(error)
      process.exitCode = 1
    })
}
