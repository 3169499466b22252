import type { Dispatch } from '../../main/ipc/router'
import type { BackupMade, Channel, Input, Output, Result } from '../../preload/contract'
import { finishJob } from './core'

/** Anything that answers channels as the app's window would: a core, or a data layer that reopens under it. */
export type Caller = { dispatch: Dispatch }

const sender = { url: 'app://test', isTopFrame: true }

/** Calls a channel as the window would; the raw `{ ok, data | error }` result. */
export function callOn<C extends Channel>(on: Caller, channel: C, input: Input<C>): Promise<Result<Output<C>>> {
  return on.dispatch(channel, input, sender) as Promise<Result<Output<C>>>
}

/** Calls a channel; throws `channel: CODE message` when refused. */
export async function invokeOn<C extends Channel>(on: Caller, channel: C, input: Input<C>): Promise<Output<C>> {
  const result = await callOn(on, channel, input)
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`)
  return result.data
}

/** Backs up now and waits for the job; throws unless it was made. */
export async function backUpOn(on: Caller, input: Input<'backups:create'>): Promise<BackupMade> {
  const status = await finishJob((c, i) => callOn(on, c, i), await invokeOn(on, 'backups:create', input))
  if (status.state !== 'done') throw new Error(`backup ${status.state}: ${status.error?.message}`)
  return status.result as BackupMade
}
