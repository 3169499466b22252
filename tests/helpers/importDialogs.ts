import type { ImportPreview } from '../../preload/contract'
import type { FileDialogs } from '../../main/fileDialogs'
import type { TestCore } from './core'

/** File dialogs that answer with whatever the test put in `next`. */
export function fakeDialogs() {
  const next = { importFile: null as string | null, rejectsFile: null as string | null }
  const dialogs: FileDialogs = {
    chooseImportFile: async () => next.importFile,
    chooseExportFile: async () => null,
    chooseRejectsFile: async () => next.rejectsFile,
    chooseReportFile: async () => null,
    choosePrintoutFile: async () => null,
  }
  return { next, dialogs }
}

/** Chooses `file` in the import's open dialog, as the receptionist does: its preview. */
export async function chooseImportFile(app: TestCore, next: { importFile: string | null }, file: string): Promise<ImportPreview> {
  next.importFile = file
  const preview = await app.invoke('imports:choose', undefined)
  if (!preview) throw new Error('no preview')
  return preview
}
