import type { Knex } from 'knex'
import type { FirstMatches, SearchPlan } from './types'
import { foldForSearch } from '../../preload/contract/fold'
import { DIGIT_PIECE, digitPieces } from '../search/digits'
import { INITIAL_MARK, initialsOf, markedInitial, WORD } from '../search/initials'
import { likeEscape } from '../likeEscape'

/*
 * PostgreSQL search: one row per customer in customer_search, written by the
 * dialect from the customer's columns with the app's own folding
 * (preload/contract/fold.ts), so the server answers exactly what SQLite's
 * full-text indexes answer:
 * - doc: the folded search document's columns, joined by a control character
 *   no search term holds (so a fragment never spans two columns), with a GIN
 *   trigram index: any fragment of 3+ characters is a LIKE '%…%' the index answers;
 * - starts: the first one and two characters of every word, GIN: 1–2 character word starts;
 *   with them, each initial of the name and company, marked (db/search/initials.ts) so no
 *   typed start is ever one: a word start beside an initial ("jo s") is one look-up in one
 *   index, which skips through the long list of a common initial instead of reading it whole;
 * - pieces: the five-digit pieces of every run of 5+ digits, GIN over integers,
 *   with runs (the runs themselves) to check that a typed run is whole in one of them;
 * - status: the customer's, kept by a trigger on customers, so the rows a search
 *   reads give its counts by tab without reading the customers themselves.
 */

export const SEARCH_TABLE = 'customer_search'

/** Between the document's columns: a control character, which the search box strips from what is typed. */
const COLUMN_BREAK = '\u0001'

/** SQLite's full-text tokenizers fold final sigma into sigma beyond foldForSearch; the server's documents and terms do the same. */
function indexFold(text: string): string {
  return text.replace(/ς/g, 'σ')
}

/** A customer's columns the search document is made of. */
export interface SearchSource {
  id: number
  status: string
  display_name: string
  display_name_is_custom: boolean | number
  first_name: string
  last_name: string
  email: string
  company: string
  postcodes: string
  phones: string
}

export interface SearchDocument {
  id: number
  status: string
  doc: string
  starts: string[]
  pieces: number[]
  runs: string
}

/** The customers' search sources, each with every postcode and phone digit form space-separated. */
export const SOURCE_SELECT = `
  SELECT c.id, c.status, c.display_name, c.display_name_is_custom, c.first_name, c.last_name, c.email, c.company,
    coalesce((SELECT string_agg(a.postcode, ' ' ORDER BY a.id) FROM addresses a WHERE a.customer_id = c.id), '') AS postcodes,
    coalesce((SELECT string_agg(p.search_digits, ' ' ORDER BY p.id) FROM phones p WHERE p.customer_id = c.id), '') AS phones
  FROM customers c`

/** The name as the search document holds it: the display name, with first and last name when it was written by hand. */
function nameOf(row: SearchSource): string {
  return row.display_name + (row.display_name_is_custom ? ` ${row.first_name} ${row.last_name}` : '')
}

function firstCharacters(word: string, n: number): string {
  return [...word].slice(0, n).join('')
}

/** One customer's search row, the same text SQLite's indexes are filled with (db/dialects/sqlite.ts). */
export function searchDocumentOf(row: SearchSource): SearchDocument {
  const name = nameOf(row)
  const columns = [
    foldForSearch(name),
    foldForSearch(row.email),
    foldForSearch(row.company),
    foldForSearch(row.postcodes),
    `c-${String(row.id).padStart(6, '0')}`,
    row.phones.toLowerCase(),
  ].map(indexFold)
  const starts = new Set<string>()
  for (const column of columns) {
    for (const word of column.match(WORD) ?? []) {
      starts.add(firstCharacters(word, 1))
      if ([...word].length >= 2) starts.add(firstCharacters(word, 2))
    }
  }
  for (const initial of indexFold(initialsOf(foldForSearch(`${name} ${row.company}`))).split(' ')) if (initial) starts.add(markedInitial(initial))
  const digitText = [row.display_name, row.first_name, row.last_name, row.email, row.company, row.postcodes, String(row.id).padStart(6, '0'), row.phones].join(' ')
  const runs = digitText.match(new RegExp(`\\d{${DIGIT_PIECE},}`, 'g')) ?? []
  const pieces = new Set<number>()
  for (const piece of digitPieces(digitText).split(' ')) if (/^\d+$/.test(piece)) pieces.add(Number(piece))
  return {
    id: row.id,
    status: row.status,
    doc: columns.join(COLUMN_BREAK),
    starts: [...starts],
    pieces: [...pieces],
    runs: runs.join(' '),
  }
}

