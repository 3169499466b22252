/*
 * Limits for readers of files we do not control: a damaged workbook must fail in seconds with a sentence, never leave
 * the desk watching a progress bar that no longer moves.
 */

/** Iterates `source`, failing with `problem()` when the next item takes longer than `idleMs` to come; `onStall` frees what the reader holds. */
export async function* withIdleLimit<T>(source: AsyncIterable<T>, idleMs: number, problem: () => Error, onStall: () => void): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  let waitingSince = 0
  let stall: ((error: Error) => void) | null = null
  const timer = setInterval(() => {
    if (stall && Date.now() - waitingSince > idleMs) {
      onStall()
      stall(problem())
    }
  }, Math.max(10, Math.min(1000, idleMs / 4)))
  timer.unref()
  let finished = false
  try {
    for (;;) {
      // A fresh promise per wait: racing every step against one long-lived promise would keep every step's result
      // (every row) reachable from it until the end.
      const stalled = new Promise<never>((_, reject) => (stall = reject))
      waitingSince = Date.now()
      const step = await Promise.race([iterator.next(), stalled])
      stall = null
      if (step.done) {
        finished = true
        return
      }
      yield step.value
    }
  } finally {
    clearInterval(timer)
    // A stalled reader may never answer return(): ask it to stop, but do not wait for it.
    if (!finished) iterator.return?.()?.catch(() => {})
  }
}

/** `work`, or `problem()` if it takes longer than `limitMs`; `onTimeout` frees what the work holds. */
export async function withTimeLimit<T>(work: Promise<T>, limitMs: number, problem: () => Error, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout()
      reject(problem())
    }, limitMs)
  })
  // Whichever loses the race must not surface later as an unhandled rejection.
  work.catch(() => {})
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
