import type { Dialect, SearchPlan } from './types'
import { DIGIT_PIECE, piecesOf } from '../search/digits'
import { doubledInitials, initialPair, initialsIndexWords, markedInitial } from '../search/initials'
import { rowTestNeeds } from '../search/rowMatch'
import { createSqliteReportTotals, dropSqliteReportTotals } from './sqliteReportTotals'
import { rebuildSqliteBookingLines, restoreSqliteBookingLines } from './sqliteBookingLines'
import { createSqliteBookingList, dropSqliteBookingList } from './sqliteBookingList'
import { createSqliteRecordVersions, dropSqliteRecordVersions } from './sqliteVersions'
import { CHAIN_START, chainHash, contentHash, newContentSalt, originalChainHash, type ChainedEntry } from '../changeChain'
import type BetterSqlite3 from 'better-sqlite3'
import { chunks } from '../idChunks'

/*
 * SQLite: contentless FTS5 tables over each customer's search document.
 * - trigram (remove_diacritics): any fragment of 3+ characters anywhere, accent- and case-insensitive;
 * - unicode61 over the first two characters of every word (db/search/initials.ts, wordStartsOf): answers
 *   1–2 character word starts, which trigrams cannot, without holding every whole word;
 * - digits: runs of 5+ digits as five-digit pieces (db/search/digits.ts), for phone numbers typed whole;
 * - initials: the first letter of each word of the name and company (db/search/initials.ts), for "a" and "j s".
 * The trigram and word indexes hold the initials too, each marked as a token of its own (markedInitial), so
 * "anna s" or "jo s" is one look-up in one index: FTS5 steps through both lists together, skipping ahead,
 * where intersecting two indexes' lists read the long list of an initial whole.
 * Contentless with contentless_delete keeps the index small: the text lives in the tables already.
 */
const SEARCH_COLUMNS = 'name, email, company, postcode, number, phone, initials'
/** The text indexes' columns before they held the initials (a file part-way through its migrations). */
const SEARCH_COLUMNS_BEFORE_INITIALS = 'name, email, company, postcode, number, phone'
/** The word index's one column since it holds word starts only. */
const WORD_STARTS_COLUMN = 'starts'
const TABLES = {
  trigram: 'customer_search_tri',
  word: 'customer_search_word',
  digits: 'customer_search_digits',
  initials: 'customer_search_initials',
} as const

/** A customer's postcodes and phone digits, each as one space-separated text. */
const POSTCODES = `coalesce((SELECT group_concat(a.postcode, ' ') FROM addresses a WHERE a.customer_id = c.id), '')`
const PHONE_DIGITS = `coalesce((SELECT group_concat(p.search_digits, ' ') FROM phones p WHERE p.customer_id = c.id), '')`

/** The name as the search document holds it: the display name, with first and last name when it was written by hand. */
const NAME = `c.display_name || CASE WHEN c.display_name_is_custom THEN ' ' || c.first_name || ' ' || c.last_name ELSE '' END`
/** The name and company, folded: what initials are taken from (db/search/initials.ts). */
const FOLDED_NAME_AND_COMPANY = `frontdesk_fold(${NAME} || ' ' || c.company)`

/** The record's own texts, whose digit runs the digit index holds beside postcodes, number and phones. */
const RECORD_TEXT = `c.display_name || ' ' || c.first_name || ' ' || c.last_name || ' ' || c.email || ' ' || c.company`

/**
 * What a customer's documents are made of, as SQL on `c`: gathered where a document is made
 * (IN_PLACE), or read from a pass that gathered them once for several documents.
 */
interface DocumentParts {
  name: string
  postcodes: string
  phones: string
  recordText: string
}
const IN_PLACE: DocumentParts = { name: NAME, postcodes: POSTCODES, phones: PHONE_DIGITS, recordText: RECORD_TEXT }

/**
 * One customer's search document's texts. Text columns go through frontdesk_fold (the
 * search box's folding, registered on every connection by db/connection.ts):
 * FTS5's own remove_diacritics leaves ł, ø, ß and their like as they are.
 */
const textColumns = (p: DocumentParts) => `frontdesk_fold(${p.name}),
    frontdesk_fold(c.email),
    frontdesk_fold(c.company),
    frontdesk_fold(${p.postcodes}),
    printf('C-%06d', c.id),
    ${phonesColumn(p)}`
/** The phones' digits, and the record's digits written in groups, joined ("20 20": 2020), where three or four digits typed are looked for. */
const phonesColumn = (p: Pick<DocumentParts, 'phones' | 'recordText'>) => `${p.phones} || frontdesk_joined_digit_groups(${p.recordText})`
const textDocument = (p: DocumentParts) => `c.id, ${textColumns(p)}`
const documentColumns = textDocument(IN_PLACE)
const documentSelect = `
  SELECT ${documentColumns}, frontdesk_marked_initials(${FOLDED_NAME_AND_COMPANY})
  FROM customers c`
const documentSelectBeforeInitials = `SELECT ${documentColumns} FROM customers c`
/** The word index's document: the starts of the words of the same texts, and the marked initials. */
const wordStartsSelect = `
  SELECT c.id, frontdesk_word_starts(${textColumns(IN_PLACE)}, frontdesk_marked_initials(${FOLDED_NAME_AND_COMPANY}))
  FROM customers c`

/** The digit index's document: every text of the search document, its digit runs in pieces. */
/** Every text a digit run is looked for in: the digit index holds its runs, a row test looks in it whole. */
const digitText = (p: DocumentParts) =>
  `${p.recordText} || ' ' || frontdesk_grouped_digit_runs(${p.recordText}) || ' ' || ${p.postcodes} || ' ' || printf('%06d', c.id) || ' ' || ${p.phones}`
