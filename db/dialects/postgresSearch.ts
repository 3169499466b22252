import type { Knex } from 'knex'
import type { Client as PgClient } from 'pg'
import Cursor from 'pg-cursor'
import type { FirstMatches, NameAndCompany, SearchPlan, WrittenCustomer } from './types'
import { foldForSearch } from '../../preload/contract/fold'
import { DIGIT_PIECE, digitPieces, digitSourceText, joinedDigitGroups } from '../search/digits'
import { doubledInitials, INITIAL_MARK, initialsOf, markedInitial, WORD } from '../search/initials'
import { likeEscape } from '../likeEscape'
import { shareOfFirstMatches } from '../search/spread'
import { KEEP_PREPARED } from './postgresClient'

/*
 * PostgreSQL search: one row per customer in customer_search, written by the
 * dialect from the customer's columns with the app's own folding
 * (preload/contract/fold.ts), so the server answers exactly what SQLite's
 * full-text indexes answer:
 * - doc: the folded search document's columns, joined by a control character
 *   no search term holds (so a fragment never spans two columns), its trigrams in
 *   the GIN index: any fragment of 3+ characters is a LIKE '%…%' the index answers;
 * - starts: the first one and two characters of every word, and each initial of the name and
 *   company (one that comes twice also doubled, as a pair of it with itself), marked
 *   (db/search/initials.ts) so no typed start is ever one, in the same GIN index: word starts
 *   beside other terms ("mar j") are one scan of it (see SEARCH_TERMS_INDEX);
 * - the same starts in customer_search_by_start, one row per start and customer under a B-tree
 *   key (start, id): a search of word starts alone reads the lowest ids first and stops at the
 *   page, and two starts ("jo s") are two such lists merged in id order (or, foreseen few enough
 *   to read them all, one scan of the GIN index: see readsStartsOnInOneScan), where the GIN index
 *   builds the whole list of a common start ("a": a fifth of the book) and visits each row;
 *   beside them, every two different initials as one start (initialPairStart), made from the
 *   row's marked initials: two initials ("j s") are then one list, as long as the customers with
 *   both, where each initial's own is a seventh of the book; a save removes the ones the row's
 *   own starts no longer make;
 * - pieces: the five-digit pieces of every run of 5+ digits, in the same GIN index,
 *   with runs (the runs themselves) to check that a typed run is whole in one of them;
 * - status: the customer's, kept by a trigger on customers, so the rows a search
 *   reads give its counts by tab without reading the customers themselves.
 */

export const SEARCH_TABLE = 'customer_search'

/** One row per word start (and marked initial) and customer: see above. */
export const WORD_START_TABLE = 'customer_search_by_start'

/** Between the document's columns: a control character, which the search box strips from what is typed. */
const COLUMN_BREAK = '\u0001'

/** SQLite's full-text tokenizers fold final sigma into sigma beyond foldForSearch; the server's documents and terms do the same. */
function indexFold(text: string): string {
  return text.replace(/ς/g, 'σ')
}

/** A customer's columns the search document is made of: the record's, with its postcodes and phone digits each in one text. */
export type SearchSource = WrittenCustomer['row'] & { postcodes: string; phones: string }

