import { describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  dialog: { showMessageBox: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
  // A second instance: main/index.ts quits at once and starts nothing.
  app: { enableSandbox: vi.fn(), requestSingleInstanceLock: vi.fn(() => false), quit: vi.fn(), getPath: vi.fn(() => '/home/desk/Documents') },
}))
vi.mock('electron', () => ({
  app: electron.app,
  dialog: electron.dialog,
  BrowserWindow: {},
  ipcMain: {},
  session: {},
  shell: {},
  Menu: {},
  safeStorage: {},
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}))

// main/index.ts logs through electron-log, which requires electron itself.
const { provideElectronToRequire } = await import('../helpers/required-electron')
provideElectronToRequire({ app: electron.app })
const { startupDialogs } = await import('../../main/index')

describe('the "cannot open the customer file" dialogs', () => {
  it('name the file, say why, offer the ways on as buttons, and read the answer', async () => {
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1 })
    const choice = await startupDialogs.ask({
      title: 'The customer file is damaged',
      message: 'This customer file is damaged…',
      file: '/srv/desk/frontdesk.sqlite3',
      choices: ['open-other', 'start-new', 'quit'],
    })
    expect(choice).toBe('start-new')
    expect(electron.dialog.showMessageBox).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'error',
        message: 'The customer file is damaged',
        detail: 'This customer file is damaged…\n\nFile: /srv/desk/frontdesk.sqlite3',
        buttons: ['Open another file…', 'Start a new file…', 'Quit'],
        cancelId: 2,
      }),
    )
  })

  it('a closed dialog means quit', async () => {
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 0 })
    expect(await startupDialogs.ask({ title: 'Frontdesk is already open', message: '…', file: '/f', choices: ['quit'] })).toBe('quit')
  })

  it('pick an existing file or where to start a new one; a cancelled picker is null', async () => {
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/srv/other.sqlite3'] })
    expect(await startupDialogs.pickExistingFile()).toBe('/srv/other.sqlite3')
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] })
    expect(await startupDialogs.pickExistingFile()).toBeNull()
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/home/desk/Documents/new.sqlite3' })
    expect(await startupDialogs.pickNewFile()).toBe('/home/desk/Documents/new.sqlite3')
    expect(electron.dialog.showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: '/home/desk/Documents/frontdesk.sqlite3' }))
  })
})