const digitDocument = (p: DocumentParts) => `frontdesk_digit_pieces(${digitText(p)})`
const digitsSelect = `SELECT c.id, ${digitDocument(IN_PLACE)} FROM customers c`

/** The initials index's document (db/search/initials.ts): name and company, as the search document holds them. */
const initialsSelect = `
  SELECT c.id, frontdesk_initials_with_pairs(${FOLDED_NAME_AND_COMPANY})
  FROM customers c`
/** The same before it held every two initials as one word too. */
const initialsSelectBeforePairs = `
  SELECT c.id, frontdesk_initials(${FOLDED_NAME_AND_COMPANY})
  FROM customers c`


/**
 * Text that the search's folding only lower-cases: printable ASCII without
 * apostrophes or backticks (preload/contract/fold.ts, PLAIN_ASCII). Most rows
 * are such text, and for them SQL's own lower() and instr() answer the search
 * exactly, without a call into JavaScript per row.
 */
function plainAsciiTest(text: string): string {
  return `(${text}) NOT GLOB '*[^ -&(-_a-~]*'`
}

/**
 * The search tested in SQL on a row of plain ASCII text (see plainAsciiTest),
 * the same rules as db/search/rowMatch.ts: a fragment is a substring of one
 * column; a short word or an initial starts a word (letters and digits).
 * `phones` is the phones' digits a run of digits is looked for in; `phonesText` the document's
 * column of them (with the record's digit groups joined: see phonesColumn).
 */
function plainRowMatch(plan: SearchPlan, postcodes: string, phones: string, phonesText: string): { sql: string; bindings: Array<string | number> } {
  if (plan.customerNumber !== null) return { sql: '(c.id = ?)', bindings: [plan.customerNumber] }
  const columns = [`lower(${NAME})`, 'lower(c.email)', 'lower(c.company)', `lower(${postcodes})`, "printf('c-%06d', c.id)", phonesText]
  const parts: string[] = []
  const bindings: string[] = []
  const fragment = (term: string) => {
    parts.push(`(${columns.map((column) => `instr(${column}, ?) > 0`).join(' OR ')})`)
    bindings.push(...columns.map(() => term))
  }
  // Words are runs of letters and digits; a term here holds nothing else, so it is safe inside a GLOB pattern.
  const wordStart = (term: string, among: string[], times = 1) => {
    parts.push(`(${among.map((column) => `(' ' || ${column}) GLOB ?`).join(' OR ')})`)
    bindings.push(...among.map(() => `${`*[^a-z0-9]${term}`.repeat(times)}*`))
  }
  for (const term of plan.fragments) fragment(term)
  for (const term of plan.prefixes) wordStart(term, columns)
  if (plan.shortDigits !== null) wordStart(plan.shortDigits, columns)
  if (plan.digits !== null) {
    if (plan.digits.length >= DIGIT_PIECE) {
      parts.push(`instr(${digitText({ ...IN_PLACE, postcodes, phones })}, ?) > 0`)
      bindings.push(plan.digits)
    } else fragment(plan.digits)
  }
  // An initial typed twice starts two words.
  const doubled = new Set(doubledInitials(plan.initials))
  for (const initial of new Set(plan.initials)) wordStart(initial, [`lower(${NAME} || ' ' || c.company)`], doubled.has(initial) ? 2 : 1)
  return { sql: parts.length ? `(${parts.join(' AND ')})` : '1', bindings }
}

/** Each search index with what fills it: the column list and the SELECT of (rowid, columns…). */
const INDEXES: Array<{ table: string; columns: string; select: string }> = [
  { table: TABLES.trigram, columns: SEARCH_COLUMNS, select: documentSelect },
  { table: TABLES.word, columns: WORD_STARTS_COLUMN, select: wordStartsSelect },
  { table: TABLES.digits, columns: 'pieces', select: digitsSelect },
  { table: TABLES.initials, columns: 'initials', select: initialsSelect },
]

/**
 * The indexes a file has, as it has them: the digit and initials indexes arrived with later migrations
 * than the first two, the initials column of the text indexes later still, and the word index of word
 * starts last (before, it held the same whole texts as the trigram index).
 */
