import type { exportsInputs } from '../../../preload/contract/schemas/exports'
import * as exports from '../../services/exports'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/** Customers out: main asks where to save, then the export runs in the background. */
export function exportsHandlers({ jobs, dialogs }: HandlerOptions): DomainHandlers<typeof exportsInputs> {
  return {
    'exports:columns': (ctx) => exports.exportColumns(ctx),
    'exports:start': async (ctx, input) => {
      await exports.assertMayExport(ctx, input)
      const file = await dialogs.chooseExportFile(exports.suggestedFileName(input.format, ctx.clock()), input.format)
      if (!file) return null
      return jobs.start('export', { ...input, file }, { ...startedBy(ctx), label: exports.describeExport(input), writes: 'never' })
    },
  }
}