export interface SearchDocument {
  id: number
  status: string
  doc: string
  starts: string[]
  /** Every two different initials as one start (initialPairStart): in the lists, not the row. */
  pairs: string[]
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
function nameOf(row: Pick<SearchSource, 'display_name' | 'display_name_is_custom' | 'first_name' | 'last_name'>): string {
  return row.display_name + (row.display_name_is_custom ? ` ${row.first_name} ${row.last_name}` : '')
}

function firstCharacters(word: string, n: number): string {
  return [...word].slice(0, n).join('')
}

/** Every initial of the name and company, as the row's starts are made of them (one that comes twice, twice). */
function initialsFrom(row: NameAndCompany): string[] {
  return indexFold(initialsOf(foldForSearch(`${nameOf(row)} ${row.company}`))).split(' ').filter(Boolean)
}

/** One customer's search row, the same text SQLite's indexes are filled with (db/dialects/sqlite.ts). */
export function searchDocumentOf(row: SearchSource): SearchDocument {
  const name = nameOf(row)
  const recordText = [row.display_name, row.first_name, row.last_name, row.email, row.company].join(' ')
  const columns = [
    foldForSearch(name),
    foldForSearch(row.email),
    foldForSearch(row.company),
    foldForSearch(row.postcodes),
    `c-${String(row.id).padStart(6, '0')}`,
    // Digits written in groups, joined ("20 20": 2020), beside the phones' digits, as SQLite's documents hold them.
    row.phones.toLowerCase() + joinedDigitGroups(recordText),
  ].map(indexFold)
  const starts = new Set<string>()
  for (const column of columns) {
    for (const word of column.match(WORD) ?? []) {
      starts.add(firstCharacters(word, 1))
      if ([...word].length >= 2) starts.add(firstCharacters(word, 2))
    }
  }
  const allInitials = initialsFrom(row)
  const initials = [...new Set(allInitials)]
  for (const initial of initials) starts.add(markedInitial(initial))
  // An initial that comes twice is a start of the row's own, so the lists lose it with the row's starts.
  for (const initial of doubledInitials(allInitials)) starts.add(initialPairStart(initial, initial))
  const pairs = initials.flatMap((initial, i) => initials.slice(i + 1).map((other) => initialPairStart(initial, other)))
  const digitText = digitSourceText(recordText, row.postcodes, row.id, row.phones)
  const runs = digitText.match(new RegExp(`\\d{${DIGIT_PIECE},}`, 'g')) ?? []
  const pieces = new Set<number>()
  for (const piece of digitPieces(digitText).split(' ')) if (/^\d+$/.test(piece)) pieces.add(Number(piece))
  return {
    id: row.id,
    status: row.status,
    doc: columns.join(COLUMN_BREAK),
    starts: [...starts],
    pairs,
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

/** A search document's columns as the write reads them from its JSON. */
const DOCUMENT_COLUMNS = 'id integer, status text, doc text, starts text[], pairs text[], pieces integer[], runs text'

/** Customers per statement when (re)writing search rows: a few megabytes of JSON. */
const WRITE_BATCH = 5000

/**
 * Writes these customers' rows and their word starts, in one statement; `replace` when some may be
 * there already (an upsert instead of a delete and an insert, and only the starts that changed are
 * written: the ones a row no longer has are found in its own list as it was). The upsert is a desk's
 * save, kept prepared: its plan is the same whatever it writes, and planning it afresh took 1–1.6 ms
 * of a 10 ms save.
 */
async function writeDocuments(knex: Knex, rows: readonly SearchSource[], replace = false): Promise<void> {
  if (!rows.length) return
  if (replace && rows.length > 1) throw new Error('A search row is replaced one at a time.')
  // A save's one row is read with jsonb_to_record, which the planner knows gives one row: from a record set it
  // foresees a hundred, and in a book of some thousands of customers it then read the whole list table to
  // find the row's old starts (10-14 ms a save at 5,000 customers) instead of looking each one up.
  await knex.raw(
    `WITH r AS (
       SELECT * FROM ${replace ? 'jsonb_to_record' : 'jsonb_to_recordset'}(?::jsonb) AS r(${DOCUMENT_COLUMNS})),${
         replace
           ? `
     gone AS (
       DELETE FROM ${WORD_START_TABLE} w USING r, ${SEARCH_TABLE} s, LATERAL ${LISTED_STARTS} AS old
       WHERE s.id = r.id AND w.start = old.start AND w.id = s.id AND NOT (old.start = ANY(r.starts || r.pairs))),`
           : ''
       }
     written AS (
       INSERT INTO ${SEARCH_TABLE} (id, status, doc, starts, pieces, runs) SELECT id, status, doc, starts, pieces, runs FROM r${
         replace
           ? `
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc, starts = excluded.starts, pieces = excluded.pieces,
         runs = excluded.runs`
           : ''
       })
     INSERT INTO ${WORD_START_TABLE} (start, id)
     SELECT x.start, r.id FROM r, unnest(r.starts || r.pairs) AS x(start) ORDER BY 1, 2${replace ? ' ON CONFLICT DO NOTHING' : ''}`,
    [JSON.stringify(replace ? searchDocumentOf(rows[0]!) : rows.map(searchDocumentOf))],
  ).options(replace ? KEEP_PREPARED : {})
}

/** Removes these customers' search rows (an array literal of ids), with their word starts found from the rows' own lists. */
async function deleteDocuments(knex: Knex, ids: string): Promise<void> {
  await knex.raw(
    `DELETE FROM ${WORD_START_TABLE} w USING ${SEARCH_TABLE} s, LATERAL ${LISTED_STARTS} AS old
     WHERE s.id = ANY(?::integer[]) AND w.start = old.start AND w.id = s.id`,
    [ids],
  )
  await knex.raw(`DELETE FROM ${SEARCH_TABLE} WHERE id = ANY(?::integer[])`, [ids])
}

export async function createSearchTable(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE ${SEARCH_TABLE} (
    id integer PRIMARY KEY,
    status varchar(20) NOT NULL,
    doc text NOT NULL,
    starts text[] NOT NULL,
    pieces integer[] NOT NULL,
    runs text NOT NULL)`)
  await createWordStartTable(knex)
  await createSearchIndexes(knex, false)
}

async function createWordStartTable(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE IF NOT EXISTS ${WORD_START_TABLE} (start text NOT NULL, id integer NOT NULL)`)
  // A few thousand distinct starts, a few very common: the planner's estimate of a start's list is read from these.
  await knex.raw(`ALTER TABLE ${WORD_START_TABLE} ALTER COLUMN start SET STATISTICS 1000`)
}

/** The search rows' GIN indexes as they were made apart, one per column, before SEARCH_TERMS_INDEX. */
const INDEXES_APART = ['customer_search_doc', 'customer_search_starts', 'customer_search_pieces']

/**
 * The document's trigrams, the word starts and the digit pieces in one GIN index. A search of terms of two
 * kinds ("anna s": a fragment and an initial) is then one scan, which steps through the lists together and
 * skips what the rarer leaves out; with an index per column the server read each list whole into a bitmap
 * and intersected them ("s" marks 184,581 rows: 26 ms of "anna s"'s 33, where one scan takes 7 at a
 * million customers). A search of one kind reads the same lists either way.
 */
const SEARCH_TERMS_INDEX = 'customer_search_terms'

const SEARCH_INDEXES = [...INDEXES_APART, SEARCH_TERMS_INDEX]

/*
 * A GIN index keeps the entries of new and changed rows in an unsorted list until it is merged in
 * (by autovacuum, or by the save that finds it over its limit), and every search that reads the
 * index reads that whole list too. The server's default limit is 4 MB, which a few thousand saves
 * fill between autovacuum's visits: measured at 1,000,000 customers, lists of 200–300 pages made
 * each search 3–10 ms slower. A quarter of a megabyte keeps that under a millisecond; the save that
 * merges it costs no more at p95 (1,000 creates and 500 updates, four alternating runs).
 */
const PENDING_LIST_KB = 256

/** The search rows' GIN indexes, in one (SEARCH_TERMS_INDEX) or apart, as migrations before it made them. */
async function createRowIndexes(knex: Knex, inOne: boolean): Promise<void> {
  const pending = `WITH (gin_pending_list_limit = ${PENDING_LIST_KB})`
  if (inOne) {
    await knex.raw(`CREATE INDEX IF NOT EXISTS ${SEARCH_TERMS_INDEX} ON ${SEARCH_TABLE} USING gin (doc gin_trgm_ops, starts, pieces) ${pending}`)
    return
  }
  await knex.raw(`CREATE INDEX IF NOT EXISTS customer_search_doc ON ${SEARCH_TABLE} USING gin (doc gin_trgm_ops) ${pending}`)
  await knex.raw(`CREATE INDEX IF NOT EXISTS customer_search_starts ON ${SEARCH_TABLE} USING gin (starts) ${pending}`)
  await knex.raw(`CREATE INDEX IF NOT EXISTS customer_search_pieces ON ${SEARCH_TABLE} USING gin (pieces) ${pending}`)
}

/** The search rows' GIN indexes made one (SEARCH_TERMS_INDEX); already so when it is there. */
export async function joinSearchIndexes(knex: Knex): Promise<void> {
  if (await hasIndex(knex, SEARCH_TERMS_INDEX)) return
  for (const index of INDEXES_APART) await knex.raw(`DROP INDEX IF EXISTS ${index}`)
  await createRowIndexes(knex, true)
}

/** The search rows' GIN indexes apart again, as before joinSearchIndexes. */
export async function splitSearchIndexes(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS ${SEARCH_TERMS_INDEX}`)
  await createRowIndexes(knex, false)
}

/** The search indexes' lists of unmerged entries bounded (see PENDING_LIST_KB), on a database made before they were. */
export async function limitSearchPendingLists(knex: Knex): Promise<void> {
  for (const index of SEARCH_INDEXES) await knex.raw(`ALTER INDEX IF EXISTS ${index} SET (gin_pending_list_limit = ${PENDING_LIST_KB})`)
}

/** The server's own limit again, as before limitSearchPendingLists. */
export async function unlimitSearchPendingLists(knex: Knex): Promise<void> {
  for (const index of SEARCH_INDEXES) await knex.raw(`ALTER INDEX IF EXISTS ${index} RESET (gin_pending_list_limit)`)
}

async function createSearchIndexes(knex: Knex, inOne: boolean): Promise<void> {
  await createRowIndexes(knex, inOne)
  await knex.raw(`ALTER TABLE ${WORD_START_TABLE} ADD CONSTRAINT ${WORD_START_TABLE}_pkey PRIMARY KEY (start, id)`)
}

async function dropSearchIndexes(knex: Knex): Promise<void> {
  for (const index of SEARCH_INDEXES) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`)
  }
  await knex.raw(`ALTER TABLE IF EXISTS ${WORD_START_TABLE} DROP CONSTRAINT IF EXISTS ${WORD_START_TABLE}_pkey`)
}

