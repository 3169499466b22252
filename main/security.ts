import type { App, Session, WebContents } from 'electron'
import type { SenderInfo } from './ipc/router'
import { APP_HOST, APP_SCHEME } from './appProtocol'
import { openExternalLink, type ExternalOpener } from './externalLinks'

export type { ExternalOpener } from './externalLinks'

/**
 * Where the app's own page lives: the dev server's origin while developing,
 * app://frontdesk/index.html when built, or (older builds, tests) an
 * index.html on disk. Everything else is foreign.
 */
export type AppLocation =
  | { kind: 'dev-server'; origin: string }
  | { kind: 'app'; host: string }
  | { kind: 'file'; pathname: string }

export function appLocation(rendererUrl: string): AppLocation {
  const url = new URL(rendererUrl)
  if (url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST) return { kind: 'app', host: APP_HOST }
  if (url.protocol === 'file:') return { kind: 'file', pathname: url.pathname }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'dev-server', origin: url.origin }
  throw new Error(`Frontdesk cannot serve its page from a ${url.protocol} URL.`)
}

function parseUrl(value: string): URL | undefined {
  if (!value) return undefined
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

/**
 * True when `candidate` is the app's own page. For file:// the exact
 * index.html path is required (any other file on disk would also share the
 * opaque file origin); query and hash are ignored because the router uses them.
 */
export function isAppUrl(location: AppLocation, candidate: string): boolean {
  const url = parseUrl(candidate)
  if (!url) return false
  if (location.kind === 'dev-server') return url.origin === location.origin
  if (location.kind === 'app') {
    // The one page of the app; its assets never call in or navigate.
    return (
      url.protocol === `${APP_SCHEME}:` &&
      url.hostname === location.host &&
      !url.username &&
      !url.password &&
      !url.port &&
      (url.pathname === '/index.html' || url.pathname === '/')
    )
  }
  return url.protocol === 'file:' && url.host === '' && url.pathname === location.pathname
}

/**
 * Builds the IPC sender check for the router: only the app's own page, and
 * only its top-level frame, may call into main (an injected iframe may not).
 */
export function trustedSenderCheck(rendererUrl: string): (sender: SenderInfo) => boolean {
  const location = appLocation(rendererUrl)
  return (sender) => sender.isTopFrame === true && isAppUrl(location, sender.url)
}


/**
 * The renderer's Content-Security-Policy. Styles allow 'unsafe-inline' because
 * Vuetify injects its theme as a <style> element; scripts never do.
 * `devServerUrl` adds the dev server's websocket for hot reload, nothing else.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const connect = ["'self'"]
  const dev = devServerUrl ? parseUrl(devServerUrl) : undefined
  if (dev) connect.push(`${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}`)
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    // The app has no frames; none may be loaded into it.
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Writing plain text to the clipboard ("copy customer number") is the one
 * permission the app's own page gets; cameras, notifications, geolocation,
 * etc. are refused for everyone.
 */
export function isPermissionAllowed(location: AppLocation, permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(location, requestingUrl)
}

/** CSP header on every response plus deny-by-default permissions, for one session. */
export function hardenSession(session: Session, options: { rendererUrl: string; devServerUrl?: string }): void {
  const location = appLocation(options.rendererUrl)
  const policy = contentSecurityPolicy(options.devServerUrl)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
  })
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(location, permission, details.requestingUrl))
  })
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionAllowed(location, permission, details.requestingUrl ?? ''),
  )
}

/** Told what the guard refused, by kind only: URLs can carry customers' details. */
export type RefusalLog = (what: string) => void

/**
 * Keeps one web contents on the app's page: no navigation or redirect away
 * (the top frame only ever shows the app; subframes never navigate at all,
 * the app has none), no new windows (links on the allow-list go to the
 * system's browser or mail program), no <webview>.
 */
export function hardenWebContents(contents: WebContents, rendererUrl: string, shell: ExternalOpener, onRefused: RefusalLog = () => undefined): void {
  const location = appLocation(rendererUrl)
  const stayHome = (event: { preventDefault: () => void }, url: string, what: string) => {
    if (isAppUrl(location, url)) return
    event.preventDefault()
    onRefused(what)
  }
  contents.on('will-navigate', (event, url) => stayHome(event, url, 'navigation away from the app'))
  contents.on('will-redirect', (event, url) => stayHome(event, url, 'redirect away from the app'))
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) stayHome(event, event.url, 'navigation away from the app')
    else {
      event.preventDefault()
      onRefused('navigation inside a frame')
    }
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    onRefused('a <webview>')
  })
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalLink(shell, url, (reason) => onRefused(`an external link (${reason})`))
    return { action: 'deny' }
  })
}

/** Applies the web-contents guard to every web contents the app ever creates. */
export function guardAllWebContents(app: App, rendererUrl: string, shell: ExternalOpener, onRefused?: RefusalLog): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, rendererUrl, shell, onRefused))
}
