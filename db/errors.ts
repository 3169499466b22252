import { isStaleStatement } from './dialects/postgresClient'

/**
 * What a failure of the database itself means for the desk, as a sentence a
 * receptionist can act on. Null for anything that is not such a failure.
 */
export function describeDatabaseFailure(error: unknown): { code: 'BUSY' | 'STORAGE' | 'OFFLINE'; message: string } | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  if (isServerUnreachable(error)) {
    return {
      code: 'OFFLINE',
      message: 'The database server cannot be reached, so nothing was changed. Frontdesk keeps trying; what you typed is kept — try again once it is back.',
    }
  }
  // FRONTDESK_BUSY: the PostgreSQL write lock stayed taken (db/dialects/postgresClient.ts); 40P01, 55P03: a deadlock or lock wait the server gave up on.
  if (
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_LOCKED' ||
    code.startsWith('SQLITE_BUSY_') ||
    code.startsWith('SQLITE_LOCKED_') ||
    code === 'FRONTDESK_BUSY' ||
    code === '40P01' ||
    code === '55P03'
  ) {
    return { code: 'BUSY', message: 'The customer file is busy with another task. Nothing was changed; try again in a moment.' }
  }
  // A statement a desk kept prepared (db/dialects/postgresClient.ts) whose table another desk's newer Frontdesk has just changed.
  if (isStaleStatement(error)) {
    return { code: 'BUSY', message: 'Another desk has just upgraded the customer database. Nothing was changed; try again.' }
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return {
      code: 'STORAGE',
      message: 'Frontdesk cannot save: the customer file or its disk has become read-only. Nothing was changed. Check the file’s permissions, then restart Frontdesk.',
    }
  }
  if (code === 'SQLITE_FULL') {
    return { code: 'STORAGE', message: 'The disk is full, so nothing was saved. Free some space on it and try again.' }
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return {
      code: 'STORAGE',
      message: 'The customer file is damaged, so nothing was changed. Close Frontdesk and start it again: it checks the file and says what to do.',
    }
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    return {
      code: 'STORAGE',
      message: 'Frontdesk could not read or write the customer file: the disk reported an error. Nothing was changed. Check the disk, then try again.',
    }
  }
  return null
}

/** Network failures of the driver, when the server is down, restarting or out of reach. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])

/**
 * A PostgreSQL server that cannot be reached: the network said so, the server
 * is shutting down or starting (57P01–57P03), the connection broke (class 08),
 * or no connection could be had in time. Not a failure of the request itself:
 * the same call succeeds once the server is back.
 */
export function isServerUnreachable(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  if (NETWORK_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated|connection timeout|Timeout acquiring a connection|Client has encountered a connection error/i.test(message)
}
