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
  trustedSenderCheck,
} = await import('../../main/security')
const { EXTERNAL_HTTPS_HOSTS, externalLinkVerdict, isAllowedExternalUrl, openExternalLink } = await import('../../main/externalLinks')
const { APP_INDEX_URL } = await import('../../main/appProtocol')

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
    expect(csp.get('frame-src')).toEqual(["'none'"])
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

  it('trusts only the index page of app://frontdesk, the scheme packaged builds use', () => {
    const app = trustedSenderCheck(APP_INDEX_URL)
    expect(APP_INDEX_URL).toBe('app://frontdesk/index.html')
    expect(app({ url: APP_INDEX_URL, isTopFrame: true })).toBe(true)
    expect(app({ url: `${APP_INDEX_URL}#/customers/12`, isTopFrame: true })).toBe(true)
    expect(app({ url: 'app://frontdesk/', isTopFrame: true })).toBe(true)
    expect(app({ url: APP_INDEX_URL, isTopFrame: false })).toBe(false)
    for (const url of [
      'app://frontdesk/assets/index.js',
      'app://frontdesk/other.html',
      'app://evil/index.html',
      'app://frontdesk:8080/index.html',
      'app://user:pw@frontdesk/index.html',
      'apps://frontdesk/index.html',
      'file:///opt/Frontdesk/resources/app.asar/out/renderer/index.html',
      'https://frontdesk/index.html',
      '',
    ]) {
      expect(app({ url, isTopFrame: true }), url).toBe(false)
    }
  })

  it('refuses to serve the app from anything but app://, file:// or http(s)', () => {
    expect(() => appLocation('data:text/html,hi')).toThrow(/data:/)
  })
})

describe('external links (allow-list)', () => {
  it('lets out mail to one address and Frontdesk’s own https pages', () => {
    expect(isAllowedExternalUrl('https://frontdesk.app/help')).toBe(true)
    expect(isAllowedExternalUrl('https://help.frontdesk.app/backups?x=1#y')).toBe(true)
    expect(isAllowedExternalUrl('mailto:ana@example.com')).toBe(true)
    expect(isAllowedExternalUrl('mailto:ana@example.com?subject=Your%20booking&body=Hello')).toBe(true)
    expect(EXTERNAL_HTTPS_HOSTS.every((host) => isAllowedExternalUrl(`https://${host}/`))).toBe(true)
  })

  it('refuses every other scheme, host and trick', () => {
    for (const url of [
      'http://frontdesk.app/help',
      'https://evil.example/',
      'https://frontdesk.app.evil.example/',
      'https://evilfrontdesk.app/',
      'https://frontdesk.app:8443/',
      'https://user:pw@frontdesk.app/',
      'https://frontdesk.app/ with space',
      'https://frontdesk.app/\nline',
      'https://frontdesk.app/\u0000',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://file/etc/passwd',
      'tel:+441234567890',
      'mailto:',
      'mailto:a@example.com,b@example.com@x',
      'mailto:ana@example.com?attach=/etc/passwd',
      'mailto:ana@example.com?subject=x&Attachment=C:\\secret.txt',
      `https://frontdesk.app/${'a'.repeat(3000)}`,
      '',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
    expect(isAllowedExternalUrl(undefined)).toBe(false)
    expect(isAllowedExternalUrl({ toString: () => 'https://frontdesk.app/' })).toBe(false)
  })

  it('says why without repeating the address', () => {
    const verdict = externalLinkVerdict('https://ana.smith@mail.example/secret')
    expect(verdict.allowed).toBe(false)
    if (!verdict.allowed) expect(verdict.reason).not.toMatch(/ana|smith|mail\.example|secret/)
    expect(externalLinkVerdict('http://x.example/')).toEqual({ allowed: false, reason: 'scheme http:' })
  })

  it('opens allowed links with the system and logs refused ones by reason only', async () => {
    const shell = { openExternal: vi.fn(() => Promise.resolve()) }
    const refused: string[] = []
    expect(await openExternalLink(shell, 'https://frontdesk.app/help', (reason) => refused.push(reason))).toBe(true)
    expect(await openExternalLink(shell, 'https://ana@evil.example/ana', (reason) => refused.push(reason))).toBe(false)
    expect(await openExternalLink(shell, 'file:///home/ana/customers.csv', (reason) => refused.push(reason))).toBe(false)
    expect(shell.openExternal.mock.calls).toEqual([['https://frontdesk.app/help']])
    expect(refused).toHaveLength(2)
    expect(refused.join(' ')).not.toMatch(/ana|evil|customers/)
    const failing = { openExternal: vi.fn(() => Promise.reject(new Error('no handler'))) }
    expect(await openExternalLink(failing, 'mailto:ana@example.com', (reason) => refused.push(reason))).toBe(false)
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
  /** will-frame-navigate: one details event, as Electron sends it. */
  const fireFrame = (url: string, isMainFrame: boolean) => {
    const preventDefault = vi.fn()
    const listener = listeners.get('will-frame-navigate')
    if (!listener) throw new Error('no will-frame-navigate listener')
    listener({ preventDefault, url, isMainFrame, isSameDocument: false, frame: null })
    return preventDefault.mock.calls.length > 0
  }
  const open = (url: string) => {
    if (!openHandler) throw new Error('no window open handler')
    return openHandler({ url })
  }
  return { contents: contents as unknown as WebContents, fire, fireFrame, open }
}

describe('web contents guard', () => {
  function guarded(rendererUrl = APP_FILE) {
    const shell = { openExternal: vi.fn(() => Promise.resolve()) }
    const web = fakeWebContents()
    const refused: string[] = []
    hardenWebContents(web.contents, rendererUrl, shell, (what) => refused.push(what))
    return { ...web, shell, refused }
  }

  it('keeps the app:// page home and refuses everything else', () => {
    const { fire, fireFrame } = guarded(APP_INDEX_URL)
    expect(fire('will-navigate', `${APP_INDEX_URL}#/settings`)).toBe(false)
    expect(fire('will-navigate', 'app://frontdesk/assets/evil.html')).toBe(true)
    expect(fire('will-navigate', 'app://other/index.html')).toBe(true)
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(fire('will-redirect', 'file:///etc/passwd')).toBe(true)
    expect(fireFrame(APP_INDEX_URL, true)).toBe(false)
    expect(fireFrame('https://evil.example/', true)).toBe(true)
  })

  it('refuses every navigation inside a subframe, even to the app itself, and logs it without the URL', () => {
    const { fireFrame, refused } = guarded(APP_INDEX_URL)
    for (const url of ['https://evil.example/', APP_INDEX_URL, 'about:blank', 'data:text/html,x', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(fireFrame(url, false), url).toBe(true)
    }
    expect(refused.every((what) => what === 'navigation inside a frame')).toBe(true)
    expect(refused).toHaveLength(6)
  })

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

  it('denies every new window and sends only allowed links to the system', () => {
    const { open, shell, refused } = guarded()
    expect(open('https://frontdesk.app/help')).toEqual({ action: 'deny' })
    expect(shell.openExternal).toHaveBeenCalledWith('https://frontdesk.app/help')
    expect(open('mailto:ana@example.com')).toEqual({ action: 'deny' })
    expect(open('http://frontdesk.app/')).toEqual({ action: 'deny' })
    expect(open('https://evil.example/')).toEqual({ action: 'deny' })
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(open(APP_FILE)).toEqual({ action: 'deny' })
    expect(shell.openExternal.mock.calls).toEqual([['https://frontdesk.app/help'], ['mailto:ana@example.com']])
    expect(refused).toHaveLength(4)
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
