import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { channels, menuEvents } from '../../preload/contract/channels'

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((..._args: unknown[]) => Promise.resolve({ ok: true, data: 'from main' })),
  on: vi.fn(),
  removeListener: vi.fn(),
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: { invoke: electron.invoke, on: electron.on, removeListener: electron.removeListener },
}))

await import('../../preload/index')

interface ExposedApi {
  invoke: (channel: unknown, input?: unknown) => Promise<unknown>
  on: (event: unknown, callback: unknown) => () => void
}
const api = electron.exposed.get('api') as ExposedApi

describe('preload', () => {
  it('exposes exactly invoke and on as window.api', () => {
    expect([...electron.exposed.keys()]).toEqual(['api'])
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
  })

  it('forwards every contract channel to main', async () => {
    for (const channel of channels) {
      electron.invoke.mockClear()
      await expect(api.invoke(channel, { id: 1 })).resolves.toEqual({ ok: true, data: 'from main' })
      expect(electron.invoke).toHaveBeenCalledWith(channel, { id: 1 })
    }
  })

  it('rejects channels outside the contract without calling main', async () => {
    electron.invoke.mockClear()
    await expect(api.invoke('fs:readFile', '/etc/passwd')).rejects.toThrow(/no channel "fs:readFile"/)
    await expect(api.invoke('menu:new-customer')).rejects.toThrow(Error)
    await expect(api.invoke({ toString: () => 'customers:list' })).rejects.toThrow(/no channel object/)
    await expect(api.invoke(undefined)).rejects.toThrow(Error)
    expect(electron.invoke).not.toHaveBeenCalled()
  })

  it('subscribes to menu events without leaking the IPC event, and unsubscribes', () => {
    for (const event of menuEvents) {
      electron.on.mockClear()
      electron.removeListener.mockClear()
      const callback = vi.fn()
      const unsubscribe = api.on(event, callback)
      expect(electron.on).toHaveBeenCalledWith(event, expect.any(Function))
      const listener = electron.on.mock.calls[0]?.[1] as (...args: unknown[]) => void
      listener({ sender: 'ipc-renderer-internals' }, 'extra')
      expect(callback).toHaveBeenCalledOnce()
      expect(callback.mock.calls[0]).toEqual([])
      unsubscribe()
      expect(electron.removeListener).toHaveBeenCalledWith(event, listener)
    }
  })

  it('refuses events outside the menu list and non-function callbacks', () => {
    electron.on.mockClear()
    expect(() => api.on('customers:list', () => undefined)).toThrow(/no event/)
    expect(() => api.on('ipc-internal', () => undefined)).toThrow(/no event/)
    expect(() => api.on('menu:new-customer', 'alert(1)')).toThrow(/callback/)
    expect(electron.on).not.toHaveBeenCalled()
  })

  it('imports nothing but electron and the channel list (the sandbox allows no more)', () => {
    const source = readFileSync(join(__dirname, '../../preload/index.ts'), 'utf8')
    const imports = [...source.matchAll(/(?:import|from|require\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1])
    expect(imports.sort()).toEqual(['./contract/channels', 'electron'])
    const channelsSource = readFileSync(join(__dirname, '../../preload/contract/channels.ts'), 'utf8')
    expect(channelsSource).not.toMatch(/^\s*import\s/m)
  })
})