async function indexesOf(knex: Parameters<Dialect['refreshSearch']>[0]): Promise<typeof INDEXES> {
  const rows = allRowsOf<{ name: string; sql: string }>(
    await knex.raw(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN (${INDEXES.map(() => '?').join(',')})`, INDEXES.map((i) => i.table)),
  )
  const present = new Map(rows.map((r) => [r.name, r.sql]))
  return INDEXES.filter((index) => present.has(index.table)).map((index) => {
    const sql = present.get(index.table) ?? ''
    if (!TEXT_INDEXES.has(index.table) || new RegExp(`\\b${WORD_STARTS_COLUMN}\\b`).test(sql)) return index
    return /\binitials\b/.test(sql)
      ? { ...index, columns: SEARCH_COLUMNS, select: documentSelect }
      : { ...index, columns: SEARCH_COLUMNS_BEFORE_INITIALS, select: documentSelectBeforeInitials }
  })
}

const TEXT_INDEXES = new Set<string>([TABLES.trigram, TABLES.word])

/**
 * What the word index holds: whole words (as it first did), the first two characters of each word, or
 * those with FTS5's own list of their first characters beside them (prefix = '1'), so a one-character
 * start is one list read from its lowest ids, where FTS5 would otherwise merge the whole lists of every
 * two-character start it begins ("0": every phone number's and customer number's, 75-100 ms at a million
 * customers; 5-9 ms with the list).
 */
type WordIndexForm = 'whole words' | 'word starts' | 'word starts and first characters'

/** The word index made again in this form, filled from every customer. */
async function remakeWordIndex(knex: Parameters<Dialect['refreshSearch']>[0], form: WordIndexForm): Promise<void> {
  const secureDelete = allRowsOf<{ v: number }>(await knex.raw(`SELECT v FROM ${TABLES.word}_config WHERE k = 'secure-delete'`))[0]?.v ?? 0
  await knex.raw(`DROP TABLE ${TABLES.word}`)
  const whole = form === 'whole words'
  const firstCharacters = form === 'word starts and first characters' ? ` prefix = '1',` : ''
  await knex.raw(
    whole
      ? wholeWordsIndexSql(SEARCH_COLUMNS)
      : `CREATE VIRTUAL TABLE ${TABLES.word} USING fts5(${WORD_STARTS_COLUMN}, tokenize = 'unicode61 remove_diacritics 2',${firstCharacters} content = '', contentless_delete = 1)`,
  )
  await fillMadeIndex(knex, TABLES.word, whole ? SEARCH_COLUMNS : WORD_STARTS_COLUMN, whole ? documentSelect : wordStartsSelect, secureDelete)
}

/** A text index just made again, filled from every customer by `select`, merged, with the secure delete the old one had. */
async function fillMadeIndex(knex: Parameters<Dialect['refreshSearch']>[0], table: string, columns: string, select: string, secureDelete: unknown): Promise<void> {
  await knex.raw(`INSERT INTO ${table}(rowid, ${columns}) ${select}`)
  // Filled in one go, an index is many segments, each read by every search until merged: merged at once.
  await knex.raw(`INSERT INTO ${table}(${table}) VALUES ('optimize')`)
  await knex.raw(`INSERT INTO ${table}(${table}, rank) VALUES ('secure-delete', ${Number(secureDelete) ? 1 : 0})`)
}

/** The word index as it was before it held word starts only: whole words of these columns, with a two-character prefix index. */
const wholeWordsIndexSql = (columns: string) =>
  `CREATE VIRTUAL TABLE ${TABLES.word} USING fts5(${columns}, tokenize = 'unicode61 remove_diacritics 2', prefix = '2', content = '', contentless_delete = 1)`

/** The trigram and word indexes, made empty with these columns. */
async function createTextIndexes(knex: Parameters<Dialect['refreshSearch']>[0], columns: string): Promise<void> {
  await knex.raw(`CREATE VIRTUAL TABLE ${TABLES.trigram} USING fts5(${columns}, tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1)`)
  await knex.raw(wholeWordsIndexSql(columns))
}

/**
 * The trigram and word indexes made again with these columns and filled from every customer, with the
 * secure delete the old ones had (an erased customer's words leave the file). The caller sets the merge policy.
 */
async function remakeTextIndexes(knex: Parameters<Dialect['refreshSearch']>[0], columns: string, select: string): Promise<void> {
  const secureDelete = allRowsOf<{ v: number }>(await knex.raw(`SELECT v FROM ${TABLES.trigram}_config WHERE k = 'secure-delete'`))[0]?.v ?? 0
  await knex.raw(`DROP TABLE ${TABLES.trigram}`)
  await knex.raw(`DROP TABLE ${TABLES.word}`)
  await createTextIndexes(knex, columns)
  for (const table of TEXT_INDEXES) await fillMadeIndex(knex, table, columns, select, secureDelete)
}

/** The initials index emptied and filled again from every customer by `select`, its settings kept. */
async function refillInitialsIndex(knex: Parameters<Dialect['refreshSearch']>[0], select: string): Promise<void> {
  await knex.raw(`INSERT INTO ${TABLES.initials}(${TABLES.initials}) VALUES ('delete-all')`)
  await knex.raw(`INSERT INTO ${TABLES.initials}(rowid, initials) ${select}`)
  // Filled in one go, an index is many segments, each read by every search until merged: merged at once.
  await knex.raw(`INSERT INTO ${TABLES.initials}(${TABLES.initials}) VALUES ('optimize')`)
}

/** A one-column index of words, filled from every customer by `select` (rowid, text). */
async function createWordIndex(knex: Parameters<Dialect['refreshSearch']>[0], table: string, column: string, select: string): Promise<void> {
  await knex.raw(`CREATE VIRTUAL TABLE ${table} USING fts5(${column}, tokenize = 'unicode61', content = '', contentless_delete = 1)`)
  await knex.raw(`INSERT INTO ${table}(rowid, ${column}) ${select}`)
}

/**
 * The change log's one allowed update: redaction, which replaces an entry's
 * summary and changes, clears its salt and sets redacted_at. Everything the
 * chain covers (the columns, the content digest, the hash) stays as it was.
 */
const REDACTABLE_CHANGE_LOG_TRIGGER = `CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log
  WHEN NOT (NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.staff_id IS OLD.staff_id AND NEW.staff_name IS OLD.staff_name
    AND NEW.entity_type IS OLD.entity_type AND NEW.entity_id IS OLD.entity_id AND NEW.customer_id IS OLD.customer_id
    AND NEW.action IS OLD.action AND NEW.content_hash IS OLD.content_hash AND NEW.hash IS OLD.hash
    AND NEW.content_salt IS NULL AND NEW.redacted_at IS NOT NULL)
  BEGIN SELECT RAISE(ABORT, 'The change log is append-only: an entry can only have personal values redacted'); END`

/** FTS5 string literal: double quotes, inner quotes doubled. */
const quote = (term: string) => `"${term.replace(/"/g, '""')}"`

/** The list's sort indexes, each (status, column, id); by number it is (status) with the rowid. */
const SORT_INDEX = {
  number: 'customers_status_id',
  name: 'customers_status_name',
  email: 'customers_status_email',
  createdAt: 'customers_status_created',
} as const

const SQLITE_MAX_VARIABLES = 500
/**
 * Pages of the search index merged per idle-time slice. FTS5 stops a merge only between two words,
 * so a word held by most customers is merged whole in one slice: after a million-customer import,
 * slices take 1-2 ms at the median and up to about 0.9 s for such a word (fewer pages do not shorten it).
 */
const MERGE_PAGES = 16

function allRowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : []
}

