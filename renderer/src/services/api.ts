import type { Channel, Input, MenuEvent, Output, Result } from '../../../preload/contract'
import { ApiFailure } from './failure'
import type { FrontdeskApi } from '../../../preload/contract/api'

export type { FrontdeskApi }
export { ApiFailure, messageOf } from './failure'

/** The preload's bridge (declared here rather than through the DOM's Window, so unit tests can run this module in Node). */
declare const window: { api?: FrontdeskApi }

function bridge(): FrontdeskApi {
  if (!window.api) throw new ApiFailure({ code: 'INTERNAL', message: 'Frontdesk is not connected to its data.' })
  return window.api
}

/** Why main refused a call for want of someone at the desk. */
export type SessionLoss = 'signedOut' | 'locked'

/**
 * Shows the sign-in or lock screen and settles once the same person is back
 * (the refused call is then sent again: main changed nothing). When someone
 * else signs in instead, the window starts afresh and the call is dropped.
 */
let sessionGuard: ((loss: SessionLoss) => Promise<void>) | null = null

export function guardSession(guard: (loss: SessionLoss) => Promise<void>): void {
  sessionGuard = guard
}

/** Channels that are themselves the way back in: their refusals go to the screen that sent them. */
const isSessionChannel = (channel: Channel) => /^staff:(session|setUp|signIn|signOut|lock|unlock)$/.test(channel)

/** When the desk last sent main a call that counts as use (main locks the desk after a while without one). */
let lastUseAt = Date.now()

/** Milliseconds since main last heard from the desk. */
export function sinceLastCall(): number {
  return Date.now() - lastUseAt
}

async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>> {
  if (channel !== 'staff:session') lastUseAt = Date.now()
  try {
    return await bridge().invoke(channel, input)
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    throw new ApiFailure({ code: 'INTERNAL', message: 'Something went wrong talking to the data file. Please try again.' })
  }
}

/**
 * Calls one contract channel. Resolves with the data, or throws `ApiFailure`.
 * This module is the only place in the renderer that touches `window.api`.
 * A call refused because no one is signed in or the desk is locked waits
 * for the person to sign in or unlock, then goes through as if nothing happened.
 */
export async function invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  for (;;) {
    const result = await call(channel, input)
    if (result.ok) return result.data
    const { code } = result.error
    if ((code === 'SIGNED_OUT' || code === 'LOCKED') && sessionGuard && !isSessionChannel(channel)) {
      await sessionGuard(code === 'LOCKED' ? 'locked' : 'signedOut')
      continue
    }
    throw new ApiFailure(result.error)
  }
}

/** Subscribes to a menu command from the main process; returns the unsubscribe function. */
export function onMenu(event: MenuEvent, cb: () => void): () => void {
  if (!window.api?.on) return () => {}
  return window.api.on(event, cb)
}
