import type { organiseInputs } from '../../../preload/contract/schemas/organise'
import * as organise from '../../services/organise'
import type { JobStatus } from '../../../preload/contract'
import type { ServiceContext } from '../../services/context'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/**
 * Starts removing for good the customers past their time in the recycle bin,
 * in the worker: nobody waits for it (the bin's list, the app opening).
 * Answers with the job (the one already under way, if any), or null when
 * nobody is due.
 */
export async function startExpiredPurge(
  jobs: HandlerOptions['jobs'],
  ctx: ServiceContext,
  onFinish?: (status: JobStatus) => void,
): Promise<JobStatus | null> {
  if (!(await organise.hasExpiredCustomers(ctx))) return null
  const under = jobs.list().find((job) => job.kind === 'recyclePurgeExpired' && (job.state === 'queued' || job.state === 'running'))
  if (under) return under
  return jobs.start(
    'recyclePurgeExpired',
    {},
    { ...startedBy(ctx), label: 'Emptying the recycle bin of customers past their time', cancellable: false, note: 'Changes are saved once it is done.', onFinish },
  )
}

export function organiseHandlers({ jobs }: HandlerOptions): DomainHandlers<typeof organiseInputs> {
  return {
    'tags:list': (ctx) => organise.listTags(ctx),
    'groups:list': (ctx) => organise.listGroups(ctx),
    'customers:summary': (ctx, { id }) => organise.customerSummary(ctx, id),
    'notes:list': (ctx, { customerId }) => organise.listNotes(ctx, customerId),
    'notes:add': (ctx, input) => organise.addNote(ctx, input),
    'notes:update': (ctx, input) => organise.updateNote(ctx, input),
    'notes:delete': (ctx, { id }) => organise.deleteNote(ctx, id),
    'notes:reorder': (ctx, { customerId, orderedIds }) => organise.reorderNotes(ctx, customerId, orderedIds),
    'notes:reminders': (ctx, { dueOn }) => organise.dueReminders(ctx, dueOn),
    'tags:suggest': (ctx, { query, limit }) => organise.suggestTags(ctx, query, limit),
    'tags:usage': (ctx) => organise.tagUsage(ctx),
    'tags:create': (ctx, input) => organise.createTag(ctx, input),
    'tags:update': (ctx, input) => organise.updateTag(ctx, input),
    'tags:merge': async (ctx, input) =>
      jobs.start('tagMerge', input, { ...startedBy(ctx), label: await organise.describeTagMerge(ctx, input.sourceId, input.targetId) }),
    'tags:delete': async (ctx, { id }) => jobs.start('tagDelete', { id }, { ...startedBy(ctx), label: await organise.describeTagDelete(ctx, id) }),
    'customers:addTag': (ctx, { customerId, name }) => organise.addCustomerTag(ctx, customerId, name),
    'customers:removeTag': (ctx, { customerId, tagId }) => organise.removeCustomerTag(ctx, customerId, tagId),
    'groups:usage': (ctx) => organise.groupUsage(ctx),
    'groups:create': (ctx, input) => organise.createGroup(ctx, input),
    'groups:update': (ctx, input) => organise.updateGroup(ctx, input),
    'groups:delete': async (ctx, { id }) => jobs.start('groupDelete', { id }, { ...startedBy(ctx), label: await organise.describeGroupDelete(ctx, id) }),
    'customers:addToGroup': (ctx, { customerId, groupId }) => organise.addCustomerToGroup(ctx, customerId, groupId),
    'customers:removeFromGroup': (ctx, { customerId, groupId }) => organise.removeCustomerFromGroup(ctx, customerId, groupId),
    'savedFilters:list': (ctx) => organise.listSavedFilters(ctx),
    'savedFilters:save': (ctx, input) => organise.saveFilter(ctx, input),
    'savedFilters:delete': (ctx, { id }) => organise.deleteSavedFilter(ctx, id),
    'customers:bulk': (ctx, input) => jobs.start('bulk', input, { ...startedBy(ctx), ...organise.describeBulkAction(input) }),
    'customers:delete': (ctx, { id }) => organise.deleteCustomer(ctx, id),
    // Those past their time are left out and removed for good in the worker, the desk not waiting for it.
    'recycleBin:list': async (ctx) => {
      await startExpiredPurge(jobs, ctx)
      return organise.listRecycleBin(ctx)
    },
    'recycleBin:restore': (ctx, { id }) => organise.restoreCustomer(ctx, id),
    // In the worker: the search index is rewritten and the write-ahead log emptied, which may take seconds in a large file.
    'recycleBin:purge': async (ctx, { id }) => jobs.start('recyclePurge', { id }, { ...startedBy(ctx), label: await organise.describePurge(ctx, id) }),
  }
}
