import { createRequire } from 'node:module'

/**
 * electron-log is CommonJS and loads `electron` with require(), which
 * vi.mock('electron') does not reach (and the real package would try to
 * download the Electron binary): this puts a test's stand-in where require()
 * finds it. Call it before importing anything that loads electron-log.
 */
export function provideElectronToRequire(standIn: object): void {
  const require = createRequire(import.meta.url)
  const path = require.resolve('electron')
  require.cache[path] = { id: path, path, filename: path, loaded: true, exports: standIn, children: [], paths: [] } as unknown as NodeJS.Module
}