/*
 * A broad search's share of the book: its first matches are the lowest ids, but matches can lie thick
 * among some ids and thin elsewhere (customer numbers: "01" is every C-01xxxx, ids 10,000-19,999 alone),
 * so the share its first read gives is checked against its last matches, the highest ids. From the first
 * read alone, "01" looked like a sixth of a million-customer book, and its page was sought row by row
 * among the list's first few thousand names (50 ms) before the walk that finds it (3 ms).
 */
const LAST_MATCHES = 50

/**
 * A one- or two-character word start as the word index is asked for it. It holds no word longer than two
 * characters (wordStartsOf), so two are that word itself: one list, read from its lowest ids as far as
 * the page needs. Asked as a prefix, FTS5 would gather the lists of every word that starts so into one
 * first. One character is asked as a prefix: the index's own list of first characters answers it.
 */
function wordStart(start: string): string {
  return [...start].length >= 2 ? quote(start) : `${quote(start)}*`
}

function matchParts(plan: SearchPlan): Array<{ table: string; expr: string }> {
  const parts: Array<{ table: string; expr: string }> = []
  // Digits are looked for in every column: phones, customer numbers and postcodes, but also a company called "1881".
  // A run long enough is a phrase of its pieces in the digit index; a shorter one a trigram fragment.
  if (plan.digits) {
    parts.push(
      plan.digits.length >= DIGIT_PIECE ? { table: TABLES.digits, expr: quote(piecesOf(plan.digits)) } : { table: TABLES.trigram, expr: quote(plan.digits) },
    )
  }
  if (plan.shortDigits) parts.push({ table: TABLES.word, expr: wordStart(plan.shortDigits) })
  // Initials beside a word are looked up in that word's index, with it (see markedInitial); alone, in their own.
  const marked = plan.initials.map((initial) => quote(markedInitial(initial)))
  const withFragments = plan.fragments.length > 0
  const withPrefixes = plan.prefixes.length > 0
  if (withFragments) parts.push({ table: TABLES.trigram, expr: [...plan.fragments.map(quote), ...marked].join(' AND ') })
  if (withPrefixes) parts.push({ table: TABLES.word, expr: [...plan.prefixes.map(wordStart), ...(withFragments ? [] : marked)].join(' AND ') })
  if (plan.initials.length && !withFragments && !withPrefixes) {
    // Two initials are one word of the index (db/search/initials.ts): a short list, where each alone is a long one.
    parts.push({ table: TABLES.initials, expr: initialsIndexWords(plan.initials).map(quote).join(' AND ') })
  } else {
    // Beside a word, an initial typed twice is its doubled word in the initials index (the word's index holds each once).
    const doubled = doubledInitials(plan.initials)
    if (doubled.length) parts.push({ table: TABLES.initials, expr: doubled.map((initial) => quote(initialPair(initial, initial))).join(' AND ') })
  }
  return parts
}

/**
 * A slice's documents for all four indexes, made in one pass: making them (folding every text in a
 * call into JavaScript, gathering postcodes and phones) costs about as much as indexing them, and
 * the parts they share (postcodes, phones, the folded name and company) are made once a customer.
 * A temporary table is this connection's alone and held in memory; it is emptied as soon as every
 * index has the slice.
 */
const SLICE_DOCUMENTS = 'search_slice_documents'

/** The slice's own columns beside the trigram index's ones: the digit and initials indexes' documents. */
const SLICE_EXTRA = { [TABLES.digits]: 'digit_pieces', [TABLES.initials]: 'initial_words' } as const
const SLICE_COLUMNS = `${SEARCH_COLUMNS}, ${Object.values(SLICE_EXTRA).join(', ')}`
/** Each index's document as read from the slice: the trigram index's texts as they are, the word index's starts made from them. */
const SLICE_DOCUMENT: Record<string, string> = {
  [TABLES.trigram]: SEARCH_COLUMNS,
  [TABLES.word]: `frontdesk_word_starts(${SEARCH_COLUMNS})`,
  ...SLICE_EXTRA,
}

/** The parts as the slice's one pass below gathers them. */
const GATHERED: DocumentParts = { name: 'c.name', postcodes: 'c.postcodes', phones: 'c.phones', recordText: 'c.record_text' }

/** The digits, initials and text documents of customers from <= id < to, their parts gathered once a customer. */
const sliceDocumentsSelect = `
  WITH c AS MATERIALIZED (
    SELECT c.id, ${NAME} AS name, c.email, c.company, ${POSTCODES} AS postcodes, ${PHONE_DIGITS} AS phones,
      ${RECORD_TEXT} AS record_text, ${FOLDED_NAME_AND_COMPANY} AS folded_name_and_company
    FROM customers c WHERE c.id >= ? AND c.id < ?)
  SELECT ${textDocument(GATHERED)},
    frontdesk_marked_initials(c.folded_name_and_company),
    ${digitDocument(GATHERED)},
    frontdesk_initials_with_pairs(c.folded_name_and_company)
  FROM c`

/**
 * FTS5's merge of about `pages` pages' worth of a search index's segments, finishing the word it is in
 * (see MERGE_PAGES). FTS5 refuses the rank as a bound parameter; it is a whole number from the caller.
 */
const mergeSql = (table: string, pages: number) => `INSERT INTO ${table}(${table}, rank) VALUES ('merge', ${Math.trunc(pages)})`

