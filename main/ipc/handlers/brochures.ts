import type { brochuresInputs } from '../../../preload/contract/schemas/brochures'
import * as brochures from '../../services/brochures'
import type { BrochurePrintout, PrintCheck } from '../../../preload/contract'
import { readNow, startedBy, type DomainHandlers, type HandlerOptions } from './domain'

export function brochuresHandlers({ jobs, reads, printoutsDir }: HandlerOptions): DomainHandlers<typeof brochuresInputs> {
  return {
    'brochures:request': (ctx, { customerId, note }) => brochures.requestBrochure(ctx, customerId, note),
    'brochures:forCustomer': (ctx, { customerId }) => brochures.listCustomerRequests(ctx, customerId),
    'brochures:cancel': (ctx, { id }) => brochures.cancelRequest(ctx, id),
    'brochures:worklist': (ctx, input) => brochures.worklistPage(ctx, input),
    'brochures:counts': (ctx, { filter }) => brochures.worklistCounts(ctx, filter),
    // Checked here so a refusal is read at once; the marking itself is a job (a mailing can be thousands).
    'brochures:markPosted': async (ctx, input) =>
      jobs.start('brochureMarkPosted', input, { ...startedBy(ctx), ...(await brochures.checkMarkPosted(ctx, input)) }),
    'brochures:templates': (ctx) => brochures.listTemplates(ctx),
    'brochures:mergeFields': (ctx) => brochures.mergeFields(ctx),
    'brochures:saveTemplate': (ctx, input) => brochures.saveTemplate(ctx, input),
    'brochures:deleteTemplate': (ctx, { id }) => brochures.deleteTemplate(ctx, id),
    // PDFs and long reads are made in the read worker: the main process stays free.
    'brochures:previewLetter': async (ctx, input) =>
      (await readNow(reads, ctx, 'letterPreview', { ...input, dir: printoutsDir }, 'Letter preview')) as BrochurePrintout,
    'brochures:printCheck': async (ctx, input) => (await readNow(reads, ctx, 'letterCheck', input, 'Checking who can be posted to')) as PrintCheck,
    'brochures:printLetters': (ctx, input) =>
      jobs.start('letters', { ...input, dir: printoutsDir }, { ...startedBy(ctx), label: 'Printing brochure letters', writes: 'never' }),
    'brochures:printLabels': (ctx, input) =>
      jobs.start('labels', { ...input, dir: printoutsDir }, { ...startedBy(ctx), label: 'Printing address labels', writes: 'never' }),
  }
}
