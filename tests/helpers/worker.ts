import { dirname, join } from 'node:path'
import { buildSync } from 'esbuild'
import type { WorkerScript } from '../../main/jobs/runner'
import { writeCachedLoader } from './cachedLoader'

/*
 * The job worker as the app runs it: one bundled script. electron-vite builds
 * it for the app; tests, the benchmark and the end-to-end fixture build the
 * same entry with esbuild once per run (a worker thread cannot load
 * TypeScript, and bundling keeps its start-up to a fraction of a second).
 */
const root = join(__dirname, '..', '..')
const outFile = join(root, 'out', 'test-worker', 'jobs-worker.js')
const loaderFile = join(root, 'out', 'test-worker', 'jobs-worker-cached.js')

export function buildTestWorker(): string {
  buildSync({
    entryPoints: [join(root, 'main', 'jobs', 'worker.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The same modules stay outside as in the app's bundle (its dependencies are all external there);
    // pg must be the one Knex loads, or its number parsing (db/connection.ts) would not apply.
    external: ['better-sqlite3', 'knex', 'pg', 'sharp'],
    // No source map: inline it nearly quadrupled the file (8 → 29 MB) and added 0.3–1 s to every worker's
    // start (1 s where source maps are on, as under tsx). The unminified bundle names each module in comments.
    sourcemap: false,
    logLevel: 'warning',
  })
  // The tests start a worker for nearly every core that runs a job: 1.2 s → 0.7 s each with V8's cache.
  writeCachedLoader(outFile, loaderFile)
  buildJobThreads(dirname(outFile))
  return outFile
}

/** The threads long work starts beside its own (main/services/threads.ts), as out/main has them. */
const JOB_THREADS = {
  'import-checker.js': join(root, 'main', 'services', 'imports', 'checkerThread.ts'),
  'export-half.js': join(root, 'main', 'services', 'exports', 'halfThread.ts'),
  'import-search.js': join(root, 'main', 'services', 'imports', 'searchThread.ts'),
}

/** The job threads' bundles, beside the bundle that starts them. */
export function buildJobThreads(folder: string): void {
  for (const [name, entry] of Object.entries(JOB_THREADS)) {
    buildSync({
      entryPoints: [entry],
      outfile: join(folder, name),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['better-sqlite3', 'knex', 'pg', 'sharp'],
      logLevel: 'warning',
    })
  }
}

export const testWorker: WorkerScript = { path: loaderFile }