/** A merge of about `pages` pages' worth in each search index (the idle upkeep's), for the raw connection. */
export function mergeSearchSql(pages: number): string[] {
  return INDEXES.map(({ table }) => mergeSql(table, pages))
}

/**
 * Statements indexing every customer with from <= id < to, in order; for bulk loads on a raw connection
 * (at the latest schema). Those with `inRange` take the two ids as their parameters, the others none.
 */
export const indexCustomersInIdRangeSql: ReadonlyArray<{ sql: string; inRange: boolean }> = [
  { sql: `CREATE TEMP TABLE IF NOT EXISTS ${SLICE_DOCUMENTS} (id INTEGER PRIMARY KEY, ${SLICE_COLUMNS})`, inRange: false },
  { sql: `INSERT INTO temp.${SLICE_DOCUMENTS} (id, ${SLICE_COLUMNS}) ${sliceDocumentsSelect}`, inRange: true },
  ...INDEXES.map(({ table, columns }) => ({
    sql: `INSERT INTO ${table}(rowid, ${columns}) SELECT id, ${SLICE_DOCUMENT[table]} FROM temp.${SLICE_DOCUMENTS}`,
    inRange: false,
  })),
  { sql: `DELETE FROM temp.${SLICE_DOCUMENTS}`, inRange: false },
]

/** The search indexes (FTS5 tables) a file has at the latest schema. */
export const SEARCH_INDEX_TABLES: readonly string[] = INDEXES.map(({ table }) => table)

/**
 * The same upkeep as refreshSearch, as statements for the raw driver in hot
 * loops: each takes the customer ids as one JSON array.
 */
export const refreshCustomersSearchSql = INDEXES.map(({ table, columns, select }) => ({
  table,
  remove: `DELETE FROM ${table} WHERE rowid IN (SELECT value FROM json_each(?))`,
  add: `INSERT INTO ${table}(rowid, ${columns}) ${select} WHERE c.id IN (SELECT value FROM json_each(?))`,
}))

/** Each tab's count from the customers there, all at once (what the count triggers keep row by row). */
export const COUNT_ALL_CUSTOMERS_SQL = `UPDATE customer_counts SET count = (SELECT count(*) FROM customers c WHERE c.status = customer_counts.status)`
export const COUNT_INSERT_TRIGGER = 'customers_count_insert'

