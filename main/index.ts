import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron'
import { openDataLayer, type DataLayer } from './dataLayer'
import { DAMAGED_AT_START, openRecoveryDesk, type RecoveryDesk } from './recovery'
import type { BackupDialogs } from './backupHooks'
import { useServerBackupsHome } from './services/backups'
import { registerIpc, type RegisteredIpc } from './ipc/register'
import { createLogger } from './log'
import { installApplicationMenu } from './menu'
import { contentSecurityPolicy, guardAllWebContents, hardenSession, trustedSenderCheck } from './security'
import { createMainWindow, preloadPath, rendererRoot, rendererUrl } from './window'
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from './appProtocol'
import { SafeStorageSecretStore } from './safeStorageSecrets'
import { openWithRecovery, RememberedDatabaseChoices, rememberDataFile, resolveDatabase, type Choice, type StartupDialogs } from './startup'
import { describeLocation, isServerDatabase } from '../db/location'
import { DataFileProblem } from '../db/dataFile'
import { shellViewer, type FileDialogs } from './fileDialogs'

export { resolveDataFile } from './startup'

const FILE_FILTERS = [{ name: 'Frontdesk customer file', extensions: ['sqlite3', 'sqlite', 'db'] }]
const CHOICE_LABELS: Record<Choice, string> = {
  'open-other': 'Open another file…',
  'start-new': 'Start a new file…',
  retry: 'Try again',
  'use-local': 'Use the local file',
  quit: 'Quit',
}

/** The "cannot open" dialogs, as Electron shows them before any window exists. */
export const startupDialogs: StartupDialogs = {
  async ask(problem) {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      title: problem.title,
      message: problem.title,
      detail: `${problem.message}\n\n${isServerDatabase(problem.file) ? 'Server' : 'File'}: ${problem.file}`,
      buttons: problem.choices.map((choice) => CHOICE_LABELS[choice]),
      defaultId: 0,
      cancelId: problem.choices.indexOf('quit'),
      noLink: true,
    })
    return problem.choices[response] ?? 'quit'
  },
  async pickExistingFile() {
    const picked = await dialog.showOpenDialog({ title: 'Open a Frontdesk customer file', properties: ['openFile'], filters: FILE_FILTERS })
    return picked.canceled ? null : (picked.filePaths[0] ?? null)
  },
  async pickNewFile() {
    const picked = await dialog.showSaveDialog({
      title: 'Start a new Frontdesk customer file',
      defaultPath: join(app.getPath('documents'), 'frontdesk.sqlite3'),
      filters: FILE_FILTERS,
    })
    return picked.canceled ? null : (picked.filePath ?? null)
  },
}

const IMPORT_FILTERS = [
  { name: 'Spreadsheets, CSV and vCards', extensions: ['csv', 'tsv', 'txt', 'xlsx', 'vcf', 'vcard'] },
  { name: 'All files', extensions: ['*'] },
]
const PDF_FILTERS = [{ name: 'PDF document', extensions: ['pdf'] }]
const JSON_FILTERS = [{ name: 'JSON data', extensions: ['json'] }]
const EXPORT_FILTERS = { csv: [{ name: 'CSV (UTF-8)', extensions: ['csv'] }], xlsx: [{ name: 'Excel workbook', extensions: ['xlsx'] }] }

/** The import and export dialogs, over the focused window; they start in the person's Documents folder. */
function fileDialogs(window: () => BrowserWindow | undefined): FileDialogs {
  const save = async (title: string, name: string, filters: Electron.FileFilter[]) => {
    const options = { title, defaultPath: join(app.getPath('documents'), name), filters }
    const owner = window()
    const picked = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options)
    return picked.canceled ? null : (picked.filePath ?? null)
  }
  return {
    async chooseImportFile() {
      const options = { title: 'Import customers', properties: ['openFile' as const], filters: IMPORT_FILTERS }
      const owner = window()
      const picked = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options)
      return picked.canceled ? null : (picked.filePaths[0] ?? null)
    },
    chooseExportFile: (name, format) => save('Export customers', name, EXPORT_FILTERS[format]),
    chooseRejectsFile: (name) => save('Save the rows that were not imported', name, EXPORT_FILTERS.csv),
    chooseReportFile: (name, format) => save('Export the report', name, EXPORT_FILTERS[format]),
    choosePrintoutFile: (name) => save('Save as PDF', name, PDF_FILTERS),
    chooseDataFile: (name) => save('Save the data file', name, JSON_FILTERS),
  }
}

