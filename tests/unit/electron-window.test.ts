import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { menuEvents, type MenuEvent } from '../../preload/contract/channels'

const electron = vi.hoisted(() => {
  const windows: FakeWindow[] = []
  const state = { nextLoad: undefined as undefined | (() => Promise<void>) }
  class FakeWindow {
    options: Record<string, unknown>
    listeners = new Map<string, () => void>()
    show = vi.fn()
    loadURL = vi.fn((_url: string) => {
      const load = state.nextLoad ?? (() => Promise.resolve())
      state.nextLoad = undefined
      return load()
    })
    constructor(options: Record<string, unknown>) {
      this.options = options
      windows.push(this)
    }
    once(event: string, listener: () => void) {
      this.listeners.set(event, listener)
      return this
    }
  }
  return {
    windows,
    set nextLoad(load: (() => Promise<void>) | undefined) {
      state.nextLoad = load
    },
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
    // A second instance: main/index.ts must quit at once and start nothing.
    app: { enableSandbox: vi.fn(), requestSingleInstanceLock: vi.fn(() => false), quit: vi.fn(), on: vi.fn(), whenReady: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  }
})
vi.mock('electron', () => ({
  BrowserWindow: electron.BrowserWindow,
  Menu: electron.Menu,
  app: electron.app,
  dialog: {},
  ipcMain: {},
  session: {},
  shell: {},
  safeStorage: {},
  protocol: electron.protocol,
}))

// main/index.ts logs through electron-log, which requires electron itself.
const { provideElectronToRequire } = await import('../helpers/required-electron')
provideElectronToRequire({ app: electron.app })
const { createMainWindow, preloadPath, rendererIndexPath, rendererRoot, rendererUrl } = await import('../../main/window')
const { installApplicationMenu, menuTemplate } = await import('../../main/menu')
const { resolveDataFile } = await import('../../main/index')

const root = join(__dirname, '../..')
const mainDir = join(root, 'out/main')

describe('app lifecycle', () => {
  it('enforces the sandbox everywhere and lets a second instance quit without starting', () => {
    expect(electron.app.enableSandbox).toHaveBeenCalledOnce()
    expect(electron.app.quit).toHaveBeenCalledOnce()
    expect(electron.app.whenReady).not.toHaveBeenCalled()
    expect(electron.app.on).not.toHaveBeenCalled()
  })

  it('registers app:// as a privileged standard scheme before the app is ready', () => {
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
    ])
    expect(electron.protocol.handle).not.toHaveBeenCalled()
  })

  it('finds the data file: environment, then --data-file=, then userData', () => {
    const userData = join('/home/desk/.config/Frontdesk')
    expect(resolveDataFile([], {}, userData)).toBe(join(userData, 'frontdesk.sqlite3'))
    expect(resolveDataFile(['electron', '.', '--data-file=/srv/desk.sqlite3'], {}, userData)).toBe('/srv/desk.sqlite3')
    expect(resolveDataFile(['--data-file=rel/desk.sqlite3'], {}, userData)).toBe(join(process.cwd(), 'rel/desk.sqlite3'))
    expect(resolveDataFile(['--data-file=/srv/desk.sqlite3'], { FRONTDESK_DATA_FILE: '/env/desk.sqlite3' }, userData)).toBe(
      '/env/desk.sqlite3',
    )
    expect(resolveDataFile(['--data-file='], { FRONTDESK_DATA_FILE: '  ' }, userData)).toBe(join(userData, 'frontdesk.sqlite3'))
  })
})

