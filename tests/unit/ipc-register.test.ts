import type { JobRunner } from '../../main/jobs/runner'
import { describe, expect, it, vi } from 'vitest'
import type { IpcMain } from 'electron'
import { channels, contract } from '../../preload/contract'
import { createHandlers } from '../../main/ipc/handlers'
import { registerIpc, senderInfo } from '../../main/ipc/register'
import type { Dispatch } from '../../main/ipc/router'
import { NO_FILE_DIALOGS, NO_SYSTEM_VIEWER } from '../../main/fileDialogs'
import { DeskSession } from '../../main/services/staff/session'

// register.ts takes ipcMain as a parameter; the mock proves nothing loads the real module.
vi.mock('electron', () => ({}))

type InvokeHandler = (event: unknown, input: unknown) => unknown

function fakeIpcMain() {
  const handled = new Map<string, InvokeHandler>()
  const ipcMain = {
    handle: vi.fn((channel: string, handler: InvokeHandler) => {
      // Electron throws on a second handler for one channel; so does this fake.
      if (handled.has(channel)) throw new Error(`second handler for ${channel}`)
      handled.set(channel, handler)
    }),
    removeHandler: vi.fn((channel: string) => handled.delete(channel)),
  }
  return { ipcMain: ipcMain as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>, handled }
}

const sorted = (values: Iterable<string>) => [...values].sort()

describe('IPC registration', () => {
  it('registers exactly the contract channels, which are exactly the handler map', () => {
    const { ipcMain, handled } = fakeIpcMain()
    const registered = registerIpc(ipcMain, vi.fn())
    expect(sorted(registered.channels)).toEqual(sorted(channels))
    expect(sorted(handled.keys())).toEqual(sorted(channels))
    expect(sorted(Object.keys(contract))).toEqual(sorted(channels))
    expect(sorted(Object.keys(createHandlers({ dataFile: ':memory:', jobs: {} as JobRunner, reads: {} as JobRunner, printoutsDir: '', rejectsDir: '', dialogs: NO_FILE_DIALOGS, viewer: NO_SYSTEM_VIEWER, session: new DeskSession(null) })))).toEqual(sorted(channels))
    expect(new Set(channels).size).toBe(channels.length)
  })

  it('forwards channel, input and the sender frame to the router', async () => {
    const { ipcMain, handled } = fakeIpcMain()
    const dispatch = vi.fn<Dispatch>(() => Promise.resolve({ ok: true, data: 42 }))
    registerIpc(ipcMain, dispatch)
    const mainFrame = { url: 'file:///app/out/renderer/index.html#/customers' }
    const event = { sender: { mainFrame }, senderFrame: mainFrame }
    await expect(Promise.resolve(handled.get('customers:get')?.(event, { id: 7 }))).resolves.toEqual({ ok: true, data: 42 })
    expect(dispatch).toHaveBeenCalledWith('customers:get', { id: 7 }, { url: mainFrame.url, isTopFrame: true })
  })

  it('marks calls from subframes and vanished frames as such', () => {
    const mainFrame = { url: 'file:///app/out/renderer/index.html' }
    const child = { url: 'file:///app/out/renderer/index.html' }
    expect(senderInfo({ sender: { mainFrame }, senderFrame: child } as never)).toEqual({ url: child.url, isTopFrame: false })
    expect(senderInfo({ sender: { mainFrame }, senderFrame: null } as never)).toEqual({ url: '', isTopFrame: false })
  })

  it('unregisters every channel', () => {
    const { ipcMain, handled } = fakeIpcMain()
    const registered = registerIpc(ipcMain, vi.fn())
    registered.unregister()
    expect(handled.size).toBe(0)
    // Registering again after unregistering must not throw (e.g. a re-created core).
    expect(() => registerIpc(ipcMain, vi.fn())).not.toThrow()
  })
})
