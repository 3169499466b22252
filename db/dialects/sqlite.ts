import type { Dialect, SearchPlan } from './index'
import { DIGIT_PIECE, piecesOf } from '../search/digits'

/*
 * SQLite: contentless FTS5 tables over each customer's search document.
 * - trigram (remove_diacritics): any fragment of 3+ characters anywhere, accent- and case-insensitive;
 * - unicode61 with a 2-character prefix index: answers 1–2 character words, which trigrams cannot;
 * - digits: runs of 5+ digits as five-digit pieces (db/search/digits.ts), for phone numbers typed whole.
 * Contentless with contentless_delete keeps the index small: the text lives in the tables already.
 */
const SEARCH_COLUMNS = 'name, email, company, postcode, number, phone'
const TABLES = {
  trigram: 'customer_search_tri',
  word: 'customer_search_word',
  digits: 'customer_search_digits',
} as const

/**
 * One customer's search document. Text columns go through frontdesk_fold (the
 * search box's folding, registered on every connection by db/connection.ts):
 * FTS5's own remove_diacritics leaves ł, ø, ß and their like as they are.
 */
const documentSelect = `
  SELECT c.id,
    frontdesk_fold(c.display_name || CASE WHEN c.display_name_is_custom THEN ' ' || c.first_name || ' ' || c.last_name ELSE '' END),
    frontdesk_fold(c.email),
    frontdesk_fold(c.company),
    frontdesk_fold(coalesce((SELECT group_concat(a.postcode, ' ') FROM addresses a WHERE a.customer_id = c.id), '')),
    printf('C-%06d', c.id),
    coalesce((SELECT group_concat(p.search_digits, ' ') FROM phones p WHERE p.customer_id = c.id), '')
  FROM customers c`

/** The digit index's document: every text of the search document, its digit runs in pieces. */
const digitsSelect = `
  SELECT c.id, frontdesk_digit_pieces(
    c.display_name || ' ' || c.first_name || ' ' || c.last_name || ' ' || c.email || ' ' || c.company || ' ' ||
    coalesce((SELECT group_concat(a.postcode, ' ') FROM addresses a WHERE a.customer_id = c.id), '') || ' ' ||
    printf('%06d', c.id) || ' ' ||
    coalesce((SELECT group_concat(p.search_digits, ' ') FROM phones p WHERE p.customer_id = c.id), ''))
  FROM customers c`

/** Each search index with what fills it: the column list and the SELECT of (rowid, columns…). */
const INDEXES: Array<{ table: string; columns: string; select: string }> = [
  { table: TABLES.trigram, columns: SEARCH_COLUMNS, select: documentSelect },
  { table: TABLES.word, columns: SEARCH_COLUMNS, select: documentSelect },
  { table: TABLES.digits, columns: 'pieces', select: digitsSelect },
]

/** The indexes a file has: the digit index arrived with a later migration than the other two. */
async function indexesOf(knex: Parameters<Dialect['refreshSearch']>[0]): Promise<typeof INDEXES> {
  const rows = allRowsOf<{ name: string }>(
    await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${INDEXES.map(() => '?').join(',')})`, INDEXES.map((i) => i.table)),
  )
  const present = new Set(rows.map((r) => r.name))
  return INDEXES.filter((index) => present.has(index.table))
}

/** FTS5 string literal: double quotes, inner quotes doubled. */
const quote = (term: string) => `"${term.replace(/"/g, '""')}"`

const SQLITE_MAX_VARIABLES = 500
/** Pages of the search index merged per idle-time slice. */
const MERGE_PAGES = 16

function allRowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : []
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
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
  if (plan.shortDigits) parts.push({ table: TABLES.word, expr: `${quote(plan.shortDigits)}*` })
  if (plan.fragments.length) parts.push({ table: TABLES.trigram, expr: plan.fragments.map(quote).join(' AND ') })
  if (plan.prefixes.length) parts.push({ table: TABLES.word, expr: plan.prefixes.map((p) => `${quote(p)}*`).join(' AND ') })
  return parts
}

/** Statements indexing every customer with from <= id < to; for bulk loads on a raw connection (at the latest schema). */
export const indexCustomersInIdRangeSql = INDEXES.map(
  ({ table, columns, select }) => `INSERT INTO ${table}(rowid, ${columns}) ${select} WHERE c.id >= ? AND c.id < ?`,
)

export const sqliteDialect: Dialect = {
  async createSearchAndCounters(knex) {
    await knex.raw(
      `CREATE VIRTUAL TABLE ${TABLES.trigram} USING fts5(${SEARCH_COLUMNS}, tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1)`,
    )
    await knex.raw(
      `CREATE VIRTUAL TABLE ${TABLES.word} USING fts5(${SEARCH_COLUMNS}, tokenize = 'unicode61 remove_diacritics 2', prefix = '2', content = '', contentless_delete = 1)`,
    )
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
    await knex.raw(`UPDATE customer_counts SET count = (SELECT count(*) FROM customers c WHERE c.status = customer_counts.status)`)
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
    await knex.raw(`CREATE VIRTUAL TABLE ${TABLES.digits} USING fts5(pieces, tokenize = 'unicode61', content = '', contentless_delete = 1)`)
    await knex.raw(`INSERT INTO ${TABLES.digits}(rowid, pieces) ${digitsSelect}`)
    await this.setSearchMergePolicy(knex, 'background')
  },

  async dropDigitSearch(knex) {
    await knex.raw(`DROP TABLE IF EXISTS ${TABLES.digits}`)
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
    // FTS5 says whether a merge did anything only through total_changes(); the connection is this one.
    const before = await changes()
    for (const { table } of await indexesOf(knex)) {
      // A positive rank merges at most that many pages' worth: a few milliseconds.
      await knex.raw(`INSERT INTO ${table}(${table}, rank) VALUES ('merge', ${MERGE_PAGES})`)
    }
    return (await changes()) !== before
  },

  async checkpoint(knex) {
    await knex.raw('PRAGMA wal_checkpoint(PASSIVE)')
  },

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

  // SQLite would rather seek the row by its rowid and read the wide row; the status index answers from a few cached pages.
  customersByStatus: 'customers c INDEXED BY customers_status_id',

  idListSql(ids) {
    // One JSON parameter rather than thousands of placeholders.
    return { sql: 'SELECT value AS id FROM json_each(?)', bindings: [JSON.stringify(ids)] }
  },

  matchInIdOrder(plan, range) {
    const above = range.above ?? 0
    const below = range.below ?? Number.MAX_SAFE_INTEGER
    const parts = matchParts(plan)
    const [only] = parts
    if (plan.customerNumber === null && only && parts.length === 1) {
      // Joined directly (not as a subquery) so FTS5 consumes the ORDER BY rowid: no sort, stops at the LIMIT.
      return {
        from: only.table,
        idExpr: `${only.table}.rowid`,
        where: `${only.table} MATCH ? AND ${only.table}.rowid > ? AND ${only.table}.rowid < ?`,
        bindings: [only.expr, above, below],
      }
    }
    // Several parts intersect into a set that must be sorted; a customer number is one row.
    const inner = this.matchSql(plan)
    if (!inner) return null
    return { from: `(${inner.sql}) m`, idExpr: 'm.id', where: 'm.id > ? AND m.id < ?', bindings: [...inner.bindings, above, below] }
  },

}
