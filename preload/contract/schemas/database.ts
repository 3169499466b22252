import { z } from 'zod'
import { noInput } from './common'

/* ── Where this desk's data lives: the local customer file, or a PostgreSQL server several desks share ── */

/** How the connection to the server is protected: not at all (a trusted network), encrypted, or encrypted to a server whose certificate is checked. */
export const serverTlsModes = ['disable', 'require', 'verify-full'] as const
export type ServerTlsMode = (typeof serverTlsModes)[number]

/** A server's name or address: letters, digits, dots and hyphens (or an IPv6 address in brackets). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\[[0-9A-Fa-f:.]+\]$/
/** PostgreSQL's names (database, user): no spaces or quotes, at most 63 bytes. */
const PG_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}$/

export const serverSettingsInput = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1, { error: 'Enter the server’s name or address, e.g. db.example.com.' })
    .max(253, { error: 'A server name is at most 253 characters.' })
    .refine((v) => HOST.test(v), { error: 'Enter the server’s name or address, e.g. db.example.com or 192.168.1.20.' }),
  port: z
    .number({ error: 'Enter the port number, e.g. 5432.' })
    .int({ error: 'Enter a whole port number, e.g. 5432.' })
    .min(1, { error: 'A port is between 1 and 65535.' })
    .max(65535, { error: 'A port is between 1 and 65535.' }),
  database: z.string().trim().min(1, { error: 'Enter the database’s name.' }).refine((v) => PG_NAME.test(v), { error: 'A database name has letters, digits and _ only (at most 63).' }),
  user: z.string().trim().min(1, { error: 'Enter the user name.' }).refine((v) => PG_NAME.test(v), { error: 'A user name has letters, digits and _ only (at most 63).' }),
  tls: z.enum(serverTlsModes, { error: 'Choose how the connection is protected.' }),
  /** A new password (kept by the computer's protected storage); null forgets it; absent: the one kept. */
  password: z.string().max(1000, { error: 'A password is at most 1,000 characters.' }).nullable().optional(),
})
export type ServerSettingsInput = z.input<typeof serverSettingsInput>

/** The server settings as the screen shows them: never the password itself. */
export interface ServerSettingsView {
  host: string
  port: number
  database: string
  user: string
  tls: ServerTlsMode
  passwordSet: boolean
}

export interface DatabaseStatus {
  /** Where this desk's data is now. */
  using: 'file' | 'server'
  /** The local customer file (used now, or the one "Use the local file" goes back to). */
  file: string
  /** The server last set here (null: none yet). */
  server: ServerSettingsView | null
  /** Where the data is now, as it may be shown (a server without its password). */
  location: string
  /** Passwords can be kept on this computer (without protected storage none is saved). */
  canKeepPassword: boolean
  /** This desk can switch where its data is while running (the app can; a test desk without a restart cannot). */
  canSwitch: boolean
}

/** What "Test connection" found, in words. */
export type ConnectionOutcome = 'reached' | 'new' | 'wrong-password' | 'no-database' | 'unreachable' | 'foreign' | 'newer' | 'missing-extensions' | 'tls'

export interface ConnectionTest {
  outcome: ConnectionOutcome
  /** True when a desk can use the server as it is (a Frontdesk database, or an empty one Frontdesk will set up). */
  usable: boolean
  message: string
  /** Customers on the server (a Frontdesk database), or null. */
  customers: number | null
}

export interface CopiedTable {
  name: string
  rows: number
  /** The rows' checksum, the same computed on the source and read back from the copy. */
  checksum: string
}

/** A finished copy: every table verified (a mismatch fails the copy, and nothing is written). */
export interface CopyReport {
  from: string
  to: string
  tables: CopiedTable[]
  rows: number
  seconds: number
}

export const copyToServerInput = serverSettingsInput.extend({
  /** Replace the server's data even when it holds some. */
  replace: z.boolean().optional(),
})

export const replaceInput = z.strictObject({ replace: z.boolean().optional() })

/** The channels of Settings → Database (administrators only). */
export const databaseInputs = {
  'database:status': noInput,
  'database:testConnection': serverSettingsInput,
  'database:useServer': serverSettingsInput,
  'database:useFile': noInput,
  'database:copyToServer': copyToServerInput,
  'database:copyToFile': replaceInput,
}

export interface DatabaseOutputs {
  'database:status': DatabaseStatus
  'database:testConnection': ConnectionTest
  'database:useServer': DatabaseStatus
  'database:useFile': DatabaseStatus
}