describe('main window', () => {
  beforeEach(() => {
    electron.windows.length = 0
  })

  it('locks the renderer down', () => {
    createMainWindow({ preload: '/app/out/preload/index.js', url: 'app://frontdesk/index.html', devTools: false, onLoadError: vi.fn() })
    expect(electron.windows[0]?.options['webPreferences']).toEqual({
      preload: '/app/out/preload/index.js',
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
      devTools: false,
    })
  })

  it('has developer tools only when not packaged', () => {
    createMainWindow({ preload: '/p.js', url: 'app://frontdesk/index.html', devTools: true, onLoadError: vi.fn() })
    expect(electron.windows[0]?.options['webPreferences']).toMatchObject({ devTools: true })
    const source = readFileSync(join(root, 'main/index.ts'), 'utf8')
    // The one call site decides it from app.isPackaged.
    expect(source).toMatch(/devTools: !app\.isPackaged/)
  })

  it('creates a hidden, titled window with the preload and shows it once painted', async () => {
    const onLoadError = vi.fn()
    createMainWindow({ preload: preloadPath(mainDir), url: 'app://frontdesk/index.html', devTools: false, onLoadError })
    const window = electron.windows[0]
    expect(window).toBeDefined()
    if (!window) return
    expect(window.options).toMatchObject({ title: 'Frontdesk', show: false })
    expect(window.options['webPreferences']).toMatchObject({ preload: join(root, 'out/preload/index.js') })
    expect(window.loadURL).toHaveBeenCalledWith('app://frontdesk/index.html')
    expect(window.show).not.toHaveBeenCalled()
    window.listeners.get('ready-to-show')?.()
    expect(window.show).toHaveBeenCalledOnce()
    await Promise.resolve()
    expect(onLoadError).not.toHaveBeenCalled()
  })

  it('reports a page that fails to load', async () => {
    const onLoadError = vi.fn()
    const failure = new Error('ERR_FILE_NOT_FOUND')
    electron.nextLoad = () => Promise.reject(failure)
    createMainWindow({ preload: '/p.js', url: 'app://frontdesk/missing.html', devTools: false, onLoadError })
    await vi.waitFor(() => expect(onLoadError).toHaveBeenCalledWith(failure))
  })

  it('points at the bundle electron-vite writes (CommonJS preload next to out/main)', () => {
    expect(preloadPath(mainDir)).toBe(join(root, 'out/preload/index.js'))
    expect(rendererIndexPath(mainDir)).toBe(join(root, 'out/renderer/index.html'))
    expect(rendererRoot(mainDir)).toBe(join(root, 'out/renderer'))
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; type?: string }
    // A "module" package would make electron-vite emit index.mjs, which a sandboxed preload cannot load.
    expect(pkg.type ?? 'commonjs').toBe('commonjs')
    expect(join(root, pkg.main)).toBe(join(mainDir, 'index.js'))
  })

  it('uses the dev server only in development, app:// otherwise (npm start and packaged)', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    expect(rendererUrl(env, false)).toBe('http://localhost:5173')
    expect(rendererUrl(env, true)).toBe('app://frontdesk/index.html')
    expect(rendererUrl({}, false)).toBe('app://frontdesk/index.html')
  })
})

type Item = MenuItemConstructorOptions

function flatten(items: Item[]): Item[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu as Item[]) : [])])
}

function template(overrides: { isMac?: boolean; isPackaged?: boolean } = {}) {
  const sent: MenuEvent[] = []
  const showAbout = vi.fn()
  const items = menuTemplate({
    appName: 'Frontdesk',
    isMac: overrides.isMac ?? false,
    isPackaged: overrides.isPackaged ?? true,
    send: (event) => sent.push(event),
    showAbout,
  })
  return { items, all: flatten(items), sent, showAbout }
}

function click(item: Item | undefined): void {
  const handler = item?.click as (() => void) | undefined
  if (!handler) throw new Error(`menu item ${item?.label ?? '?'} has no click handler`)
  handler()
}

describe('application menu', () => {
  it('sends every menu command to the renderer under its contract event name', () => {
    const { all, sent } = template()
    click(all.find((item) => item.label === 'New customer'))
    click(all.find((item) => item.label === 'New booking'))
    click(all.find((item) => item.label === 'Find customer'))
    click(all.find((item) => item.label === 'Settings'))
    expect(sent).toEqual(['menu:new-customer', 'menu:new-booking', 'menu:focus-search', 'menu:open-settings'])
    expect(new Set(sent)).toEqual(new Set(menuEvents.filter((event) => event.startsWith('menu:'))))
  })

  it('uses the expected shortcuts', () => {
    const { all } = template()
    expect(all.find((item) => item.label === 'New customer')?.accelerator).toBe('CmdOrCtrl+N')
    expect(all.find((item) => item.label === 'New booking')?.accelerator).toBe('CmdOrCtrl+B')
    expect(all.find((item) => item.label === 'Find customer')?.accelerator).toBe('CmdOrCtrl+K')
    expect(all.some((item) => item.role === 'quit')).toBe(true)
  })

  it('has standard edit roles and zoom', () => {
    const roles = template().all.map((item) => item.role)
    expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'zoomIn', 'zoomOut', 'resetZoom']))
  })

  it('offers reload and developer tools only in development builds', () => {
    const packaged = template({ isPackaged: true }).all.map((item) => item.role)
    const dev = template({ isPackaged: false }).all.map((item) => item.role)
    expect(packaged).not.toContain('toggleDevTools')
    expect(packaged).not.toContain('reload')
    expect(packaged).not.toContain('forceReload')
    expect(dev).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']))
  })

  it('opens About from Help', () => {
    const { all, showAbout } = template()
    click(all.find((item) => item.label === 'About Frontdesk'))
    expect(showAbout).toHaveBeenCalledOnce()
  })

  it('follows macOS conventions on a Mac', () => {
    const { items, all } = template({ isMac: true })
    expect(items[0]?.label).toBe('Frontdesk')
    expect(all.some((item) => item.role === 'about')).toBe(true)
    expect(all.filter((item) => item.role === 'quit')).toHaveLength(1)
  })

  it('installs the built menu as the application menu', () => {
    const menu = installApplicationMenu({ appName: 'Frontdesk', isMac: false, isPackaged: true, send: vi.fn(), showAbout: vi.fn() })
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(menu)
  })
})
