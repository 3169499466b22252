import { DomainError } from './services/errors'

/**
 * The open and save dialogs the desk's import and export need. They run in
 * main (the renderer never names a path); the app passes Electron's, tests a
 * fake that answers with files of their choosing. null: the person cancelled.
 */
export interface FileDialogs {
  chooseImportFile(): Promise<string | null>
  chooseExportFile(suggestedName: string, format: 'csv' | 'xlsx'): Promise<string | null>
  chooseRejectsFile(suggestedName: string): Promise<string | null>
  chooseReportFile(suggestedName: string, format: 'csv' | 'xlsx'): Promise<string | null>
  /** Where to keep a printout (statement, letters, labels, a report) as a PDF. */
  choosePrintoutFile(suggestedName: string): Promise<string | null>
  /** Where to keep a person's data as a JSON file (a subject access request); absent, the save is cancelled. */
  chooseDataFile?(suggestedName: string): Promise<string | null>
}

/** Where no dialog can be shown (the command line, tests that do not need one): every dialog is cancelled. */
export const NO_FILE_DIALOGS: FileDialogs = {
  chooseImportFile: async () => null,
  chooseExportFile: async () => null,
  chooseRejectsFile: async () => null,
  chooseReportFile: async () => null,
  choosePrintoutFile: async () => null,
  chooseDataFile: async () => null,
}

/**
 * Opens a file in the program the system uses for it (a PDF in the person's
 * PDF viewer, from where it prints); the app passes Electron's shell.
 */
export interface SystemViewer {
  openFile(path: string): Promise<void>
}

/** Where nothing can be shown: tests and the command line. */
export const NO_SYSTEM_VIEWER: SystemViewer = { openFile: async () => {} }

/** The system viewer through Electron's shell, which answers a failure with an error text instead of throwing. */
export function shellViewer(shell: { openPath(path: string): Promise<string> }): SystemViewer {
  return {
    async openFile(path) {
      const failure = await shell.openPath(path)
      if (failure) throw new DomainError('STORAGE', `The PDF could not be opened (${failure}). Save it instead and open it from its folder.`)
    },
  }
}
