import type { Dialect } from './types'
import { countPostgresReportTotalsPerStatement, createPostgresReportTotals, dropPostgresReportTotals } from './postgresReportTotals'
import { rebuildPostgresBookingLines, restorePostgresBookingLines } from './postgresBookingLines'
import { createPostgresBookingList, dropPostgresBookingList } from './postgresBookingList'
import { createPostgresRecordVersions, dropPostgresRecordVersions } from './postgresVersions'
import { createPostgresChangeNotices, dropPostgresChangeNotices } from './postgresNotify'
import { chainPostgresChangeLog, highestPostgresChangeLogId, sealPostgresChangeLog } from './postgresChangeLog'
import {
  SEARCH_TABLE,
  createSearchStatus,
  createSearchSortNames,
  dropSearchSortNames,
  createSearchNameOrder,
  dropSearchNameOrder,
  joinSearchIndexes,
  splitSearchIndexes,
  postgresSearchRowsByName,
  createSearchTable,
  createWordStartLists,
  dropWordStartLists,
  addInitialPairStarts,
  addDoubledInitialStarts,
  removeInitialPairStarts,
  limitSearchPendingLists,
  unlimitSearchPendingLists,
  moveInitialsIntoStarts,
  postgresEstimateRows,
  moveInitialsOutOfStarts,
  dropSearchStatus,
  dropSearchTable,
  intArray,
  postgresFirstMatches,
  postgresMatchShare,
  postgresMatchSql,
  postgresMatchRowsSql,
  postgresRowMatchSql,
  rebuildPostgresSearch,
  refreshPostgresSearch,
} from './postgresSearch'

/*
 * PostgreSQL: one server shared by several desks. Search uses pg_trgm and
 * unaccent; running totals and lists are kept by PL/pgSQL triggers.
 */

/**
 * The list's sort columns compare as SQLite compares text, byte by byte
 * (COLLATE "C"), whatever the server's own collation: the same order, and
 * keyset positions that mean the same on both.
 */
const SORTED_COLUMNS = [
  ['sort_name', 'varchar(200)'],
  ['email_normalized', 'varchar(254)'],
  ['created_at', 'varchar(30)'],
] as const

