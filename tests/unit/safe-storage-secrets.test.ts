import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

const { SafeStorageSecretStore, SECRETS_UNAVAILABLE, SECRET_UNREADABLE } = await import('../../main/safeStorageSecrets')
const { DomainError } = await import('../../main/services/errors')

/** A stand-in for safeStorage: a reversible transform so the file never holds the plain text. */
function fakeSafeStorage(options: { available?: boolean; backend?: string; key?: number } = {}) {
  const key = options.key ?? 7
  const state = { available: options.available ?? true, backend: options.backend ?? 'gnome_libsecret', shouldReEncrypt: false }
  const safeStorage = {
    isAsyncEncryptionAvailable: vi.fn(async () => state.available),
    getSelectedStorageBackend: vi.fn(() => state.backend),
    encryptStringAsync: vi.fn(async (text: string) => Buffer.concat([Buffer.from([key]), Buffer.from(text, 'utf8').map((byte) => byte ^ key)])),
    decryptStringAsync: vi.fn(async (data: Buffer) => {
      if (data[0] !== key) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
      return { result: Buffer.from(data.subarray(1).map((byte) => byte ^ key)).toString('utf8'), shouldReEncrypt: state.shouldReEncrypt }
    }),
  }
  return { safeStorage, state }
}

const dirs: string[] = []
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-secrets-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const PASSPHRASE = 'correct horse battery staple – ünïcödé 🔑'

describe('the Electron secret store (safeStorage)', () => {
  it('keeps a secret across restarts, encrypted in a file of its own, readable by this user only', async () => {
    const file = join(folder(), 'userData', 'secrets.json')
    const { safeStorage } = fakeSafeStorage()
    const store = new SafeStorageSecretStore({ file, safeStorage, platform: 'linux' })
    expect(await store.get('backupPassphrase')).toBeNull()
    await store.set('backupPassphrase', PASSPHRASE)
    expect(await store.get('backupPassphrase')).toBe(PASSPHRASE)

    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('correct horse')
    expect(JSON.parse(text)).toEqual({ format: 1, secrets: { backupPassphrase: expect.any(String) } })
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)

    const reopened = new SafeStorageSecretStore({ file, safeStorage, platform: 'linux' })
    expect(await reopened.get('backupPassphrase')).toBe(PASSPHRASE)
    await reopened.set('backupPassphrase', null)
    expect(await reopened.get('backupPassphrase')).toBeNull()
    expect(await new SafeStorageSecretStore({ file, safeStorage }).get('backupPassphrase')).toBeNull()
  })

  it('writes through a temporary name and leaves none behind', async () => {
    const dir = folder()
    const file = join(dir, 'secrets.json')
    const store = new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage().safeStorage, platform: 'darwin' })
    await Promise.all([store.set('backupPassphrase', 'one'), store.set('backupPassphrase', 'two'), store.set('backupPassphrase', 'three')])
    expect(await store.get('backupPassphrase')).toBe('three')
    expect(readdirSync(dir)).toEqual(['secrets.json'])
  })

  it('refuses to store when the system offers no encryption, with a clear sentence, and writes nothing', async () => {
    const file = join(folder(), 'secrets.json')
    const { safeStorage } = fakeSafeStorage({ available: false })
    const store = new SafeStorageSecretStore({ file, safeStorage, platform: 'win32' })
    const refusal = store.set('backupPassphrase', PASSPHRASE)
    await expect(refusal).rejects.toBeInstanceOf(DomainError)
    await expect(refusal).rejects.toMatchObject({ code: 'STORAGE', message: SECRETS_UNAVAILABLE })
    expect(SECRETS_UNAVAILABLE).toMatch(/cannot keep this secret safely.*Nothing was saved\./)
    expect(existsSync(file)).toBe(false)
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled()
    expect(await store.canKeepSecrets()).toBe(false)
    // Forgetting needs no encryption.
    await store.set('backupPassphrase', null)
  })

  it('refuses Linux’s plain-text fallback (a fixed, public key) as unavailable', async () => {
    const file = join(folder(), 'secrets.json')
    const { safeStorage } = fakeSafeStorage({ backend: 'basic_text' })
    const store = new SafeStorageSecretStore({ file, safeStorage, platform: 'linux' })
    await expect(store.set('backupPassphrase', PASSPHRASE)).rejects.toMatchObject({ code: 'STORAGE', message: SECRETS_UNAVAILABLE })
    expect(existsSync(file)).toBe(false)
    // The backend name means nothing elsewhere.
    const mac = new SafeStorageSecretStore({ file, safeStorage, platform: 'darwin' })
    await mac.set('backupPassphrase', PASSPHRASE)
    expect(await mac.get('backupPassphrase')).toBe(PASSPHRASE)
  })

  it('says so, rather than returning nothing, when a saved secret cannot be read any more', async () => {
    const file = join(folder(), 'secrets.json')
    await new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage({ key: 1 }).safeStorage, platform: 'darwin' }).set('backupPassphrase', 'x')
    const otherKey = new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage({ key: 2 }).safeStorage, platform: 'darwin' })
    await expect(otherKey.get('backupPassphrase')).rejects.toMatchObject({ code: 'STORAGE', message: SECRET_UNREADABLE })
    const { safeStorage, state } = fakeSafeStorage({ key: 1 })
    const locked = new SafeStorageSecretStore({ file, safeStorage, platform: 'darwin' })
    state.available = false
    await expect(locked.get('backupPassphrase')).rejects.toMatchObject({ code: 'STORAGE', message: SECRET_UNREADABLE })
    writeFileSync(file, '{not json')
    await expect(otherKey.get('backupPassphrase')).rejects.toMatchObject({ code: 'STORAGE' })
  })

  it('re-encrypts when the system rotated its key', async () => {
    const file = join(folder(), 'secrets.json')
    const { safeStorage, state } = fakeSafeStorage()
    const store = new SafeStorageSecretStore({ file, safeStorage, platform: 'darwin' })
    await store.set('backupPassphrase', PASSPHRASE)
    state.shouldReEncrypt = true
    expect(await store.get('backupPassphrase')).toBe(PASSPHRASE)
    await vi.waitFor(() => expect(safeStorage.encryptStringAsync).toHaveBeenCalledTimes(2))
    state.shouldReEncrypt = false
    expect(await store.get('backupPassphrase')).toBe(PASSPHRASE)
  })

  it('ignores foreign keys in the file (no prototype tricks)', async () => {
    const file = join(folder(), 'secrets.json')
    writeFileSync(file, '{"format":1,"secrets":{"__proto__":{"backupPassphrase":"AQ=="},"other":5}}')
    const store = new SafeStorageSecretStore({ file, safeStorage: fakeSafeStorage().safeStorage, platform: 'darwin' })
    expect(await store.get('backupPassphrase')).toBeNull()
  })
})
