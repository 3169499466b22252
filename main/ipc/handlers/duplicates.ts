import type { duplicatesInputs } from '../../../preload/contract/schemas/duplicates'
import * as duplicates from '../../services/duplicates'
import type { DuplicateGroupsPage } from '../../../preload/contract'
import { readNow, startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function duplicatesHandlers({ jobs, reads }: HandlerOptions): DomainHandlers<typeof duplicatesInputs> {
  return {
    'duplicates:check': (ctx, input) => duplicates.checkDuplicates(ctx, input),
    'duplicates:dismiss': (ctx, { customerId, otherIds }) => duplicates.dismissDuplicates(ctx, customerId, otherIds),
    'duplicates:forCustomer': (ctx, { customerId }) => duplicates.duplicatesOfCustomer(ctx, customerId),
    // Every pair is read to join them into groups: in the read worker, so the desk never waits on it.
    'duplicates:groups': async (ctx, input) => (await readNow(reads, ctx, 'duplicateGroups', input, 'Reading likely duplicates')) as DuplicateGroupsPage,
    // Reads every customer's contacts: a job in the worker, writing only its findings at the end.
    'duplicates:scan': (ctx) =>
      jobs.start('duplicateScan', {}, { ...startedBy(ctx), label: 'Looking for duplicate customers', writes: 'onRequest', note: 'The desk can be used while it runs.' }),
  }
}
