import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { channels, type Channel } from '../../preload/contract/channels'
import type { Dispatch, SenderInfo } from './router'

/**
 * Who sent an invoke. `senderFrame` is null when the frame navigated away or
 * was destroyed before the message was handled; such a call gets an empty URL
 * and is refused by the router's sender check.
 */
export function senderInfo(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): SenderInfo {
  const frame = event.senderFrame
  return {
    url: frame?.url ?? '',
    isTopFrame: frame !== null && frame === event.sender.mainFrame,
  }
}

export interface RegisteredIpc {
  channels: readonly Channel[]
  /** Removes every handler again (tests, or a window-less shutdown). */
  unregister: () => void
}

/** Registers exactly the contract's channels; everything else stays unanswered. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatch): RegisteredIpc {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => dispatch(channel, input, senderInfo(event)))
  }
  return {
    channels: [...channels],
    unregister: () => {
      for (const channel of channels) ipcMain.removeHandler(channel)
    },
  }
}
