import { describe, expect, it, vi } from 'vitest'
import type { App, Session, WebContents } from 'electron'

// security.ts only needs Electron's types; the mock proves nothing loads the real module.
vi.mock('electron', () => ({}))

const {
  appLocation,
  contentSecurityPolicy,
  guardAllWebContents,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  isSafeExternalUrl,
  trustedSenderCheck,
} = await import('../../main/security')

const APP_FILE = 'file:///opt/Frontdesk/resources/app.asar/out/renderer/index.html'
const DEV = 'http://localhost:5173'

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/)
      return [name, values] as const
    }),
  )
}

describe('Content-Security-Policy', () => {
  it('only runs the app’s own scripts', () => {
    const policy = contentSecurityPolicy()
    const csp = directives(policy)
    expect(policy).not.toContain('unsafe-eval')
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    expect(csp.get('form-action')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
    expect(csp.get('connect-src')).toEqual(["'self'"])
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:'])
    expect(csp.get('font-src')).toEqual(["'self'", 'data:'])
  })

  it("allows 'unsafe-inline' for styles only (Vuetify's theme)", () => {
    const csp = directives(contentSecurityPolicy())
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
    const inline = [...csp].filter(([, values]) => values.includes("'unsafe-inline'")).map(([name]) => name)
    expect(inline).toEqual(['style-src'])
  })

  it('adds only the dev server websocket in development', () => {
    const csp = directives(contentSecurityPolicy(DEV))
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173'])
    expect(csp.get('script-src')).toEqual(["'self'"])
  })
})

describe('isTrustedSender (trustedSenderCheck)', () => {
  const packaged = trustedSenderCheck(APP_FILE)
  const dev = trustedSenderCheck(`${DEV}/`)

  it('trusts the app’s own top-level page, whatever its route', () => {
    expect(packaged({ url: APP_FILE, isTopFrame: true })).toBe(true)
    expect(packaged({ url: `${APP_FILE}#/customers/12`, isTopFrame: true })).toBe(true)
    expect(dev({ url: `${DEV}/#/customers`, isTopFrame: true })).toBe(true)
  })

  it('rejects subframes, even of the app’s own page', () => {
    expect(packaged({ url: APP_FILE, isTopFrame: false })).toBe(false)
    expect(dev({ url: DEV, isTopFrame: false })).toBe(false)
  })

  it('rejects other origins', () => {
    expect(packaged({ url: 'https://evil.example/index.html', isTopFrame: true })).toBe(false)
    expect(dev({ url: 'http://localhost:5174/', isTopFrame: true })).toBe(false)
    expect(dev({ url: 'https://localhost:5173/', isTopFrame: true })).toBe(false)
    expect(dev({ url: 'http://127.0.0.1:5173/', isTopFrame: true })).toBe(false)
  })

  it('rejects other files on disk (file:// pages share one opaque origin)', () => {
    expect(packaged({ url: 'file:///tmp/download/index.html', isTopFrame: true })).toBe(false)
    expect(packaged({ url: 'file:///opt/Frontdesk/resources/app.asar/out/renderer/other.html', isTopFrame: true })).toBe(false)
    expect(packaged({ url: 'file://attacker-host/opt/Frontdesk/resources/app.asar/out/renderer/index.html', isTopFrame: true })).toBe(false)
  })

  it('rejects empty and malformed URLs', () => {
    expect(packaged({ url: '', isTopFrame: true })).toBe(false)
    expect(packaged({ url: 'not a url', isTopFrame: true })).toBe(false)
    expect(dev({ url: '', isTopFrame: true })).toBe(false)
    expect(dev({ url: 'about:blank', isTopFrame: true })).toBe(false)
  })

  it('refuses to serve the app from anything but file:// or http(s)', () => {
    expect(() => appLocation('data:text/html,hi')).toThrow(/data:/)
  })
})

describe('external links', () => {
  it('only lets https out', () => {
    expect(isSafeExternalUrl('https://frontdesk.app/help')).toBe(true)
    expect(isSafeExternalUrl('http://frontdesk.app/help')).toBe(false)
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false)
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false)
    expect(isSafeExternalUrl('smb://server/share')).toBe(false)
    expect(isSafeExternalUrl('')).toBe(false)
  })
})

type Listener = (...args: unknown[]) => unknown

function fakeWebContents() {
  const listeners = new Map<string, Listener>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = {
    on: vi.fn((event: string, listener: Listener) => {
      listeners.set(event, listener)
      return contents
    }),
    setWindowOpenHandler: vi.fn((handler: typeof openHandler) => {
      openHandler = handler
    }),
  }
  const fire = (event: string, url?: string) => {
    const preventDefault = vi.fn()
    const listener = listeners.get(event)
    if (!listener) throw new Error(`no ${event} listener`)
    listener({ preventDefault, url }, url)
    return preventDefault.mock.calls.length > 0
  }
  const open = (url: string) => {
    if (!openHandler) throw new Error('no window open handler')
    return openHandler({ url })
  }
  return { contents: contents as unknown as WebContents, fire, open }
}

