import { inspectServer } from '../../../db/serverCheck'
import type { ConnectionTest, ServerSettingsView, ServerTlsMode } from '../../../preload/contract/schemas/database'

/** The server settings kept on this computer (never the password: that is kept with the system's protection). */
export type ServerSettings = Omit<ServerSettingsView, 'passwordSet'>

/*
 * pg reads sslmode from the address: "no-verify" encrypts without checking
 * the certificate (PostgreSQL's own "require"); "verify-full" checks it and
 * the server's name.
 */
const SSLMODE: Record<ServerTlsMode, string> = { disable: 'disable', require: 'no-verify', 'verify-full': 'verify-full' }

/** The postgres:// address a desk opens (with the password, so never shown or logged: see describeLocation). */
export function serverAddress(settings: ServerSettings, password: string | null): string {
  const url = new URL('postgres://host')
  url.hostname = settings.host
  url.port = String(settings.port)
  url.username = settings.user
  if (password) url.password = password
  url.pathname = `/${settings.database}`
  url.searchParams.set('sslmode', SSLMODE[settings.tls])
  return url.toString()
}

/** The settings an address names (for a desk started with --db), or null when it cannot be read. */
export function settingsOfAddress(address: string): ServerSettings | null {
  try {
    const url = new URL(address)
    const sslmode = url.searchParams.get('sslmode') ?? 'disable'
    const tls: ServerTlsMode = sslmode === 'verify-full' || sslmode === 'verify-ca' ? 'verify-full' : sslmode === 'disable' || sslmode === 'allow' || sslmode === 'prefer' ? 'disable' : 'require'
    return {
      host: url.hostname,
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
      user: decodeURIComponent(url.username),
      tls,
    }
  } catch {
    return null
  }
}

const WORDS = {
  reached: 'Reached: a Frontdesk database. Desks pointed at it share its customers.',
  new: 'Reached: an empty database. Frontdesk sets it up when a desk first uses it (copy this desk’s data there first to take it along).',
  'wrong-password': 'The server refused the user name or password. Check them (or ask the server’s administrator).',
  'no-database': 'The server has no database of that name. Create it first (an empty database is enough), or check the name.',
  unreachable: 'The server cannot be reached: it is not running, the address or port is wrong, a firewall is in the way, or the network is down.',
  foreign: 'This database holds another program’s tables: it is not a Frontdesk database. Create an empty database for Frontdesk.',
  newer: 'This database was last upgraded by a newer Frontdesk. Install the latest Frontdesk on this desk first.',
  'missing-extensions':
    'Reached, but the pg_trgm and unaccent extensions (PostgreSQL’s contrib package) are missing, or this user may not add them. Ask the server’s administrator to run CREATE EXTENSION pg_trgm; CREATE EXTENSION unaccent; in this database.',
  tls: 'The protected connection failed: the server does not offer one, or its certificate is not trusted for this name. Check the TLS setting.',
} as const

/** What a failed connection means, as one of the outcomes the screen says in words. */
function failureOutcome(error: unknown): ConnectionTest['outcome'] {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  const message = String((error as Error | null)?.message ?? '')
  if (code === '28P01' || code === '28000') return 'wrong-password'
  if (code === '3D000') return 'no-database'
  if (/SSL|TLS|certificate|self.signed|Hostname\/IP does not match|altnames/i.test(message) || code.startsWith('ERR_TLS') || code.includes('CERT')) return 'tls'
  return 'unreachable'
}

/** Connects and looks, changing nothing; answers in words. */
export async function testServerConnection(address: string): Promise<ConnectionTest> {
  try {
    const found = await inspectServer(address)
    if (found.kind === 'foreign') return { outcome: 'foreign', usable: false, message: `${WORDS.foreign} (It holds ${found.foreignTables.join(', ')}.)`, customers: null }
    if (found.kind === 'newer') return { outcome: 'newer', usable: false, message: WORDS.newer, customers: null }
    if (!found.extensions) return { outcome: 'missing-extensions', usable: false, message: WORDS['missing-extensions'], customers: found.customers }
    if (found.kind === 'empty') return { outcome: 'new', usable: true, message: WORDS.new, customers: null }
    const customers = found.customers ?? 0
    return { outcome: 'reached', usable: true, message: `${WORDS.reached} It holds ${customers.toLocaleString('en-GB')} ${customers === 1 ? 'customer' : 'customers'}.`, customers }
  } catch (error) {
    const outcome = failureOutcome(error)
    return { outcome, usable: false, message: WORDS[outcome], customers: null }
  }
}
