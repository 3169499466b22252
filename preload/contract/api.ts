import type { Channel, MenuEvent } from './channels'
import type { Input, Output } from './index'
import type { Result } from './schemas/common'

/**
 * What the preload exposes as `window.api` (and what the Playwright fixture
 * imitates). Type-only: the sandboxed preload cannot load zod at run time.
 */
export interface FrontdeskApi {
  /** Resolves with `{ ok: false, error }` for refused or failed calls; rejects only for unknown channels. */
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>
  /** Subscribes to a menu command; returns the unsubscribe function. */
  on(event: MenuEvent, callback: () => void): () => void
}
