import type { Dialect } from './types'
import { createPostgresRecordVersions, dropPostgresRecordVersions } from './postgresVersions'
import { createPostgresChangeNotices, dropPostgresChangeNotices } from './postgresNotify'
import { chainPostgresChangeLog, highestPostgresChangeLogId, sealPostgresChangeLog } from './postgresChangeLog'
import { createPostgresReportTotals, dropPostgresReportTotals } from './postgresReportTotals'
import { rebuildPostgresBookingLines, restorePostgresBookingLines } from './postgresBookingLines'
import { createPostgresBookingList, dropPostgresBookingList } from './postgresBookingList'

/*
 * PostgreSQL: one server shared by several desks. Search uses pg_trgm and
 * unaccent; running totals and lists are kept by PL/pgSQL triggers.
 */

const notYet = (what: string) => () => {
  throw new Error(`${what} is not available on PostgreSQL yet`)
}

export const postgresDialect: Dialect = {
  booleanDefault: (value) => (value ? 'TRUE' : 'FALSE'),
  beyondAsciiSql: (column) => `${column} ~ '[^ -~]'`,
  apostropheSql: (column) => `${column} ~ '[''\`]'`,
  async createSearchAndCounters(knex) {
    await knex.raw(`CREATE OR REPLACE FUNCTION customers_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN UPDATE customer_counts SET count = count - 1 WHERE status = OLD.status; END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN UPDATE customer_counts SET count = count + 1 WHERE status = NEW.status; END IF;
        RETURN NULL;
      END $$`)
    await knex.raw(`CREATE TRIGGER customers_count_insert AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION customers_count()`)
    await knex.raw(`CREATE TRIGGER customers_count_delete AFTER DELETE ON customers FOR EACH ROW EXECUTE FUNCTION customers_count()`)
    await knex.raw(`CREATE TRIGGER customers_count_status AFTER UPDATE OF status ON customers FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION customers_count()`)
    await knex.raw(`CREATE OR REPLACE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'The change log is append-only'; END $$`)
    await knex.raw(`CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log FOR EACH ROW EXECUTE FUNCTION change_log_append_only()`)
    await knex.raw(`CREATE TRIGGER change_log_append_only_delete BEFORE DELETE ON change_log FOR EACH ROW EXECUTE FUNCTION change_log_append_only()`)
    await knex.raw(`UPDATE customer_counts SET count = (SELECT count(*) FROM customers c WHERE c.status = customer_counts.status)`)
  },
  async dropSearchAndCounters(knex) {
    for (const trigger of ['customers_count_insert', 'customers_count_delete', 'customers_count_status']) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger} ON customers`)
    for (const trigger of ['change_log_append_only_update', 'change_log_append_only_delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger} ON change_log`)
  },
  async createInitialsSearch() {},
  async dropInitialsSearch() {},
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
  async rewriteSearchIndex() {},
  async setSearchSecureDelete() {},
  // The server writes its own log; there is no file to copy it into.
  async checkpointTruncate() {
    return true
  },
  createReportTotals: createPostgresReportTotals,
  dropReportTotals: dropPostgresReportTotals,
  rebuildBookingLines: rebuildPostgresBookingLines,
  restoreBookingLines: restorePostgresBookingLines,
  createBookingList: createPostgresBookingList,
  dropBookingList: dropPostgresBookingList,
  async checkpoint() {},
  async refreshSearch() {},
  async rebuildSearch() {},
  matchSql: notYet('Search'),
  customersByStatus: 'customers c',
  idListSql(ids) {
    return { sql: 'SELECT unnest(?::int[]) AS id', bindings: [ids as unknown as number] }
  },
  rowMatchSql: notYet('Search'),
  customersInSortOrder() {
    return 'customers c'
  },
  createRecordVersions: createPostgresRecordVersions,
  dropRecordVersions: dropPostgresRecordVersions,
  createChangeNotices: createPostgresChangeNotices,
  dropChangeNotices: dropPostgresChangeNotices,
}
