/**
 * The sandboxed preload: it may load only `electron` and the import-free
 * channel list. It adds no logic — main validates everything again.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { isChannel, isMenuEvent } from './contract/channels'

const describe = (value: unknown): string => (typeof value === 'string' ? `"${value.slice(0, 60)}"` : typeof value)

const api = {
  invoke(channel: unknown, input?: unknown): Promise<unknown> {
    if (!isChannel(channel)) {
      return Promise.reject(new Error(`Frontdesk has no channel ${describe(channel)}.`))
    }
    return ipcRenderer.invoke(channel, input)
  },

  on(event: unknown, callback: unknown): () => void {
    if (!isMenuEvent(event)) throw new Error(`Frontdesk has no event ${describe(event)}.`)
    if (typeof callback !== 'function') throw new Error('Frontdesk events need a callback function.')
    // The IpcRendererEvent (with its `sender`) must not reach the page.
    const listener = () => callback()
    ipcRenderer.on(event, listener)
    return () => {
      ipcRenderer.removeListener(event, listener)
    }
  },
}

contextBridge.exposeInMainWorld('api', api)
