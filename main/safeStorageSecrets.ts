import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { SafeStorage } from 'electron'
import { DomainError } from './services/errors'
import type { SecretName, SecretStore } from './secrets'

/** The part of Electron's safeStorage this store uses (tests pass a fake). */
export type SafeStorageLike = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'> & {
  getSelectedStorageBackend?: () => string
}

export const SECRETS_UNAVAILABLE =
  'Frontdesk cannot keep this secret safely on this computer: the system’s protected storage ' +
  '(the macOS Keychain, Windows data protection or a Linux keyring such as GNOME Keyring or KWallet) ' +
  'is not available. Nothing was saved.'

export const SECRET_UNREADABLE =
  'Frontdesk cannot read a secret it saved earlier: the system’s protected storage is not available ' +
  'or its key has changed. Enter the secret again in Settings.'

interface SecretsFile {
  format: 1
  /** Each value encrypted by safeStorage, base64. */
  secrets: Record<string, string>
}

export interface SafeStorageSecretStoreOptions {
  /** A file in the app's userData folder (never beside the customer file, which travels). */
  file: string
  safeStorage: SafeStorageLike
  platform?: NodeJS.Platform
}

/**
 * Secrets encrypted with the operating system's key (Electron's safeStorage)
 * in a small file of their own. A secret is never written in a form anyone
 * with the file could read: where the system offers no protected storage
 * (on Linux, safeStorage then falls back to a fixed, public key) it refuses.
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string
  private readonly safeStorage: SafeStorageLike
  private readonly platform: NodeJS.Platform
  /** Writes one after the other, so two quick changes cannot lose one another. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(options: SafeStorageSecretStoreOptions) {
    this.file = options.file
    this.safeStorage = options.safeStorage
    this.platform = options.platform ?? process.platform
  }

  /** Whether secrets can be kept here at all (Settings can say so before asking for one). */
  async canKeepSecrets(): Promise<boolean> {
    if (this.platform === 'linux' && this.safeStorage.getSelectedStorageBackend?.() === 'basic_text') return false
    return this.safeStorage.isAsyncEncryptionAvailable()
  }

  async get(name: SecretName): Promise<string | null> {
    await this.queue
    const stored = (await this.read()).secrets[name]
    if (stored === undefined) return null
    if (!(await this.canKeepSecrets())) throw new DomainError('STORAGE', SECRET_UNREADABLE)
    let decrypted: { result: string; shouldReEncrypt: boolean }
    try {
      decrypted = await this.safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'))
    } catch {
      throw new DomainError('STORAGE', SECRET_UNREADABLE)
    }
    // The system rotated its key: keep the secret under the new one.
    if (decrypted.shouldReEncrypt) await this.set(name, decrypted.result).catch(() => undefined)
    return decrypted.result
  }

  set(name: SecretName, value: string | null): Promise<void> {
    const run = this.queue.then(() => this.write(name, value))
    this.queue = run.catch(() => undefined)
    return run
  }

  private async write(name: SecretName, value: string | null): Promise<void> {
    const current = await this.read()
    const secrets = { ...current.secrets }
    if (value === null) {
      if (!(name in secrets)) return
      delete secrets[name]
    } else {
      if (!(await this.canKeepSecrets())) throw new DomainError('STORAGE', SECRETS_UNAVAILABLE)
      const encrypted = await this.safeStorage.encryptStringAsync(value)
      secrets[name] = Buffer.from(encrypted).toString('base64')
    }
    await this.save({ format: 1, secrets })
  }

  private async read(): Promise<SecretsFile> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, secrets: {} }
      throw new DomainError('STORAGE', SECRET_UNREADABLE)
    }
    const secrets: Record<string, string> = {}
    try {
      const parsed = JSON.parse(text) as { secrets?: unknown }
      if (parsed.secrets && typeof parsed.secrets === 'object') {
        for (const [key, stored] of Object.entries(parsed.secrets)) {
          if (typeof stored === 'string' && key !== '__proto__') secrets[key] = stored
        }
      }
    } catch {
      throw new DomainError('STORAGE', SECRET_UNREADABLE)
    }
    return { format: 1, secrets }
  }

  /** Written to a temporary name and renamed, readable by this user only. */
  private async save(contents: SecretsFile): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true })
    const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
      await rename(temporary, this.file)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  }
}
