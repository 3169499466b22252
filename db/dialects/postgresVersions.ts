import type { Knex } from 'knex'

/*
 * PostgreSQL: a record's version moves on every change of its row, whoever
 * makes it (a desk, an import, a merge); a write that sets the version
 * itself (putting an unchanged record back) is left as written.
 */

const triggerName = (table: string) => `${table}_version`

export async function createPostgresRecordVersions(knex: Knex, tables: readonly string[]): Promise<void> {
  await knex.raw(`CREATE OR REPLACE FUNCTION frontdesk_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.version = OLD.version THEN NEW.version := OLD.version + 1; END IF;
      RETURN NEW;
    END $$`)
  for (const table of tables) {
    await knex.raw(`CREATE TRIGGER ${triggerName(table)} BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION frontdesk_next_version()`)
  }
}

export async function dropPostgresRecordVersions(knex: Knex, tables: readonly string[]): Promise<void> {
  for (const table of tables) await knex.raw(`DROP TRIGGER IF EXISTS ${triggerName(table)} ON ${table}`)
  await knex.raw('DROP FUNCTION IF EXISTS frontdesk_next_version()')
}
