import type { qualityInputs } from '../../../preload/contract/schemas/quality'
import type { QualityCounts } from '../../../preload/contract'
import * as quality from '../../services/quality'
import { readNow, startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function qualityHandlers({ jobs, reads }: HandlerOptions): DomainHandlers<typeof qualityInputs> {
  return {
    // Counting up to a million rows is read in the read worker: the main process stays free.
    'quality:counts': async (ctx) => (await readNow(reads, ctx, 'qualityCounts', {}, 'Counting records that need attention')) as QualityCounts,
    'quality:page': (ctx, input) => quality.qualityPage(ctx, input),
    'quality:scan': (ctx) => jobs.start('qualityScan', {}, { ...startedBy(ctx), label: 'Checking the quality of customer records', writes: 'onRequest' }),
  }
}