export async function dropSearchTable(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS ${WORD_START_TABLE}`)
  await knex.raw(`DROP TABLE IF EXISTS ${SEARCH_TABLE}`)
}

/**
 * Gives the word starts a B-tree table of their own (see WORD_START_TABLE), filled from the
 * search rows' lists. A database made with the table (a new one) is already so.
 */
export async function createWordStartLists(knex: Knex): Promise<void> {
  if (await hasWordStartTable(knex)) return
  await createWordStartTable(knex)
  await knex.raw(`INSERT INTO ${WORD_START_TABLE} (start, id) SELECT DISTINCT x, s.id FROM ${SEARCH_TABLE} s, unnest(s.starts) AS x ORDER BY 1, 2`)
  await knex.raw(`ALTER TABLE ${WORD_START_TABLE} ADD CONSTRAINT ${WORD_START_TABLE}_pkey PRIMARY KEY (start, id)`)
  await knex.raw(`ANALYZE ${WORD_START_TABLE}`)
}

/** The word starts in the search rows alone, as before createWordStartLists. */
export async function dropWordStartLists(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS ${WORD_START_TABLE}`)
}

async function hasWordStartTable(knex: Knex): Promise<boolean> {
  const rows = allRowsOf<{ n: number }>(
    await knex.raw(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`, [WORD_START_TABLE]),
  )
  return Number(rows[0]?.n ?? 0) > 0
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
  await createStatusFunction(knex, false)
  await knex.raw(`CREATE TRIGGER customers_search_status AFTER UPDATE ON customers REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION customer_search_status()`)
}

/** What keeps the search rows' status, and their sort name once they carry it, as their customers' (the statement's changed rows at once). */
async function createStatusFunction(knex: Knex, sortNames: boolean): Promise<void> {
  await knex.raw(`CREATE OR REPLACE FUNCTION customer_search_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE ${SEARCH_TABLE} s SET status = a.status${sortNames ? ', sort_name = a.sort_name' : ''} FROM added a JOIN removed r ON r.id = a.id
      WHERE s.id = a.id AND (a.status <> r.status${sortNames ? ' OR a.sort_name <> r.sort_name' : ''});
      RETURN NULL;
    END $$`)
}

/**
 * Each search row carries its customer's sort name, so a search's first read brings what sorts its
 * matches by name, and a sort of every match reads no customer (a few thousand such reads cost
 * 10–20 ms at a million customers). The database keeps it: a search row written takes its
 * customer's, and a customer renamed passes it on, whatever wrote them.
 */
export async function createSearchSortNames(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} ADD COLUMN sort_name text COLLATE "C" NOT NULL DEFAULT ''`)
  // Every row changes: the search indexes are made again once rather than kept row by row, and the table
  // written in id order, the order the first matches are read in.
  for (const index of SEARCH_INDEXES) await knex.raw(`DROP INDEX IF EXISTS ${index}`)
  await knex.raw(`UPDATE ${SEARCH_TABLE} s SET sort_name = c.sort_name FROM customers c WHERE c.id = s.id`)
  await knex.raw(`CLUSTER ${SEARCH_TABLE} USING ${SEARCH_TABLE}_pkey`)
  await createRowIndexes(knex, false)
  await knex.raw(`ANALYZE ${SEARCH_TABLE}`)
  await knex.raw(`CREATE OR REPLACE FUNCTION customer_search_sort_name() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.sort_name := coalesce((SELECT c.sort_name FROM customers c WHERE c.id = NEW.id), '');
      RETURN NEW;
    END $$`)
  await knex.raw(`CREATE TRIGGER customer_search_sort_name BEFORE INSERT ON ${SEARCH_TABLE} FOR EACH ROW EXECUTE FUNCTION customer_search_sort_name()`)
  await createStatusFunction(knex, true)
}

/** The search rows by tab and sort name, as the customers' own name index keeps the customers: see postgresSearchRowsByName. */
const NAME_ORDER_INDEX = 'customer_search_name'

export async function createSearchNameOrder(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX IF NOT EXISTS ${NAME_ORDER_INDEX} ON ${SEARCH_TABLE} (status, sort_name, id)`)
}

export async function dropSearchNameOrder(knex: Knex): Promise<void> {
  await knex.raw(`DROP INDEX IF EXISTS ${NAME_ORDER_INDEX}`)
}

/**
 * The search rows walked by name (see Dialect.searchRowsByName): each row walked is one read of the row
 * the index names, its document tested there. Walking the customers' name index instead, each row's
 * search row is looked up by its key as well (5,736 rows walked for "mar" and a tag 40% hold: 38 ms,
 * and 12 ms this way, at a million customers).
 */
export function postgresSearchRowsByName(plan: SearchPlan): { from: string; columns: string; test: { sql: string; bindings: Knex.Value[] } } {
  const { parts, bindings } = plan.customerNumber !== null ? { parts: ['c.id = ?'], bindings: [plan.customerNumber] } : conditions(plan, 'c')
  return {
    from: `${SEARCH_TABLE} c`,
    columns: 'c.doc, c.starts, c.pieces, c.runs',
    test: { sql: parts.length ? `(${parts.join(' AND ')})` : 'FALSE', bindings },
  }
}

export async function dropSearchSortNames(knex: Knex): Promise<void> {
  await createStatusFunction(knex, false)
  await knex.raw(`DROP TRIGGER IF EXISTS customer_search_sort_name ON ${SEARCH_TABLE}`)
  await knex.raw(`DROP FUNCTION IF EXISTS customer_search_sort_name()`)
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} DROP COLUMN IF EXISTS sort_name`)
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
  await createRowIndexes(knex, false)
  await knex.raw(`ANALYZE ${SEARCH_TABLE}`)
}

