/** Timing helpers shared by the benchmark's parts: warm once, run each case `repeat` times, keep p50/p95. */
const ms = (ns: bigint) => Number(ns) / 1e6
const fmt = (n: number) => n.toFixed(2).padStart(8)
const rows: Array<[string, string, string, string, string]> = []

/**
 * The engine measured now: measures taken on PostgreSQL are also kept by
 * label, so the table can print them beside the same measure on SQLite.
 */
let engine: 'SQLite' | 'PostgreSQL' = 'SQLite'
const byEngine = new Map<string, { target: number; SQLite?: number; PostgreSQL?: number }>()

/** The target kept beside each engine's figure is PostgreSQL's when it differs (a search: 20 ms there). */

export function measureOn(next: 'SQLite' | 'PostgreSQL'): void {
  engine = next
}

export function currentEngine(): 'SQLite' | 'PostgreSQL' {
  return engine
}

function keep(label: string, target: number, p95: number): void {
  const entry = byEngine.get(label) ?? { target }
  entry[engine] = p95
  if (engine === 'PostgreSQL') entry.target = target
  byEngine.set(label, entry)
}

/** The p-th percentile of samples sorted in ascending order. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint()
  const result = await fn()
  return [ms(process.hrtime.bigint() - start), result]
}

/** p50/p95 of samples taken elsewhere (e.g. in the browser). */
export function recordSamples(label: string, samples: number[], target: number): void {
  if (!samples.length) return skipped(label, 'no sample')
  const sorted = [...samples].sort((a, b) => a - b)
  const p95 = percentile(sorted, 95)
  rows.push([tagged(label), fmt(percentile(sorted, 50)), fmt(p95), `< ${target}`, p95 < target ? 'ok' : 'SLOW'])
  keep(label, target, p95)
}

export async function measure(label: string, target: number, runs: Array<() => Promise<unknown>>, repeat = 10): Promise<void> {
  for (const run of runs) await run() // warm the page cache once
  const samples: number[] = []
  for (let i = 0; i < repeat; i++) for (const run of runs) samples.push((await time(run))[0])
  samples.sort((a, b) => a - b)
  const p95 = percentile(samples, 95)
  rows.push([tagged(label), fmt(percentile(samples, 50)), fmt(p95), `< ${target}`, p95 < target ? 'ok' : 'SLOW'])
  keep(label, target, p95)
}

const tagged = (label: string) => (engine === 'PostgreSQL' ? `[PostgreSQL] ${label}` : label)

/** A line in the table for something that could not be measured, with the reason. */
export function skipped(label: string, reason: string): void {
  rows.push([tagged(label), '       -', '       -', reason, ''])
}

export function printTable(): void {
  console.log(`\n${'measure'.padEnd(72)}  p50 ms    p95 ms   target  `)
  for (const [label, p50, p95, target, verdict] of rows) console.log(`${label.padEnd(72)}${p50}  ${p95}  ${target.padEnd(7)} ${verdict}`)
  const both = [...byEngine].filter(([, entry]) => entry.PostgreSQL !== undefined)
  if (!both.length) return
  console.log(`\n${'the same measure on both engines (p95)'.padEnd(72)}  SQLite  PostgreSQL  target`)
  for (const [label, entry] of both) {
    const sqlite = entry.SQLite === undefined ? '       -' : fmt(entry.SQLite)
    console.log(`${label.padEnd(72)}${sqlite}  ${fmt(entry.PostgreSQL!)}    < ${String(entry.target).padEnd(5)} ${entry.PostgreSQL! < entry.target ? 'ok' : 'SLOW'}`)
  }
}

/** A figure measured once (or the worst of several), with a note in the target column. */
export function record(label: string, ms: number, note: string, target?: number): void {
  const verdict = target === undefined ? '' : ms < target ? 'ok' : 'SLOW'
  rows.push([tagged(label), '       -', fmt(ms), target === undefined ? note : `< ${target}  ${note}`, verdict])
}
