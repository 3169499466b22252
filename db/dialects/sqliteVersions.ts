import type { Knex } from 'knex'

/*
 * SQLite: a record's version moves on every change of its row, whoever makes
 * it (the desk, an import, a merge). SQLite cannot change the row being
 * written, so an AFTER trigger raises it once; a write that sets the version
 * itself (putting an unchanged record back) is left as written.
 */

const triggerName = (table: string) => `${table}_version`

export async function createSqliteRecordVersions(knex: Knex, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await knex.raw(`CREATE TRIGGER ${triggerName(table)} AFTER UPDATE ON ${table}
      WHEN NEW.version = OLD.version
      BEGIN UPDATE ${table} SET version = OLD.version + 1 WHERE id = NEW.id; END`)
  }
}

export async function dropSqliteRecordVersions(knex: Knex, tables: readonly string[]): Promise<void> {
  for (const table of tables) await knex.raw(`DROP TRIGGER IF EXISTS ${triggerName(table)}`)
}
