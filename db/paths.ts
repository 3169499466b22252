import { homedir } from 'node:os'
import { join } from 'node:path'

export const DATA_FILE_NAME = 'frontdesk.sqlite3'

/**
 * Where Electron's userData folder is for an app named "Frontdesk", computed
 * without Electron so command-line tools (demo data) find the same file.
 */
export function defaultDataFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = homedir()
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'))
  return join(base, 'Frontdesk', DATA_FILE_NAME)
}
