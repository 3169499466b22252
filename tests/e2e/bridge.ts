import type { Page } from '@playwright/test'
import type { FrontdeskCore } from '../../main/app-core'
import { channels, menuEvents, type Channel } from '../../preload/contract'

/*
 * The Playwright stand-in for Electron's preload: `window.api` with the
 * preload's shape, each call forwarded through `page.exposeBinding` to the
 * real router. Sender checks stay on: the binding reports the calling frame's
 * real URL, as Electron's `event.senderFrame` would. Used by the end-to-end
 * fixture and by the benchmark's keystroke-to-screen measure.
 *
 * Answers cross as JSON text: Playwright's own serialisation of a page of 50
 * rows took 15–20 ms (Electron's structured clone takes a fraction of a
 * millisecond), which would have been measured as the app's own slowness.
 * What structured clone keeps and JSON would lose (bytes, dates) is tagged on
 * the way out and restored in the page.
 */

/** The tag marking a value JSON cannot carry as itself. */
const TAG = '\u0000frontdesk'

/** JSON text of an answer, with Uint8Array and Date tagged so the page gets them back as they were. */
export function encodeAnswer(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
    const raw = this[key]
    if (raw instanceof Uint8Array) return { [TAG]: 'bytes', base64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') }
    if (raw instanceof Date) return { [TAG]: 'date', iso: raw.toISOString() }
    return current
  })
}

/** Runs in the page before any of its scripts; mirrors preload/index.ts. */
function installApi(allowed: { channels: readonly string[]; menuEvents: readonly string[]; tag: string; taggedInJson: string }): void {
  type Callback = () => void
  const page = globalThis as unknown as Record<string, unknown> & {
    __frontdeskInvoke: (channel: string, input: unknown) => Promise<string>
  }
  const listeners = new Map<string, Set<Callback>>()
  page['api'] = Object.freeze({
    invoke(channel: unknown, input?: unknown): Promise<unknown> {
      if (typeof channel !== 'string' || !allowed.channels.includes(channel)) {
        return Promise.reject(new Error(`Frontdesk has no channel ${JSON.stringify(String(channel).slice(0, 60))}.`))
      }
      // Most answers hold nothing tagged: parsed without a reviver, which would be called for every value.
      return page.__frontdeskInvoke(channel, input).then((text) =>
        !text.includes(allowed.taggedInJson)
          ? JSON.parse(text)
          : JSON.parse(text, (_key, value: unknown) => {
              if (!value || typeof value !== 'object' || !(allowed.tag in value)) return value
              const tagged = value as Record<string, string>
              if (tagged[allowed.tag] === 'date') return new Date(tagged['iso']!)
              return Uint8Array.from(atob(tagged['base64']!), (c) => c.charCodeAt(0))
            }),
      )
    },
    on(event: unknown, callback: unknown): () => void {
      if (typeof event !== 'string' || !allowed.menuEvents.includes(event)) {
        throw new Error(`Frontdesk has no event ${JSON.stringify(String(event))}.`)
      }
      if (typeof callback !== 'function') throw new Error('Frontdesk events need a callback function.')
      const listener = () => callback()
      const set = listeners.get(event) ?? new Set<Callback>()
      set.add(listener)
      listeners.set(event, set)
      return () => {
        set.delete(listener)
      }
    },
  })
  page['__frontdeskEmitMenu'] = (event: string) => {
    for (const listener of listeners.get(event) ?? []) listener()
  }
}

/** Milliseconds by which the page's answers on a channel arrive late, to show what a slow backend does to a screen. */
export type SlowChannels = Partial<Record<Channel, number>>

/** `core`: a core, or the data layer that replaces its core on a restore (calls always reach the one open now). */
export async function connectPage(page: Page, core: Pick<FrontdeskCore, 'dispatch'>, slowChannels: SlowChannels = {}): Promise<void> {
  await page.exposeBinding('__frontdeskInvoke', async (source, channel: unknown, input: unknown) => {
    const result = await core.dispatch(channel, input, { url: source.frame.url(), isTopFrame: source.frame === source.page.mainFrame() })
    const delay = typeof channel === 'string' ? (slowChannels[channel as Channel] ?? 0) : 0
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    return encodeAnswer(result)
  })
  // Run under tsx (the benchmark), esbuild keeps function names by wrapping them in a `__name` helper that the page lacks.
  await page.addInitScript('globalThis.__name ??= (target) => target')
  await page.addInitScript(installApi, { channels: [...channels], menuEvents: [...menuEvents], tag: TAG, taggedInJson: JSON.stringify(TAG).slice(1, -1) })
}

