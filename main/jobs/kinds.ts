import type { z } from 'zod'
import type { bulkInput, JobKind, seedDemoInput } from '../../preload/contract'
import type { ServiceContext } from '../services/context'
import type { Progress } from '../services/progress'
import { runBulkAction } from '../services/organise'
import { seedSampleCustomers } from '../services/app'

/**
 * The work a job can do: a service function run in the job worker, with its
 * own database connection, reporting progress and heeding Cancel. Inputs were
 * validated by the router before the job was started.
 */
export const jobKinds = {
  bulk: (ctx: ServiceContext, input: z.output<typeof bulkInput>, progress: Progress) => runBulkAction(ctx, input, progress),
  seed: (ctx: ServiceContext, input: z.output<typeof seedDemoInput>, progress: Progress) =>
    seedSampleCustomers(ctx, input.count, input.seed, progress),
} satisfies Record<JobKind, (ctx: ServiceContext, input: never, progress: Progress) => Promise<unknown>>

export type JobInput<K extends JobKind> = Parameters<(typeof jobKinds)[K]>[1]
