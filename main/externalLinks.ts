/**
 * The only places a link may take the desk outside the app, decided here and
 * nowhere else: an email to someone (mailto:) and Frontdesk's own https pages.
 * Everything else (http, file, smb, custom schemes that start other programs,
 * other websites) is refused, because a customer's record is typed in by
 * anyone and a link in it must not open arbitrary programs or sites.
 */
export const EXTERNAL_HTTPS_HOSTS: readonly string[] = ['frontdesk.app', 'www.frontdesk.app', 'help.frontdesk.app']

/** Mail clients act on more than these (some attach local files), so only these may ride along. */
const MAILTO_PARAMS = new Set(['subject', 'body', 'cc', 'bcc'])

export type LinkVerdict = { allowed: true; url: string } | { allowed: false; reason: string }

/** Whether `value` may be opened in the system's browser or mail program; the reason never repeats the address. */
export function externalLinkVerdict(value: unknown): LinkVerdict {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return { allowed: false, reason: 'not a link' }
  // A control character or a space could split a command line in the program that receives it.
  if ([...value].some((char) => char.charCodeAt(0) <= 0x20 || char.charCodeAt(0) === 0x7f)) {
    return { allowed: false, reason: 'control characters' }
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { allowed: false, reason: 'not a link' }
  }
  if (url.protocol === 'mailto:') {
    if (!/^[^@/?#]+@[^@/?#]+$/.test(decodeSafely(url.pathname) ?? '')) return { allowed: false, reason: 'mailto without one address' }
    for (const key of url.searchParams.keys()) {
      if (!MAILTO_PARAMS.has(key.toLowerCase())) return { allowed: false, reason: 'mailto with an unexpected field' }
    }
    return { allowed: true, url: url.href }
  }
  if (url.protocol !== 'https:') return { allowed: false, reason: `scheme ${url.protocol.slice(0, 20)}` }
  if (url.username || url.password || url.port) return { allowed: false, reason: 'https with credentials or a port' }
  if (!EXTERNAL_HTTPS_HOSTS.includes(url.hostname)) return { allowed: false, reason: 'https host not on the list' }
  return { allowed: true, url: url.href }
}

function decodeSafely(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

export function isAllowedExternalUrl(value: unknown): boolean {
  return externalLinkVerdict(value).allowed
}

export interface ExternalOpener {
  openExternal: (url: string) => Promise<void>
}

/**
 * Opens an allowed link with the system; a refused one is logged by its
 * reason only (the address could be a customer's). Resolves to whether it opened.
 */
export async function openExternalLink(
  shell: ExternalOpener,
  value: unknown,
  onRefused: (reason: string) => void = () => undefined,
): Promise<boolean> {
  const verdict = externalLinkVerdict(value)
  if (!verdict.allowed) {
    onRefused(verdict.reason)
    return false
  }
  try {
    await shell.openExternal(verdict.url)
    return true
  } catch {
    onRefused('the system could not open it')
    return false
  }
}
