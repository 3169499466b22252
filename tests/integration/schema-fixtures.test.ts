import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'
import { inspectDataFile } from '../../db/dataFile'
import { migrations } from '../../db/migrations'
import { prepareDataFile } from '../../db/open'
import { verifyChangeChain } from '../../db/changeChain'
import { listCustomers } from '../../main/services/customers'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { listCustomersInput } from '../../preload/contract'
import { problemsIn } from '../helpers/fileChecks'
import { FIXTURE_CUSTOMERS, fixtureName } from '../fixtures/schemas/values'

/*
 * Upgrades from every earlier schema: tests/fixtures/schemas holds a customer
 * file as each earlier version left it, with rows in every table (made by
 * tests/fixtures/schemas/make.ts). Each is upgraded through the app's own
 * open path, and then every table that was there keeps its rows, the
 * customers keep their names, emails and status and are found by search,
 * the counters, report totals and search index agree with the rows, the
 * change log's chain is whole, and the schema (with the search indexes'
 * settings) is exactly a new file's.
 */

const fixtures = join(__dirname, '..', 'fixtures', 'schemas')
const files = readdirSync(fixtures).filter((f) => f.endsWith('.sqlite3')).sort()
const names = migrations.map(([name]) => name)
/** Tables that only hold figures worked out from other tables; a migration may rebuild them from those rows. */
const DERIVED = new Set(['report_totals', 'report_customer_months', 'report_customers'])

let dir: string
let newFileSchema: string[]
let newFileSearchSettings: Record<string, unknown[]>

function schemaOf(conn: Database.Database): string[] {
  return (conn.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all() as Array<{ type: string; name: string; sql: string | null }>).map(
    (r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`,
  )
}

/** Each full-text index's own settings (secure delete, merging), which its schema line does not show. */
function searchSettingsOf(conn: Database.Database): Record<string, unknown[]> {
  const tables = conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%' ORDER BY name`).all() as Array<{ name: string }>
  return Object.fromEntries(tables.map(({ name }) => [name, conn.prepare(`SELECT k, v FROM "${name}_config" ORDER BY k`).all()]))
}

/** Each table's rows, known by their primary key (by their count in a table without one). */
function rowKeys(conn: Database.Database): Record<string, string[]> {
  const tables = conn.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string; sql: string }>
  const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name)
  const own = (name: string) => name.startsWith('sqlite_') || name.startsWith('knex_') || virtual.some((v) => name === v || name.startsWith(`${v}_`))
  return Object.fromEntries(
    tables
      .filter((t) => !own(t.name))
      .map((t) => {
        const key = (conn.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(t.name) as Array<{ name: string }>).map((c) => `"${c.name}"`)
        const select = key.length ? `SELECT json_array(${key.join(', ')}) AS k FROM "${t.name}"` : `SELECT 'row ' || row_number() OVER () AS k FROM "${t.name}"`
        return [t.name, (conn.prepare(select).all() as Array<{ k: string }>).map((r) => r.k)]
      }),
  )
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-schema-fixtures-'))
  const fresh = join(dir, 'new.sqlite3')
  await prepareDataFile(fresh, inspectDataFile(fresh, names))
  const conn = new Database(fresh, { readonly: true })
  newFileSchema = schemaOf(conn)
  newFileSearchSettings = searchSettingsOf(conn)
  conn.close()
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a customer file from every earlier schema', () => {
  it('has a fixture for every earlier schema version', () => {
    expect(files.map((f) => f.replace(/^\d+-|\.sqlite3$/g, ''))).toEqual(names.slice(0, -1))
  })

  it("a new file's search indexes delete securely (an erased customer's words leave the file) and merge in the background", () => {
    expect(Object.keys(newFileSearchSettings).length).toBeGreaterThanOrEqual(4)
    for (const [table, settings] of Object.entries(newFileSearchSettings)) {
      expect({ table, settings }).toMatchObject({ table, settings: expect.arrayContaining([{ k: 'secure-delete', v: 1 }, { k: 'automerge', v: 0 }]) })
    }
  })

  it.each(files)('%s upgrades with its data intact', async (fixture) => {
    const file = join(dir, fixture)
    copyFileSync(join(fixtures, fixture), file)
    const version = Number(fixture.slice(0, 2))
    const before = new Database(file, { readonly: true })
    const rows = rowKeys(before)
    before.close()
    // Rows in every table (the Administrator's staff row came with the third migration).
    expect(Object.entries(rows).filter(([table, keys]) => keys.length === 0 && !(table === 'staff' && version < 3))).toEqual([])

    const prepared = await prepareDataFile(file, inspectDataFile(file, names))
    expect(prepared.applied).toEqual(names.slice(version))

    const conn = new Database(file, { readonly: true })
    try {
      // Every row that was there is there still (a migration may add rows, e.g. default settings).
      const after = rowKeys(conn)
      for (const [table, keys] of Object.entries(rows)) {
        if (DERIVED.has(table)) continue
        const kept = new Set(after[table] ?? [])
        expect({ table, missing: keys.filter((k) => !kept.has(k)) }).toEqual({ table, missing: [] })
      }
      expect(schemaOf(conn)).toEqual(newFileSchema)
      expect(searchSettingsOf(conn)).toEqual(newFileSearchSettings)
      const customers = conn.prepare('SELECT first_name, last_name, display_name, email, status FROM customers WHERE email IN (' + FIXTURE_CUSTOMERS.map(() => '?').join(',') + ') ORDER BY id').all(...FIXTURE_CUSTOMERS.map((c) => c.email))
      expect(customers).toEqual(FIXTURE_CUSTOMERS.map((c) => ({ first_name: c.firstName, last_name: c.lastName, display_name: fixtureName(c), email: c.email, status: c.status })))
      const chain = verifyChangeChain(conn)
      expect(chain).toMatchObject({ intact: true, entries: rows['change_log']!.length })
    } finally {
      conn.close()
    }

    expect(await problemsIn(file)).toEqual([])
    const db = openDatabase(file, { readonly: true })
    try {
      const ctx = { db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
      for (const c of FIXTURE_CUSTOMERS) {
        // By email, by a surname without its accents, by the start of the first name, and by the initials.
        for (const search of [c.email, c.lastName.normalize('NFD').replace(/\p{M}/gu, ''), c.firstName.slice(0, 3), `${c.firstName[0]} ${c.lastName[0]}`]) {
          const page = await listCustomers(ctx, listCustomersInput.parse({ tab: c.status, search }))
          expect(page.rows.map((r) => r.displayName), `${fixture}: “${search}”`).toContain(fixtureName(c))
        }
      }
    } finally {
      await closeDatabase(db)
    }
  })
})
