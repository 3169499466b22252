import type { printoutsInputs } from '../../../preload/contract/schemas/printouts'
import * as printouts from '../../services/printouts'
import type { DomainHandlers, HandlerOptions } from './domain'

/** PDFs made this session: main shows the save dialog and opens the viewer; the renderer names no path. */
export function printoutsHandlers({ printoutsDir, dialogs, viewer }: HandlerOptions): DomainHandlers<typeof printoutsInputs> {
  return {
    'printouts:read': (_ctx, { id }) => printouts.readPrintout(printoutsDir, id),
    'printouts:save': async (_ctx, { id }) => {
      const printout = await printouts.findPrintout(printoutsDir, id)
      const file = await dialogs.choosePrintoutFile(printout.fileName)
      return file ? printouts.savePrintoutAs(printoutsDir, id, file) : null
    },
    'printouts:open': async (_ctx, { id }) => {
      await viewer.openFile(await printouts.printoutFile(printoutsDir, id))
      return null
    },
  }
}
