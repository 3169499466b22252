import type { Channel, Input, MenuEvent, Output, Result } from '../../../preload/contract'
import { ApiFailure } from './failure'
import type { FrontdeskApi } from '../../../preload/contract/api'

export type { FrontdeskApi }
export { ApiFailure, messageOf } from './failure'

function bridge(): FrontdeskApi {
  if (!window.api) throw new ApiFailure({ code: 'INTERNAL', message: 'Frontdesk is not connected to its data.' })
  return window.api
}

/**
 * Calls one contract channel. Resolves with the data, or throws `ApiFailure`.
 * This module is the only place in the renderer that touches `window.api`.
 */
export async function invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  let result: Result<Output<C>>
  try {
    result = await bridge().invoke(channel, input)
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    throw new ApiFailure({ code: 'INTERNAL', message: 'Something went wrong talking to the data file. Please try again.' })
  }
  if (!result.ok) throw new ApiFailure(result.error)
  return result.data
}

/** Subscribes to a menu command from the main process; returns the unsubscribe function. */
export function onMenu(event: MenuEvent, cb: () => void): () => void {
  if (!window.api?.on) return () => {}
  return window.api.on(event, cb)
}
