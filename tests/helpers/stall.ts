/**
 * The longest the main thread went without running a timer while `work` ran:
 * how long the window would have stopped answering. Also the work's own time.
 */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; ms: number }> {
  const started = performance.now()
  let last = started
  let stallMs = 0
  const tick = setInterval(() => {
    const now = performance.now()
    stallMs = Math.max(stallMs, now - last)
    last = now
  }, 2)
  try {
    const result = await work()
    const end = performance.now()
    return { result, stallMs: Math.max(stallMs, end - last), ms: end - started }
  } finally {
    clearInterval(tick)
  }
}
