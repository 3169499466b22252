import type { AppInfo, SeedResult } from '../../preload/contract'
import { seedDemoCustomers } from '../../db/demo/generate'
import { tabCounters } from '../../db/queries/customerList'
import type { ServiceContext } from './context'
import { recordChange } from './changeLog'
import { Forbidden } from './errors'
import { NO_PROGRESS, type Progress } from './progress'

export const APP_VERSION = '0.1.0'

export async function appInfo(ctx: ServiceContext, dataFile: string): Promise<AppInfo> {
  const counts = await tabCounters(ctx.db)
  return {
    name: 'Frontdesk',
    version: APP_VERSION,
    dataFile,
    staff: { ...ctx.staff },
    customerCount: counts.active + counts.archived + counts.blocked,
  }
}

export function requireSampleDataRights(ctx: ServiceContext): void {
  if (ctx.staff.role !== 'admin') throw new Forbidden('Only an administrator can add sample data.')
}

export function describeSeed(count: number): string {
  return `Adding ${count.toLocaleString('en-GB')} sample customer${count === 1 ? '' : 's'}`
}

/** Adds synthetic customers (admin only): for trying the app and for demos. Runs as a job, all or nothing. */
export async function seedSampleCustomers(ctx: ServiceContext, count: number, seed: number, progress: Progress = NO_PROGRESS): Promise<SeedResult> {
  requireSampleDataRights(ctx)
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
