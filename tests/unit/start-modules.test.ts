import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import { describe, expect, it } from 'vitest'

/*
 * What the desk and its job worker load before they can answer: each entry is bundled as the app's
 * build bundles it (its dependencies left outside, required at run time) and required in a process of
 * its own, which lists the packages it loaded. Spreadsheets and sample names are loaded when first
 * used: exceljs took about 350 ms of the main process's start, and faker 250 ms of every job worker's.
 */

const root = join(__dirname, '..', '..')
const outDir = join(root, 'out', 'test-start')

/** What requiring `entry` loads from packages (as required: `knex`, `exceljs/lib/utils/parse-sax.js`), whether or not it then starts. */
function packagesLoadedBy(entry: string): string[] {
  const outfile = join(outDir, entry.replace(/[/.]/g, '-') + '.js')
  buildSync({ entryPoints: [join(root, entry)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' })
  const script = `
    const Module = require('node:module')
    const load = Module._load
    const loaded = new Set()
    Module._load = function (request, ...rest) {
      if (!/^(node:|[./])/.test(request)) loaded.add(request)
      return load.call(this, request, ...rest)
    }
    // The job worker refuses to run outside a worker thread once its modules are loaded: that is enough here.
    try { require(${JSON.stringify(outfile)}) } catch {}
    process.stdout.write(JSON.stringify([...loaded]))
  `
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as string[]
}

describe('starting up', () => {
  it.each([
    ['the main process', 'main/app-core.ts'],
    ['the job worker', 'main/jobs/worker.ts'],
  ])('%s loads neither exceljs nor faker until a workbook or sample data is asked for', (_name, entry) => {
    const loaded = packagesLoadedBy(entry)
    // The bundle did load its dependencies: the list is not empty for some other reason.
    expect(loaded).toContain('knex')
    // Whole, that is: a small part of exceljs (its XML reader, for the cells of an imported workbook) is no cost.
    expect(loaded).not.toContain('exceljs')
    expect(loaded.filter((request) => request.startsWith('@faker-js/faker'))).toEqual([])
  }, 60_000)
})
