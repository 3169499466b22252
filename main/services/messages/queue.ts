import { randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import type { MessageKind } from '../../../preload/contract'
import type { ServiceContext } from '../context'
import { getMailSettings, type MailSettings } from '../mail/settings'

/** A message ready to be written to the outbox: rendered, addressed to one person. */
export interface MessageDraft {
  kind: MessageKind
  customerId: number | null
  toAddress: string
  toName: string
  subject: string
  text: string
  html: string
  templateId?: number | null
  bookingId?: number | null
  batchId?: number | null
  /** Extra headers (List-Unsubscribe…). */
  headers?: Record<string, string>
}

/** Who a message is from, and where replies go: the business, or the staff member sending it as the settings say. */
export interface Sender {
  fromName: string
  fromAddress: string
  replyTo: string
}

/** The From and Reply-To of what `staffEmail` sends ('' for automatic messages and staff without an address). */
export function senderFor(settings: MailSettings, staffName: string, staffEmail: string): Sender {
  const business = { fromName: settings.fromName, fromAddress: settings.fromAddress, replyTo: settings.replyTo }
  if (!staffEmail || settings.staffAddress === 'none') return business
  if (settings.staffAddress === 'from') return { fromName: staffName, fromAddress: staffEmail, replyTo: staffEmail }
  return { ...business, replyTo: staffEmail }
}

/** An RFC 5322 Message-ID, fixed when queued so a message sent again after a crash is recognisably the same. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1] || 'frontdesk.invalid'
  return `<${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${domain}>`
}

export interface QueueOptions {
  /** Sent by hand: the staff member's own address may be the From/Reply-To. Automatic messages come from the business. */
  byStaff?: boolean
  /** Resolved once by callers queueing many messages. */
  settings?: MailSettings
  sender?: Sender
}

/**
 * Writes one message to the outbox, inside the caller's transaction: the
 * sender delivers it from there, so nothing written here is lost when the
 * line is down or the app closes. Every message the desk sends starts here.
 */
export async function queueMessage(trx: Knex, ctx: ServiceContext, draft: MessageDraft, options: QueueOptions = {}): Promise<number> {
  const sender = options.sender ?? (await resolveSender(trx, ctx, options))
  const [row] = (await trx('messages').insert(outboxRow(ctx, draft, sender, ctx.clock().toISOString())).returning('id')) as Array<{ id: number }>
  return row!.id
}

/** Rows written per statement by `queueMessages`: well within SQLite's limit on a statement's values. */
const ROWS_PER_INSERT = 100

/**
 * Many messages at once, from one sender (a marketing batch): the same rows
 * `queueMessage` writes, a hundred to a statement, inside the caller's
 * transaction. Answers how many were written.
 */
export async function queueMessages(trx: Knex, ctx: ServiceContext, drafts: readonly MessageDraft[], sender: Sender): Promise<number> {
  const now = ctx.clock().toISOString()
  for (let i = 0; i < drafts.length; i += ROWS_PER_INSERT) {
    await trx('messages').insert(drafts.slice(i, i + ROWS_PER_INSERT).map((draft) => outboxRow(ctx, draft, sender, now)))
  }
  return drafts.length
}

/** The outbox row of one message: status queued, due at once, its Message-ID fixed now. */
function outboxRow(ctx: ServiceContext, draft: MessageDraft, sender: Sender, now: string) {
  return {
    customer_id: draft.customerId,
    kind: draft.kind,
    template_id: draft.templateId ?? null,
    booking_id: draft.bookingId ?? null,
    batch_id: draft.batchId ?? null,
    message_id: newMessageId(sender.fromAddress),
    from_name: sender.fromName,
    from_address: sender.fromAddress,
    reply_to: sender.replyTo,
    to_name: draft.toName,
    to_address: draft.toAddress,
    subject: draft.subject,
    body_text: draft.text,
    body_html: draft.html,
    headers: JSON.stringify(draft.headers ?? {}),
    status: 'queued',
    attempts: 0,
    next_attempt_at: now,
    last_error: '',
    queued_at: now,
    updated_at: now,
    staff_id: ctx.staff.id > 0 ? ctx.staff.id : null,
    staff_name: ctx.staff.name,
  }
}

export async function resolveSender(db: Knex, ctx: ServiceContext, options: QueueOptions = {}): Promise<Sender> {
  const settings = options.settings ?? (await getMailSettings(db))
  if (!options.byStaff) return senderFor(settings, '', '')
  const staff = (await db('staff').where({ id: ctx.staff.id }).first('email')) as { email: string } | undefined
  return senderFor(settings, ctx.staff.name, staff?.email ?? '')
}
