import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { platform, setPriority } from 'node:os'
import { join } from 'node:path'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/*
 * Threads that long work (an import's checking, an export's second half)
 * starts beside its own. Each is a script of its own: in the app, a bundle
 * beside the job worker's (out/main); run from the sources (`npm run cli`,
 * the tests), the TypeScript file through tsx's loader.
 */

/** A thread's young generation unless told: V8's default (16 MB and more) made an import's checking thread about 65 MB at its peak; 8 MB, 25 MB, as quick. */
const YOUNG_GENERATION_MB = 8

/** A thread's memory: its young generation's size, and an old generation's limit (none: V8's own). */
export interface ThreadMemory {
  youngGenerationMb?: number
  oldGenerationMb?: number
}

/**
 * Starts the thread whose source is `source` (a .ts file beside the caller) and whose bundle is
 * `bundled` (a .js file beside the running bundle); null when neither can run here. An old
 * generation's limit far above what the thread holds makes V8 collect before it grows.
 */
export function startThread(
  bundled: string,
  source: string,
  options: Omit<WorkerOptions, 'eval' | 'resourceLimits'>,
  { youngGenerationMb = YOUNG_GENERATION_MB, oldGenerationMb }: ThreadMemory = {},
): Worker | null {
  const resourceLimits = { maxYoungGenerationSizeMb: youngGenerationMb, ...(oldGenerationMb ? { maxOldGenerationSizeMb: oldGenerationMb } : {}) }
  const script = join(__dirname, bundled)
  if (existsSync(script)) return new Worker(script, { ...options, resourceLimits })
  if (!source.endsWith('.ts') || !existsSync(source)) return null
  try {
    // A thread cannot load TypeScript without a loader of its own.
    const loader = createRequire(source).resolve('tsx/cjs/api')
    const code = `require(${JSON.stringify(loader)}).register(); require(${JSON.stringify(source)})`
    return new Worker(code, { ...options, eval: true, resourceLimits })
  } catch {
    return null
  }
}

/** Called first thing in such a thread: on Linux a thread's priority is its own (elsewhere the whole process's), so the desk's searches come first. */
export function yieldToTheDesk(): void {
  if (platform() !== 'linux') return
  try {
    setPriority(10)
  } catch {
    // Not allowed here: the thread works at the desk's priority.
  }
}
