import type { RouterCase } from './types'

/** A server nothing listens on: tests answer "not reachable" in words, and a copy there fails in its job. */
const nowhere = { host: '127.0.0.1', port: 1, database: 'frontdesk', user: 'desk', tls: 'disable' }

/** Settings → Database. A test desk cannot reopen on another database, so switching is refused for its state. */
export const databaseCases: Record<string, RouterCase> = {
  'database:status': { valid: undefined, invalid: [{ using: 'server' }] },
  'database:testConnection': {
    valid: nowhere,
    invalid: [{}, { ...nowhere, host: 'db example' }, { ...nowhere, port: 0 }, { ...nowhere, port: 70000 }, { ...nowhere, tls: 'prefer' }, { ...nowhere, database: 'x; DROP' }, { ...nowhere, user: '' }, { ...nowhere, url: 'postgres://x' }],
  },
  'database:useServer': { valid: { ...nowhere, password: null }, invalid: [{ ...nowhere, password: 5 }, { ...nowhere, tls: 'allow' }], refusedFor: 'FORBIDDEN' },
  'database:useFile': { valid: undefined, invalid: [{ file: '/tmp/x.sqlite3' }], refusedFor: 'FORBIDDEN' },
  'database:copyToServer': { valid: { ...nowhere, replace: false }, invalid: [{ ...nowhere, replace: 'yes' }, { ...nowhere, to: 'postgres://x' }] },
  'database:copyToFile': { valid: {}, invalid: [{ replace: 1 }, { to: '/tmp/x.sqlite3' }], refusedFor: 'VALIDATION' },
}
