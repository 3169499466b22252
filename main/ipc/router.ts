import type { z } from 'zod'
import { contract, isChannel, type ApiError, type Channel, type Output, type ParsedInput, type Result } from '../../preload/contract'
import type { ServiceContext } from '../services/context'
import { apiErrorOf } from '../services/errors'
import type { DeskSession } from '../services/staff/session'
import { LOCKED, SIGNED_OUT, passesLock, roleRefusal, ruleFor, staticRule } from './access'

export type Handler<C extends Channel> = (ctx: ServiceContext, input: ParsedInput<C>) => Output<C> | Promise<Output<C>>

/** One handler per contract channel; a missing one fails to compile. */
export type HandlerMap = { [C in Channel]: Handler<C> }

/** Who sent a call: the sending frame's URL and whether it is the top-level frame. */
export interface SenderInfo {
  url: string
  isTopFrame: boolean
}

export interface RouterOptions {
  handlers: HandlerMap
  context: () => ServiceContext
  isTrustedSender: (sender: SenderInfo) => boolean
  /** Receives unexpected errors; must not log personal data (see main/log.ts). */
  onUnexpectedError?: (channel: string, error: unknown) => void
  /**
   * Who is at the desk, checked against main/ipc/access.ts before every
   * handler. Left out only where the router itself is under test.
   */
  desk?: { session: DeskSession; lockAfterMinutes: () => Promise<number> }
}

export type Dispatch = (channel: unknown, input: unknown, sender: SenderInfo) => Promise<Result<unknown>>

/** Enough to point at what is wrong; an input with a million stray keys must not become a million-line answer. */
export const MAX_REPORTED_FIELDS = 20

export function zodToApiError(error: z.ZodError): ApiError {
  // A Map, so that paths such as "__proto__" or "constructor" are recorded like any other.
  const found = new Map<string, string>()
  const note = (path: string, message: string) => {
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path
    if (!found.has(shown)) found.set(shown, message)
  }
  for (const issue of error.issues) {
    if (found.size >= MAX_REPORTED_FIELDS) break
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        if (found.size >= MAX_REPORTED_FIELDS) break
        note([...issue.path, key].join('.'), `"${key.slice(0, 60)}" is not a field here.`)
      }
      continue
    }
    note(issue.path.join('.') || 'input', issue.message)
  }
  const fields: Record<string, string> = Object.fromEntries(found)
  const paths = [...found.keys()]
  const first = paths[0]
  const message =
    paths.length === 1 && first ? (fields[first] ?? 'Please check your input.') : 'Please correct the highlighted fields.'
  return { code: 'VALIDATION', message, ...(first ? { field: first, fields } : {}) }
}

/**
 * The one door from the renderer into the services: checks the sender,
 * validates the input against the contract, runs the handler, and turns every
 * failure into a serialisable ApiError (never a stack).
 */
export function createRouter(options: RouterOptions): Dispatch {
  const { handlers, context, isTrustedSender, onUnexpectedError, desk } = options
  return async (channel, input, sender) => {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Unknown request.' } }
    }
    if (!isTrustedSender(sender)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Request refused: it did not come from Frontdesk.' } }
    }
    const rule = staticRule(channel)
    if (desk) {
      // Before the input is read: someone not signed in learns nothing about the request.
      const { session } = desk
      if (session.person && !session.locked) session.noteCall(await desk.lockAfterMinutes(), rule !== 'public')
      const person = session.person
      if (rule !== 'public') {
        if (!person) return { ok: false, error: SIGNED_OUT }
        if (session.locked && !passesLock(channel)) return { ok: false, error: LOCKED }
        const refused = rule ? roleRefusal(rule, person.role) : null
        if (refused) return { ok: false, error: refused }
      }
    }
    const parsed = contract[channel].input.safeParse(input)
    if (!parsed.success) {
      return { ok: false, error: zodToApiError(parsed.error) }
    }
    const person = desk?.session.person
    if (person && rule === null) {
      // Channels where only some inputs need more rights decide on the validated input.
      const refused = roleRefusal(ruleFor(channel, parsed.data as never), person.role)
      if (refused) return { ok: false, error: refused }
    }
    try {
      const handler = handlers[channel] as (ctx: ServiceContext, input: unknown) => unknown
      const data = await handler(context(), parsed.data)
      return { ok: true, data }
    } catch (thrown) {
      const { error, expected } = apiErrorOf(thrown)
      if (!expected) onUnexpectedError?.(channel, thrown)
      return { ok: false, error }
    }
  }
}
