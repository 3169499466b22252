import type { Knex } from 'knex'
import { CHAIN_START, chainHash, contentHash, newContentSalt, originalChainHash, type ChainedEntry } from '../changeChain'

/*
 * The change log's chain on PostgreSQL: the same hashes as on SQLite
 * (db/changeChain.ts), computed here in pages and written back in one UPDATE
 * per page; and the append-only guard as PL/pgSQL, with redaction the one
 * update it lets through.
 */

const PAGE = 5000

type Row = ChainedEntry & { id: number; content_salt?: string | null; content_hash?: string | null; redacted_at?: string | null }

function rowsOf<T>(result: unknown): T[] {
  const rows = (result as { rows?: unknown } | null)?.rows
  return Array.isArray(rows) ? (rows as T[]) : []
}

const STRICT_GUARD = `CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log FOR EACH ROW EXECUTE FUNCTION change_log_append_only()`

/**
 * The change log's one allowed update: redaction, which replaces an entry's
 * summary and changes, clears its salt and sets redacted_at. Everything the
 * chain covers (the columns, the content digest, the hash) stays as it was.
 */
const REDACTABLE_GUARD_FUNCTION = `CREATE OR REPLACE FUNCTION change_log_redactable() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.at IS NOT DISTINCT FROM OLD.at AND NEW.staff_id IS NOT DISTINCT FROM OLD.staff_id
      AND NEW.staff_name IS NOT DISTINCT FROM OLD.staff_name AND NEW.entity_type IS NOT DISTINCT FROM OLD.entity_type
      AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id
      AND NEW.action IS NOT DISTINCT FROM OLD.action AND NEW.content_hash IS NOT DISTINCT FROM OLD.content_hash
      AND NEW.hash IS NOT DISTINCT FROM OLD.hash AND NEW.content_salt IS NULL AND NEW.redacted_at IS NOT NULL THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The change log is append-only: an entry can only have personal values redacted';
  END $$`

const REDACTABLE_GUARD = `CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log FOR EACH ROW EXECUTE FUNCTION change_log_redactable()`

/** Walks the log oldest first in pages, letting `rehash` give each entry its new columns, and writes each page back in one statement. */
async function rewriteChain(knex: Knex, columns: string, rehash: (row: Row) => Array<string | null>, set: string[]): Promise<void> {
  for (let after = 0; ; ) {
    const rows = rowsOf<Row>(await knex.raw(`SELECT ${columns} FROM change_log WHERE id > ? ORDER BY id LIMIT ${PAGE}`, [after]))
    if (!rows.length) break
    const values: Array<string | number | null> = []
    for (const row of rows) values.push(row.id, ...rehash(row))
    const tuple = `(?::int, ${set.map(() => '?::text').join(', ')})`
    await knex.raw(
      `UPDATE change_log SET ${set.map((column) => `${column} = v.${column}`).join(', ')}
       FROM (VALUES ${rows.map(() => tuple).join(', ')}) AS v(id, ${set.join(', ')}) WHERE change_log.id = v.id`,
      values,
    )
    after = rows[rows.length - 1]!.id
  }
}

const ENTRY_COLUMNS = 'id, at, staff_id, staff_name, entity_type, entity_id, customer_id, action, summary, changes'

/** Gives every entry already there its chain hash over its content as written (the first form of the chain); the strict guard meanwhile lifted. */
export async function chainPostgresChangeLog(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS change_log_append_only_update ON change_log')
  let previous = CHAIN_START
  await rewriteChain(
    knex,
    ENTRY_COLUMNS,
    (row) => {
      previous = originalChainHash(previous, row)
      return [previous]
    },
    ['hash'],
  )
  await knex.raw(STRICT_GUARD)
}

/** Re-chains every entry over a salted digest of its content, then guards the log so that redaction is the only update allowed. */
export async function sealPostgresChangeLog(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS change_log_append_only_update ON change_log')
  let previous = CHAIN_START
  await rewriteChain(
    knex,
    `${ENTRY_COLUMNS}, content_salt, content_hash, redacted_at`,
    (row) => {
      // A redacted entry keeps the digest of what it held; every other entry gets a salt and a digest of its content now.
      const salt = row.redacted_at ? null : newContentSalt()
      const digest = salt === null ? (row.content_hash ?? '') : contentHash(salt, row.summary, row.changes)
      previous = chainHash(previous, { ...row, content_hash: digest })
      return [salt, digest, previous]
    },
    ['content_salt', 'content_hash', 'hash'],
  )
  await knex.raw(REDACTABLE_GUARD_FUNCTION)
  await knex.raw(REDACTABLE_GUARD)
}

/** The highest change-log id the server ever gave out (its sequence remembers ids of entries since removed); null before the first. */
export async function highestPostgresChangeLogId(knex: Knex): Promise<number | null> {
  const [sequence] = rowsOf<{ name: string | null }>(await knex.raw(`SELECT pg_get_serial_sequence('change_log', 'id') AS name`))
  if (!sequence?.name) return null
  // The sequence's name comes from the catalogue, quoted as an identifier by pg_get_serial_sequence.
  const [state] = rowsOf<{ last_value: number; is_called: boolean }>(await knex.raw(`SELECT last_value, is_called FROM ${sequence.name}`))
  return state?.is_called ? Number(state.last_value) : null
}
