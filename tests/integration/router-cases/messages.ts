import type { RouterCase } from './types'

/** The outbox, sending and each customer's messages. */
export const messagesCases: Record<string, RouterCase> = {
  'messages:outboxCounts': { valid: undefined, invalid: [{ status: 'queued' }] },
}
