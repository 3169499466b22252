import type { jobsInputs } from '../../../preload/contract/schemas/jobs'
import type { DomainHandlers, HandlerOptions } from './domain'

/** Following and stopping background work: answered by the job runner, which holds every job's status. */
export function jobsHandlers({ jobs }: HandlerOptions): DomainHandlers<typeof jobsInputs> {
  return {
    'jobs:get': (_ctx, { id }) => jobs.get(id),
    'jobs:cancel': (_ctx, { id }) => jobs.cancel(id),
    'jobs:list': () => jobs.list(),
  }
}
