/** Keyboard shortcut helpers: Ctrl on Windows/Linux, Cmd on macOS. */

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** True for Ctrl+key (or Cmd+key on macOS), without Alt or Shift. */
export function isShortcut(event: KeyboardEvent, key: string): boolean {
  const mod = isMac ? event.metaKey : event.ctrlKey
  return mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === key
}
