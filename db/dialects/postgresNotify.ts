import type { Knex } from 'knex'

/*
 * PostgreSQL tells every desk listening on CHANGES_CHANNEL which customers a
 * committed write touched: one notice per statement (never per row, so an
 * import of thousands is one notice), naming up to MAX_IDS customers, or none
 * when more were touched ("many": refresh whatever is shown). Notices of a
 * rolled-back write are never sent.
 */

export const CHANGES_CHANNEL = 'frontdesk_changes'
const MAX_IDS = 50

/** Each table whose changes are told, with the column naming its customer. */
export const NOTIFIED_TABLES = { customers: 'id', bookings: 'customer_id', notes: 'customer_id' } as const

/** A notice as sent: the table, and the customers touched (null: more than MAX_IDS). */
export interface ChangeNotice {
  table: keyof typeof NOTIFIED_TABLES
  customers: number[] | null
}

const OPS = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE' } as const

function idsOf(rows: string, column: string): string {
  return `SELECT ${column} AS id FROM ${rows} WHERE ${column} IS NOT NULL`
}

export async function createPostgresChangeNotices(knex: Knex): Promise<void> {
  for (const [table, column] of Object.entries(NOTIFIED_TABLES)) {
    const fn = `frontdesk_notify_${table}`
    // Transition tables: the rows the statement wrote, read once for their customers.
    await knex.raw(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        touched int[];
        total int;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(id), count(*) INTO touched, total FROM (SELECT DISTINCT id FROM (${idsOf('new_rows', column)}) r LIMIT ${MAX_IDS + 1}) s;
          IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(id), count(*) INTO touched, total FROM (SELECT DISTINCT id FROM (${idsOf('old_rows', column)}) r LIMIT ${MAX_IDS + 1}) s;
          IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
        ELSE
          SELECT array_agg(id), count(*) INTO touched, total FROM (SELECT DISTINCT id FROM (${idsOf('new_rows', column)} UNION ${idsOf('old_rows', column)}) r LIMIT ${MAX_IDS + 1}) s;
          IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
        END IF;
        PERFORM pg_notify('${CHANGES_CHANNEL}', json_build_object(
          'table', TG_TABLE_NAME,
          'customers', CASE WHEN total > ${MAX_IDS} THEN NULL ELSE coalesce(to_json(touched), '[]'::json) END
        )::text);
        RETURN NULL;
      END $$`)
    for (const [op, event] of Object.entries(OPS)) {
      const referencing = op === 'insert' ? 'NEW TABLE AS new_rows' : op === 'delete' ? 'OLD TABLE AS old_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows'
      await knex.raw(`CREATE TRIGGER ${table}_notify_${op} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`)
    }
  }
}

export async function dropPostgresChangeNotices(knex: Knex): Promise<void> {
  for (const table of Object.keys(NOTIFIED_TABLES)) {
    for (const op of Object.keys(OPS)) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_notify_${op} ON ${table}`)
    await knex.raw(`DROP FUNCTION IF EXISTS frontdesk_notify_${table}()`)
  }
}

/** Tells every listening desk that any customer may have changed (after data was replaced whole, e.g. a restore). */
export async function announceEverythingChanged(knex: Knex): Promise<void> {
  for (const table of Object.keys(NOTIFIED_TABLES)) {
    const notice: ChangeNotice = { table: table as ChangeNotice['table'], customers: null }
    await knex.raw('SELECT pg_notify(?, ?)', [CHANGES_CHANNEL, JSON.stringify(notice)])
  }
}

/** Reads a notice's payload; null for anything not sent by the triggers above. */
export function parseChangeNotice(payload: string | undefined): ChangeNotice | null {
  try {
    const value = JSON.parse(payload ?? '') as { table?: unknown; customers?: unknown }
    if (typeof value.table !== 'string' || !(value.table in NOTIFIED_TABLES)) return null
    const customers = Array.isArray(value.customers) ? value.customers.filter((id): id is number => Number.isInteger(id)) : null
    return { table: value.table as ChangeNotice['table'], customers }
  } catch {
    return null
  }
}
