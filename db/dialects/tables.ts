import type { Knex } from 'knex'
import { allRows } from '../queries/customerList'

/*
 * What a copy between engines needs to know of a database's tables, read
 * from each engine's own catalogue: the ordinary tables, their columns,
 * primary keys and the tables they reference.
 */

export interface TableLayout {
  name: string
  columns: string[]
  /** The primary key's columns, in key order (empty when the table has none). */
  primaryKey: string[]
  /** Other tables this one's foreign keys point at. */
  references: string[]
}

const isSqlite = (knex: Knex) => String((knex.client as { dialect?: unknown }).dialect) === 'sqlite3'

/** Every ordinary table (no virtual tables or SQLite's own), by name. */
export async function readTableLayouts(knex: Knex): Promise<Map<string, TableLayout>> {
  const layouts = new Map<string, TableLayout>()
  if (isSqlite(knex)) {
    const tables = allRows<{ name: string }>(
      await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'`),
    )
    for (const { name } of tables) {
      const quoted = name.replace(/'/g, "''")
      const columns = allRows<{ name: string; pk: number }>(await knex.raw(`SELECT name, pk FROM pragma_table_info('${quoted}')`))
      const keys = allRows<{ table: string }>(await knex.raw(`SELECT DISTINCT "table" FROM pragma_foreign_key_list('${quoted}')`))
      layouts.set(name, {
        name,
        columns: columns.map((c) => c.name),
        primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
        references: keys.map((k) => k.table).filter((t) => t !== name),
      })
    }
    return layouts
  }
  const columns = allRows<{ table_name: string; column_name: string }>(
    await knex.raw(`SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position`),
  )
  for (const row of columns) {
    const layout = layouts.get(row.table_name) ?? { name: row.table_name, columns: [], primaryKey: [], references: [] }
    layout.columns.push(row.column_name)
    layouts.set(row.table_name, layout)
  }
  const keys = allRows<{ table_name: string; column_name: string }>(
    await knex.raw(`SELECT i.indrelid::regclass::text AS table_name, a.attname AS column_name
      FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE i.indisprimary AND s.nspname = current_schema() ORDER BY 1, k.n`),
  )
  for (const row of keys) layouts.get(unquote(row.table_name))?.primaryKey.push(row.column_name)
  const references = allRows<{ table_name: string; target: string }>(
    await knex.raw(`SELECT conrelid::regclass::text AS table_name, confrelid::regclass::text AS target
      FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
      WHERE c.contype = 'f' AND s.nspname = current_schema()`),
  )
  for (const row of references) {
    const layout = layouts.get(unquote(row.table_name))
    const target = unquote(row.target)
    if (layout && target !== layout.name && !layout.references.includes(target)) layout.references.push(target)
  }
  return layouts
}

const unquote = (name: string) => name.replace(/^"|"$/g, '')

/**
 * Reads from one consistent moment of the database for the rest of the
 * transaction: SQLite's transactions already do; PostgreSQL's need it asked
 * for before their first query.
 */
export async function readFromOneMoment(trx: Knex.Transaction): Promise<void> {
  if (!isSqlite(trx)) await trx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
}

/**
 * After rows were written with their ids, the next id a table gives is past
 * the highest: SQLite's AUTOINCREMENT keeps up by itself; PostgreSQL's
 * sequences are set here.
 */
export async function resetIdSequences(knex: Knex, tables: readonly TableLayout[]): Promise<void> {
  if (isSqlite(knex)) return
  for (const table of tables) {
    if (!table.columns.includes('id')) continue
    const [sequence] = allRows<{ name: string | null }>(await knex.raw(`SELECT pg_get_serial_sequence(?, 'id') AS name`, [quoteName(table.name)]))
    if (!sequence?.name) continue
    await knex.raw(`SELECT setval(?::regclass, COALESCE((SELECT max(id) FROM ${quoteName(table.name)}), 0) + 1, false)`, [sequence.name])
  }
}

/**
 * PostgreSQL keeps every version of a row a transaction updates until it
 * ends, so a counter a trigger bumps once per copied row costs more with each
 * row: there a bulk copy pauses the tables' own triggers (foreign keys stay
 * checked) and the caller fills what they keep once at the end. SQLite's
 * triggers cost the same for every row and stay on (false).
 */
export async function pauseRowTriggers(knex: Knex, tables: readonly TableLayout[]): Promise<boolean> {
  if (isSqlite(knex)) return false
  for (const table of tables) await knex.raw(`ALTER TABLE ${quoteName(table.name)} DISABLE TRIGGER USER`)
  return true
}

export async function resumeRowTriggers(knex: Knex, tables: readonly TableLayout[]): Promise<void> {
  if (isSqlite(knex)) return
  for (const table of tables) await knex.raw(`ALTER TABLE ${quoteName(table.name)} ENABLE TRIGGER USER`)
}

/** The most values one statement may bind on this engine (SQLite's limit is 32,766, PostgreSQL's 65,535). */
export function maxBindings(knex: Knex): number {
  return isSqlite(knex) ? 32_000 : 65_000
}

/** A value as this engine stores it: SQLite has no booleans (0/1) and binds no dates. */
export function valueForEngine(knex: Knex): (value: unknown) => unknown {
  if (!isSqlite(knex)) return (value) => value
  return (value) => {
    if (typeof value === 'boolean') return value ? 1 : 0
    if (value instanceof Date) return value.toISOString()
    if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value)
    return value
  }
}

export const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`
