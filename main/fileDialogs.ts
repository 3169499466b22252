/**
 * The open and save dialogs the desk's import and export need. They run in
 * main (the renderer never names a path); the app passes Electron's, tests a
 * fake that answers with files of their choosing. null: the person cancelled.
 */
export interface FileDialogs {
  chooseImportFile(): Promise<string | null>
  chooseExportFile(suggestedName: string, format: 'csv' | 'xlsx'): Promise<string | null>
  chooseRejectsFile(suggestedName: string): Promise<string | null>
}

/** Where no dialog can be shown (the command line, tests that do not need one): every dialog is cancelled. */
export const NO_FILE_DIALOGS: FileDialogs = {
  chooseImportFile: async () => null,
  chooseExportFile: async () => null,
  chooseRejectsFile: async () => null,
}
