import type { mergesInputs } from '../../../preload/contract/schemas/merges'
import * as merges from '../../services/merges'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function mergesHandlers({ jobs }: HandlerOptions): DomainHandlers<typeof mergesInputs> {
  return {
    'merges:preview': (ctx, { customerIds, survivorId }) => merges.previewMerge(ctx, customerIds, survivorId),
    // Refused at once when it would be; the merge itself is a job (a customer may have thousands of bookings).
    'merges:merge': async (ctx, input) => jobs.start('merge', input, { ...startedBy(ctx), label: await merges.describeMerge(ctx, input), writes: 'onRequest' }),
    'merges:undo': async (ctx, { mergeId }) => jobs.start('mergeUndo', { mergeId }, { ...startedBy(ctx), label: await merges.describeUndo(ctx, mergeId), writes: 'onRequest' }),
    'merges:forCustomer': (ctx, { customerId }) => merges.mergesForCustomer(ctx, customerId),
  }
}
