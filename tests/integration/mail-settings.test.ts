import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { startSmtpServer, TEST_SMTP_PASSWORD, TEST_SMTP_USER, type TestSmtpServer } from '../helpers/smtpServer'
import { MemorySecretStore, type SecretName, type SecretStore } from '../../main/secrets'
import { DomainError } from '../../main/services/errors'
import { FAST_MAIL } from '../helpers/outbox'
import { onPostgres } from '../helpers/testDatabase'

vi.mock('electron', () => ({}))
const { SafeStorageSecretStore } = await import('../../main/safeStorageSecrets')

const PASSWORD = 'pässwörd-that-must-never-reach-the-file-7391'

/** A store whose writes fail as a computer without protected storage refuses them. */
class RefusingSecretStore implements SecretStore {
  async get(): Promise<string | null> {
    return null
  }
  async set(_name: SecretName, _value: string | null): Promise<void> {
    throw new DomainError('STORAGE', 'Frontdesk cannot keep this secret safely on this computer. Nothing was saved.')
  }
}

describe('mail settings', () => {
  const open: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close().catch(() => undefined)
  })
  const core = async (secrets: SecretStore = new MemorySecretStore(), mail = FAST_MAIL): Promise<TestCore> => {
    const c = await openTestCore({ mail, secrets })
    open.push({ close: () => c.cleanup() })
    return c
  }
  const server = async (options: Parameters<typeof startSmtpServer>[0] = {}): Promise<TestSmtpServer> => {
    const s = await startSmtpServer(options)
    open.push(s)
    return s
  }

  it('saves the settings, keeps the password out of the customer file and logs the change without it', async () => {
    const secrets = new MemorySecretStore()
    const app = await core(secrets)
    const before = await app.invoke('mail:settings', undefined)
    expect(before).toMatchObject({ host: '', port: 587, security: 'starttls', staffAddress: 'replyTo', reminderHours: 24, passwordSet: false, setUp: false })
    const view = await app.invoke('mail:updateSettings', {
      host: ' smtp.example.com ',
      port: 465,
      security: 'tls',
      user: 'desk@example.com',
      password: PASSWORD,
      fromName: 'Cafe\u0301 Studio',
      fromAddress: 'hello@example.com',
      replyTo: 'desk@example.com',
      staffAddress: 'from',
      siteAddress: 'https://book.example.com/',
      reminderHours: 48,
    })
    expect(view).toMatchObject({ host: 'smtp.example.com', port: 465, security: 'tls', fromName: 'Café Studio', siteAddress: 'https://book.example.com', passwordSet: true, setUp: true })
    expect(view).not.toHaveProperty('password')
    expect(await secrets.get('smtpPassword')).toBe(PASSWORD)
    const log = (await app.db('change_log').where({ action: 'settings.mailUpdated' }).select('summary', 'changes')) as Array<{ summary: string; changes: string }>
    expect(log).toHaveLength(1)
    const fields = (JSON.parse(log[0]!.changes) as Array<{ field: string; after: string | null }>).map((c) => `${c.field}: ${c.after}`)
    expect(fields).toContain('Mail server: smtp.example.com')
    expect(fields).toContain('Connection security: TLS')
    expect(fields).toContain('Staff addresses: From')
    expect(fields).toContain('Mail server password: Set')
    expect(log[0]!.changes).not.toContain(PASSWORD)
    // Nothing changed: no entry.
    await app.invoke('mail:updateSettings', { port: 465 })
    expect(await app.db('change_log').where({ action: 'settings.mailUpdated' }).count({ n: '*' }).first()).toEqual({ n: 1 })
    // Unchanged when absent, forgotten when null.
    await app.invoke('mail:updateSettings', { host: 'mail.example.com' })
    expect(await secrets.get('smtpPassword')).toBe(PASSWORD)
    expect((await app.invoke('mail:updateSettings', { password: null })).passwordSet).toBe(false)
    expect(await secrets.get('smtpPassword')).toBeNull()
    // The password never reached the file or its write-ahead log (the bytes are the file's on SQLite; a server keeps its own storage).
    if (onPostgres) return
    await app.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    const folder = dirname(app.dataFile)
    for (const name of readdirSync(folder)) {
      const bytes = readFileSync(join(folder, name))
      expect(bytes.includes(Buffer.from(PASSWORD, 'utf8')), name).toBe(false)
      expect(bytes.includes(Buffer.from('pässwörd', 'latin1')), name).toBe(false)
    }
  })

  it('refuses each wrong value beside its field, and saves nothing', async () => {
    const app = await core()
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ host: 'smtp example.com' }, 'host', /server’s name/],
      [{ port: 0 }, 'port', /between 1 and 65535/],
      [{ port: 65536 }, 'port', /between 1 and 65535/],
      [{ security: 'ssl' }, 'security', /protected/],
      [{ fromAddress: 'hello@' }, 'fromAddress', /not a valid email/],
      [{ replyTo: 'a b@example.com' }, 'replyTo', /not a valid email/],
      [{ siteAddress: 'http://book.example.com' }, 'siteAddress', /https:\/\//],
      [{ siteAddress: 'book.example.com' }, 'siteAddress', /https:\/\//],
      [{ reminderHours: 169 }, 'reminderHours', /168 hours/],
      [{ reminderHours: -1 }, 'reminderHours', /0 \(no reminders\)/],
    ]
    for (const [input, field, message] of cases) {
      const result = await app.call('mail:updateSettings', input as never)
      expect(result.ok, JSON.stringify(input)).toBe(false)
      if (result.ok) continue
      expect(result.error.code).toBe('VALIDATION')
      expect(result.error.fields?.[field], JSON.stringify(input)).toMatch(message)
    }
    // A site tried out on this computer is allowed.
    expect((await app.invoke('mail:updateSettings', { siteAddress: 'http://localhost:5173' })).siteAddress).toBe('http://localhost:5173')
    expect(await app.db('change_log').where({ action: 'settings.mailUpdated' }).count({ n: '*' }).first()).toEqual({ n: 1 })
  })

  it('saves nothing when the password cannot be kept, and says why', async () => {
    const app = await core(new RefusingSecretStore())
    const result = await app.call('mail:updateSettings', { host: 'smtp.example.com', password: 'secret' })
    expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE', message: expect.stringMatching(/cannot keep this secret/) } })
    expect((await app.invoke('mail:settings', undefined)).host).toBe('')
    expect(await app.db('change_log').where({ action: 'settings.mailUpdated' }).count({ n: '*' }).first()).toEqual({ n: 0 })
  })

  it('is for administrators only', async () => {
    const app = await core()
    const person = { id: 99, name: 'Sam Staff', role: 'staff' as const }
    const result = await app.as(person, () => app.call('mail:updateSettings', { host: 'smtp.example.com' }))
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  describe('a test email', () => {
    const setUp = async (app: TestCore, port: number, patch: Record<string, unknown> = {}) =>
      app.invoke('mail:updateSettings', {
        host: '127.0.0.1',
        port,
        security: 'starttls',
        user: TEST_SMTP_USER,
        password: TEST_SMTP_PASSWORD,
        fromName: 'Studio Desk',
        fromAddress: 'desk@studio.example',
        ...patch,
      })

    it('arrives, sent straight to the server (not through the outbox)', async () => {
      const smtp = await server()
      const app = await core()
      await setUp(app, smtp.port)
      const result = await app.invoke('mail:sendTest', { to: 'owner@example.com' })
      expect(result).toEqual({ delivered: true, message: expect.stringContaining('owner@example.com') })
      const [message] = await smtp.waitFor(1)
      expect(message!.to).toEqual(['owner@example.com'])
      expect(message!.parsed.subject).toMatch(/^Test email from /)
      expect(message!.parsed.from?.value[0]).toEqual({ name: 'Studio Desk', address: 'desk@studio.example' })
      expect(await app.db('messages').count({ n: '*' }).first()).toEqual({ n: 0 })
    })

    it('says when the password is wrong', async () => {
      const smtp = await server()
      const app = await core()
      await setUp(app, smtp.port, { password: 'wrong' })
      const result = await app.invoke('mail:sendTest', { to: 'owner@example.com' })
      expect(result.delivered).toBe(false)
      expect(result.message).toMatch(/refused the user name or password .*Invalid username or password.*Settings → Email/)
    })

    it('says when the server refuses the connection', async () => {
      const smtp = await startSmtpServer()
      const port = smtp.port
      await smtp.close()
      const app = await core()
      await setUp(app, port)
      const result = await app.invoke('mail:sendTest', { to: 'owner@example.com' })
      expect(result).toEqual({ delivered: false, message: `The mail server at 127.0.0.1:${port} refused the connection. Check the server name and port in Settings → Email, or whether the server is running.` })
    })

    it('says when the server’s certificate cannot be trusted', async () => {
      const smtp = await server()
      // This desk does not trust the test server's self-signed certificate.
      const app = await core(new MemorySecretStore(), { ...FAST_MAIL, tlsCa: undefined })
      await setUp(app, smtp.port)
      const result = await app.invoke('mail:sendTest', { to: 'owner@example.com' })
      expect(result.delivered).toBe(false)
      expect(result.message).toMatch(/^The mail server’s certificate could not be trusted \(self[- ]signed certificate\)\. Check the server name in Settings → Email, or ask your email provider\.$/)
    })

    it('says when the security setting does not match the server', async () => {
      const smtp = await server()
      const app = await core()
      await setUp(app, smtp.port, { security: 'tls' })
      const result = await app.invoke('mail:sendTest', { to: 'owner@example.com' })
      expect(result.delivered).toBe(false)
      expect(result.message).toBe(
        `A protected connection to 127.0.0.1:${smtp.port} could not be made: the server does not start with TLS on this port. Check the security setting in Settings → Email: port 465 usually uses TLS, port 587 STARTTLS.`,
      )
    })

    it('says when email is not set up yet', async () => {
      const app = await core()
      expect(await app.invoke('mail:sendTest', { to: 'owner@example.com' })).toEqual({ delivered: false, message: expect.stringMatching(/isn’t set up yet/) })
    })
  })

  it('keeps the mail password with the system’s protection, beside the backup passphrase', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-mail-secrets-'))
    open.push({ close: async () => rmSync(dir, { recursive: true, force: true }) })
    const file = join(dir, 'secrets.json')
    const key = 9
    const safeStorage = {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptStringAsync: async (text: string) => Buffer.concat([Buffer.from([key]), Buffer.from(text, 'utf8').map((byte) => byte ^ key)]),
      decryptStringAsync: async (data: Buffer) => ({ result: Buffer.from(data.subarray(1).map((byte) => byte ^ key)).toString('utf8'), shouldReEncrypt: false }),
    }
    const store = new SafeStorageSecretStore({ file, safeStorage, platform: 'linux' })
    await store.set('backupPassphrase', 'backup words')
    const app = await core(store)
    await app.invoke('mail:updateSettings', { password: PASSWORD })
    expect(readFileSync(file, 'utf8')).not.toContain('pässwörd')
    const reopened = new SafeStorageSecretStore({ file, safeStorage, platform: 'linux' })
    expect(await reopened.get('smtpPassword')).toBe(PASSWORD)
    expect(await reopened.get('backupPassphrase')).toBe('backup words')
    expect((await app.invoke('mail:settings', undefined)).passwordSet).toBe(true)
    // Without protected storage the password is refused, in words, and nothing is saved.
    const plain = new SafeStorageSecretStore({ file: join(dir, 'other.json'), safeStorage: { ...safeStorage, getSelectedStorageBackend: () => 'basic_text' }, platform: 'linux' })
    const other = await core(plain)
    const refused = await other.call('mail:updateSettings', { host: 'smtp.example.com', password: PASSWORD })
    expect(refused).toMatchObject({ ok: false, error: { code: 'STORAGE', message: expect.stringMatching(/protected storage/) } })
    expect((await other.invoke('mail:settings', undefined)).host).toBe('')
  })
})