/** The private-use character that marks an initial (INITIAL_MARK), as SQL without a binding. */
const MARK_SQL = `chr(${INITIAL_MARK.codePointAt(0)})`

/**
 * The lists' starts of a search row `s` as stored: its own starts, and every two of its different marked
 * initials (char_length 3; a pair's is 4) as one, made as initialPairStart makes them (the "C" order is
 * code point order).
 */
const LISTED_STARTS = `(
  SELECT x AS start FROM unnest(s.starts) AS x
  UNION ALL
  SELECT ${MARK_SQL} || substr(a, 2, 1) || substr(b, 2, 1) || ${MARK_SQL} FROM unnest(s.starts) AS a, unnest(s.starts) AS b
  WHERE left(a, 1) = ${MARK_SQL} AND char_length(a) = 3 AND left(b, 1) = ${MARK_SQL} AND char_length(b) = 3
    AND substr(a, 2, 1) COLLATE "C" < substr(b, 2, 1) COLLATE "C")`

/** Adds every two different initials of each search row to the lists as one start (see initialPairStart). */
export async function addInitialPairStarts(knex: Knex): Promise<void> {
  if (!(await hasWordStartTable(knex))) return
  await knex.raw(
    `INSERT INTO ${WORD_START_TABLE} (start, id)
     SELECT p.start, s.id FROM ${SEARCH_TABLE} s, LATERAL ${LISTED_STARTS} AS p WHERE char_length(p.start) = 4 AND left(p.start, 1) = ${MARK_SQL}
     ORDER BY 1, 2 ON CONFLICT DO NOTHING`,
  )
  await knex.raw(`ANALYZE ${WORD_START_TABLE}`)
}

/**
 * Adds the doubled initial (initialPairStart of it with itself) of these customers, whose initials hold
 * one twice, to their search rows' starts and their lists: what a save writes today, without writing the
 * rest of each row again (a million customers, 118,000 of them with one: 24 s, where rewriting their
 * whole rows took 48).
 */
export async function addDoubledInitialStarts(knex: Knex, customers: readonly NameAndCompany[]): Promise<void> {
  const ids: number[] = []
  const starts: string[] = []
  for (const customer of customers) {
    for (const initial of doubledInitials(initialsFrom(customer))) {
      ids.push(customer.id)
      starts.push(initialPairStart(initial, initial))
    }
  }
  for (let from = 0; from < ids.length; from += WRITE_BATCH) {
    await addStarts(knex, ids.slice(from, from + WRITE_BATCH), starts.slice(from, from + WRITE_BATCH))
  }
}

/** Adds each start to its customer's search row and list (ids and starts side by side). */
async function addStarts(knex: Knex, ids: readonly number[], starts: readonly string[]): Promise<void> {
  await knex.raw(
    `WITH d AS (SELECT * FROM unnest(?::integer[], ?::text[]) AS d(id, start)),
     added AS (
       UPDATE ${SEARCH_TABLE} s SET starts = s.starts || a.starts
       FROM (SELECT id, array_agg(start) AS starts FROM d GROUP BY id) a
       WHERE s.id = a.id AND NOT s.starts @> a.starts
       RETURNING s.id)
     INSERT INTO ${WORD_START_TABLE} (start, id)
     SELECT d.start, d.id FROM d JOIN ${SEARCH_TABLE} s ON s.id = d.id ORDER BY 1, 2 ON CONFLICT DO NOTHING`,
    [intArray(ids), textArray(starts)],
  )
}

