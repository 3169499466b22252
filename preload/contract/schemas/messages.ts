import { z } from 'zod'
import { byId, freeText, id, nameText, noInput } from './common'
import { bulkInput } from './organise'

/* ── Messages: the outbox every email waits in, its delivery and each customer's history ── */

export const messageKinds = ['general', 'marketing', 'confirmation', 'reminder', 'account', 'test'] as const
export type MessageKind = (typeof messageKinds)[number]

export const messageStatuses = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const
export type MessageStatus = (typeof messageStatuses)[number]

/** What the navigation badge and the Outbox page's header show. */
export interface OutboxCounts {
  queued: number
  sending: number
  failed: number
  sentToday: number
  /** The last try could not reach the mail server: messages wait for it. */
  offline: boolean
  /** When the sender tries the server again (ISO UTC), while offline. */
  nextTryAt: string | null
  /** The server's words for the last connection failure. */
  offlineReason: string
  /** Email is set up (a server and a sender address). */
  setUp: boolean
}

/** One message as a customer's history and the outbox list it. */
export interface MessageSummary {
  id: number
  kind: MessageKind
  subject: string
  toName: string
  toAddress: string
  status: MessageStatus
  attempts: number
  /** The server's words for the last failed try ('' when none). */
  lastError: string
  /** ISO UTC. */
  queuedAt: string
  sentAt: string | null
  /** When the sender tries it next (ISO UTC), while queued. */
  nextAttemptAt: string
  /** Who sent it by hand ('' for automatic emails). */
  staffName: string
}

/** A message whole, as it was written to the outbox. */
export interface MessageDetail extends MessageSummary {
  customerId: number | null
  messageId: string
  fromName: string
  fromAddress: string
  replyTo: string
  headers: Record<string, string>
  text: string
  html: string
}

/** An outbox row: the message and whose it is. */
export interface OutboxRow extends MessageSummary {
  customerId: number | null
  customerNumber: string | null
  customerName: string | null
}

export interface MessagePage<Row> {
  rows: Row[]
  /** The position of the next page, or null on the last. */
  nextCursor: string | null
}

/** A customer's messages, and why they cannot be written to now (null when they can), by kind. */
export interface CustomerMessages extends MessagePage<MessageSummary> {
  refusals: { general: string | null; marketing: string | null }
}

export const outboxFilters = ['queued', 'sending', 'failed', 'sent', 'cancelled', 'all'] as const
export type OutboxFilter = (typeof outboxFilters)[number]

const cursor = z.string().max(20).regex(/^\d*$/, { error: 'Invalid page cursor.' })
const pageSize = z.number().int().min(1).max(200).default(50)

export const sendMessageInput = z
  .strictObject({
    customerId: id,
    kind: z.enum(['general', 'marketing']).default('general'),
    templateId: id.optional(),
    subject: nameText(300).optional(),
    /** Markdown with merge fields, like a template's body. */
    body: freeText(20000).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.templateId !== undefined) return
    if (!value.subject) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'Write a subject.' })
    if (!value.body) ctx.addIssue({ code: 'custom', path: ['body'], message: 'Write the message.' })
  })
export type SendMessageInput = z.input<typeof sendMessageInput>

export const messageIdsInput = z.strictObject({ ids: z.array(id).min(1).max(500) })

/* ── Marketing to a list, and leaving it ── */

/** The ticked customers or every match of a filter (as the bulk actions take them), and the marketing template to send. */
export const marketingInput = z.strictObject({ selection: bulkInput.shape.selection, templateId: id })
export type MarketingInput = z.input<typeof marketingInput>

/** Why a selected customer is not sent a marketing email. */
export const leftOutReasons = ['noConsent', 'noEmail', 'unsubscribed', 'blocked', 'archived', 'deleted', 'erased'] as const
export type LeftOutReason = (typeof leftOutReasons)[number]

export interface LeftOutCounts {
  total: number
  noConsent: number
  noEmail: number
  /** Asked for no emails at all. */
  unsubscribed: number
  /** Blocked, archived, in the recycle bin or erased. */
  other: number
}

export interface LeftOutCustomer {
  id: number
  number: string
  name: string
  reason: LeftOutReason
  /** The reason in a sentence. */
  why: string
}

/** Who a marketing email would reach, and who is left out and why (the first 50 by name). */
export interface MarketingPreview {
  selected: number
  willSend: number
  leftOut: LeftOutCounts
  leftOutNames: LeftOutCustomer[]
  templateName: string
  subject: string
  /** Why it cannot be sent now (no booking site address for the unsubscribe link), or null. */
  problem: string | null
  /** Email is set up; if not, the messages wait in the outbox until it is. */
  setUp: boolean
}

/** A marketing email written to the outbox for everyone who may receive it. */
export interface MarketingResult {
  batchId: number
  selected: number
  queued: number
  leftOut: LeftOutCounts
  leftOutNames: LeftOutCustomer[]
}

/** A token from an unsubscribe link (the `t` of `…/unsubscribe?t=…`). */
export const unsubscribeInput = z.strictObject({ token: z.string().trim().min(1, { error: 'The link has no token.' }).max(300) })

/** What following an unsubscribe link did. */
export interface UnsubscribeResult {
  customerId: number
  /** Marketing consent was already off: nothing new was recorded. */
  alreadyUnsubscribed: boolean
  /** Marketing messages still waiting in the outbox for them, now not sent. */
  cancelledMessages: number
}

export const customerMessagesInput = z.strictObject({ customerId: id, after: cursor.optional(), pageSize })
export const outboxPageInput = z.strictObject({ status: z.enum(outboxFilters).default('all'), after: cursor.optional(), pageSize })

export const messagesInputs = {
  'messages:outboxCounts': noInput,
  /** Wakes the sender: the outbox is tried now, not at its next planned try. */
  'messages:sendNow': noInput,
  'messages:send': sendMessageInput,
  'messages:forCustomer': customerMessagesInput,
  'messages:get': byId,
  'messages:outbox': outboxPageInput,
  'messages:retry': messageIdsInput,
  'messages:cancel': messageIdsInput,
  'messages:marketingPreview': marketingInput,
  'messages:sendMarketing': marketingInput,
  'messages:unsubscribe': unsubscribeInput,
}

export interface MessagesOutputs {
  'messages:outboxCounts': OutboxCounts
  'messages:sendNow': OutboxCounts
  'messages:send': MessageSummary
  'messages:forCustomer': CustomerMessages
  'messages:get': MessageDetail
  'messages:outbox': MessagePage<OutboxRow>
  /** How many were put back in the queue. */
  'messages:retry': { retried: number }
  'messages:cancel': { cancelled: number }
  'messages:marketingPreview': MarketingPreview
  'messages:unsubscribe': UnsubscribeResult
}
