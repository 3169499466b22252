import type { messagesInputs } from '../../../preload/contract/schemas/messages'
import * as messages from '../../services/messages'
import type { ServiceContext } from '../../services/context'
import type { MarketingPreview } from '../../../preload/contract'
import { readNow, startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/** The outbox and each customer's messages; delivery itself is the sender's, in main. */
export function messagesHandlers(options: HandlerOptions): DomainHandlers<typeof messagesInputs> {
  /** The desk's local day starts at its midnight; the sender says whether the server could be reached. */
  const counts = (ctx: ServiceContext) => {
    const now = ctx.clock()
    const dayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString()
    return messages.outboxCounts(ctx.db, options.outbox?.state() ?? messages.NOT_TRIED, dayStart)
  }
  return {
    'messages:outboxCounts': (ctx) => counts(ctx),
    'messages:sendNow': (ctx) => {
      options.outbox?.wake()
      return counts(ctx)
    },
    // Written to the outbox first; the sender is woken so it goes at once when the server answers.
    'messages:send': async (ctx, input) => {
      const sent = await messages.sendToCustomer(ctx, input)
      options.outbox?.wake()
      return sent
    },
    'messages:forCustomer': async (ctx, input) => ({
      ...(await messages.messagesForCustomer(ctx.db, input)),
      refusals: await messages.refusalsFor(ctx.db, input.customerId),
    }),
    'messages:get': (ctx, { id }) => messages.getMessage(ctx.db, id),
    'messages:outbox': (ctx, input) => messages.outboxPage(ctx.db, input),
    'messages:retry': async (ctx, { ids }) => {
      const retried = await messages.retryMessages(ctx, ids)
      options.outbox?.wake()
      return retried
    },
    'messages:cancel': (ctx, { ids }) => messages.cancelMessages(ctx, ids),
    // Going through a large selection is read in the read worker: the main process stays free.
    'messages:marketingPreview': async (ctx, input) =>
      (await readNow(options.reads, ctx, 'marketingPreview', input, 'Counting who will receive the email')) as MarketingPreview,
    'messages:sendMarketing': (ctx, input) =>
      options.jobs.start('marketingQueue', input, {
        ...startedBy(ctx),
        ...messages.describeMarketing(input),
        // Written to the outbox whole: the sender can start on them at once.
        onFinish: (status) => {
          if (status.state === 'done') options.outbox?.wake()
        },
      }),
    'messages:unsubscribe': (ctx, { token }) => messages.unsubscribeByToken(ctx, token),
  }
}
