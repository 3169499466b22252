import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import type { Channel, Input, Output, Result } from '../../preload/contract'

export interface TestCore extends FrontdeskCore {
  /** Calls a channel through the real router as the app's own page would. */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Result<Output<C>>>
  /** Like call, but returns the data and throws on an error result. */
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>
  cleanup(): Promise<void>
}

/** A real Frontdesk core on a fresh SQLite file in a temp folder. */
export async function openTestCore(options: { clock?: () => Date } = {}): Promise<TestCore> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-test-'))
  const core = await openFrontdesk({ dataFile: join(dir, 'frontdesk.sqlite3'), isTrustedSender: () => true, clock: options.clock })
  const call = <C extends Channel>(channel: C, input: Input<C>) =>
    core.dispatch(channel, input, { url: 'app://test', isTopFrame: true }) as Promise<Result<Output<C>>>
  return {
    ...core,
    call,
    async invoke(channel, input) {
      const result = await call(channel, input)
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.fields ?? {})}`)
      return result.data
    },
    async cleanup() {
      await core.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
