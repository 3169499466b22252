/*
 * What backups and restore need from the running app, with no Electron in
 * it: the folder and file dialogs (Electron's in the app, fakes in tests) and
 * the data layer's restart (main/dataLayer.ts).
 */

/** Dialogs run in main: the renderer never names a folder or a file. null: the person cancelled. */
export interface BackupDialogs {
  /** A folder for backups (a USB drive, a network share). */
  chooseBackupFolder(current: string): Promise<string | null>
  /** A backup file from anywhere (recovery's "Choose another file…"). */
  chooseBackupFile(startIn: string): Promise<string | null>
}

export const NO_BACKUP_DIALOGS: BackupDialogs = {
  chooseBackupFolder: async () => null,
  chooseBackupFile: async () => null,
}

/** A file swap done while the customer file is closed, with a way back if the swapped-in file does not open. */
export interface ClosedFileSwap {
  undo(): void
  commit(): void
}

/**
 * Closes the data layer (jobs, connections, the file's lock), runs `swap`
 * on the closed file, and opens it again; the desk's calls meanwhile wait
 * and then go to the new one. When the new file does not open, the swap is
 * undone and the previous file opened again, and the failure is thrown.
 */
export type RestartDataLayer = (swap: () => Promise<ClosedFileSwap>) => Promise<void>
