import knex, { type Knex } from 'knex'
import { prepareServerDatabase } from '../../db/server'

/*
 * The service and integration suites run on both engines: SQLite files by
 * default, PostgreSQL when FRONTDESK_TEST_ENGINE=postgres (with the server of
 * FRONTDESK_TEST_POSTGRES, started by build/test-postgres.mjs). On PostgreSQL
 * each test gets a database of its own, cloned from a template this process
 * migrated once: a clone takes tens of milliseconds, migrating a second.
 */

export type TestEngine = 'sqlite' | 'postgres'

export function testEngine(): TestEngine {
  return process.env.FRONTDESK_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite'
}

export const onPostgres = testEngine() === 'postgres'

/** The test server's URL with another database name. */
export function serverUrl(database: string): string {
  const base = process.env.FRONTDESK_TEST_POSTGRES
  if (!base) throw new Error('FRONTDESK_TEST_POSTGRES is not set: run the PostgreSQL tests through build/test-postgres.mjs')
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

let admin: Knex | null = null
function adminConnection(): Knex {
  // The server's maintenance database: databases are made and dropped from here.
  return (admin ??= knex({ client: 'pg', connection: serverUrl('postgres'), pool: { min: 0, max: 2 } }))
}

let template: Promise<string> | null = null
let made = 0
const prefix = `fd_${process.pid}_${Date.now().toString(36)}`

async function makeTemplate(): Promise<string> {
  const name = `${prefix}_template`
  await adminConnection().raw(`CREATE DATABASE ${name}`)
  await prepareServerDatabase(serverUrl(name))
  return name
}

/** A new, fully migrated PostgreSQL database; `drop` removes it (and closes anyone still connected). */
export async function freshServerDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  template ??= makeTemplate()
  const source = await template
  const name = `${prefix}_${++made}`
  await adminConnection().raw(`CREATE DATABASE ${name} TEMPLATE ${source}${await copyStrategy()}`)
  return { url: serverUrl(name), name, drop: () => dropServerDatabase(name) }
}

let strategy: Promise<string> | null = null
/**
 * A clone copies the template's files (PostgreSQL 15+) instead of writing every page to the WAL, the
 * default: for a database this small, made in about 20 ms instead of 24–66 and dropped in 10 instead of 22–45.
 */
function copyStrategy(): Promise<string> {
  return (strategy ??= adminConnection()
    .raw(`SELECT current_setting('server_version_num')::int AS v`)
    .then((result: { rows: Array<{ v: number }> }) => (result.rows[0]!.v >= 150000 ? ' STRATEGY = FILE_COPY' : '')))
}

/** An empty PostgreSQL database (nothing migrated): for first-run and migration tests. */
export async function emptyServerDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${++made}`
  await adminConnection().raw(`CREATE DATABASE ${name}`)
  return { url: serverUrl(name), name, drop: () => dropServerDatabase(name) }
}

export async function dropServerDatabase(name: string): Promise<void> {
  await adminConnection().raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}

/**
 * Makes the database refuse inserts into `table` (those where `when` holds, a
 * condition on NEW), in either engine's trigger language: a disk failing midway,
 * for tests that a change is all or nothing.
 */
export async function refuseInserts(db: Knex, name: string, table: string, when = 'TRUE'): Promise<void> {
  if (String((db.client as { dialect?: unknown }).dialect) === 'postgresql') {
    await db.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF ${when} THEN RAISE EXCEPTION 'disk trouble'; END IF; RETURN NEW; END $$`)
    await db.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`)
    return
  }
  await db.raw(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} WHEN ${when === 'TRUE' ? '1' : when} BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`)
}