export const postgresDialect: Dialect = {
  async dropTrigger(knex, name, table) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`)
  },
  booleanDefault: (value) => (value ? 'TRUE' : 'FALSE'),
  beyondAsciiSql: (column) => `${column} ~ '[^ -~]'`,
  apostropheSql: (column) => `${column} ~ '[''\`]'`,
  async createSearchAndCounters(knex) {
    for (const [column, type] of SORTED_COLUMNS) await knex.raw(`ALTER TABLE customers ALTER COLUMN ${column} TYPE ${type} COLLATE "C"`)
    // The list by number within a tab walks (status, id): SQLite's status index holds the rowid already.
    await knex.raw(`CREATE INDEX customers_status_number ON customers (status, id)`)
    await createSearchTable(knex)
    await rebuildPostgresSearch(knex)
    // Once per statement, from its transition tables: a row-level trigger would update the one counter row
    // once per customer, and in a bulk insert each update walks every earlier version of that row.
    await knex.raw(`CREATE OR REPLACE FUNCTION customers_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE customer_counts k SET count = k.count + d.n FROM (SELECT status, count(*) AS n FROM added GROUP BY status) d WHERE k.status = d.status;
        RETURN NULL;
      END $$`)
    await knex.raw(`CREATE OR REPLACE FUNCTION customers_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE customer_counts k SET count = k.count - d.n FROM (SELECT status, count(*) AS n FROM removed GROUP BY status) d WHERE k.status = d.status;
        RETURN NULL;
      END $$`)
    await knex.raw(`CREATE OR REPLACE FUNCTION customers_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE customer_counts k SET count = k.count + d.n FROM (
          SELECT status, sum(n) AS n FROM (
            SELECT a.status, 1 AS n FROM added a JOIN removed r ON r.id = a.id WHERE a.status <> r.status
            UNION ALL
            SELECT r.status, -1 AS n FROM added a JOIN removed r ON r.id = a.id WHERE a.status <> r.status) m
          GROUP BY status) d
        WHERE k.status = d.status AND d.n <> 0;
        RETURN NULL;
      END $$`)
    await knex.raw(`CREATE TRIGGER customers_count_insert AFTER INSERT ON customers REFERENCING NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION customers_count_added()`)
    await knex.raw(`CREATE TRIGGER customers_count_delete AFTER DELETE ON customers REFERENCING OLD TABLE AS removed
      FOR EACH STATEMENT EXECUTE FUNCTION customers_count_removed()`)
    await knex.raw(`CREATE TRIGGER customers_count_status AFTER UPDATE ON customers REFERENCING OLD TABLE AS removed NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION customers_count_moved()`)
    await knex.raw(`CREATE OR REPLACE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'The change log is append-only'; END $$`)
    await knex.raw(`CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log FOR EACH ROW EXECUTE FUNCTION change_log_append_only()`)
    await knex.raw(`CREATE TRIGGER change_log_append_only_delete BEFORE DELETE ON change_log FOR EACH ROW EXECUTE FUNCTION change_log_append_only()`)
    await knex.raw(`UPDATE customer_counts SET count = (SELECT count(*) FROM customers c WHERE c.status = customer_counts.status)`)
  },
  async dropSearchAndCounters(knex) {
    for (const trigger of ['customers_count_insert', 'customers_count_delete', 'customers_count_status']) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger} ON customers`)
    for (const trigger of ['change_log_append_only_update', 'change_log_append_only_delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger} ON change_log`)
    await dropSearchTable(knex)
    await knex.raw(`DROP INDEX IF EXISTS customers_status_number`)
  },
  // Initials and digit pieces are columns of the one search table, there from the start.
  async createInitialsSearch() {},
  async dropInitialsSearch() {},
  // Two initials alone are two B-tree lists of word starts merged in id order (customer_search_by_start).
  async createInitialPairs() {},
  async dropInitialPairs() {},
  async keepOnlyWordStarts() {},
  async keepWholeWords() {},
  // A server's lists of word starts hold each word's first character already.
  async listFirstCharacters() {},
  async unlistFirstCharacters() {},
  async createInitialsInTextSearch() {},
  async dropInitialsInTextSearch() {},
  createInitialsInWordStarts: moveInitialsIntoStarts,
  dropInitialsInWordStarts: moveInitialsOutOfStarts,
  createWordStartLists,
  dropWordStartLists,
  createInitialPairStarts: addInitialPairStarts,
  dropInitialPairStarts: removeInitialPairStarts,
  indexDoubledInitials: addDoubledInitialStarts,
  limitSearchPendingLists,
  unlimitSearchPendingLists,
  // Autovacuum would get there in time; until then each row read first is marked as it is read (the page
  // written again), and each entry of an index-only read is checked in its row: searches ran 1.5× slower.
  async settleAfterCopy(knex) {
    await knex.raw('VACUUM')
  },
  async createDigitSearch() {},
  async dropDigitSearch() {},
  // PostgreSQL's indexes need no merging: autovacuum keeps them.
  async setSearchMergePolicy() {},
  async mergeSearchSlice() {
    return false
  },
  // The server's cache is the server's; a one-pass read changes nothing on this side.
  async withSmallCache(_knex, read) {
    return read()
  },
  chainChangeLog: chainPostgresChangeLog,
  sealChangeLog: sealPostgresChangeLog,
  highestChangeLogId: highestPostgresChangeLogId,
  async rewriteSearchIndex(knex) {
    // Deleted rows' old versions stay in the table's pages until overwritten: rewriting the table leaves only live rows.
    await knex.raw(`CLUSTER ${SEARCH_TABLE} USING ${SEARCH_TABLE}_pkey`)
  },
  // Rows deleted from the search table are gone with the rewrite above; there is no separate setting.
  async setSearchSecureDelete() {},
  // The server writes its own log; there is no file to copy it into.
  async checkpointTruncate() {
    return true
  },
  createReportTotals: createPostgresReportTotals,
  dropReportTotals: dropPostgresReportTotals,
  countReportTotalsPerStatement: countPostgresReportTotalsPerStatement,
  rebuildBookingLines: rebuildPostgresBookingLines,
  restoreBookingLines: restorePostgresBookingLines,
  createBookingList: createPostgresBookingList,
  dropBookingList: dropPostgresBookingList,
  async checkpoint() {},
  createSearchStatus,
  dropSearchStatus,
  createSearchSortNames,
  dropSearchSortNames,
  createSearchNameOrder,
  dropSearchNameOrder,
  joinSearchIndexes,
  splitSearchIndexes,
  searchRowsByName: postgresSearchRowsByName,
  refreshSearch: refreshPostgresSearch,
  rebuildSearch: rebuildPostgresSearch,
  matchSql: postgresMatchSql,
  matchRowsSql: postgresMatchRowsSql,
  firstMatches: postgresFirstMatches,
  matchShare: postgresMatchShare,
  estimateRows: postgresEstimateRows,
  // Inside an expression the IN stays a hashed look-up filtering the index walk; bare, the planner would
  // turn it into a join that reads the whole tab and sorts it.
  // As a join the planner rereads the matches for every row of the window; as a hashed look-up they are read once.
  matchesInWindowSql(match, window) {
    return { sql: `(${window.sql}) w WHERE COALESCE(w.id IN (${match.sql}), FALSE)`, bindings: [...window.bindings, ...match.bindings] }
  },
  amongMatchesSql(column, match) {
    return `COALESCE(${column} IN (${match.sql}), FALSE)`
  },
  /*
   * Measured at 1,000,000 customers on a 2-core machine with the server beside the desk. Every match read
   * from a GIN index is rechecked in its row, so reading matches costs per match, not per term, after
   * the bitmap is built; a row test is a look-up of the customer's search row by its key. Sorting every
   * match or streaming them against a window of the sort index never beat the index walk there.
   */
  searchWalkCosts: {
    matchRead: 0.0015,
    matchReadPerTerm: false,
    // A trigram or digit hit is rechecked in its search row, scattered over a table larger than a server's
    // usual cache: "son" read 71,000 matches in 300–380 ms inside the page query (word starts, read from
    // their own lists, need no recheck).
    matchConfirm: 0.0025,
    indexStart: 10,
    // "ander" at a million customers: 6,351 matches priced at 50 ms to read, read in 7 ms (2,001 of them) and 16 ms (all, with the page).
    timedFirstRead: true,
    setEntry: 0,
    // Walking the name index past a million rows while looking each up in a set of matches: 52–57 ms warm, 110 cold.
    indexStep: 0.0001,
    // A row of the search rows walked by name, read where the index names it: 2.1–2.4 µs at a million customers
    // ("mar" with a tag: 5,736 rows in 12 ms). Priced higher, as the walk foretold from a sample of the matches
    // ran to 2.4 times its length ("ander": 7,354 foretold, 17,685 walked, 42 ms where the index walk took 22).
    rowTest: { name: 0.006, postcodes: 0.006, phones: 0.006, searchRow: 0.003 },
    rowTestMargin: 3,
    digitListEntry: 0,
    sortAllMatches: 0,
    // Read on, a match costs its row's visit (about 3 µs here), where reading them all again for a sort or an
    // index walk costs the index lists as well: "jose" (5,794 matches) 29 -> 24 ms, "ander" (6,351) 34 -> 26.
    readAllMatches: 8000,
    // Reading a match from the bitmap and its sort value by key, then sorting: 5,800 matches in ~18 ms.
    sortMatch: 0.003,
    window: false,
  },
  readsAtOnce: true,
  // One scan of the primary key with the whole list: the status index would be joined whole, tens of thousands of rows.
  countsReadRows: true,
  // Counting "Regular" (a tag 40% hold) range by range at 1M: 1.75-1.87 s unbounded, 0.14-0.25 s bounded.
  rangesBoundLookups: true,
  idInListSql(column, ids) {
    return { sql: `${column} = ANY(?::integer[])`, bindings: [intArray(ids)] }
  },
  customersByStatus: 'customers c',
  customersNotActive: 'customers c',
  customersForNameSort: 'customers c',
  // Tags beside the rows they belong to: one round trip less for every page of the list and every record.
  customerTagsColumn: `coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) ORDER BY t.name_normalized)
    FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = c.id), '[]'::json)`,
  idListSql(ids) {
    // One array parameter rather than thousands of placeholders.
    return { sql: 'SELECT unnest(?::integer[]) AS id', bindings: [intArray(ids)] }
  },
  rowMatchSql: postgresRowMatchSql,
  // The planner picks the (status, column, id) index itself; there is no hint to give.
  customersInSortOrder() {
    return 'customers c'
  },
  createRecordVersions: createPostgresRecordVersions,
  dropRecordVersions: dropPostgresRecordVersions,
  createChangeNotices: createPostgresChangeNotices,
  dropChangeNotices: dropPostgresChangeNotices,
}
