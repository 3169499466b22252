import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { startSmtpServer, TEST_SMTP_PASSWORD, TEST_SMTP_USER, type TestSmtpServer } from '../helpers/smtpServer'
import { updateMailSettings } from '../../main/services/mail/update'
import { DataFileProblem } from '../../db/dataFile'
import { MemorySecretStore } from '../../main/secrets'
import { createCatalogue } from '../helpers/catalogue'
import { eventually, FAST_MAIL, messageRow, queueTestMessages, useTestServer } from '../helpers/outbox'

/** The outbox's sender against a real SMTP server on 127.0.0.1: delivery, refusals, an unreachable server, a restart. */
describe('outbox sender', () => {
  const open: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined)
  })
  const server = async (options: Parameters<typeof startSmtpServer>[0] = {}): Promise<TestSmtpServer> => {
    const s = await startSmtpServer(options)
    open.push(s)
    return s
  }
  const core = async (secrets = new MemorySecretStore(), dataFile?: string, mail = FAST_MAIL): Promise<TestCore> => {
    const c = await openTestCore({ mail, secrets, ...(dataFile ? { dataFile } : {}) })
    open.push({ close: () => c.cleanup() })
    return c
  }

  it('delivers over STARTTLS with AUTH: both parts, the headers and the stored Message-ID', async () => {
    const smtp = await server()
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, smtp.port)
    const [id] = await queueTestMessages(app, 1, {
      toName: 'Zoë Brontë',
      toAddress: 'zoe@example.com',
      subject: 'Your booking, Zoë',
      text: 'See you on Monday.',
      html: '<p>See you on <b>Monday</b>.</p>',
      headers: { 'List-Unsubscribe': '<https://book.example.com/unsubscribe?t=abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    })
    const [message] = await smtp.waitFor(1)
    const row = await eventually(async () => {
      const r = await messageRow(app.db, id!)
      return r.status === 'sent' ? r : null
    })
    expect(message!.to).toEqual(['zoe@example.com'])
    expect(message!.from).toBe('desk@studio.example')
    const parsed = message!.parsed
    expect(parsed.messageId).toBe(row.message_id)
    expect(parsed.subject).toBe('Your booking, Zoë')
    expect(parsed.text?.trim()).toBe('See you on Monday.')
    expect(parsed.html).toContain('<b>Monday</b>')
    expect(parsed.from?.value[0]).toEqual({ name: 'Studio Desk', address: 'desk@studio.example' })
    expect(parsed.replyTo?.value[0]?.address).toBe('hello@studio.example')
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0] : null).toEqual({ name: 'Zoë Brontë', address: 'zoe@example.com' })
    expect(message!.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    expect(message!.raw).toContain('List-Unsubscribe: <https://book.example.com/unsubscribe?t=abc>')
    expect(row.attempts).toBe(1)
    const counts = await app.invoke('messages:outboxCounts', undefined)
    expect(counts).toMatchObject({ queued: 0, sending: 0, sentToday: 1, offline: false, setUp: true })
  })

  it('delivers over implicit TLS', async () => {
    const smtp = await server({ secure: true })
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, smtp.port, { security: 'tls' })
    await queueTestMessages(app, 3)
    const received = await smtp.waitFor(3)
    expect(received.map((m) => m.parsed.subject).sort()).toEqual(['Hello 0', 'Hello 1', 'Hello 2'])
  })

  it('says in words that the password was refused, and keeps the messages queued', async () => {
    const smtp = await server()
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, smtp.port, { password: 'wrong' })
    const [id] = await queueTestMessages(app, 1)
    const counts = await eventually(async () => {
      const c = await app.invoke('messages:outboxCounts', undefined)
      return c.offline ? c : null
    })
    expect(counts.offlineReason).toMatch(/refused the user name or password/)
    expect(counts.nextTryAt).not.toBeNull()
    // Several rounds of trying (at most 300 ms apart) use none of the message's tries up: it is never failed.
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    const row = await messageRow(app.db, id!)
    expect(['queued', 'sending']).toContain(row.status)
    expect(row.attempts).toBeLessThanOrEqual(1)
    // The right password: the waiting message goes at once.
    await useTestServer(app, secrets, smtp.port)
    await smtp.waitFor(1)
    await eventually(async () => (await messageRow(app.db, id!)).status === 'sent', 5_000, 'sent')
    expect((await app.invoke('messages:outboxCounts', undefined)).offline).toBe(false)
  })

  it('keeps messages queued while the server is down and delivers them when it is back on the same port', async () => {
    const first = await startSmtpServer()
    const port = first.port
    await first.close()
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, port)
    const ids = await queueTestMessages(app, 5)
    // Offline, between tries: while offline the sender tries the server again with one message, which is
    // "sending" meanwhile (a slow machine can first look during such a try, or read the counts just before
    // one and the messages during it): the counts and the messages are read again until both are between tries.
    const { counts, rows } = await eventually(async () => {
      const c = await app.invoke('messages:outboxCounts', undefined)
      if (!c.offline || c.sending !== 0) return null
      const messages = await Promise.all(ids.map((id) => messageRow(app.db, id)))
      return messages.every((row) => row.status !== 'sending') ? { counts: c, rows: messages } : null
    })
    expect(counts.queued).toBe(5)
    expect(counts.offlineReason).toMatch(/refused the connection/)
    for (const row of rows) expect(row).toMatchObject({ status: 'queued', attempts: 0 })
    const smtp = await server({ port })
    await smtp.waitFor(5)
    // The server took them; the outbox says so once each is recorded.
    const after = await eventually(async () => {
      const c = await app.invoke('messages:outboxCounts', undefined)
      return c.sentToday === 5 ? c : null
    }, 15_000, 'all recorded as sent')
    expect(after).toMatchObject({ queued: 0, sending: 0, offline: false })
  })

  it('tries a message the server turns away for now (450) again, and delivers it', async () => {
    const smtp = await server()
    smtp.rejectNext(450, 'Mailbox busy, try later', 2)
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, smtp.port)
    const [id] = await queueTestMessages(app, 1)
    await smtp.waitFor(1)
    const row = await eventually(async () => {
      const r = await messageRow(app.db, id!)
      return r.status === 'sent' ? r : null
    })
    expect(row.attempts).toBe(3)
  })

  it('fails a message the server refuses (550) at once, with the server’s words', async () => {
    const smtp = await server()
    smtp.rejectNext(550, 'No such user here')
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, smtp.port)
    const [id] = await queueTestMessages(app, 1)
    const row = await eventually(async () => {
      const r = await messageRow(app.db, id!)
      return r.status === 'failed' ? r : null
    })
    expect(row.attempts).toBe(1)
    expect(row.last_error).toMatch(/No such user here/)
    expect((await app.invoke('messages:outboxCounts', undefined)).failed).toBe(1)
  })

  it('fails a message after its last try with the server’s words', async () => {
    const smtp = await server()
    smtp.rejectNext(451, 'Temporary local problem', 3)
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, smtp.port)
    const [id] = await queueTestMessages(app, 1)
    const row = await eventually(async () => {
      const r = await messageRow(app.db, id!)
      return r.status === 'failed' ? r : null
    })
    expect(row.attempts).toBe(3)
    expect(row.last_error).toMatch(/Temporary local problem/)
  })

  it('sends a message left mid-send by the last run again, with the same Message-ID', async () => {
    const secrets = new MemorySecretStore()
    const first = await openTestCore({ mail: FAST_MAIL, secrets })
    const dataFile = first.dataFile
    await useTestServer(first, secrets, 1)
    const [id] = await queueTestMessages(first, 1)
    // What a crash mid-send leaves behind.
    await first.db('messages').where({ id }).update({ status: 'sending', attempts: 1 })
    const messageId = (await messageRow(first.db, id!)).message_id
    await first.close()
    const smtp = await server()
    const app = await core(secrets, dataFile)
    await useTestServer(app, secrets, smtp.port)
    const [message] = await smtp.waitFor(1)
    expect(message!.parsed.messageId).toBe(messageId)
    await eventually(async () => (await messageRow(app.db, id!)).status === 'sent', 5_000, 'sent')
  })

  it('sends a new booking’s confirmation at once, without waiting for the sender’s next look', async () => {
    const smtp = await server()
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    await useTestServer(app, secrets, smtp.port)
    const cat = await createCatalogue(app)
    const customer = await app.invoke('customers:create', { firstName: 'Nell', lastName: 'Gwyn', email: 'nell@example.com' })
    // Nothing is due: the sender now looks again only in a minute, unless woken.
    await eventually(async () => !(await app.invoke('messages:outboxCounts', undefined)).queued || null, 5_000, 'an empty outbox')
    await app.invoke('bookings:create', { customer: { kind: 'existing', id: customer.id }, lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }] })
    const [message] = await smtp.waitFor(1, 10_000)
    expect(message!.to).toEqual(['nell@example.com'])
  })

  it('tries an unreachable server again at once on “Try now”, before its planned time', async () => {
    const first = await startSmtpServer()
    const port = first.port
    await first.close()
    const secrets = new MemorySecretStore()
    const app = await core(secrets, undefined, { ...FAST_MAIL, offlineMaxMs: 60_000 })
    await useTestServer(app, secrets, port)
    const [id] = await queueTestMessages(app, 1)
    // Waits grow after each failed try: wait for one planned well ahead.
    const counts = await eventually(
      async () => {
        const c = await app.invoke('messages:outboxCounts', undefined)
        return c.offline && c.nextTryAt && Date.parse(c.nextTryAt) - Date.now() > 2_500 ? c : null
      },
      30_000,
      'a try planned seconds ahead',
    )
    const smtp = await server({ port })
    await app.invoke('messages:sendNow', undefined)
    await smtp.waitFor(1, 5_000)
    expect(Date.now()).toBeLessThan(Date.parse(counts.nextTryAt!))
    await eventually(async () => (await messageRow(app.db, id!)).status === 'sent', 5_000, 'sent')
  })

  it('does nothing while email is not set up, and says so', async () => {
    const app = await core()
    await queueTestMessages(app, 2)
    await app.invoke('messages:sendNow', undefined)
    const counts = await app.invoke('messages:outboxCounts', undefined)
    expect(counts).toMatchObject({ queued: 2, sending: 0, offline: false, setUp: false })
  })

  it('counts the outbox in one look, so its numbers agree with one another while the sender works', async () => {
    const app = await core()
    await queueTestMessages(app, 3)
    // Read in two statements, a count taken as the sender recorded messages sent said "4 on their way, 5 sent today" of five.
    const reads: string[] = []
    const watch = (query: { sql: string }) => {
      if (/\bmessages\b/.test(query.sql)) reads.push(query.sql)
    }
    app.db.on('query', watch)
    let counts
    try {
      counts = await app.invoke('messages:outboxCounts', undefined)
    } finally {
      app.db.off('query', watch)
    }
    expect(reads).toHaveLength(1)
    expect(counts).toMatchObject({ queued: 3, sending: 0, failed: 0, sentToday: 0 })
  })
})

