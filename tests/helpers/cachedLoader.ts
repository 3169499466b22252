import { rmSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'

/*
 * A bundle the tests start many times (the job worker for nearly every core that runs a job, the
 * crash child a hundred times) spends a third of each start having V8 compile its 7–8 MB. The loader
 * runs the bundle as Node would (a CommonJS module in its folder) but hands V8 the code it compiled
 * the first time; a cache from another bundle is refused by V8 and made again. It serves a worker
 * thread and a process's main script alike (the arguments after the script are the bundle's).
 */
function loaderSource(bundleName: string): string {
  return `'use strict'
const { readFileSync, renameSync, writeFileSync } = require('node:fs')
const { dirname, join } = require('node:path')
const Module = require('node:module')
const vm = require('node:vm')
const { threadId } = require('node:worker_threads')
const file = join(__dirname, ${JSON.stringify(bundleName)})
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
}

/** Writes `loaderFile`, which runs `bundleFile` (in the same folder) from V8's cache; a bundle just built starts without one. */
export function writeCachedLoader(bundleFile: string, loaderFile: string): void {
  rmSync(`${bundleFile}.v8cache`, { force: true })
  writeFileSync(loaderFile, loaderSource(basename(bundleFile)))
}
