import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import type { WorkerScript } from '../../main/jobs/runner'

/*
 * The job worker as the app runs it: one bundled script. electron-vite builds
 * it for the app; tests, the benchmark and the end-to-end fixture build the
 * same entry with esbuild once per run (a worker thread cannot load
 * TypeScript, and bundling keeps its start-up to a fraction of a second).
 */
const root = join(__dirname, '..', '..')
const outFile = join(root, 'out', 'test-worker', 'jobs-worker.js')
const loaderFile = join(root, 'out', 'test-worker', 'jobs-worker-cached.js')

/*
 * The tests start a worker for nearly every core that runs a job: compiling the 8 MB bundle took
 * a third of each start (1.2 s → 0.7 s with the cache). The loader runs the bundle as Node would
 * (a CommonJS module in its folder) but hands V8 the code it compiled the first time; a cache
 * from another bundle is refused by V8 and made again.
 */
const CACHED_LOADER = `'use strict'
const { readFileSync, renameSync, writeFileSync } = require('node:fs')
const { dirname, join } = require('node:path')
const Module = require('node:module')
const vm = require('node:vm')
const { threadId } = require('node:worker_threads')
const file = join(__dirname, 'jobs-worker.js')
const cacheFile = file + '.v8cache'
let cachedData
try { cachedData = readFileSync(cacheFile) } catch {}
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData })
const bundle = new Module(file, module)
bundle.filename = file
script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, dirname(file))
if (!cachedData || script.cachedDataRejected) {
  const temporary = cacheFile + '.' + process.pid + '.' + threadId + '.tmp'
  writeFileSync(temporary, script.createCachedData())
  renameSync(temporary, cacheFile)
}
`

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
  rmSync(`${outFile}.v8cache`, { force: true })
  writeFileSync(loaderFile, CACHED_LOADER)
  return outFile
}

export const testWorker: WorkerScript = { path: loaderFile }
