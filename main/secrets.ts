/**
 * Secrets the desk needs but the customer file must not hold (the backup
 * passphrase; later mail and server passwords). The app keeps them with the
 * operating system's protection (Electron's safeStorage); tests keep them in
 * memory; the command line reads them from its environment.
 */
export interface SecretStore {
  /** The secret, or null when none is set. */
  get(name: SecretName): Promise<string | null>
  /** Sets the secret; null forgets it. */
  set(name: SecretName, value: string | null): Promise<void>
}

export type SecretName = 'backupPassphrase' | 'smtpPassword' | 'serverPassword'

/** Held for the life of the process only. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<SecretName, string>()

  constructor(initial: Partial<Record<SecretName, string>> = {}) {
    for (const [name, value] of Object.entries(initial)) if (value) this.values.set(name as SecretName, value)
  }

  async get(name: SecretName): Promise<string | null> {
    return this.values.get(name) ?? null
  }

  async set(name: SecretName, value: string | null): Promise<void> {
    if (value === null) this.values.delete(name)
    else this.values.set(name, value)
  }
}

/** The command line's: FRONTDESK_BACKUP_PASSPHRASE, never written anywhere. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): SecretStore {
  const passphrase = env['FRONTDESK_BACKUP_PASSPHRASE']
  return new MemorySecretStore(passphrase ? { backupPassphrase: passphrase } : {})
}