export const sqliteDialect: Dialect = {
  async dropTrigger(knex, name) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${name}`)
  },
  booleanDefault: (value) => (value ? '1' : '0'),
  beyondAsciiSql: (column) => `${column} GLOB '*[^ -~]*'`,
  apostropheSql: (column) => `${column} GLOB '*[''\`]*'`,

  async createSearchAndCounters(knex) {
    // Made as the first migration made them; a later one adds the initials (createInitialsInTextSearch).
    await createTextIndexes(knex, SEARCH_COLUMNS_BEFORE_INITIALS)
    await knex.raw(`CREATE TRIGGER customers_count_insert AFTER INSERT ON customers BEGIN
      UPDATE customer_counts SET count = count + 1 WHERE status = NEW.status; END`)
    await knex.raw(`CREATE TRIGGER customers_count_delete AFTER DELETE ON customers BEGIN
      UPDATE customer_counts SET count = count - 1 WHERE status = OLD.status; END`)
    await knex.raw(`CREATE TRIGGER customers_count_status AFTER UPDATE OF status ON customers
      WHEN OLD.status <> NEW.status BEGIN
      UPDATE customer_counts SET count = count - 1 WHERE status = OLD.status;
      UPDATE customer_counts SET count = count + 1 WHERE status = NEW.status; END`)
    await knex.raw(`CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log BEGIN
      SELECT RAISE(ABORT, 'The change log is append-only'); END`)
    await knex.raw(`CREATE TRIGGER change_log_append_only_delete BEFORE DELETE ON change_log BEGIN
      SELECT RAISE(ABORT, 'The change log is append-only'); END`)
    await this.rebuildSearch(knex)
    await knex.raw(COUNT_ALL_CUSTOMERS_SQL)
  },

  async dropSearchAndCounters(knex) {
    for (const trigger of [
      'customers_count_insert',
      'customers_count_delete',
      'customers_count_status',
      'change_log_append_only_update',
      'change_log_append_only_delete',
    ]) {
      await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`)
    }
    await knex.raw(`DROP TABLE IF EXISTS ${TABLES.trigram}`)
    await knex.raw(`DROP TABLE IF EXISTS ${TABLES.word}`)
  },

  async createDigitSearch(knex) {
    await createWordIndex(knex, TABLES.digits, 'pieces', digitsSelect)
    await this.setSearchMergePolicy(knex, 'background')
  },

  async dropDigitSearch(knex) {
    await knex.raw(`DROP TABLE IF EXISTS ${TABLES.digits}`)
  },

  async createInitialsSearch(knex) {
    await createWordIndex(knex, TABLES.initials, 'initials', initialsSelectBeforePairs)
    await this.setSearchMergePolicy(knex, 'background')
  },

  async createInitialPairs(knex) {
    await refillInitialsIndex(knex, initialsSelect)
  },

  async dropInitialPairs(knex) {
    await refillInitialsIndex(knex, initialsSelectBeforePairs)
  },

  async dropInitialsSearch(knex) {
    await knex.raw(`DROP TABLE IF EXISTS ${TABLES.initials}`)
  },

  async keepOnlyWordStarts(knex) {
    await remakeWordIndex(knex, 'word starts')
    await this.setSearchMergePolicy(knex, 'background')
  },

  async keepWholeWords(knex) {
    await remakeWordIndex(knex, 'whole words')
    await this.setSearchMergePolicy(knex, 'background')
  },

  async listFirstCharacters(knex) {
    await remakeWordIndex(knex, 'word starts and first characters')
    await this.setSearchMergePolicy(knex, 'background')
  },

  async unlistFirstCharacters(knex) {
    await remakeWordIndex(knex, 'word starts')
    await this.setSearchMergePolicy(knex, 'background')
  },

  // The text indexes hold the initials already (createInitialsInTextSearch).
  async createInitialsInWordStarts() {},
  async dropInitialsInWordStarts() {},
  async settleAfterCopy() {},
  async createWordStartLists() {},
  async dropWordStartLists() {},
  async createInitialPairStarts() {},
  async dropInitialPairStarts() {},
  async indexDoubledInitials(knex, customers) {
    // Their initials' documents alone: written again in the text indexes too, a tenth of the book left
    // those indexes slower to search until merged.
    const { table, columns, select } = INDEXES.find((index) => index.table === TABLES.initials)!
    for (const ids of chunks(customers.map((c) => c.id), SQLITE_MAX_VARIABLES)) {
      const marks = ids.map(() => '?').join(',')
      await knex.raw(`DELETE FROM ${table} WHERE rowid IN (${marks})`, ids)
      await knex.raw(`INSERT INTO ${table}(rowid, ${columns}) ${select} WHERE c.id IN (${marks})`, ids)
    }
    await knex.raw(`INSERT INTO ${table}(${table}) VALUES ('optimize')`)
  },
  // FTS5 merges its segments by its own merge policy (setSearchMergePolicy).
  async limitSearchPendingLists() {},
  async unlimitSearchPendingLists() {},
  async createInitialsInTextSearch(knex) {
    await remakeTextIndexes(knex, SEARCH_COLUMNS, documentSelect)
    await this.setSearchMergePolicy(knex, 'background')
  },

  async dropInitialsInTextSearch(knex) {
    await remakeTextIndexes(knex, SEARCH_COLUMNS_BEFORE_INITIALS, documentSelectBeforeInitials)
    await this.setSearchMergePolicy(knex, 'background')
  },

  async setSearchMergePolicy(knex, policy) {
    // FTS5 defaults: automerge 4, crisismerge 16. In the background policy segments
    // wait for tidy(); crisismerge still merges if tidy never runs.
    const [automerge, crisismerge] = policy === 'background' ? [0, 64] : [4, 16]
    for (const { table } of await indexesOf(knex)) {
      // FTS5 refuses these settings as bound parameters; both are integers from above.
      await knex.raw(`INSERT INTO ${table}(${table}, rank) VALUES ('automerge', ${Number(automerge)})`)
      await knex.raw(`INSERT INTO ${table}(${table}, rank) VALUES ('crisismerge', ${Number(crisismerge)})`)
    }
  },

  async mergeSearchSlice(knex) {
    const changes = async () => Number((allRowsOf<{ n: number }>(await knex.raw('SELECT total_changes() AS n'))[0]?.n) ?? 0)
    let merged = false
    for (const { table } of await indexesOf(knex)) {
      // FTS5 says whether a merge did anything only through total_changes() (the connection is this one):
      // the command itself counts one, and a merge that found segments to merge two or more.
      const before = await changes()
      await knex.raw(mergeSql(table, MERGE_PAGES))
      if ((await changes()) - before >= 2) merged = true
    }
    return merged
  },

  async withSmallCache(knex, read, cacheMib = 8) {
    const [usual] = (await knex.raw('PRAGMA cache_size')) as Array<{ cache_size: number }>
    // 8 MiB by default: room for the B-tree pages above the rows, which every page of an export passes through.
    await knex.raw(`PRAGMA cache_size = ${-1024 * Math.trunc(cacheMib)}`)
    try {
      return await read()
    } finally {
      if (usual) await knex.raw(`PRAGMA cache_size = ${Math.trunc(Number(usual.cache_size))}`)
    }
  },

  async chainChangeLog(knex) {
    // Within the migration's transaction: its connection, with the append-only guard lifted only meanwhile.
    const conn = (await knex.client.acquireConnection()) as BetterSqlite3.Database
    try {
      conn.exec('DROP TRIGGER IF EXISTS change_log_append_only_update')
      const set = conn.prepare('UPDATE change_log SET hash = ? WHERE id = ?')
      let previous = CHAIN_START
      const page = conn.prepare('SELECT id, at, staff_id, staff_name, entity_type, entity_id, customer_id, action, summary, changes FROM change_log WHERE id > ? ORDER BY id LIMIT 10000')
      for (let after = 0; ; ) {
        const rows = page.all(after) as Array<ChainedEntry & { id: number }>
        if (!rows.length) break
        for (const row of rows) {
          previous = originalChainHash(previous, row)
          set.run(previous, row.id)
        }
        after = rows[rows.length - 1]!.id
      }
      conn.exec(`CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log BEGIN
        SELECT RAISE(ABORT, 'The change log is append-only'); END`)
    } finally {
      await knex.client.releaseConnection(conn)
    }
  },

  async sealChangeLog(knex) {
    const conn = (await knex.client.acquireConnection()) as BetterSqlite3.Database
    try {
      conn.exec('DROP TRIGGER IF EXISTS change_log_append_only_update')
      const set = conn.prepare('UPDATE change_log SET content_salt = ?, content_hash = ?, hash = ? WHERE id = ?')
      const page = conn.prepare(
        'SELECT id, at, staff_id, staff_name, entity_type, entity_id, customer_id, action, summary, changes, content_salt, content_hash, redacted_at FROM change_log WHERE id > ? ORDER BY id LIMIT 10000',
      )
      let previous = CHAIN_START
      for (let after = 0; ; ) {
        const rows = page.all(after) as Array<ChainedEntry & { id: number; content_salt: string | null; content_hash: string | null; redacted_at: string | null }>
        if (!rows.length) break
        for (const row of rows) {
          // A redacted entry keeps the digest of what it held; every other entry gets a salt and a digest of its content now.
          const salt = row.redacted_at ? null : newContentSalt()
          const digest = salt === null ? (row.content_hash ?? '') : contentHash(salt, row.summary, row.changes)
          previous = chainHash(previous, { ...row, content_hash: digest })
          set.run(salt, digest, previous, row.id)
        }
        after = rows[rows.length - 1]!.id
      }
      conn.exec(REDACTABLE_CHANGE_LOG_TRIGGER)
    } finally {
      await knex.client.releaseConnection(conn)
    }
  },

  async highestChangeLogId(knex) {
    // AUTOINCREMENT remembers the highest id ever given out.
    const [given] = allRowsOf<{ seq: number }>(await knex.raw(`SELECT seq FROM sqlite_sequence WHERE name = 'change_log'`))
    return given ? Number(given.seq) : null
  },

  async setSearchSecureDelete(knex, on) {
    for (const { table } of await indexesOf(knex)) {
      await knex.raw(`INSERT INTO ${table}(${table}, rank) VALUES ('secure-delete', ${on ? 1 : 0})`)
    }
  },

  async rewriteSearchIndex(knex) {
    // Deleting a document takes its entries out, but FTS5 can leave a term behind with an empty list; rewriting drops those.
    for (const { table } of await indexesOf(knex)) await knex.raw(`INSERT INTO ${table}(${table}) VALUES ('optimize')`)
  },

  async checkpointTruncate(knex) {
    const [result] = allRowsOf<{ busy: number }>(await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)'))
    return !result || Number(result.busy) === 0
  },

  createReportTotals: createSqliteReportTotals,
  dropReportTotals: dropSqliteReportTotals,
  async countReportTotalsPerStatement() {},
  rebuildBookingLines: rebuildSqliteBookingLines,
  restoreBookingLines: restoreSqliteBookingLines,
  createBookingList: createSqliteBookingList,
  dropBookingList: dropSqliteBookingList,
  createRecordVersions: createSqliteRecordVersions,
  dropRecordVersions: dropSqliteRecordVersions,
  // One desk holds the file: there is no one else to tell.
  async createChangeNotices() {},
  async dropChangeNotices() {},

  async checkpoint(knex) {
    await knex.raw('PRAGMA wal_checkpoint(PASSIVE)')
  },

  // Counts by tab seek each match in the index of customers who are not active (db/queries/customerList.ts): the search rows need no status.
  async createSearchStatus() {},
  // Matches are sorted through the customers' own name index: the full-text tables hold no columns to sort by.
  async createSearchSortNames() {},
  async dropSearchSortNames() {},
  // Its row-test walks read the customers' own name index.
  async joinSearchIndexes() {},
  async splitSearchIndexes() {},
  async createSearchNameOrder() {},
  async dropSearchNameOrder() {},
  async dropSearchStatus() {},
  async refreshSearch(knex, customerIds) {
    const indexes = await indexesOf(knex)
    for (const ids of chunks([...new Set(customerIds)], SQLITE_MAX_VARIABLES)) {
      const marks = ids.map(() => '?').join(',')
      for (const { table, columns, select } of indexes) {
        await knex.raw(`DELETE FROM ${table} WHERE rowid IN (${marks})`, ids)
        await knex.raw(`INSERT INTO ${table}(rowid, ${columns}) ${select} WHERE c.id IN (${marks})`, ids)
      }
    }
  },

  async rebuildSearch(knex) {
    for (const { table, columns, select } of await indexesOf(knex)) {
      await knex.raw(`INSERT INTO ${table}(${table}) VALUES ('delete-all')`)
      await knex.raw(`INSERT INTO ${table}(rowid, ${columns}) ${select}`)
    }
  },

  matchSql(plan) {
    if (plan.customerNumber !== null) return { sql: 'SELECT id FROM customers WHERE id = ?', bindings: [plan.customerNumber] }
    const parts = matchParts(plan)
    if (!parts.length) return null
    return {
      sql: parts.map((p) => `SELECT rowid AS id FROM ${p.table} WHERE ${p.table} MATCH ?`).join(' INTERSECT '),
      bindings: parts.map((p) => p.expr),
    }
  },

  widerMatchSql(plan) {
    // A run of digits alone, of two pieces or more: FTS5 reads every piece's list whole, and the first
    // pieces of a number are those many numbers share (02079, 07700). Its last piece alone is read
    // from its own, short, list: 0.5 ms against 2–12 ms for the whole run at a million customers.
    const { digits } = plan
    const alone = plan.fragments.length === 0 && plan.prefixes.length === 0 && plan.initials.length === 0 && plan.shortDigits === null
    if (plan.customerNumber !== null || digits === null || digits.length <= DIGIT_PIECE || !alone) return null
    return { sql: `SELECT rowid AS id FROM ${TABLES.digits} WHERE ${TABLES.digits} MATCH ?`, bindings: [quote(digits.slice(-DIGIT_PIECE))] }
  },

  matchesInWindowSql(match, window) {
    // The window is a small set; the index lists are streamed against it, no set of every match built.
    return { sql: `(${match.sql}) m JOIN (${window.sql}) w ON w.id = m.id`, bindings: [...match.bindings, ...window.bindings] }
  },

  amongMatchesSql(column, match) {
    return `${column} IN (${match.sql})`
  },

  async firstMatches(knex, plan, limit, readOnTo) {
    const match = this.matchSql(plan)
    if (!match) return { ids: [], statuses: null }
    // FTS5 hands matches over in rowid order already: walking it backwards or sorting would read every match first.
    if (!readOnTo || readOnTo < limit) {
      const ids = allRowsOf<{ id: number }>(await knex.raw(`SELECT id FROM (${match.sql}) m LIMIT ?`, [...match.bindings, limit])).map((r) => Number(r.id))
      return { ids, statuses: null }
    }
    // Row by row, so the read can stop or go on after the first `limit` (0.3 µs a row more than all at once).
    const conn = (await knex.client.acquireConnection()) as BetterSqlite3.Database
    try {
      const maxId = Number(conn.prepare('SELECT max(id) FROM customers').pluck().get() ?? 0)
      const rows = conn.prepare(`SELECT id FROM (${match.sql}) m`).pluck().iterate(...match.bindings) as IterableIterator<number>
      const ids: number[] = []
      let every = false
      try {
        for (;;) {
          const next = rows.next()
          if (next.done) {
            every = true
            break
          }
          ids.push(Number(next.value))
          // The first matches are the lowest ids: how far they reached foretells how many there are in all.
          if (ids.length === limit && (limit / Math.max(ids[limit - 1]!, 1)) * maxId > readOnTo) break
          if (ids.length > readOnTo) break
        }
      } finally {
        rows.return?.()
      }
      return { ids, statuses: null, every }
    } finally {
      await knex.client.releaseConnection(conn)
    }
  },

  // The matches come in rowid order: the highest of the first ones read tells how far they reached.
  // SQLite's statistics do not tell how many rows lie below a value.
  async estimateRows() {
    return null
  },
  async matchShare(knex, plan, ids, highestId) {
    const reached = Math.max(ids[ids.length - 1] ?? 1, 1)
    const spread = ids.length / reached
    const parts = plan.customerNumber === null ? matchParts(plan) : []
    // One index's list reads from its end as quickly as from its start (measured); where several are intersected, the first read's estimate stands.
    if (parts.length !== 1) return spread
    const [{ table, expr }] = parts as [{ table: string; expr: string }]
    const maxId = Math.max(highestId, reached)
    const last = allRowsOf<{ id: number }>(
      await knex.raw(`SELECT rowid AS id FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT ?`, [expr, LAST_MATCHES]),
    ).map((r) => Number(r.id))
    const beyond = last.filter((id) => id > reached)
    // Every match beyond the first read is among the last: their number is known.
    if (beyond.length < LAST_MATCHES) return (ids.length + beyond.length) / maxId
    // Between the two reads, as thick as the two ends on average.
    const lowest = beyond[beyond.length - 1]!
    const atEnd = beyond.length / Math.max(1, maxId - lowest + 1)
    const between = ((spread + atEnd) / 2) * Math.max(0, lowest - reached - 1)
    return Math.min(1, (ids.length + beyond.length + between) / maxId)
  },
  /*
   * Measured at 1,000,000 customers on a busy 2-core machine. A run of digits is a phrase of its pieces,
   * and FTS5 reads every piece's list whole, however few rows hold the phrase: the first pieces of a
   * number (07700, 02079) are in a large share of the book, so a broad digit search is costed as if each
   * were in all of it.
   */
  searchWalkCosts: {
    matchRead: 0.00006,
    matchReadPerTerm: true,
    matchConfirm: 0,
    indexStart: 0,
    timedFirstRead: false,
    setEntry: 0.0002,
    indexStep: 0.0003,
    rowTest: { name: 0.005, postcodes: 0.013, phones: 0.015 },
    rowTestMargin: 3,
    digitListEntry: 0.000011,
    sortAllMatches: 6000,
    // Sorted from the one read, 2,500–4,300 matches took 0.9–3.3 ms less than read again by the sort (the
    // second read is what goes); about 5,700 took 0.3–0.8 ms more (the list's sort is the dearer by then).
    readAllMatches: 5000,
    sortMatch: 0,
    window: true,
  },
  readsAtOnce: false,
  countsReadRows: false,
  // The same count: 0.30-0.32 s unbounded, 0.36-0.55 s bounded.
  rangesBoundLookups: false,
  idInListSql(column, ids) {
    return { sql: `${column} IN (SELECT value FROM json_each(?))`, bindings: [JSON.stringify(ids)] }
  },

  // SQLite would rather seek the row by its rowid and read the wide row; the status index answers from a few cached pages.
  customersByStatus: 'customers c INDEXED BY customers_status_id',
  customersNotActive: 'customers c INDEXED BY customers_not_active',
  customersForNameSort: 'customers c INDEXED BY customers_id_name',
  // In-process, a page's tags are one more read of the tag index.
  customerTagsColumn: null,

  idListSql(ids) {
    // One JSON parameter rather than thousands of placeholders.
    return { sql: 'SELECT value AS id FROM json_each(?)', bindings: [JSON.stringify(ids)] }
  },

  rowMatchSql(plan) {
    // Postcodes and phones cost a look-up each: read only when the search can match them.
    const needs = rowTestNeeds(plan)
    const postcodes = needs.postcodes ? POSTCODES : "''"
    const phones = needs.phones ? PHONE_DIGITS : "''"
    const plain = plainAsciiTest(needs.postcodes ? `${NAME} || c.email || c.company || ${POSTCODES}` : `${NAME} || c.company`)
    const inSql = plainRowMatch(plan, postcodes, phones, needs.phones ? phonesColumn({ phones, recordText: RECORD_TEXT }) : phones)
    return {
      sql: `CASE WHEN ${plain} THEN ${inSql.sql} ELSE frontdesk_row_match(?, c.id, c.display_name, c.display_name_is_custom, c.first_name, c.last_name,
        c.email, c.company, ${postcodes}, ${phones}) END`,
      bindings: [...inSql.bindings, JSON.stringify(plan)],
    }
  },

  customersInSortOrder(sort) {
    return `customers c INDEXED BY ${SORT_INDEX[sort]}`
  },

}
