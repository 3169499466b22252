import type { ServerSettings } from './server'

/**
 * Where this computer keeps its data, remembered between starts: the local
 * customer file, the server last set in Settings → Database, and which of the
 * two the desk uses. The app keeps it in its user data folder (main/startup.ts).
 */
export interface DatabaseChoice {
  localFile: string
  server: ServerSettings | null
  useServer: boolean
}

export interface DatabaseChoices {
  read(): DatabaseChoice
  save(change: Partial<Omit<DatabaseChoice, 'localFile'>>): void
}

/** Held for the life of the process (tests, a desk without a user data folder). */
export class MemoryDatabaseChoices implements DatabaseChoices {
  private choice: DatabaseChoice
  constructor(localFile: string) {
    this.choice = { localFile, server: null, useServer: false }
  }
  read(): DatabaseChoice {
    return { ...this.choice }
  }
  save(change: Partial<Omit<DatabaseChoice, 'localFile'>>): void {
    this.choice = { ...this.choice, ...change }
  }
}
