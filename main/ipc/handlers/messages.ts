import type { messagesInputs } from '../../../preload/contract/schemas/messages'
import * as messages from '../../services/messages'
import type { DomainHandlers, HandlerOptions } from './domain'

/** The outbox and each customer's messages; delivery itself is the sender's, in main. */
export function messagesHandlers(_options: HandlerOptions): DomainHandlers<typeof messagesInputs> {
  return {
    'messages:outboxCounts': (ctx) => {
      const now = ctx.clock()
      const dayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString()
      return messages.outboxCounts(ctx.db, messages.NOT_TRIED, dayStart)
    },
  }
}
