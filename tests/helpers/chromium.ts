import { existsSync } from 'node:fs'

/*
 * Debian's headless shell (package chromium-headless-shell) where installed: the same Blink and V8
 * without the full browser's windows and their WebUI renderer for every new context, so the suite
 * runs in four-fifths of the time. Otherwise Debian's full Chromium. The end-to-end tests and the
 * benchmark's keystroke measure run in the same one.
 */
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell'

/** The Chromium to drive: PLAYWRIGHT_CHROMIUM_PATH when set, else Debian's headless shell or full Chromium. */
export function chromiumPath(): string {
  return process.env['PLAYWRIGHT_CHROMIUM_PATH'] ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium')
}
