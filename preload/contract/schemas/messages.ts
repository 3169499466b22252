import { noInput } from './common'

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

export const messagesInputs = {
  'messages:outboxCounts': noInput,
}

export interface MessagesOutputs {
  'messages:outboxCounts': OutboxCounts
}
