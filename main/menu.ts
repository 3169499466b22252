import { Menu, type MenuItemConstructorOptions } from 'electron'
import type { MenuEvent } from '../preload/contract/channels'

export interface MenuOptions {
  appName: string
  isMac: boolean
  /** Reload and developer tools are for development builds only. */
  isPackaged: boolean
  /** Forwards a menu command to the renderer (see `menuEvents`). */
  send: (event: MenuEvent) => void
  showAbout: () => void
}

/** The menu as data, so it can be checked without Electron. */
export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { appName, isMac, isPackaged, send, showAbout } = options
  const settings: MenuItemConstructorOptions = {
    label: isMac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: () => send('menu:open-settings'),
  }

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            settings,
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : []

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New customer', accelerator: 'CmdOrCtrl+N', click: () => send('menu:new-customer') },
      { label: 'New booking', accelerator: 'CmdOrCtrl+B', click: () => send('menu:new-booking') },
      ...(isMac ? [] : [{ type: 'separator' } as const, settings]),
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' },
    ],
  }

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  }

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Find customer', accelerator: 'CmdOrCtrl+K', click: () => send('menu:focus-search') },
      { type: 'separator' },
      ...(isPackaged
        ? []
        : [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [{ label: `About ${appName}`, click: showAbout }],
  }

  return [...appMenu, file, edit, view, ...(isMac ? [{ role: 'windowMenu' } as const] : []), help]
}

export function installApplicationMenu(options: MenuOptions): Menu {
  const menu = Menu.buildFromTemplate(menuTemplate(options))
  Menu.setApplicationMenu(menu)
  return menu
}
