import Database from 'better-sqlite3'

/**
 * The backup settings as a file holds them, read through a read-only
 * connection (before a migration, or from a damaged file at recovery); a
 * file too old or too damaged to say gives the defaults.
 */
export function readStoredSettings(file: string): { backupFolder: string; backupEncrypted: boolean } {
  const found = { backupFolder: '', backupEncrypted: false }
  try {
    const conn = new Database(file, { readonly: true, fileMustExist: true })
    try {
      const rows = conn.prepare(`SELECT key, value FROM settings WHERE key IN ('backupFolder', 'backupEncrypted')`).all() as Array<{ key: string; value: string }>
      for (const row of rows) {
        const value = JSON.parse(row.value) as unknown
        if (row.key === 'backupFolder' && typeof value === 'string') found.backupFolder = value
        if (row.key === 'backupEncrypted' && typeof value === 'boolean') found.backupEncrypted = value
      }
    } finally {
      conn.close()
    }
  } catch {
    // No settings table yet, or unreadable: the defaults.
  }
  return found
}