/** A PostgreSQL array literal of texts, for a parameter cast to text[]. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`
}

/** A PostgreSQL array literal of integers, for a parameter cast to int[]. */
export function intArray(values: readonly number[]): string {
  return `{${values.map((v) => String(Math.trunc(Number(v)))).join(',')}}`
}

function allRowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}

/** Customers per statement when (re)writing search rows: a few megabytes of JSON. */
const WRITE_BATCH = 5000

/** Writes these customers' rows; `replace` when some may be there already (one statement instead of a delete and an insert). */
async function writeDocuments(knex: Knex, rows: readonly SearchSource[], replace = false): Promise<void> {
  if (!rows.length) return
  await knex.raw(
    `INSERT INTO ${SEARCH_TABLE} (id, status, doc, starts, pieces, runs)
     SELECT r.id, r.status, r.doc, r.starts, r.pieces, r.runs
     FROM jsonb_to_recordset(?::jsonb) AS r(id integer, status text, doc text, starts text[], pieces integer[], runs text)${
       replace
         ? `
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc, starts = excluded.starts, pieces = excluded.pieces,
       runs = excluded.runs`
         : ''
     }`,
    [JSON.stringify(rows.map(searchDocumentOf))],
  )
}

export async function createSearchTable(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE ${SEARCH_TABLE} (
    id integer PRIMARY KEY,
    status varchar(20) NOT NULL,
    doc text NOT NULL,
    starts text[] NOT NULL,
    pieces integer[] NOT NULL,
    runs text NOT NULL)`)
  await createSearchIndexes(knex)
}

const SEARCH_INDEXES = ['customer_search_doc', 'customer_search_starts', 'customer_search_pieces']

async function createSearchIndexes(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX IF NOT EXISTS customer_search_doc ON ${SEARCH_TABLE} USING gin (doc gin_trgm_ops)`)
  await knex.raw(`CREATE INDEX IF NOT EXISTS customer_search_starts ON ${SEARCH_TABLE} USING gin (starts)`)
  await knex.raw(`CREATE INDEX IF NOT EXISTS customer_search_pieces ON ${SEARCH_TABLE} USING gin (pieces)`)
}

async function dropSearchIndexes(knex: Knex): Promise<void> {
  for (const index of SEARCH_INDEXES) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`)
  }
}

export async function dropSearchTable(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS ${SEARCH_TABLE}`)
}

/**
 * The search rows carry their customer's status: added to a table made before
 * they did and filled, then kept by a trigger once per statement, so archiving
 * thousands at once is one update of their search rows.
 */
export async function createSearchStatus(knex: Knex): Promise<void> {
  // Most customers are active: a column added with that default writes no row, and only the others are updated.
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} ADD COLUMN IF NOT EXISTS status varchar(20) NOT NULL DEFAULT 'active'`)
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} ALTER COLUMN status DROP DEFAULT`)
  await knex.raw(`UPDATE ${SEARCH_TABLE} s SET status = c.status FROM customers c WHERE c.id = s.id AND c.status <> 'active'`)
  // The updated rows moved to the table's end; the first matches are read in the table's order, which is to
  // follow the ids, so the table is rewritten in their order (and its indexes with it).
  await knex.raw(`CLUSTER ${SEARCH_TABLE} USING ${SEARCH_TABLE}_pkey`)
  await knex.raw(`ANALYZE ${SEARCH_TABLE}`)
  await knex.raw(`CREATE OR REPLACE FUNCTION customer_search_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE ${SEARCH_TABLE} s SET status = a.status FROM added a JOIN removed r ON r.id = a.id
      WHERE s.id = a.id AND a.status <> r.status;
      RETURN NULL;
    END $$`)
  await knex.raw(`CREATE TRIGGER customers_search_status AFTER UPDATE ON customers REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION customer_search_status()`)
}

export async function dropSearchStatus(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER IF EXISTS customers_search_status ON customers`)
  await knex.raw(`DROP FUNCTION IF EXISTS customer_search_status()`)
  // The column stays, optional: a table made with it (by the first search migration) keeps its shape for rebuilds.
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} ALTER COLUMN status DROP NOT NULL`)
}

/**
 * Moves the initials into the word starts, marked: one GIN look-up then
 * answers a word start beside an initial. The table is rewritten in id order
 * (the order the first matches are read in), its indexes made once after.
 * A table made without the initials column (a new database) is already so.
 */
