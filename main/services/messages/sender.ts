import type { Knex } from 'knex'
import type { SecretStore } from '../../secrets'
import { getMailSettings, isMailSetUp, type MailSettings } from '../mail/settings'
import { createMailTransport, describeMailError, failureKind, type MailTransport } from '../mail/transport'
import { NOT_TRIED, type DeliveryState } from './counts'
import { withoutAccountTokens } from '../siteAccounts/links'
import type { MessageRow } from './history'

/** How the outbox is delivered beyond the mail settings (tests shorten the waits and trust their own certificate). */
export interface OutboxOptions {
  /** An extra certificate authority to trust (PEM). */
  tlsCa?: string
  /** A message the server turned away for now: tried again after firstMs, doubling to maxMs, failed after `attempts` tries. */
  retry?: { firstMs: number; maxMs: number; attempts: number }
  /** The longest wait before trying an unreachable server again (default 60 s). */
  offlineMaxMs?: number
  /** Messages taken from the outbox at a time (default 20): few bodies in memory, short database writes. */
  batch?: number
}

const DEFAULT_RETRY = { firstMs: 60_000, maxMs: 2 * 3_600_000, attempts: 8 }
const OFFLINE_FIRST_MS = 2_000
const DEFAULT_OFFLINE_MAX_MS = 60_000
/** Even with nothing due, the outbox is looked at this often (a message queued by another desk on a shared file). */
const IDLE_LOOK_MS = 60_000

/** What sending a message reads of it. */
type OutboxRow = Pick<MessageRow, 'id' | 'message_id' | 'from_name' | 'from_address' | 'reply_to' | 'to_name' | 'to_address' | 'subject' | 'body_text' | 'body_html' | 'headers' | 'attempts'>

/**
 * A message written before email was set up has no sender yet: it goes from
 * the business as the settings now say (a Reply-To it already has is kept).
 */
function withSender(row: OutboxRow, settings: MailSettings): OutboxRow {
  if (row.from_address) return row
  return { ...row, from_name: settings.fromName, from_address: settings.fromAddress, reply_to: row.reply_to || settings.replyTo }
}

type Outcome = { kind: 'sent' } | { kind: 'connection' | 'retry' | 'permanent'; reason: string }

export interface OutboxSenderOptions extends OutboxOptions {
  db: Knex
  secrets?: SecretStore
  clock?: () => Date
  onUnexpectedError?: (where: string, error: unknown) => void
}

/** Up to a quarter either way, so desks that went offline together do not all come back in the same second (the cap still holds). */
function withJitter(ms: number): number {
  return Math.round(ms * (0.75 + Math.random() * 0.5))
}

/**
 * Delivers the outbox: claims due messages a few at a time (queued →
 * sending), hands each to the mail server over pooled connections with its
 * own Message-ID, and records the outcome in one small write per message.
 * A message the server turns away for now is tried again later, one it
 * refuses is failed with the server's words, and when the server cannot be
 * reached at all the messages wait untouched while the sender tries again
 * with growing pauses. A message caught mid-send by a crash is sent again
 * with the same Message-ID on the next start.
 */
export class OutboxSender {
  private readonly db: Knex
  private readonly secrets?: SecretStore
  private readonly clock: () => Date
  private readonly retry: { firstMs: number; maxMs: number; attempts: number }
  private readonly offlineMaxMs: number
  private readonly batch: number
  private readonly tlsCa?: string
  private readonly onUnexpectedError?: (where: string, error: unknown) => void
  private transport: { key: string; transport: MailTransport } | null = null
  private delivery: DeliveryState = NOT_TRIED
  private offlineTries = 0
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | null = null
  private again = false
  private closed = false
  private started: Promise<void> | null = null

  constructor(options: OutboxSenderOptions) {
    this.db = options.db
    this.secrets = options.secrets
    this.clock = options.clock ?? (() => new Date())
    this.retry = options.retry ?? DEFAULT_RETRY
    this.offlineMaxMs = options.offlineMaxMs ?? DEFAULT_OFFLINE_MAX_MS
    this.batch = options.batch ?? 20
    this.tlsCa = options.tlsCa
    this.onUnexpectedError = options.onUnexpectedError
  }

