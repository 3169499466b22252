import type { privacyInputs } from '../../../preload/contract/schemas/privacy'
import * as privacy from '../../services/privacy'
import { startedBy, type DomainHandlers, type HandlerOptions } from './domain'

/** Personal-data requests: a person's complete data, made in the worker and saved where the desk chooses. */
export function privacyHandlers({ jobs, printoutsDir, dialogs }: HandlerOptions): DomainHandlers<typeof privacyInputs> {
  return {
    // Read in the worker while the desk goes on saving; the worker waits for its turn only to log the request.
    'privacy:subjectAccess': async (ctx, { customerId }) =>
      jobs.start(
        'subjectAccess',
        { customerId, printoutsDir },
        {
          ...startedBy(ctx),
          label: await privacy.describeSubjectAccess(ctx, customerId),
          note: 'Nothing in the record changes. If it stops, no file is made.',
          writes: 'onRequest',
        },
      ),
    'privacy:erasePreview': (ctx, { customerId }) => privacy.previewErasure(ctx, customerId),
    // In the worker: the search index is rewritten and the write-ahead log emptied, which may take seconds in a large file.
    'privacy:erase': async (ctx, input) => jobs.start('erase', input, { ...startedBy(ctx), label: await privacy.describeErasure(ctx, input) }),
    'privacy:subjectAccessSave': async (_ctx, { id, format }) => {
      const suggested = await privacy.subjectAccessFileName(printoutsDir, id, format)
      const file = format === 'pdf' ? await dialogs.choosePrintoutFile(suggested) : ((await dialogs.chooseDataFile?.(suggested)) ?? null)
      return file ? privacy.saveSubjectAccessFile(printoutsDir, id, format, file) : null
    },
  }
}