export async function moveInitialsIntoStarts(knex: Knex): Promise<void> {
  if (!(await hasInitialsColumn(knex))) return
  await dropSearchIndexes(knex)
  await knex.raw(`UPDATE ${SEARCH_TABLE} SET starts = starts || ARRAY(SELECT ? || i || ? FROM unnest(initials) AS i)`, [INITIAL_MARK, INITIAL_MARK])
  await knex.raw(`DROP INDEX IF EXISTS customer_search_initials`)
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} DROP COLUMN initials`)
  await knex.raw(`CLUSTER ${SEARCH_TABLE} USING ${SEARCH_TABLE}_pkey`)
  await createSearchIndexes(knex)
  await knex.raw(`ANALYZE ${SEARCH_TABLE}`)
}

/** The initials back in a column and index of their own, as before moveInitialsIntoStarts. */
export async function moveInitialsOutOfStarts(knex: Knex): Promise<void> {
  if (await hasInitialsColumn(knex)) return
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} ADD COLUMN initials text[] NOT NULL DEFAULT '{}'`)
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} ALTER COLUMN initials DROP DEFAULT`)
  await knex.raw(
    `UPDATE ${SEARCH_TABLE} SET
       initials = ARRAY(SELECT substr(x, 2, length(x) - 2) FROM unnest(starts) AS x WHERE left(x, 1) = ?),
       starts = ARRAY(SELECT x FROM unnest(starts) AS x WHERE left(x, 1) <> ?)`,
    [INITIAL_MARK, INITIAL_MARK],
  )
  await knex.raw(`CREATE INDEX customer_search_initials ON ${SEARCH_TABLE} USING gin (initials)`)
}

async function hasInitialsColumn(knex: Knex): Promise<boolean> {
  const rows = allRowsOf<{ n: number }>(
    await knex.raw(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'initials'`, [
      SEARCH_TABLE,
    ]),
  )
  return Number(rows[0]?.n ?? 0) > 0
}

export async function refreshPostgresSearch(knex: Knex, customerIds: readonly number[]): Promise<void> {
  const unique = [...new Set(customerIds)]
  for (let from = 0; from < unique.length; from += WRITE_BATCH) {
    const batch = unique.slice(from, from + WRITE_BATCH)
    const ids = intArray(batch)
    // One customer (a desk's save) is one statement: an upsert. Many are deleted first and inserted plainly,
    // as a bulk insert fills the table's end in order where an upsert would fill gaps row by row.
    const one = batch.length === 1
    if (!one) await knex.raw(`DELETE FROM ${SEARCH_TABLE} WHERE id = ANY(?::integer[])`, [ids])
    const rows = allRowsOf<SearchSource>(await knex.raw(`${SOURCE_SELECT} WHERE c.id = ANY(?::integer[])`, [ids]))
    await writeDocuments(knex, rows, one)
    // A customer removed for good leaves no row behind.
    if (one && !rows.length) await knex.raw(`DELETE FROM ${SEARCH_TABLE} WHERE id = ANY(?::integer[])`, [ids])
  }
}

