import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

const { APP_INDEX_URL, appFilePath, appProtocolHandler, contentTypeOf } = await import('../../main/appProtocol')
const { contentSecurityPolicy } = await import('../../main/security')

// A renderer folder with a secret beside it (and one in a sibling folder whose name starts the same).
const dir = mkdtempSync(join(tmpdir(), 'frontdesk-app-protocol-'))
const root = join(dir, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
mkdirSync(join(dir, 'renderer-secrets'))
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Frontdesk</title>')
writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("app")')
writeFileSync(join(root, 'assets', 'roboto.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]))
writeFileSync(join(root, 'assets', 'a b.css'), 'body{}')
writeFileSync(join(dir, 'secret.txt'), 'SECRET-OUTSIDE')
writeFileSync(join(dir, 'renderer-secrets', 'key.txt'), 'SECRET-SIBLING')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const refused: string[] = []
const handler = appProtocolHandler(root, { contentSecurityPolicy: contentSecurityPolicy(), onRefused: (reason) => refused.push(reason) })
const get = (url: string, method = 'GET') => handler(new Request(url, { method }))

describe('app:// serves the renderer folder', () => {
  it('serves index.html, scripts and fonts with their type, the CSP and nosniff', async () => {
    const page = await get(APP_INDEX_URL)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Frontdesk</title>')
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy())
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')

    const script = await get('app://frontdesk/assets/index-abc123.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await script.text()).toBe('console.log("app")')

    const font = await get('app://frontdesk/assets/roboto.woff2')
    expect(font.headers.get('content-type')).toBe('font/woff2')
    expect(new Uint8Array(await font.arrayBuffer())).toEqual(new Uint8Array([0x77, 0x4f, 0x46, 0x32]))
  })

  it('serves index.html for the root, a space-encoded name, and ignores query and hash', async () => {
    expect(await (await get('app://frontdesk/')).text()).toContain('Frontdesk')
    expect(await (await get('app://frontdesk/index.html?x=1#/customers')).text()).toContain('Frontdesk')
    expect(await (await get('app://FRONTDESK/index.html')).text()).toContain('Frontdesk')
    expect((await get('app://frontdesk/assets/a%20b.css')).status).toBe(200)
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_INDEX_URL, 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(405)
    expect((await get(APP_INDEX_URL, 'PUT')).status).toBe(405)
  })

  it('says not found for missing files and folders', async () => {
    expect((await get('app://frontdesk/missing.js')).status).toBe(404)
    expect((await get('app://frontdesk/assets')).status).toBe(404)
  })

  it('knows the types the bundle uses', () => {
    expect(contentTypeOf('x.css')).toBe('text/css; charset=utf-8')
    expect(contentTypeOf('x.SVG')).toBe('image/svg+xml')
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream')
  })
})

/** Every way we know of to reach outside the folder; none may read a byte of it. */
const TRAVERSALS = [
  'app://frontdesk/../secret.txt',
  'app://frontdesk/../../../../etc/passwd',
  'app://frontdesk/assets/../../secret.txt',
  'app://frontdesk/%2e%2e/secret.txt',
  'app://frontdesk/%2E%2E/secret.txt',
  'app://frontdesk/.%2e/secret.txt',
  'app://frontdesk/%2e./secret.txt',
  'app://frontdesk/%2e%2e%2fsecret.txt',
  'app://frontdesk/%2e%2e%2Fsecret.txt',
  'app://frontdesk/..%2fsecret.txt',
  'app://frontdesk/..%2Fsecret.txt',
  'app://frontdesk/..%5csecret.txt',
  'app://frontdesk/..%5Csecret.txt',
  'app://frontdesk/..\\secret.txt',
  'app://frontdesk/assets\\..\\..\\secret.txt',
  'app://frontdesk/%252e%252e/secret.txt',
  'app://frontdesk/%252e%252e%252fsecret.txt',
  'app://frontdesk/..%252fsecret.txt',
  'app://frontdesk/%c0%ae%c0%ae/secret.txt',
  'app://frontdesk/%c0%ae%c0%ae%c0%afsecret.txt',
  'app://frontdesk/%e0%80%ae%e0%80%ae/secret.txt',
  'app://frontdesk/index.html%00.js',
  'app://frontdesk/index.html%00',
  'app://frontdesk/%00../secret.txt',
  'app://frontdesk//etc/passwd',
  'app://frontdesk/%2fetc%2fpasswd',
  'app://frontdesk/%2Fetc/passwd',
  `app://frontdesk/${encodeURIComponent(join(dir, 'secret.txt'))}`,
  `app://frontdesk/${join(dir, 'secret.txt')}`,
  'app://frontdesk/C:/Windows/win.ini',
  'app://frontdesk/C%3a/Windows/win.ini',
  'app://frontdesk/c:%5cwindows%5cwin.ini',
  'app://frontdesk/index.html::$DATA',
  'app://frontdesk/assets/%2e%2e/%2e%2e/renderer-secrets/key.txt',
  'app://frontdesk/../renderer-secrets/key.txt',
  'app://frontdesk/..%2frenderer-secrets%2fkey.txt',
  'app://frontdesk/%E2%80%AE/secret.txt',
  'app://frontdesk/%0a/secret.txt',
  'app://frontdesk/%ff%fe/secret.txt',
  'app://frontdesk/%/secret.txt',
  'app://evil/index.html',
  'app://frontdesk.evil/index.html',
  'app://frontdesk:1234/index.html',
  'app://user:pass@frontdesk/index.html',
  'file:///etc/passwd',
  'https://frontdesk/index.html',
  'not a url',
]

describe('app:// path-traversal guard', () => {
  it.each(TRAVERSALS)('never serves anything outside the folder for %s', async (url) => {
    let response: Response
    try {
      response = await get(url)
    } catch {
      // new Request itself refuses some of these: nothing reached the handler.
      return
    }
    expect([403, 404]).toContain(response.status)
    const body = await response.text()
    expect(body).not.toMatch(/SECRET|root:/)
  })

  it('refuses the encoded, absolute and NUL forms outright (403), logging only a reason', async () => {
    refused.length = 0
    for (const url of [
      'app://frontdesk/..%2fsecret.txt',
      'app://frontdesk/%2e%2e%5csecret.txt',
      'app://frontdesk/%252e%252e/secret.txt',
      'app://frontdesk/index.html%00.js',
      'app://frontdesk//etc/passwd',
      'app://frontdesk/C:/Windows/win.ini',
      'app://frontdesk/..\\secret.txt',
      'app://evil/index.html',
    ]) {
      expect((await get(url)).status, url).toBe(403)
    }
    expect(refused).toHaveLength(8)
    expect(refused.join(' ')).not.toMatch(/secret|etc|Windows|evil/)
  })

  it('resolves only inside the root, whatever the URL parser did first', () => {
    expect(appFilePath(root, APP_INDEX_URL)).toBe(join(root, 'index.html'))
    expect(appFilePath(root, 'app://frontdesk/assets/index-abc123.js')).toBe(join(root, 'assets', 'index-abc123.js'))
    // The WHATWG parser folds these dot segments away before the guard sees them; they land inside.
    expect(appFilePath(root, 'app://frontdesk/../index.html')).toBe(join(root, 'index.html'))
    expect(appFilePath(root, 'app://frontdesk/assets/%2e%2e/index.html')).toBe(join(root, 'index.html'))
    expect(appFilePath(root, 'app://frontdesk/%2e/index.html')).toBe(join(root, 'index.html'))
    expect(appFilePath(root, 'app://frontdesk/./assets/index-abc123.js/..')).toBe(null)
    for (const url of TRAVERSALS) {
      const file = appFilePath(root, url)
      if (file !== null) expect(file.startsWith(`${root}/`), `${url} → ${file}`).toBe(true)
    }
  })

  it('never reads a file for a refused request', async () => {
    const readFile = vi.fn(() => Promise.resolve(new Uint8Array()))
    const guarded = appProtocolHandler(root, { contentSecurityPolicy: '', readFile })
    for (const url of ['app://frontdesk/..%2fsecret.txt', 'app://frontdesk//etc/passwd', 'app://frontdesk/%00']) {
      await guarded(new Request(url))
    }
    expect(readFile).not.toHaveBeenCalled()
  })
})
