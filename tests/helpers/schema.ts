import type { Knex } from 'knex'
import { allRows } from '../../db/queries/customerList'
import { onPostgres } from './testDatabase'

/** The database's own tables (the search index's and the engine's left out), on either engine. */
export async function tableNames(db: Knex): Promise<string[]> {
  const sql = onPostgres
    ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
       AND table_name NOT LIKE 'customer_search%' ORDER BY table_name`
    : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'customer_search%' AND name NOT LIKE 'sqlite_%' ORDER BY name`
  return allRows<{ name: string }>(await db.raw(sql)).map((r) => r.name)
}

/** A table's column names, on either engine. */
export async function columnNames(db: Knex, table: string): Promise<string[]> {
  const rows = onPostgres
    ? allRows<{ name: string }>(
        await db.raw(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, [
          table,
        ]),
      )
    : allRows<{ name: string }>(await db.raw(`PRAGMA table_info("${table.replace(/"/g, '""')}")`))
  return rows.map((r) => r.name)
}

/** The ids of the customers the search index holds a document for, in order. */
export async function searchIndexIds(db: Knex): Promise<number[]> {
  const sql = onPostgres ? 'SELECT id FROM customer_search ORDER BY id' : 'SELECT rowid AS id FROM customer_search_tri ORDER BY rowid'
  return allRows<{ id: number }>(await db.raw(sql)).map((r) => Number(r.id))
}