/** Every customer's search row written afresh; the indexes are built once at the end, faster than kept row by row. */
export async function rebuildPostgresSearch(knex: Knex): Promise<void> {
  await knex.raw(`TRUNCATE ${SEARCH_TABLE}`)
  // A table made before the initials joined the word starts: its rows are written as today's are.
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} DROP COLUMN IF EXISTS initials`)
  await dropSearchIndexes(knex)
  for (let after = 0; ; ) {
    const rows = allRowsOf<SearchSource>(await knex.raw(`${SOURCE_SELECT} WHERE c.id > ? ORDER BY c.id LIMIT ?`, [after, WRITE_BATCH]))
    await writeDocuments(knex, rows)
    if (rows.length < WRITE_BATCH) break
    after = rows[rows.length - 1]!.id
  }
  await createSearchIndexes(knex)
  await knex.raw(`ANALYZE ${SEARCH_TABLE}`)
}

/** The search's conditions on a customer_search row `s` (all must hold), with bindings; empty when nothing can be looked for. */
function conditions(plan: SearchPlan): { parts: string[]; bindings: Knex.Value[] } {
  const parts: string[] = []
  const bindings: Knex.Value[] = []
  const fragment = (term: string) => {
    parts.push(`s.doc LIKE ?`)
    bindings.push(`%${likeEscape(indexFold(term))}%`)
  }
  if (plan.digits !== null) {
    if (plan.digits.length >= DIGIT_PIECE) {
      // The rare pieces' lists answer through the index; the run itself confirms the pieces are consecutive.
      const pieces = new Set<number>()
      for (let i = 0; i + DIGIT_PIECE <= plan.digits.length; i++) pieces.add(Number(plan.digits.slice(i, i + DIGIT_PIECE)))
      parts.push(`s.pieces @> ?::integer[] AND s.runs LIKE ?`)
      bindings.push(intArray([...pieces]), `%${plan.digits}%`)
    } else fragment(plan.digits)
  }
  for (const term of plan.fragments) fragment(term)
  const starts = [...plan.prefixes, ...(plan.shortDigits === null ? [] : [plan.shortDigits])].map(indexFold)
  starts.push(...plan.initials.map((initial) => markedInitial(indexFold(initial))))
  if (starts.length) {
    parts.push(`s.starts @> ?::text[]`)
    bindings.push(textArray(starts))
  }
  return { parts, bindings }
}

export function postgresMatchSql(plan: SearchPlan): { sql: string; bindings: Knex.Value[] } | null {
  if (plan.customerNumber !== null) return { sql: 'SELECT id FROM customers WHERE id = ?', bindings: [plan.customerNumber] }
  const { parts, bindings } = conditions(plan)
  if (!parts.length) return null
  // A set read from the GIN indexes first (OFFSET 0 keeps the planner from walking another index row by row
  // and probing each row here: matches bunch up in the list's order, so such a walk can pass most of the table).
  return { sql: `SELECT s.id FROM ${SEARCH_TABLE} s WHERE ${parts.join(' AND ')} OFFSET 0`, bindings }
}

/**
 * Up to `limit` matches, in ascending id order. No order is asked of the server: it reads the GIN
 * indexes into a bitmap and visits the rows in the table's order (about the ids' order), or, for a
 * search most rows match, reads the table from the start; either way it stops at the limit. Ordering
 * by id would read and sort every match, or walk the ids testing each row, several times the work.
 */
export async function postgresFirstMatches(knex: Knex, plan: SearchPlan, limit: number): Promise<FirstMatches> {
  const rows =
    plan.customerNumber !== null
      ? allRowsOf<{ id: number; status: string }>(await knex.raw('SELECT id, status FROM customers WHERE id = ? LIMIT ?', [plan.customerNumber, limit]))
      : await matchingRows(knex, plan, limit)
  rows.sort((a, b) => Number(a.id) - Number(b.id))
  return { ids: rows.map((r) => Number(r.id)), statuses: rows.map((r) => r.status) }
}

async function matchingRows(knex: Knex, plan: SearchPlan, limit: number): Promise<Array<{ id: number; status: string }>> {
  const { parts, bindings } = conditions(plan)
  if (!parts.length) return []
  return allRowsOf(await knex.raw(`SELECT s.id, s.status FROM ${SEARCH_TABLE} s WHERE ${parts.join(' AND ')} LIMIT ?`, [...bindings, limit]))
}

/**
 * The share of the book a broad search matches, from the planner's estimate of its matches (close for
 * the word arrays, within about 1.5× for fragments, far too low for runs of digits, whose pieces it
 * takes as independent): the matches firstMatches found are not the lowest ids, so their spread only
 * tells a share the search has at least.
 */
export async function postgresMatchShare(knex: Knex, plan: SearchPlan, ids: readonly number[]): Promise<number> {
  const rows = Math.max(1, await searchRows(knex))
  const { parts, bindings } = conditions(plan)
  if (!parts.length) return 0
  const estimate = await postgresEstimateRows(knex, `SELECT s.id FROM ${SEARCH_TABLE} s WHERE ${parts.join(' AND ')}`, bindings)
  // The matches found lie among the ids up to the highest of them, with others left unread: at least that share.
  const found = ids.length / Math.max(1, ids[ids.length - 1] ?? 1)
  return Math.min(1, Math.max(estimate / rows, found))
}

/** The planner's estimate of the rows a query returns (EXPLAIN: nothing is run). */
export async function postgresEstimateRows(knex: Knex, sql: string, bindings: readonly Knex.Value[]): Promise<number> {
  const [plan] = allRowsOf<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(await knex.raw(`EXPLAIN (FORMAT JSON) ${sql}`, [...bindings]))
  return Number(plan?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0)
}

/** The search table's rows as the planner knows them (no count: that would read the table). */
async function searchRows(knex: Knex): Promise<number> {
  const [row] = allRowsOf<{ n: number }>(await knex.raw(`SELECT reltuples AS n FROM pg_class WHERE oid = ?::regclass`, [SEARCH_TABLE]))
  return Number(row?.n ?? 0)
}

export function postgresRowMatchSql(plan: SearchPlan): { sql: string; bindings: Knex.Value[] } {
  if (plan.customerNumber !== null) return { sql: '(c.id = ?)', bindings: [plan.customerNumber] }
  const { parts, bindings } = conditions(plan)
  // Punctuation alone matches nobody, as in the index.
  if (!parts.length) return { sql: 'FALSE', bindings: [] }
  // The customer's own search row, found by its key: the same test the index answers, for one row.
  return { sql: `EXISTS (SELECT 1 FROM ${SEARCH_TABLE} s WHERE s.id = c.id AND ${parts.join(' AND ')})`, bindings }
}
