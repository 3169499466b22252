import type { duplicatesInputs } from '../../../preload/contract/schemas/duplicates'
import * as duplicates from '../../services/duplicates'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function duplicatesHandlers({ jobs }: HandlerOptions): DomainHandlers<typeof duplicatesInputs> {
  return {
    'duplicates:check': (ctx, input) => duplicates.checkDuplicates(ctx, input),
    'duplicates:dismiss': (ctx, { customerId, otherIds }) => duplicates.dismissDuplicates(ctx, customerId, otherIds),
    'duplicates:forCustomer': (ctx, { customerId }) => duplicates.duplicatesOfCustomer(ctx, customerId),
    'duplicates:groups': (ctx, { page, pageSize }) => duplicates.listDuplicateGroups(ctx, page, pageSize),
    // Reads every customer's contacts: a job in the worker, writing only its findings at the end.
    'duplicates:scan': (ctx) =>
      jobs.start('duplicateScan', {}, { ...startedBy(ctx), label: 'Looking for duplicate customers', writes: 'onRequest', note: 'The desk can be used while it runs.' }),
  }
}
