import pg from 'pg'
import { CHANGES_CHANNEL, parseChangeNotice, type ChangeNotice } from '../db/dialects/postgresNotify'

/**
 * The desk's own line to the server for what other desks change: a connection
 * of its own (outside the pool) that LISTENs for the notices the triggers send,
 * and that, by answering a small query every few seconds, also says whether
 * the server can be reached. Lost, it is tried again every second or so until
 * the server is back; once back, everything shown may be out of date, so a
 * "many changed" notice follows.
 */
export interface LiveChanges {
  /** Whether the server answered lately. */
  readonly reachable: boolean
  /** Called with each notice (but those of `isOwnConnection`'s writes); returns the unsubscribe function. */
  subscribe(listener: (notice: ChangeNotice) => void): () => void
  /** Called when the server stops or starts answering. */
  onReachable(listener: (reachable: boolean) => void): () => void
  /** Resolves once listening (or at once when already); for tests. */
  ready(): Promise<void>
  close(): Promise<void>
}

export interface LiveChangesOptions {
  /** How often the line is checked with a query (default 3 s). */
  checkEveryMs?: number
  /** Wait before trying again after losing the server (default 1 s, doubling to 5 s). */
  retryMs?: number
  /** A query unanswered this long counts as the server lost (default 4 s). */
  answerWithinMs?: number
  onError?: (error: unknown) => void
  /**
   * Whether a server process (the one that sent a notice, as the server names
   * it) is one of this desk's own connections: its writes are on this desk's
   * screens already, so their notices are dropped. Default: none is.
   */
  isOwnConnection?: (pid: number) => boolean
}

export function listenForChanges(url: string, options: LiveChangesOptions = {}): LiveChanges {
  const checkEveryMs = options.checkEveryMs ?? 3000
  const firstRetryMs = options.retryMs ?? 1000
  const answerWithinMs = options.answerWithinMs ?? 4000
  const listeners = new Set<(notice: ChangeNotice) => void>()
  const reachableListeners = new Set<(reachable: boolean) => void>()
  let reachable = true
  let closed = false
  let client: pg.Client | null = null
  let retryMs = firstRetryMs
  let retry: NodeJS.Timeout | undefined
  let check: NodeJS.Timeout | undefined
  let listening!: () => void
  let isListening = new Promise<void>((resolve) => (listening = resolve))
  let everConnected = false

  const setReachable = (value: boolean) => {
    if (value === reachable) return
    reachable = value
    for (const listener of reachableListeners) listener(value)
  }
  const tell = (notice: ChangeNotice) => {
    for (const listener of listeners) listener(notice)
  }

  const drop = (error?: unknown) => {
    if (error && !closed) options.onError?.(error)
    const lost = client
    client = null
    clearInterval(check)
    lost?.removeAllListeners()
    // A dead connection's end is not waited for: it may never come.
    lost?.on('error', () => {})
    void lost?.end().catch(() => {})
    if (closed) return
    setReachable(false)
    isListening = new Promise<void>((resolve) => (listening = resolve))
    clearTimeout(retry)
    retry = setTimeout(() => void connect(), retryMs)
    retry.unref()
    retryMs = Math.min(retryMs * 2, 5000)
  }

  const connect = async () => {
    if (closed) return
    const next = new pg.Client({ connectionString: url, application_name: 'Frontdesk live changes', connectionTimeoutMillis: answerWithinMs, keepAlive: true })
    next.on('error', (error) => {
      if (client === next) drop(error)
    })
    next.on('end', () => {
      if (client === next) drop()
    })
    next.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL) return
      if (options.isOwnConnection?.(message.processId)) return
      const notice = parseChangeNotice(message.payload)
      if (notice) tell(notice)
    })
    client = next
    try {
      await next.connect()
      await next.query(`LISTEN ${CHANGES_CHANNEL}`)
    } catch (error) {
      if (client === next) drop(error)
      else void next.end().catch(() => {})
      return
    }
    if (closed || client !== next) {
      void next.end().catch(() => {})
      return
    }
    retryMs = firstRetryMs
    setReachable(true)
    // Whatever changed while the line was down was not told: everything shown is read again.
    if (everConnected) tell({ table: 'customers', customers: null })
    everConnected = true
    listening()
    check = setInterval(() => void probe(next), checkEveryMs)
    check.unref()
  }

  const probe = async (on: pg.Client) => {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('The database server did not answer')), answerWithinMs)
    })
    try {
      await Promise.race([on.query('SELECT 1'), late])
    } catch (error) {
      if (client === on) drop(error)
    } finally {
      clearTimeout(timer)
    }
  }

  void connect()

  return {
    get reachable() {
      return reachable
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    onReachable(listener) {
      reachableListeners.add(listener)
      return () => void reachableListeners.delete(listener)
    },
    ready: () => isListening,
    async close() {
      closed = true
      clearTimeout(retry)
      clearInterval(check)
      const last = client
      client = null
      if (last) {
        last.removeAllListeners()
        last.on('error', () => {})
        await last.end().catch(() => {})
      }
      listening()
    },
  }
}
