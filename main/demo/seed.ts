import type { SeedResult } from '../../preload/contract'
import type { ServiceContext } from '../services/context'
import { recordChange } from '../services/changeLog'
import { NO_PROGRESS, type Progress } from '../services/progress'
import { seedDemoCustomers } from './generate'

/** Adds synthetic customers (admin only): for trying the app and for demos. Runs as a job, all or nothing. */
export async function seedSampleCustomers(ctx: ServiceContext, count: number, seed: number, progress: Progress = NO_PROGRESS): Promise<SeedResult> {
  const started = Date.now()
  const created = await seedDemoCustomers(ctx.db, {
    count,
    seed,
    now: ctx.clock(),
    onProgress: (done, total, phase) => progress.report(done, total, phase),
    checkCancelled: () => progress.checkCancelled(),
  })
  await ctx.db.transaction((trx) =>
    recordChange(trx, ctx, {
      customerId: null,
      entityType: 'sample-data',
      entityId: 0,
      action: 'sample-data.added',
      summary: `Added ${created} sample customers`,
    }),
  )
  return { created, ms: Date.now() - started }
}