  /** Messages left mid-send by the last run go back to the queue (same Message-ID), then the outbox is sent. */
  start(): Promise<void> {
    this.started ??= (async () => {
      if (this.closed) return
      const now = this.clock().toISOString()
      // Looked for first: opening the file writes nothing when nothing was cut short.
      const cutShort = await this.db('messages').where('status', 'sending').first('id')
      // The try was cut short, not the message's fault: it does not count against it.
      if (cutShort)
        await this.db('messages')
          .where('status', 'sending')
          .update({ status: 'queued', attempts: this.db.raw('CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END'), updated_at: now })
      this.wake()
    })()
    return this.started
  }

  /** Tries the outbox now: something was queued, or the desk asked ("Send now"). */
  wake(): void {
    if (this.closed || !this.started) return
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.run().finally(() => {
      this.running = null
      if (this.again && !this.closed) {
        this.again = false
        this.wake()
      }
    })
  }

  /** The server or password changed: connections are made afresh, and an unreachable server is tried again at once. */
  settingsChanged(): void {
    this.dropTransport()
    this.offlineTries = 0
    this.delivery = NOT_TRIED
    this.wake()
  }

  /** Whether the last try reached the server, for the outbox's counts. */
  state(): DeliveryState {
    return this.delivery
  }

  /** Stops sending; a message on its way is cut off and goes again, with the same Message-ID, next time. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    this.dropTransport(true)
    await this.started?.catch(() => undefined)
    await this.running?.catch(() => undefined)
  }

  private dropTransport(force = false): void {
    const current = this.transport
    this.transport = null
    if (!current) return
    // The pool's close takes options (force: busy connections too) that its type does not declare.
    ;(current.transport.close as (options?: { force?: boolean }) => void)({ force })
  }

  private later(ms: number): void {
    if (this.closed) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.wake(), Math.max(0, ms))
    this.timer.unref?.()
  }

  private async run(): Promise<void> {
    try {
      await this.deliverDue()
    } catch (error) {
      if (this.closed) return
      this.onUnexpectedError?.('messages:send', error)
      this.later(this.offlineMaxMs)
    }
  }

  private async deliverDue(): Promise<void> {
    while (!this.closed) {
      const settings = await getMailSettings(this.db)
      if (!isMailSetUp(settings)) {
        // Nothing can go; changed settings wake the sender.
        this.delivery = NOT_TRIED
        return
      }
      let transport: MailTransport
      try {
        transport = await this.transportFor(settings)
      } catch (error) {
        this.wentOffline((error as Error).message)
        return
      }
      const rows = (await this.claim()).map((row) => withSender(row, settings))
      if (!rows.length) {
        // Nothing more to send: the connections are let go rather than held open on the provider.
        this.dropTransport()
        await this.planNext()
        return
      }
      const outcomes = await Promise.all(rows.map((row) => this.sendOne(transport, row, settings)))
      // Recorded even when closing (the database closes after the sender): cut-off messages go back to the queue.
      const offline = outcomes.find((outcome) => outcome.kind === 'connection')
      // One short transaction for the batch's outcomes: one commit, not one per message.
      await this.db.transaction(async (trx) => {
        for (const [i, row] of rows.entries()) await this.record(trx, row, outcomes[i]!)
      })
      if (offline && offline.kind !== 'sent') {
        this.dropTransport()
        this.wentOffline(offline.reason)
        return
      }
      this.offlineTries = 0
      this.delivery = NOT_TRIED
      // The desk's own work (a keystroke, a search) gets its turn between batches.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  private async transportFor(settings: MailSettings): Promise<MailTransport> {
    const password = settings.user && this.secrets ? await this.secrets.get('smtpPassword') : null
    const key = JSON.stringify([settings.host, settings.port, settings.security, settings.user, password])
    if (this.transport?.key === key) return this.transport.transport
    this.dropTransport()
    const transport = createMailTransport(settings, password, { tlsCa: this.tlsCa })
    this.transport = { key, transport }
    return transport
  }

  /** The next few due messages, marked as on their way in one short write. */
  private async claim(): Promise<OutboxRow[]> {
    const now = this.clock().toISOString()
    const ids = await this.db.transaction(async (trx) => {
      const due = (await trx('messages')
        .where('status', 'queued')
        .andWhere('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        // While the server cannot be reached, one message tries it: not a login attempt per message, which providers may take for an attack.
        .limit(this.delivery.offline ? 1 : this.batch)
        .pluck('id')) as number[]
      if (due.length)
        await trx('messages')
          .whereIn('id', due)
          .andWhere('status', 'queued')
          .update({ status: 'sending', attempts: trx.raw('attempts + 1'), updated_at: now })
      return due
    })
    if (!ids.length) return []
    return (await this.db('messages')
      .whereIn('id', ids)
      .andWhere('status', 'sending')
      .orderBy('id')
      .select(
        'id',
        'message_id',
        'from_name',
        'from_address',
        'reply_to',
        'to_name',
        'to_address',
        'subject',
        'body_text',
        'body_html',
        'headers',
        'attempts',
      )) as OutboxRow[]
  }

  private async sendOne(transport: MailTransport, row: OutboxRow, settings: MailSettings): Promise<Outcome> {
    try {
      const headers = JSON.parse(row.headers || '{}') as Record<string, string>
      await transport.sendMail({
        messageId: row.message_id,
        from: { name: row.from_name, address: row.from_address },
        ...(row.reply_to ? { replyTo: row.reply_to } : {}),
        to: { name: row.to_name, address: row.to_address },
        subject: row.subject,
        text: row.body_text,
        html: row.body_html,
        headers,
      })
      return { kind: 'sent' }
    } catch (error) {
      return { kind: failureKind(error), reason: describeMailError(error, settings) }
    }
  }

  /** One message's outcome: a one-row update. */
  private async record(trx: Knex, row: OutboxRow, outcome: Outcome): Promise<void> {
    const now = this.clock()
    const at = now.toISOString()
    const where = trx('messages').where({ id: row.id, status: 'sending' })
    // The sender as sent (filled in from the settings for a message written before email was set up).
    const who = { from_name: row.from_name, from_address: row.from_address, reply_to: row.reply_to }
    if (outcome.kind === 'sent') {
      // An account email's single-use link is of no more use in the copy kept here, and anyone reading it could use it.
      const text = withoutAccountTokens(row.body_text)
      const html = withoutAccountTokens(row.body_html)
      const forget = text === row.body_text && html === row.body_html ? {} : { body_text: text, body_html: html }
      await where.update({ ...who, status: 'sent', sent_at: at, last_error: '', updated_at: at, ...forget })
    } else if (outcome.kind === 'connection') {
      // The server was never reached: the try is not counted, and the message waits for the server.
      await where.update({ ...who, status: 'queued', attempts: row.attempts - 1, last_error: outcome.reason, updated_at: at })
    } else if (outcome.kind === 'permanent' || row.attempts >= this.retry.attempts) {
      await where.update({ ...who, status: 'failed', last_error: outcome.reason, updated_at: at })
    } else {
      const pause = Math.min(this.retry.maxMs, withJitter(this.retry.firstMs * 2 ** (row.attempts - 1)))
      await where.update({ ...who, status: 'queued', next_attempt_at: new Date(now.getTime() + pause).toISOString(), last_error: outcome.reason, updated_at: at })
    }
  }

  /** Wakes again when the next waiting message is due. */
  private async planNext(): Promise<void> {
    const next = (await this.db('messages').where('status', 'queued').min({ at: 'next_attempt_at' }).first()) as { at: string | null } | undefined
    const wait = next?.at ? Date.parse(next.at) - this.clock().getTime() : IDLE_LOOK_MS
    this.later(Math.min(Math.max(wait, 50), IDLE_LOOK_MS))
  }

  private wentOffline(reason: string): void {
    if (this.closed) return
    const pause = Math.min(this.offlineMaxMs, withJitter(OFFLINE_FIRST_MS * 2 ** this.offlineTries))
    this.offlineTries++
    this.delivery = { offline: true, nextTryAt: new Date(this.clock().getTime() + pause).toISOString(), offlineReason: reason }
    this.later(pause)
  }
}
