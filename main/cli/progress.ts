import { SingleBar, Presets } from 'cli-progress'
import { Cancelled, type Progress } from '../services/progress'

/**
 * Progress on a terminal: a bar with the count, the rate and the time left,
 * on standard error so standard output stays the outcome. None with --json or
 * when not on a terminal. Ctrl+C is heard at the work's next check.
 */
const bars = new Set<SingleBar>()

/** Ends every bar, before the outcome is printed. */
export function stopProgressBars(): void {
  for (const bar of bars) bar.stop()
  bars.clear()
}

export function terminalProgress(quiet: boolean, label: string, cancelled: () => boolean = () => false): Progress {
  const show = !quiet && process.stderr.isTTY
  let bar: SingleBar | undefined
  let phase = ''
  return {
    report(done, total, step = '') {
      if (!show) return
      if (!bar || step !== phase) {
        bar?.stop()
        phase = step
        bar = new SingleBar(
          { format: `${label}${step ? ` — ${step}` : ''} [{bar}] {value}/{total} · {rate}/s · {eta_formatted} left`, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
          Presets.shades_classic,
        )
        bar.start(Math.max(total, 1), done, { rate: '0' })
        bars.add(bar)
      }
      bar.setTotal(Math.max(total, 1))
      const elapsed = (Date.now() - (bar as unknown as { startTime: number }).startTime) / 1000
      bar.update(done, { rate: elapsed > 0 ? Math.round(done / elapsed).toLocaleString('en-GB') : '0' })
    },
    checkCancelled() {
      if (cancelled()) {
        bar?.stop()
        throw new Cancelled()
      }
    },
    waitForWriteTurn: () => Promise.resolve(),
  }
}
