import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron'
import { openFrontdesk, type FrontdeskCore } from './app-core'
import { registerIpc, type RegisteredIpc } from './ipc/register'
import { createLogger } from './log'
import { installApplicationMenu } from './menu'
import { guardAllWebContents, hardenSession, trustedSenderCheck } from './security'
import { createMainWindow, preloadPath, rendererUrl } from './window'

const DATA_FILE_FLAG = '--data-file='

/** `FRONTDESK_DATA_FILE`, then `--data-file=…`, then the per-user default. */
export function resolveDataFile(argv: readonly string[], env: NodeJS.ProcessEnv, userDataDir: string): string {
  const fromEnv = env['FRONTDESK_DATA_FILE']?.trim()
  if (fromEnv) return resolve(fromEnv)
  const flag = argv.find((arg) => arg.startsWith(DATA_FILE_FLAG))?.slice(DATA_FILE_FLAG.length).trim()
  if (flag) return resolve(flag)
  return join(userDataDir, 'frontdesk.sqlite3')
}

function start(): void {
  const log = createLogger({ file: join(app.getPath('logs'), 'frontdesk.log') })
  const pageUrl = rendererUrl(__dirname, process.env, app.isPackaged)
  const devServerUrl = pageUrl.startsWith('file:') ? undefined : pageUrl
  let core: FrontdeskCore | undefined
  let ipc: RegisteredIpc | undefined
  let mainWindow: BrowserWindow | undefined

  process.on('unhandledRejection', (reason) => log.error('Unhandled rejection in main', reason))
  app.setAppUserModelId('app.frontdesk.desktop')
  guardAllWebContents(app, pageUrl, shell)

  const openWindow = () => {
    mainWindow = createMainWindow({
      preload: preloadPath(__dirname),
      url: pageUrl,
      onLoadError: (error) => log.error('The Frontdesk page did not load', error),
    })
    mainWindow.on('closed', () => {
      mainWindow = undefined
    })
  }

  // A second launch (e.g. from the dock or a desktop shortcut) brings the open window forward instead.
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) openWindow()
  })

  // The database is closed (WAL checkpointed) before the process exits.
  app.on('will-quit', (event) => {
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
    hardenSession(session.defaultSession, { rendererUrl: pageUrl, devServerUrl })
    const dataFile = resolveDataFile(process.argv, process.env, app.getPath('userData'))
    try {
      mkdirSync(dirname(dataFile), { recursive: true })
      core = await openFrontdesk({
        dataFile,
        isTrustedSender: trustedSenderCheck(pageUrl),
        onUnexpectedError: (channel, error) => log.error(`Unexpected error on ${channel}`, error),
        tidyEveryMs: 60_000,
      })
    } catch (error) {
      log.error('The database could not be opened', error)
      const reason = error instanceof Error ? error.message : String(error)
      dialog.showErrorBox(
        'Frontdesk cannot open its database',
        `The customer database could not be opened or updated, so Frontdesk will close. Nothing was changed.\n\n` +
          `File: ${dataFile}\nReason: ${reason}\n\n` +
          `Check that the file is not open in another program and that the disk is not full, then start Frontdesk again.`,
      )
      app.exit(1)
      return
    }
    log.info('Frontdesk started', { version: app.getVersion(), packaged: app.isPackaged })
    ipc = registerIpc(ipcMain, core.dispatch)
    app.setAboutPanelOptions({ applicationName: 'Frontdesk', applicationVersion: app.getVersion() })
    installApplicationMenu({
      appName: 'Frontdesk',
      isMac: process.platform === 'darwin',
      isPackaged: app.isPackaged,
      send: (event) => (BrowserWindow.getFocusedWindow() ?? mainWindow)?.webContents.send(event),
      showAbout: () => app.showAboutPanel(),
    })
    openWindow()
  })
}

// Every renderer, including any the app might create later, runs sandboxed.
app.enableSandbox()
if (app.requestSingleInstanceLock()) start()
else app.quit()