describe('web contents guard', () => {
  function guarded(rendererUrl = APP_FILE) {
    const shell = { openExternal: vi.fn(() => Promise.resolve()) }
    const web = fakeWebContents()
    hardenWebContents(web.contents, rendererUrl, shell)
    return { ...web, shell }
  }

  it('blocks navigation and redirects away from the app', () => {
    const { fire } = guarded()
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true)
  })

  it('allows navigation within the app’s own page', () => {
    const { fire } = guarded()
    expect(fire('will-navigate', `${APP_FILE}#/settings`)).toBe(false)
    expect(fire('will-redirect', APP_FILE)).toBe(false)
    const dev = guarded(`${DEV}/`)
    expect(dev.fire('will-navigate', `${DEV}/customers`)).toBe(false)
    expect(dev.fire('will-navigate', 'http://localhost:9999/')).toBe(true)
  })

  it('denies every new window and sends only https links to the system browser', () => {
    const { open, shell } = guarded()
    expect(open('https://frontdesk.app/help')).toEqual({ action: 'deny' })
    expect(shell.openExternal).toHaveBeenCalledWith('https://frontdesk.app/help')
    expect(open('http://frontdesk.app/')).toEqual({ action: 'deny' })
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(open(APP_FILE)).toEqual({ action: 'deny' })
    expect(shell.openExternal).toHaveBeenCalledTimes(1)
  })

  it('refuses to attach <webview>', () => {
    const { fire } = guarded()
    expect(fire('will-attach-webview')).toBe(true)
  })

  it('guards every web contents the app creates', () => {
    const listeners = new Map<string, Listener>()
    const app = { on: vi.fn((event: string, listener: Listener) => listeners.set(event, listener)) }
    guardAllWebContents(app as unknown as App, APP_FILE, { openExternal: vi.fn(() => Promise.resolve()) })
    const web = fakeWebContents()
    listeners.get('web-contents-created')?.({}, web.contents)
    expect(web.fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(web.open('https://evil.example/')).toEqual({ action: 'deny' })
  })
})

describe('session hardening', () => {
  function hardened(devServerUrl?: string) {
    let onHeaders: Listener | undefined
    let onRequest: Listener | undefined
    let onCheck: Listener | undefined
    const session = {
      webRequest: { onHeadersReceived: vi.fn((listener: Listener) => (onHeaders = listener)) },
      setPermissionRequestHandler: vi.fn((handler: Listener) => (onRequest = handler)),
      setPermissionCheckHandler: vi.fn((handler: Listener) => (onCheck = handler)),
    }
    hardenSession(session as unknown as Session, { rendererUrl: devServerUrl ?? APP_FILE, devServerUrl })
    const request = (permission: string, requestingUrl: string) => {
      const callback = vi.fn()
      onRequest?.({}, permission, callback, { requestingUrl })
      return callback.mock.calls[0]?.[0] as boolean | undefined
    }
    const check = (permission: string, requestingUrl?: string) =>
      onCheck?.({}, permission, 'file://', { requestingUrl }) as boolean | undefined
    return { onHeaders: () => onHeaders, request, check }
  }

  it('adds the CSP header and keeps the response’s other headers', () => {
    const { onHeaders } = hardened()
    const callback = vi.fn()
    onHeaders()?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback)
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy()] },
    })
  })

  it('uses the dev policy with the dev server', () => {
    const { onHeaders } = hardened(`${DEV}/`)
    const callback = vi.fn()
    onHeaders()?.({ responseHeaders: {} }, callback)
    expect(callback.mock.calls[0]?.[0].responseHeaders['Content-Security-Policy']).toEqual([contentSecurityPolicy(`${DEV}/`)])
  })

  it('denies permission requests', () => {
    const { request } = hardened()
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      expect(request(permission, APP_FILE)).toBe(false)
    }
    expect(request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
  })

  it('denies permission checks', () => {
    const { check } = hardened()
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb']) {
      expect(check(permission, APP_FILE)).toBe(false)
    }
    expect(check('clipboard-sanitized-write', 'https://evil.example/')).toBe(false)
    expect(check('clipboard-sanitized-write')).toBe(false)
  })

  it('lets only the app’s own page write text to the clipboard', () => {
    const { request, check } = hardened()
    expect(request('clipboard-sanitized-write', APP_FILE)).toBe(true)
    expect(check('clipboard-sanitized-write', `${APP_FILE}#/customers`)).toBe(true)
  })
})

describe('isAppUrl', () => {
  it('ignores query and hash but not the path', () => {
    const location = appLocation(APP_FILE)
    expect(isAppUrl(location, `${APP_FILE}?x=1#/a`)).toBe(true)
    expect(isAppUrl(location, APP_FILE.replace('index.html', 'index.htm'))).toBe(false)
  })
})
