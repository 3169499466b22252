/**
 * Messages: delivering the outbox to a local SMTP server (STARTTLS and AUTH,
 * as a real provider, in a process of its own), ≥ 100 messages a second, with memory flat while it
 * runs (RSS and heap sampled before, during and after) and the main thread
 * never held long (the event loop's longest delay).
 *
 * Part of tests/bench/messages.ts; run alone with `tsx tests/bench/messageDelivery.ts [--count N]`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { spawn } from 'node:child_process'
import { openDatabase, closeDatabase } from '../../db/connection'
import { copyFreshDataFile } from '../helpers/freshFile'
import { TEST_SMTP_CERT, TEST_SMTP_PASSWORD, TEST_SMTP_USER } from '../helpers/smtpServer'
import { BUILT_IN_ADMIN, type ServiceContext } from '../../main/services/context'
import { MemorySecretStore } from '../../main/secrets'
import { updateMailSettings } from '../../main/services/mail/update'
import { queueMessage } from '../../main/services/messages/queue'
import { OutboxSender } from '../../main/services/messages/sender'
import { printTable, record } from './measure'

/** The receiving server, in a process of its own (tests/bench/smtp-sink-child.ts). */
async function sinkServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const root = join(__dirname, '..', '..')
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'smtp-sink-child.ts')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /port (\d+)/.exec(out)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`The benchmark's mail server stopped (${code})`)))
  })
  return {
    port,
    close: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      // The whole process group: tsx runs the script in a child of its own.
      process.kill(-child.pid!, 'SIGTERM')
      await exited
    },
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`

/** A newsletter-sized message: a few kilobytes of text and HTML. */
function body(i: number): { text: string; html: string } {
  const paragraph = `Dear reader ${i}, this month at the studio we have new classes, longer opening hours and a few changes to the timetable. `
  return { text: paragraph.repeat(12), html: `<h1>News</h1>${`<p>${paragraph}</p>`.repeat(12)}` }
}

export async function benchDelivery(count = 2_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-delivery-'))
  const file = join(dir, 'frontdesk.sqlite3')
  await copyFreshDataFile(file)
  const db = openDatabase(file)
  const smtp = await sinkServer()
  const secrets = new MemorySecretStore()
  const ctx: ServiceContext = { db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
  const sender = new OutboxSender({ db, secrets, tlsCa: TEST_SMTP_CERT })
  try {
    await updateMailSettings(ctx, secrets, {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      user: TEST_SMTP_USER,
      password: TEST_SMTP_PASSWORD,
      fromName: 'Studio',
      fromAddress: 'desk@studio.example',
    })
    for (let start = 0; start < count; start += 500) {
      await db.transaction(async (trx) => {
        for (let i = start; i < Math.min(count, start + 500); i++) {
          const { text, html } = body(i)
          await queueMessage(trx, ctx, { kind: 'marketing', customerId: null, toAddress: `reader${i}@example.org`, toName: `Reader ${i}`, subject: `Studio news ${i}`, text, html })
        }
      })
    }
    global.gc?.()
    const before = process.memoryUsage()
    const lag = monitorEventLoopDelay({ resolution: 10 })
    let peakRss = before.rss
    let peakHeap = before.heapUsed
    const samples: string[] = []
    const sampler = setInterval(() => {
      const now = process.memoryUsage()
      peakRss = Math.max(peakRss, now.rss)
      peakHeap = Math.max(peakHeap, now.heapUsed)
      samples.push(`${mb(now.rss)}/${mb(now.heapUsed)}`)
    }, 500)
    lag.enable()
    const started = performance.now()
    await sender.start()
    // Delivered: the server took every message and the sender has recorded it.
    for (;;) {
      const sent = Number(((await db('messages').where('status', 'sent').count({ n: '*' }).first()) as { n: number }).n)
      if (sent === count) break
      if (performance.now() - started > 120_000) throw new Error(`Only ${sent} of ${count} messages were delivered in 2 minutes`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const seconds = (performance.now() - started) / 1000
    lag.disable()
    clearInterval(sampler)
    await sender.close()
    const left = (await db('messages').whereNot('status', 'sent').count({ n: '*' }).first()) as { n: number }
    if (Number(left.n) !== 0) throw new Error(`${left.n} messages were not marked sent`)
    global.gc?.()
    const after = process.memoryUsage()
    const rate = count / seconds
    const maxLagMs = lag.max / 1e6
    console.log(`  deliver ${count.toLocaleString('en-GB')} queued messages over STARTTLS + AUTH: ${seconds.toFixed(2)} s, ${rate.toFixed(0)} messages/s (target ≥ 100)`)
    console.log(`  memory (RSS / heap): before ${mb(before.rss)} / ${mb(before.heapUsed)}, peak during ${mb(peakRss)} / ${mb(peakHeap)}, after ${mb(after.rss)} / ${mb(after.heapUsed)}`)
    // At most 10 of the samples, spread over the whole delivery.
    const shown = samples.filter((_, i) => i % Math.max(1, Math.ceil(samples.length / 10)) === 0)
    console.log(`  during, every ${samples.length > 10 ? `${(Math.ceil(samples.length / 10) * 0.5).toFixed(1)} s` : '0.5 s'} (RSS/heap): ${shown.join(', ')}`)
    console.log(`  main thread: longest event-loop delay ${maxLagMs.toFixed(0)} ms (target < 100 ms)`)
    // As a time per 100 messages, so "under target" reads as in the other rows: ≥ 100 a second is < 1,000 ms.
    record(`messages: deliver ${count.toLocaleString('en-GB')} (ms per 100 messages)`, (100 / rate) * 1000, `${rate.toFixed(0)}/s, peak RSS ${mb(peakRss)}`, 1000)
    record('messages: delivery, longest main-thread delay (ms)', maxLagMs, `heap +${mb(Math.max(0, peakHeap - before.heapUsed))}`, 100)
  } finally {
    await sender.close()
    await smtp.close()
    await closeDatabase(db)
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1]?.endsWith('messageDelivery.ts')) {
  const args = process.argv.slice(2)
  const count = Number(args[args.indexOf('--count') + 1] ?? 0) || 2_000
  console.log('\nMessages: delivery')
  benchDelivery(count)
    .then(() => printTable())
    .catch((error: unknown) => {
      console.error(error)
      process.exitCode = 1
    })
}
