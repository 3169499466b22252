import pg from 'pg'
import { migrations } from './migrations'

/**
 * A look at a PostgreSQL database before a desk is pointed at it, changing
 * nothing: whether it answers, whose tables it holds, how far its Frontdesk
 * schema is, and whether the extensions search needs are there or can be.
 */
export interface ServerInspection {
  /** Nothing but Frontdesk's tables (or none at all). */
  kind: 'empty' | 'frontdesk' | 'foreign' | 'newer'
  /** Customers in a Frontdesk database. */
  customers: number | null
  /** pg_trgm and unaccent are installed, or installable by this user. */
  extensions: boolean
  /** A few of another program's tables, for the message. */
  foreignTables: string[]
}

export async function inspectServer(url: string): Promise<ServerInspection> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, application_name: 'Frontdesk settings' })
  await client.connect()
  try {
    const tables = (
      await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
    ).rows.map((row) => row.name)
    const extensions = await client.query<{ name: string; installed: boolean }>(
      `SELECT name, installed_version IS NOT NULL AS installed FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')`,
    )
    const installed = extensions.rows.filter((row) => row.installed).length === 2
    // Installing an extension needs it on the server (PostgreSQL's contrib) and the right to create it in this database.
    const creatable =
      extensions.rows.length === 2 &&
      Boolean((await client.query<{ ok: boolean }>(`SELECT has_database_privilege(current_database(), 'CREATE') AS ok`)).rows[0]?.ok)
    const base = { extensions: installed || creatable, foreignTables: [] as string[] }
    if (!tables.length) return { ...base, kind: 'empty', customers: null }
    if (!tables.includes('knex_migrations')) return { ...base, kind: 'foreign', customers: null, foreignTables: tables.slice(0, 5) }
    const applied = (await client.query<{ name: string }>('SELECT name FROM knex_migrations')).rows.map((row) => row.name)
    const known = new Set(migrations.map(([name]) => name))
    if (!applied.length && tables.some((name) => !name.startsWith('knex_'))) return { ...base, kind: 'foreign', customers: null, foreignTables: tables.slice(0, 5) }
    if (applied.some((name) => !known.has(name))) return { ...base, kind: 'newer', customers: null }
    const customers = tables.includes('customers') ? Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM customers')).rows[0]?.n ?? 0) : null
    return { ...base, kind: 'frontdesk', customers }
  } finally {
    await client.end().catch(() => {})
  }
}