describe('the desk killed while a message is on its way', () => {
  it('sends it again on the next start, with the same Message-ID', async () => {
    const root = join(__dirname, '..', '..')
    const tsx = join(root, 'node_modules', '.bin', 'tsx')
    const smtp = await startSmtpServer({ delayDataMs: 3_000 })
    const secrets = new MemorySecretStore()
    const first = await openTestCore({ mail: FAST_MAIL, secrets })
    const dataFile = first.dataFile
    let restarted: TestCore | undefined
    try {
      // Queued before email is set up (nothing goes), then the settings are written without waking this desk's sender.
      const [id] = await queueTestMessages(first, 1)
      await updateMailSettings(first.context(), secrets, { host: '127.0.0.1', port: smtp.port, security: 'starttls', user: TEST_SMTP_USER, password: TEST_SMTP_PASSWORD, fromAddress: 'desk@studio.example' })
      const messageId = (await messageRow(first.db, id!)).message_id
      await first.close()

      const child = spawn(tsx, [join(root, 'tests', 'helpers', 'outbox-child.ts'), dataFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      let errors = ''
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
      await eventually(async () => smtp.dataStarted > 0 || child.exitCode !== null, 30_000, 'the message to start arriving')
      expect(child.exitCode, errors).toBeNull()
      // The whole process group: tsx runs the script in a child of its own.
      process.kill(-child.pid!, 'SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))

      // The killed process's last file handles are let go a moment after its parent is seen to exit.
      restarted = await eventually(
        () => openTestCore({ mail: FAST_MAIL, secrets, dataFile }).catch((error: unknown) => {
          if (error instanceof DataFileProblem && error.reason === 'in-use') return null
          throw error
        }),
        10_000,
        'the killed desk to let go of the file',
      )
      const row = await messageRow(restarted.db, id!)
      expect(['queued', 'sending']).toContain(row.status)
      await eventually(async () => (await messageRow(restarted!.db, id!)).status === 'sent', 60_000, 'sent after the restart')
      // A copy the server finished after the kill may arrive too: always with the same Message-ID.
      expect(smtp.received.length).toBeGreaterThanOrEqual(1)
      for (const message of smtp.received) expect(message.parsed.messageId).toBe(messageId)
    } finally {
      await restarted?.close()
      await smtp.close()
      rmSync(dirname(dataFile), { recursive: true, force: true })
    }
  }, 120_000)
})