/** The pairs of initials taken out of the lists again, as before addInitialPairStarts. */
export async function removeInitialPairStarts(knex: Knex): Promise<void> {
  if (await hasWordStartTable(knex)) await knex.raw(`DELETE FROM ${WORD_START_TABLE} WHERE left(start, 1) = ${MARK_SQL} AND char_length(start) = 4`)
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

/** The search source of a customer as SOURCE_SELECT reads it, from the rows a save wrote: postcodes and phone digits in id order. */
function sourceOfWritten({ row, phones, addresses }: WrittenCustomer): SearchSource {
  const joined = (rows: WrittenCustomer['phones'], column: string) =>
    [...rows]
      .sort((a, b) => Number(a['id']) - Number(b['id']))
      .map((r) => String(r[column]))
      .join(' ')
  const { id, status, display_name, display_name_is_custom, first_name, last_name, email, company } = row
  return { id, status, display_name, display_name_is_custom, first_name, last_name, email, company, postcodes: joined(addresses, 'postcode'), phones: joined(phones, 'search_digits') }
}

export async function refreshPostgresSearch(knex: Knex, customerIds: readonly number[], written?: WrittenCustomer): Promise<void> {
  const unique = [...new Set(customerIds)]
  if (written && unique.length === 1 && unique[0] === written.row.id) {
    await writeDocuments(knex, [sourceOfWritten(written)], true)
    return
  }
  for (let from = 0; from < unique.length; from += WRITE_BATCH) {
    const batch = unique.slice(from, from + WRITE_BATCH)
    const ids = intArray(batch)
    // One customer (a desk's save) is one statement: an upsert. Many are deleted first and inserted plainly,
    // as a bulk insert fills the table's end in order where an upsert would fill gaps row by row.
    const one = batch.length === 1
    if (!one) await deleteDocuments(knex, ids)
    // A save's read by the key alone is planned once (kept prepared); a list of ids would be planned for its values.
    const source = one ? knex.raw(`${SOURCE_SELECT} WHERE c.id = ?`, [batch[0]!]).options(KEEP_PREPARED) : knex.raw(`${SOURCE_SELECT} WHERE c.id = ANY(?::integer[])`, [ids])
    const rows = allRowsOf<SearchSource>(await source)
    await writeDocuments(knex, rows, one)
    // A customer removed for good leaves no row behind.
    if (one && !rows.length) await deleteDocuments(knex, ids)
  }
}

/** Every customer's search row written afresh; the indexes are built once at the end, faster than kept row by row. */
export async function rebuildPostgresSearch(knex: Knex): Promise<void> {
  // A table made before the initials joined the word starts, or before the starts had a table of their
  // own: its rows are written as today's are.
  await knex.raw(`ALTER TABLE ${SEARCH_TABLE} DROP COLUMN IF EXISTS initials`)
  await createWordStartTable(knex)
  await knex.raw(`TRUNCATE ${SEARCH_TABLE}, ${WORD_START_TABLE}`)
  const inOne = await hasIndex(knex, SEARCH_TERMS_INDEX)
  await dropSearchIndexes(knex)
  // Made again once the rows are written, rather than kept row by row.
  const nameOrder = await hasIndex(knex, NAME_ORDER_INDEX)
  if (nameOrder) await dropSearchNameOrder(knex)
  for (let after = 0; ; ) {
    const rows = allRowsOf<SearchSource>(await knex.raw(`${SOURCE_SELECT} WHERE c.id > ? ORDER BY c.id LIMIT ?`, [after, WRITE_BATCH]))
    await writeDocuments(knex, rows)
    if (rows.length < WRITE_BATCH) break
    after = rows[rows.length - 1]!.id
  }
  await createSearchIndexes(knex, inOne)
  if (nameOrder) await createSearchNameOrder(knex)
  await knex.raw(`ANALYZE ${SEARCH_TABLE}`)
  await knex.raw(`ANALYZE ${WORD_START_TABLE}`)
}

async function hasIndex(knex: Knex, name: string): Promise<boolean> {
  const rows = allRowsOf<{ n: number }>(
    await knex.raw(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?`, [name]),
  )
  return Number(rows[0]?.n ?? 0) > 0
}

/**
 * Two different initials as one word start: marked as an initial is, the two in code point order
 * (the server's "C" order, in which LISTED_STARTS makes them from a row's marked initials).
 */
export function initialPairStart(a: string, b: string): string {
  return markedInitial(a.codePointAt(0)! < b.codePointAt(0)! ? a + b : b + a)
}

/**
 * The word starts a search looks up (short words and digits typed, initials marked, and an initial typed
 * twice as its doubled start), as the row and the lists hold them.
 */
function startsOf(plan: SearchPlan): string[] {
  const starts = [...plan.prefixes, ...(plan.shortDigits === null ? [] : [plan.shortDigits])].map(indexFold)
  const initials = plan.initials.map(indexFold)
  starts.push(...initials.map(markedInitial))
  starts.push(...doubledInitials(initials).map((initial) => initialPairStart(initial, initial)))
  return [...new Set(starts)]
}

/** The ids holding every one of these word starts: their lists merged in id order (as `w0.id`); `sql` is `from` and `where`. */
function startListsSql(starts: readonly string[]): { sql: string; from: string; where: string; bindings: Knex.Value[] } {
  const joins = starts.slice(1).map((_, i) => ` JOIN ${WORD_START_TABLE} w${i + 1} ON w${i + 1}.id = w0.id AND w${i + 1}.start = ?`)
  const from = `FROM ${WORD_START_TABLE} w0${joins.join('')}`
  const where = 'WHERE w0.start = ?'
  return { sql: `${from} ${where}`, from, where, bindings: [...starts.slice(1), starts[0]!] }
}

/**
 * Keeps a row test a look-up for each row met: as a join, the planner would read every match into a
 * hash first when it foresees few, and for a run of digits it foresees far too few ("4420794": 3,613
 * of 250,000, read whole in 450–680 ms where the walk's page took 5).
 */
const ROW_BY_ROW = ' OFFSET 0'

/** A word start of the customer whose id is `column`, looked up by its key. */
function hasStartSql(column: string): string {
  return `EXISTS (SELECT 1 FROM ${WORD_START_TABLE} w WHERE w.start = ? AND w.id = ${column}${ROW_BY_ROW})`
}

/**
 * The search's conditions on a customer_search row (`s`, or `row`) (all must hold), with bindings; empty when
 * nothing can be looked for. Word starts beside other terms are the row's own list, looked for in
 * the same scan of the GIN index as the other terms before any row is read.
 */
function conditions(plan: SearchPlan, row = 's'): { parts: string[]; bindings: Knex.Value[] } {
  const { parts, bindings } = documentConditions(plan, row)
  const starts = startsOf(plan)
  if (starts.length) {
    parts.push(`${row}.starts @> ?::text[]`)
    bindings.push(textArray(starts))
  }
  return { parts, bindings }
}

/** The search's conditions on the search row's document and digits: all but the word starts. */
function documentConditions(plan: SearchPlan, row: string): { parts: string[]; bindings: Knex.Value[] } {
  const parts: string[] = []
  const bindings: Knex.Value[] = []
  const fragment = (term: string) => {
    parts.push(`${row}.doc LIKE ?`)
    bindings.push(`%${likeEscape(indexFold(term))}%`)
  }
  if (plan.digits !== null) {
    if (plan.digits.length >= DIGIT_PIECE) {
      // The rare pieces' lists answer through the index; the run itself confirms the pieces are consecutive.
      const pieces = new Set<number>()
      for (let i = 0; i + DIGIT_PIECE <= plan.digits.length; i++) pieces.add(Number(plan.digits.slice(i, i + DIGIT_PIECE)))
      parts.push(`${row}.pieces @> ?::integer[] AND ${row}.runs LIKE ?`)
      bindings.push(intArray([...pieces]), `%${plan.digits}%`)
    } else fragment(plan.digits)
  }
  for (const term of plan.fragments) fragment(term)
  return { parts, bindings }
}

/**
 * A search of word starts alone (no fragment, no run of digits) is answered by their lists, without the
 * search rows; two of its initials by their pair's one list (the customers with both), and one typed
 * twice by its doubled start's list.
 */
function startsAlone(plan: SearchPlan): string[] | null {
  if (plan.fragments.length || plan.digits !== null) return null
  const starts = startsOf(plan)
  const initials = plan.initials.map(indexFold)
  // An initial typed twice is its doubled start's list alone: the customers with two.
  const covered = new Set(doubledInitials(initials).map(markedInitial))
  const [first, second] = [...new Set(initials)]
  const pair = first !== undefined && second !== undefined ? [initialPairStart(first, second)] : []
  if (pair.length) covered.add(markedInitial(first!)).add(markedInitial(second!))
  const alone = [...pair, ...starts.filter((start) => !covered.has(start))]
  return alone.length ? alone : null
}

export function postgresMatchSql(plan: SearchPlan): { sql: string; bindings: Knex.Value[] } | null {
  if (plan.customerNumber !== null) return { sql: 'SELECT id FROM customers WHERE id = ?', bindings: [plan.customerNumber] }
  // A set read first (OFFSET 0 keeps the planner from walking another index row by row and probing each
  // row here: matches bunch up in the list's order, so such a walk can pass most of the table).
  const starts = startsAlone(plan)
  if (starts) {
    const lists = startListsSql(starts)
    return { sql: `SELECT w0.id ${lists.sql} OFFSET 0`, bindings: lists.bindings }
  }
  const { parts, bindings } = conditions(plan)
  if (!parts.length) return null
  return { sql: `SELECT s.id FROM ${SEARCH_TABLE} s WHERE ${parts.join(' AND ')} OFFSET 0`, bindings }
}

/**
 * Up to `limit` matches, in ascending id order. Word starts alone are read from their lists, lowest
 * ids first. Otherwise no order is asked of the server: it reads the GIN indexes into a bitmap and
 * visits the rows in the table's order (about the ids' order), or, for a search most rows match,
 * reads the table from the start; either way it stops at the limit. Ordering by id would read and
 * sort every match, or walk the ids testing each row, several times the work.
 */
export async function postgresFirstMatches(knex: Knex, plan: SearchPlan, limit: number, readOnTo?: number, sortNames = false): Promise<FirstMatches> {
  if (plan.customerNumber !== null) return matchesOf(allRowsOf(await knex.raw('SELECT id, status FROM customers WHERE id = ? LIMIT ?', [plan.customerNumber, limit])))
  const starts = startsAlone(plan)
  if (starts && !(await readsStartsOnInOneScan(knex, plan, starts, limit, readOnTo))) {
    const lists = startListsSql(starts)
    // The lists hold no status: each match's is looked up in the small index of customers who are not active
    // (archived, blocked, in the recycle bin), in the same read. Both are in id order, so for a common start
    // the server reads the index's stretch up to the last match alongside the list; for a rare one it seeks.
    const rows = allRowsOf<{ id: number; status: string | null }>(
      await knex.raw(
        `SELECT w0.id, c.status ${lists.from} LEFT JOIN customers c ON c.id = w0.id AND c.status <> 'active' ${lists.where} ORDER BY w0.id LIMIT ?`,
        [...lists.bindings, limit],
      ),
    )
    return { ids: rows.map((r) => Number(r.id)), statuses: rows.map((r) => r.status ?? 'active') }
  }
  if (plan.digits !== null && plan.digits.length >= DIGIT_PIECE) {
    // A run of digits is the whole search (a phone-like search holds nothing else).
    const read = digitRead(piecesOfRun(plan.digits), await pieceStatistics(knex), limit)
    const where = read.kind === 'scan' ? 's.runs LIKE ?' : 's.pieces @> ?::integer[] AND s.runs LIKE ?'
    const bindings = read.kind === 'scan' ? [`%${plan.digits}%`] : [intArray([read.piece]), `%${plan.digits}%`]
    return matchesOf(allRowsOf(await knex.raw(`SELECT ${matchColumns(sortNames)} FROM ${SEARCH_TABLE} s WHERE ${where} LIMIT ?`, [...bindings, limit])))
  }
  const { parts, bindings } = conditions(plan)
  if (!parts.length) return { ids: [], statuses: [] }
  const sql = `SELECT ${matchColumns(sortNames)} FROM ${SEARCH_TABLE} s WHERE ${parts.join(' AND ')} LIMIT ?`
  // Within a caller's transaction the read stays on the transaction's own connection: no cursor of its own.
  if (readOnTo !== undefined && readOnTo >= limit && !knex.isTransaction) {
    const match = postgresMatchSql(plan)
    const estimate = match ? await postgresEstimateRows(knex, match.sql, match.bindings) : 0
    if (estimate <= READ_ON_ESTIMATE * readOnTo) return readingOn(knex, sql, bindings, limit, readOnTo)
  }
  return matchesOf(allRowsOf(await knex.raw(sql, [...bindings, limit])))
}

/**
 * Whether a first read of word starts in several lists ("jo s") reads on through the search rows' one
 * index instead, as a piece of text does: where the planner foresees no more than the read may go on
 * to, one scan of it steps through the starts together (all 5,681 of "jo s" in 4 ms), where the lists
 * merged in id order read the longer ones whole to give them all ("s": 184,580 rows) and a sort or
 * walk then read them again ("jo s" 34 ms -> 20, "el s" 56 -> 17 at a million customers). Foreseen
 * as more, the lists' merge stops at the first matches sooner ("an s": 18,132 matches, 11,938
 * foreseen, read no faster in one scan). The lists' estimate is their shares multiplied: 0.7 to 5
 * times the matches.
 */
async function readsStartsOnInOneScan(knex: Knex, plan: SearchPlan, starts: readonly string[], limit: number, readOnTo: number | undefined): Promise<boolean> {
  if (starts.length < 2 || readOnTo === undefined || readOnTo < limit || knex.isTransaction) return false
  const match = postgresMatchSql(plan)
  return match !== null && (await postgresEstimateRows(knex, match.sql, match.bindings)) <= readOnTo
}

/** A first read's columns of each search row `s`: the match, its status, and its sort name when asked for. */
function matchColumns(sortNames: boolean): string {
  return sortNames ? 's.id, s.status, s.sort_name' : 's.id, s.status'
}

/** The matches with their status and sort name, from the search rows (see Dialect.matchRowsSql); null for word starts alone, read from their lists. */
export function postgresMatchRowsSql(plan: SearchPlan): { sql: string; bindings: Knex.Value[] } | null {
  if (plan.customerNumber !== null || startsAlone(plan)) return null
  const { parts, bindings } = conditions(plan)
  if (!parts.length) return null
  return { sql: `SELECT ${matchColumns(true)} FROM ${SEARCH_TABLE} s WHERE ${parts.join(' AND ')} OFFSET 0`, bindings }
}

/**
 * A first read may go on to every match unless the planner foresees many more than a few thousand: the
 * read's plan follows its limit, and for many more matches a larger limit turns a scan that stops early
 * into a read of every match's index entry (a fragment in 70,000 rows: 18–33 ms for 2,001, 39–90 ms for
 * 5,001). Estimates of fragments beside initials run up to about 2.5 times the matches. One of a few, or
 * of none, is no bound: a piece of text found in none of the hundred documents the planner samples is
 * foreseen in 100 rows ("jose": 5,794 matches; "schmi": 4,315), and whether it was found there changes
 * with each analysis of the table; the cursor's first read tells instead.
 */
const READ_ON_ESTIMATE = 3

/**
 * The first `limit` matches, and every match when the first foretell no more than `readOnTo`: read
 * through one cursor, so the index lists (most of a search's cost: 50 ms of "mar j"'s 65 at a
 * million customers) are read once, where a second query would read them again to sort the matches.
 * The rows come in the table's order, about the ids' order: how far the first reached foretells the rest.
 * The cursor is the statement's own portal, read a page at a time: a round trip for each read, where a
 * declared cursor took a transaction and three more.
 */
async function readingOn(knex: Knex, sql: string, bindings: readonly Knex.Value[], limit: number, readOnTo: number): Promise<FirstMatches> {
  const rows = (await pieceStatistics(knex)).rows
  const native = knex.raw(sql, [...bindings, readOnTo + 1]).toSQL().toNative()
  const conn = (await knex.client.acquireConnection()) as PgClient
  const cursor = conn.query(new Cursor<MatchRow>(native.sql, [...native.bindings]))
  let failed = false
  try {
    const first = await cursor.read(limit)
    if (first.length < limit) return { ...matchesOf(first), every: true }
    const reached = first.reduce((highest, row) => Math.max(highest, Number(row.id)), 1)
    // The table's rows stand for the highest id: close while few customers are deleted, and only a guess's scale.
    if ((limit / reached) * Math.max(rows, reached) > readOnTo) return matchesOf(first)
    const all = [...first, ...(await cursor.read(readOnTo + 1 - limit))]
    return all.length > readOnTo ? matchesOf(all) : { ...matchesOf(all), every: true }
  } catch (error) {
    failed = true
    // The server may be ending the connection (a restart, a cut): the pool makes a new one rather than hand
    // this one out, the mark knex itself sets on a connection that failed.
    ;(conn as PgClient & { __knex__disposed?: unknown }).__knex__disposed = error
    throw error
  } finally {
    // A read that failed has ended the portal already; closing it would wait for an answer that may never come.
    if (!failed) await closed(cursor, conn)
    await knex.client.releaseConnection(conn)
  }
}

/** The cursor's portal closed, or its connection gone: a connection lost meanwhile leaves no close waiting for the server. */
function closed(cursor: Cursor<MatchRow>, conn: PgClient): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      conn.off('end', done)
      conn.off('error', done)
      resolve()
    }
    conn.once('end', done)
    conn.once('error', done)
    cursor.close().then(done, done)
  })
}

type MatchRow = { id: number; status: string; sort_name?: string }

/** A typed run of digits as the pieces the digit index holds of it. */
function piecesOfRun(digits: string): number[] {
  const pieces = new Set<number>()
  for (let i = 0; i + DIGIT_PIECE <= digits.length; i++) pieces.add(Number(digits.slice(i, i + DIGIT_PIECE)))
  return [...pieces]
}

/** How often digit pieces occur, from the planner's statistics: the common ones' shares, and a share no rarer piece exceeds. */
export interface PieceStatistics {
  rows: number
  shares: Map<number, number>
  rarest: number
}

const kept = new WeakMap<object, { read: number; statistics: PieceStatistics }>()
/** Statistics change with ANALYZE (autovacuum's, every so often): a few minutes old is fresh enough. */
const PIECE_STATISTICS_MS = 5 * 60_000

async function pieceStatistics(knex: Knex): Promise<PieceStatistics> {
  const key = knex.client as object
  const cached = kept.get(key)
  if (cached && performance.now() - cached.read < PIECE_STATISTICS_MS) return cached.statistics
  const [row] = allRowsOf<{ elems: string | null; freqs: string | null; rows: number }>(
    await knex.raw(
      `SELECT (SELECT reltuples FROM pg_class WHERE oid = ?::regclass) AS rows,
         (SELECT most_common_elems::text FROM pg_stats WHERE schemaname = current_schema() AND tablename = ? AND attname = 'pieces') AS elems,
         (SELECT most_common_elem_freqs::text FROM pg_stats WHERE schemaname = current_schema() AND tablename = ? AND attname = 'pieces') AS freqs`,
      [SEARCH_TABLE, SEARCH_TABLE, SEARCH_TABLE],
    ),
  )
  const numbers = (text: string | null | undefined) => (text ? text.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : [])
  const elems = numbers(row?.elems)
  // The elements' own shares come first, then the lowest and highest of them and the share of empty arrays.
  const freqs = numbers(row?.freqs).slice(0, elems.length)
  const statistics: PieceStatistics = {
    rows: Math.max(0, Number(row?.rows ?? 0)),
    shares: new Map(elems.map((e, i) => [e, freqs[i] ?? 0])),
    rarest: freqs.length ? Math.min(...freqs) : 0,
  }
  // None yet (a new or small table before its first ANALYZE): asked again next time, until there are.
  if (elems.length) kept.set(key, { read: performance.now(), statistics })
  return statistics
}

/*
 * Reading a run of digits' first matches: its rarest piece's GIN list is read whole into a bitmap
 * (~0.25 µs a row that holds it) and those rows visited, or the table is read from its start until
 * enough rows hold the run (~0.8 µs a row). Every piece of a common run (a shared prefix, a block of
 * numbers) is in tens of thousands of rows, where reading from the start finds the page sooner.
 * Measured at 1,000,000 customers on a 2-core machine.
 */
const BITMAP_ENTRY_MS = 0.00025
const MATCH_VISIT_MS = 0.002
const ROW_SCAN_MS = 0.0008

/** How to read a run's first `limit` matches: through its rarest piece, or by reading the table from its start. */
export function digitRead(pieces: readonly number[], statistics: PieceStatistics, limit: number): { kind: 'piece'; piece: number } | { kind: 'scan' } {
  const shareOf = (piece: number) => statistics.shares.get(piece) ?? statistics.rarest
  const piece = pieces.reduce((best, next) => (shareOf(next) < shareOf(best) ? next : best))
  const share = shareOf(piece)
  // The run's matches are at most the rarest piece's rows; the scan is priced as if they were all of them.
  const holding = share * statistics.rows
  const throughPiece = holding * BITMAP_ENTRY_MS + Math.min(limit, holding) * MATCH_VISIT_MS
  const scan = share > 0 ? (limit / share) * ROW_SCAN_MS : Infinity
  return scan < throughPiece ? { kind: 'scan' } : { kind: 'piece', piece }
}

function matchesOf(rows: MatchRow[]): FirstMatches {
  rows.sort((a, b) => Number(a.id) - Number(b.id))
  const sortNames = rows.length && rows[0]!.sort_name !== undefined ? rows.map((r) => r.sort_name!) : null
  return { ids: rows.map((r) => Number(r.id)), statuses: rows.map((r) => r.status), sortNames }
}

/**
 * The share of the book a broad search matches, from the spread of the matches firstMatches found: they
 * come in the table's order, about the ids' order. Beside it, for a search of word starts and runs of
 * digits, the planner's estimate of its matches when that is more (close for the word arrays, far too
 * low for runs of digits, whose pieces it takes as independent). A piece of text's estimate is no more
 * than the pattern tried on the hundred documents of the column's statistics, so it moves in steps of a
 * hundredth of the book from one analysis to the next ("jose": 20,199 for 5,794, which chose a 60–130 ms
 * walk over a 17 ms sort; "muller": 100 for 2,799), where the spread is read from the matches themselves.
 */
export async function postgresMatchShare(knex: Knex, plan: SearchPlan, ids: readonly number[]): Promise<number> {
  const spread = shareOfFirstMatches(ids)
  if (plan.fragments.length) return spread
  // The table's rows as the planner knows them (no count: that would read the table), kept with the digit statistics.
  const rows = Math.max(1, (await pieceStatistics(knex)).rows)
  const match = postgresMatchSql(plan)
  if (!match) return 0
  const estimate = await postgresEstimateRows(knex, match.sql, match.bindings)
  // The matches found lie among the lowest ids, with others left unread: at least that share.
  return Math.min(1, Math.max(estimate / rows, spread))
}

/** The planner's estimate of the rows a query returns (EXPLAIN: nothing is run). */
export async function postgresEstimateRows(knex: Knex, sql: string, bindings: readonly Knex.Value[]): Promise<number> {
  const key = `${sql}\u0000${JSON.stringify(bindings)}`
  const last = lastEstimate.get(knex.client as object)
  if (last && last.key === key && performance.now() - last.asked < ESTIMATE_KEPT_MS) return last.rows
  const rows = explainedRows(knex, sql, bindings)
  lastEstimate.set(knex.client as object, { key, rows, asked: performance.now() })
  // One that failed is asked again next time.
  rows.catch(() => lastEstimate.get(knex.client as object)?.rows === rows && lastEstimate.delete(knex.client as object))
  return rows
}

async function explainedRows(knex: Knex, sql: string, bindings: readonly Knex.Value[]): Promise<number> {
  const [plan] = allRowsOf<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(await knex.raw(`EXPLAIN (FORMAT JSON) ${sql}`, [...bindings]))
  return Number(plan?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0)
}

/**
 * A keystroke's first read and the walk it starts beside it ask for the same estimate at once: the last one
 * asked is kept a moment, while it is still on its way too, so the server plans it once.
 */
const lastEstimate = new WeakMap<object, { key: string; rows: Promise<number>; asked: number }>()
const ESTIMATE_KEPT_MS = 2000

export function postgresRowMatchSql(plan: SearchPlan): { sql: string; bindings: Knex.Value[] } {
  if (plan.customerNumber !== null) return { sql: '(c.id = ?)', bindings: [plan.customerNumber] }
  const starts = startsAlone(plan)
  // Each word start looked up in its list by the customer's key, the search row left unread.
  if (starts) return { sql: `(${starts.map(() => hasStartSql('c.id')).join(' AND ')})`, bindings: starts }
  const { parts, bindings } = conditions(plan)
  // Punctuation alone matches nobody, as in the index.
  if (!parts.length) return { sql: 'FALSE', bindings: [] }
  // The customer's own search row, found by its key: the same test the index answers, for one row.
  return { sql: `EXISTS (SELECT 1 FROM ${SEARCH_TABLE} s WHERE s.id = c.id AND ${parts.join(' AND ')}${ROW_BY_ROW})`, bindings }
}

