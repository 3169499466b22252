import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { CustomScheme } from 'electron'

/**
 * The app's page is served from its own scheme, `app://frontdesk/`, rather than
 * file://: a file:// page shares one origin with every file on the disk, while
 * app:// is a real origin that serves only the renderer folder.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'frontdesk'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`

/**
 * Registered before the app is ready. `standard` gives the scheme an origin and
 * relative URLs, `secure` treats it like https (no mixed content), and the page's
 * module scripts and fonts need the fetch API and CORS to load from it.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/** Percent-encodings that only an attack needs: slashes, backslashes, NUL, and double encoding. */
const SUSPICIOUS_ENCODING = /%(2f|5c|00|25)/i

/**
 * The file inside `root` that an app:// URL names, or null when the URL must be
 * refused: another scheme or host, credentials or a port, a backslash, an
 * encoded slash/backslash/NUL/percent, a `.` or `..` segment (decoded), an empty
 * segment (`//`), a drive letter or stream name (`:`), or anything that would
 * resolve outside `root`. The root URL (`/`) names index.html.
 */
export function appFilePath(root: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST) return null
  if (url.username || url.password || url.port) return null
  const raw = url.pathname
  if (raw.includes('\\') || raw.includes('\0') || SUSPICIOUS_ENCODING.test(raw)) return null
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return null
  }
  if (decoded === '/' || decoded === '') decoded = '/index.html'
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null
  const segments = decoded.slice(1).split('/')
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes(':')) return null
    // Control characters never name a file of ours.
    if ([...segment].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return null
  }
  const base = resolve(root)
  const file = resolve(base, ...segments)
  const inside = relative(base, file)
  if (!inside || inside.startsWith('..') || isAbsolute(inside) || !file.startsWith(base + sep)) return null
  return file
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export interface AppProtocolOptions {
  /** The Content-Security-Policy sent with every page and asset. */
  contentSecurityPolicy: string
  /** Told when a request is refused; receives a reason, never the URL (it could carry anything). */
  onRefused?: (reason: string) => void
  readFile?: (file: string) => Promise<Uint8Array>
}

/**
 * The `protocol.handle` handler for app://: reads files of the renderer folder
 * (Electron's fs reads inside the asar archive) without blocking main, and
 * refuses everything else.
 */
export function appProtocolHandler(root: string, options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = options.readFile ?? ((file: string) => readFile(file))
  const headers = (file: string) => ({
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': options.contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  })
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      options.onRefused?.(`method ${request.method}`)
      return new Response('Method not allowed', { status: 405 })
    }
    const file = appFilePath(root, request.url)
    if (!file) {
      options.onRefused?.('path outside the app')
      return new Response('Not allowed', { status: 403 })
    }
    let body: Uint8Array
    try {
      body = await read(file)
    } catch {
      return new Response('Not found', { status: 404 })
    }
    return new Response(request.method === 'HEAD' ? null : Buffer.from(body), { status: 200, headers: headers(file) })
  }
}
