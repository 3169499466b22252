import { join } from 'node:path'
import { buildSync } from 'esbuild'

/**
 * A benchmark's child script (`<name>.ts` beside this file) bundled as the app
 * bundles its job worker, run with plain Node: through tsx, the TypeScript
 * loader would add some 40 MB to a peak, and every function would be wrapped
 * by its name-keeping helper, which no build of the app has. The same modules
 * stay outside as in the app's bundle (and `external`, files read at run time).
 * Returns the bundle's path.
 */
export function bundleChildScript(name: string, external: readonly string[] = []): string {
  const outfile = join(__dirname, '..', '..', 'out', 'bench', `${name}.js`)
  buildSync({
    entryPoints: [join(__dirname, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'knex', 'sharp', ...external],
    logLevel: 'warning',
  })
  return outfile
}