const BACKUP_FILTERS = [
  { name: 'Frontdesk backups', extensions: ['sqlite3', 'enc', 'sqlite', 'db'] },
  { name: 'All files', extensions: ['*'] },
]

/** The backup folder and backup file dialogs, over the focused window. */
function backupDialogs(window: () => BrowserWindow | undefined): BackupDialogs {
  const open = async (options: Electron.OpenDialogOptions) => {
    const owner = window()
    const picked = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options)
    return picked.canceled ? null : (picked.filePaths[0] ?? null)
  }
  return {
    chooseBackupFolder: (current) => open({ title: 'Choose the folder for backups', defaultPath: current, properties: ['openDirectory', 'createDirectory'] }),
    chooseBackupFile: (startIn) => open({ title: 'Restore from a backup file', defaultPath: startIn, properties: ['openFile'], filters: BACKUP_FILTERS }),
  }
}

function start(): void {
  const log = createLogger({ file: join(app.getPath('logs'), 'frontdesk.log') })
  const pageUrl = rendererUrl(process.env, app.isPackaged)
  const devServerUrl = pageUrl.startsWith(APP_ORIGIN) ? undefined : pageUrl
  // Kept out of the customer file (which travels), encrypted with the system's key.
  const secrets = new SafeStorageSecretStore({ file: join(app.getPath('userData'), 'secrets.json'), safeStorage })
  // A server desk's backups go to this computer's own folder by default (before any job worker starts).
  useServerBackupsHome(app.getPath('userData'))
  let core: DataLayer | undefined
  /** The recovery screen's calls, while the customer file is damaged at start. */
  let recovery: RecoveryDesk | undefined
  let ipc: RegisteredIpc | undefined
  let mainWindow: BrowserWindow | undefined
  /** True while the window is closed to choose another customer file: the app stays. */
  let choosingAnotherFile = false

  process.on('unhandledRejection', (reason) => log.error('Unhandled rejection in main', reason))
  app.setAppUserModelId('app.frontdesk.desktop')
  guardAllWebContents(app, pageUrl, shell, (what) => log.warn(`Refused ${what}`))

  const openWindow = (url = pageUrl) => {
    mainWindow = createMainWindow({
      preload: preloadPath(__dirname),
      url,
      devTools: !app.isPackaged,
      onLoadError: (error) => log.error('The Frontdesk page did not load', error),
    })
    mainWindow.on('closed', () => {
      mainWindow = undefined
    })
    // A page (re)loaded while the server is out of reach shows the banner at once, not at the next change of state.
    mainWindow.webContents.on('did-finish-load', () => {
      if (core?.core.live && !core.core.live.reachable) mainWindow?.webContents.send('desk:offline')
    })
  }

  // A second launch (e.g. from the dock or a desktop shortcut) brings the open window forward instead.
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !choosingAnotherFile) app.quit()
  })

  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) openWindow()
  })

  // The database is closed (WAL checkpointed) before the process exits.
  app.on('will-quit', (event) => {
    if (recovery) {
      void recovery.close()
      recovery = undefined
    }
    if (!core) return
    event.preventDefault()
    const closing = core
    core = undefined
    ipc?.unregister()
    closing
      .close()
      .catch((error: unknown) => log.error('Closing the database failed', error))
      .finally(() => app.quit())
  })

  void app.whenReady().then(async () => {
    protocol.handle(
      APP_SCHEME,
      appProtocolHandler(rendererRoot(__dirname), {
        contentSecurityPolicy: contentSecurityPolicy(devServerUrl),
        onRefused: (reason) => log.warn(`Refused an app:// request (${reason})`),
      }),
    )
    hardenSession(session.defaultSession, { rendererUrl: pageUrl, devServerUrl })
    void secrets
      .canKeepSecrets()
      .then((available) => {
        if (!available) log.warn('No protected storage on this computer: secrets such as the backup passphrase and the mail server password cannot be saved')
      })
      .catch(() => undefined)
    // A server's password is kept with the system's protection; --db or FRONTDESK_DATABASE_URL may name a server instead.
    const serverPassword = await secrets.get('serverPassword').catch(() => null)
    const { location: firstFile, localFile } = resolveDatabase(process.argv, process.env, app.getPath('userData'), serverPassword)
    const databaseChoices = new RememberedDatabaseChoices(app.getPath('userData'), localFile)
    app.setAboutPanelOptions({ applicationName: 'Frontdesk', applicationVersion: app.getVersion() })
    installApplicationMenu({
      appName: 'Frontdesk',
      isMac: process.platform === 'darwin',
      isPackaged: app.isPackaged,
      send: (event) => (BrowserWindow.getFocusedWindow() ?? mainWindow)?.webContents.send(event),
      showAbout: () => app.showAboutPanel(),
    })

    const openCore = (dataFile: string) =>
      openDataLayer({
        dataFile,
        isTrustedSender: trustedSenderCheck(pageUrl),
        worker: { path: join(__dirname, 'jobs-worker.js') },
        dialogs: fileDialogs(() => BrowserWindow.getFocusedWindow() ?? mainWindow),
        viewer: shellViewer(shell),
        onUnexpectedError: (channel, error) => log.error(`Unexpected error on ${channel}`, error),
        tidyEveryMs: 60_000,
        // Found damaged by the check that runs after a large file opens: the window closes and the desk chooses again.
        onFileProblem: (problem) => void chooseAgain(problem),
        secrets,
        backupDialogs: backupDialogs(() => BrowserWindow.getFocusedWindow() ?? mainWindow),
        // Today's backup is looked for when the file opens and every hour.
        dailyBackupCheckEveryMs: 3_600_000,
        databaseChoices,
        // On a server: other desks' changes refresh the screens; the banner says when the server is lost and found.
        onDeskEvent: (event) => {
          if (event === 'desk:offline') log.warn('The database server cannot be reached; retrying')
          if (event === 'desk:online') log.info('The database server answers again')
          mainWindow?.webContents.send(event)
        },
      })

    const isDamaged = (error: unknown): error is DataFileProblem => error instanceof DataFileProblem && error.reason === 'damaged'

    /** A damaged file at start: the window shows the recovery screen (its backups, and another file), and nothing is written to the file. */
    const showRecovery = (problem: DataFileProblem) => {
      const desk = openRecoveryDesk({
        dataFile: problem.file,
        problem: DAMAGED_AT_START,
        isTrustedSender: trustedSenderCheck(pageUrl),
        worker: { path: join(__dirname, 'jobs-worker.js') },
        dialogs: backupDialogs(() => BrowserWindow.getFocusedWindow() ?? mainWindow),
        onUnexpectedError: (channel, error) => log.error(`Unexpected error on ${channel}`, error),
        onRecovered: async () => {
          const layer = await openCore(problem.file)
          log.info('Frontdesk restored a backup over a damaged customer file')
          ipc?.unregister()
          recovery = undefined
          core = layer
          ipc = registerIpc(ipcMain, layer.dispatch)
          void desk.close()
          void mainWindow?.loadURL(pageUrl)
        },
      })
      recovery = desk
      ipc = registerIpc(ipcMain, desk.dispatch)
      openWindow(`${pageUrl}#/recovery`)
    }

    /** Opens a file (or asks until one opens) and shows the window on it; quits when the person does. */
    const openAndShow = async (file: string, known?: unknown) => {
      if (known === undefined || isDamaged(known)) {
        try {
          if (known !== undefined) throw known
          const layer = await openCore(file)
          core = layer
          log.info('Frontdesk opened its customer file', { version: app.getVersion(), packaged: app.isPackaged })
          ipc = registerIpc(ipcMain, layer.dispatch)
          openWindow()
          return
        } catch (error) {
          if (isDamaged(error)) {
            log.error(`The customer file ${file} is damaged`, error)
            showRecovery(error)
            return
          }
          known = error
        }
      }
      const opened = await openWithRecovery(
        file,
        openCore,
        startupDialogs,
        (dataFile, error) => log.error(`The customer data at ${describeLocation(dataFile)} could not be opened`, error),
        known,
        localFile,
      )
      if (!opened) {
        app.exit(1)
        return
      }
      core = opened.core
      if (opened.file !== firstFile) rememberDataFile(app.getPath('userData'), opened.file)
      log.info('Frontdesk opened its customer file', { version: app.getVersion(), packaged: app.isPackaged })
      ipc = registerIpc(ipcMain, core.dispatch)
      openWindow()
    }

    const chooseAgain = async (problem: DataFileProblem) => {
      choosingAnotherFile = true
      const failed = core
      core = undefined
      ipc?.unregister()
      ipc = undefined
      mainWindow?.destroy()
      await failed?.close().catch((error: unknown) => log.error('Closing the damaged file failed', error))
      try {
        await openAndShow(problem.file, problem)
      } finally {
        choosingAnotherFile = false
      }
    }

    await openAndShow(firstFile)
  })
}

// Every renderer, including any the app might create later, runs sandboxed.
app.enableSandbox()
// Before the app is ready, or the scheme would get no origin of its own.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
if (app.requestSingleInstanceLock()) start()
else app.quit()
