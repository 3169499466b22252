import { join } from 'node:path'
import { BrowserWindow } from 'electron'
import { APP_INDEX_URL } from './appProtocol'

/**
 * Paths of the built preload and renderer, relative to the bundled main
 * script (out/main/index.js). electron-vite emits CommonJS `index.js` for the
 * preload because package.json has "type": "commonjs" — sandboxed preloads
 * cannot be ES modules.
 */
export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.js')
}

/** The folder app:// serves: the bundled renderer and nothing else. */
export function rendererRoot(mainDir: string): string {
  return join(mainDir, '../renderer')
}

export function rendererIndexPath(mainDir: string): string {
  return join(rendererRoot(mainDir), 'index.html')
}

/**
 * The dev server while developing (electron-vite sets ELECTRON_RENDERER_URL),
 * else the bundled page through app:// (`npm start` and packaged builds alike).
 */
export function rendererUrl(env: NodeJS.ProcessEnv, isPackaged: boolean): string {
  const devServer = env['ELECTRON_RENDERER_URL']
  if (devServer && !isPackaged) return devServer
  return APP_INDEX_URL
}

export interface MainWindowOptions {
  preload: string
  url: string
  /** Developer tools exist only in development: a packaged app has no console to run code in. */
  devTools: boolean
  /** A page that fails to load leaves a blank window; main should at least log why. */
  onLoadError: (error: unknown) => void
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Frontdesk',
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    // Shown once painted, so the receptionist never sees a white flash.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    // Written out here, not built by a helper, so that scanners such as
    // electronegativity can see them: no Node, an isolated world, Chromium's sandbox.
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
    },
  })
  window.once('ready-to-show', () => window.show())
  window.loadURL(options.url).catch(options.onLoadError)
  return window
}
