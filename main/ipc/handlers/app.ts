import type { appInputs, ChangeLogCheck } from '../../../preload/contract/schemas/app'
import { appInfo, describeSeed, getLogo, getSettings, removeLogo, setLogo, updateSettings } from '../../services/app'
import { readNow, startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function appHandlers({ dataFile, jobs, reads }: HandlerOptions): DomainHandlers<typeof appInputs> {
  return {
    'app:info': (ctx) => appInfo(ctx, dataFile),
    // A million entries take seconds: read in the read worker, never behind a long job.
    'app:checkChangeLog': async (ctx) => (await readNow(reads, ctx, 'changeLogCheck', {}, 'Checking the change log')) as ChangeLogCheck,
    'settings:get': (ctx) => getSettings(ctx),
    'settings:update': (ctx, patch) => updateSettings(ctx, patch),
    'settings:logo': (ctx) => getLogo(ctx),
    'settings:setLogo': (ctx, input) => setLogo(ctx, input.image),
    'settings:removeLogo': (ctx) => removeLogo(ctx),
    'demo:seed': (ctx, input) => jobs.start('seed', input, { ...startedBy(ctx), label: describeSeed(input.count), total: input.count }),
  }
}
