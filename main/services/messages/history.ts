import type { Knex } from 'knex'
import type { MessageDetail, MessagePage, MessageSummary, OutboxFilter, OutboxRow } from '../../../preload/contract'
import { NotFound } from '../errors'
import { formatCustomerNumber } from '../customers/normalize'
import { withoutAccountTokens } from '../siteAccounts/links'

/** A messages row as stored. */
export interface MessageRow {
  id: number
  customer_id: number | null
  kind: MessageSummary['kind']
  template_id: number | null
  booking_id: number | null
  message_id: string
  from_name: string
  from_address: string
  reply_to: string
  to_name: string
  to_address: string
  subject: string
  body_text: string
  body_html: string
  headers: string
  status: MessageSummary['status']
  attempts: number
  next_attempt_at: string
  last_error: string
  queued_at: string
  sent_at: string | null
  staff_name: string
}

/** What a list shows of a message: never its body. */
const SUMMARY_COLUMNS = [
  'id',
  'customer_id',
  'kind',
  'subject',
  'to_name',
  'to_address',
  'status',
  'attempts',
  'last_error',
  'queued_at',
  'sent_at',
  'next_attempt_at',
  'staff_name',
] as const

export function summaryOf(row: Pick<MessageRow, (typeof SUMMARY_COLUMNS)[number]>): MessageSummary {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    toName: row.to_name,
    toAddress: row.to_address,
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    queuedAt: row.queued_at,
    sentAt: row.sent_at,
    nextAttemptAt: row.next_attempt_at,
    staffName: row.staff_name,
  }
}

/** Newest first, a page at a time: the cursor is the last id shown. */
async function pageOf<Row extends { id: number }>(query: Knex.QueryBuilder, after: string | undefined, pageSize: number): Promise<{ rows: Row[]; nextCursor: string | null }> {
  if (after) query.where('m.id', '<', Number(after))
  const rows = (await query.orderBy('m.id', 'desc').limit(pageSize + 1)) as Row[]
  const more = rows.length > pageSize
  const shown = more ? rows.slice(0, pageSize) : rows
  return { rows: shown, nextCursor: more ? String(shown[shown.length - 1]!.id) : null }
}

/** Everything written to one customer, newest first. */
export async function messagesForCustomer(db: Knex, input: { customerId: number; after?: string; pageSize: number }): Promise<MessagePage<MessageSummary>> {
  const query = db('messages as m')
    .where('m.customer_id', input.customerId)
    .select(SUMMARY_COLUMNS.map((c) => `m.${c}`))
  const page = await pageOf<MessageRow>(query, input.after, input.pageSize)
  return { rows: page.rows.map(summaryOf), nextCursor: page.nextCursor }
}

/** One message as it was written: addresses, headers and both parts. */
export async function getMessage(db: Knex, id: number): Promise<MessageDetail> {
  const row = (await db('messages').where({ id }).first()) as MessageRow | undefined
  if (!row) throw new NotFound('This message no longer exists.')
  let headers: Record<string, string>
  try {
    headers = JSON.parse(row.headers) as Record<string, string>
  } catch {
    headers = {}
  }
  return {
    ...summaryOf(row),
    customerId: row.customer_id,
    messageId: row.message_id,
    fromName: row.from_name,
    fromAddress: row.from_address,
    replyTo: row.reply_to,
    headers,
    // An account email waiting to go still holds its single-use link: the desk reads it without the token.
    text: withoutAccountTokens(row.body_text),
    html: withoutAccountTokens(row.body_html),
  }
}

/** The outbox: every message, or those of one status, newest first, with whose it is. */
export async function outboxPage(db: Knex, input: { status: OutboxFilter; after?: string; pageSize: number }): Promise<MessagePage<OutboxRow>> {
  const query = db('messages as m')
    .leftJoin('customers as c', 'c.id', 'm.customer_id')
    .select([...SUMMARY_COLUMNS.map((c) => `m.${c}`), 'c.display_name as customer_name'])
  if (input.status !== 'all') query.where('m.status', input.status)
  const page = await pageOf<MessageRow & { customer_name: string | null }>(query, input.after, input.pageSize)
  return {
    rows: page.rows.map((row) => ({
      ...summaryOf(row),
      customerId: row.customer_id,
      customerNumber: row.customer_id ? formatCustomerNumber(row.customer_id) : null,
      customerName: row.customer_name,
    })),
    nextCursor: page.nextCursor,
  }
}
