import type { Knex } from 'knex'

/** A customer's rows as a save has just written them: what its search document is made of. */
export interface WrittenCustomer {
  row: {
    id: number
    status: string
    display_name: string
    display_name_is_custom: boolean | number
    first_name: string
    last_name: string
    email: string
    company: string
  }
  phones: ReadonlyArray<Record<string, unknown>>
  addresses: ReadonlyArray<Record<string, unknown>>
}

/**
 * Everything that differs between SQLite and PostgreSQL lives behind this
 * interface, one implementation per dialect (PostgreSQL is to join SQLite).
 */
/** A search's first matches in ascending id order, with each one's status where the search rows hold it (else null). */
export interface FirstMatches {
  ids: number[]
  statuses: string[] | null
  /** Set when every match is here, read on past the limit (see firstMatches' `readOnTo`). */
  every?: boolean
  /** Each match's sort name, where the engine's search rows hold it and they were asked for (see firstMatches). */
  sortNames?: string[] | null
  /** How long the read took, in milliseconds (set by matchIdsCapped, which times it). */
  readMs?: number
}

export interface Dialect {
  /** Drops a trigger of `table` if there is one. */
  dropTrigger(knex: Knex, name: string, table: string): Promise<void>
  /** A boolean column's default in column definitions: true and false as the engine writes them. */
  booleanDefault(value: boolean): string
  /** A condition true when the text column holds a character beyond printable ASCII. */
  beyondAsciiSql(column: string): string
  /** A condition true when the text column holds an apostrophe or a backtick. */
  apostropheSql(column: string): string
  createSearchAndCounters(knex: Knex): Promise<void>
  dropSearchAndCounters(knex: Knex): Promise<void>
  /** The index of the first letters of the words of names and companies, filled from the tables. */
  createInitialsSearch(knex: Knex): Promise<void>
  dropInitialsSearch(knex: Knex): Promise<void>
  /** The initials index holds every two different initials as one word too (SQLite; a server merges its lists of word starts). */
  createInitialPairs(knex: Knex): Promise<void>
  dropInitialPairs(knex: Knex): Promise<void>
  /** SQLite's word index holds the first two characters of each word only (a server keeps its lists of word starts already). */
  keepOnlyWordStarts(knex: Knex): Promise<void>
  keepWholeWords(knex: Knex): Promise<void>
  /** SQLite's word index keeps a list of its words' first characters too, for one-character searches (a server's lists have them). */
  listFirstCharacters(knex: Knex): Promise<void>
  unlistFirstCharacters(knex: Knex): Promise<void>
  /** The text indexes hold the initials too, so a word and an initial are one look-up (SQLite; a server's search rows have them). */
  createInitialsInTextSearch(knex: Knex): Promise<void>
  dropInitialsInTextSearch(knex: Knex): Promise<void>
  /** A server's search rows hold the initials among the word starts, so a word start and an initial are one look-up (SQLite's text indexes have them). */
  createInitialsInWordStarts(knex: Knex): Promise<void>
  dropInitialsInWordStarts(knex: Knex): Promise<void>
  /**
   * After a whole database was written (a copy), outside any transaction: a server marks every new
   * row as committed and every page visible to all readers (VACUUM), so the first reads write
   * nothing and index-only reads need no visit to the rows.
   */
  settleAfterCopy(knex: Knex): Promise<void>
  /** A server's word starts in a B-tree list per start, read in id order and stopped at the page (SQLite's text indexes are so). */
  createWordStartLists(knex: Knex): Promise<void>
  dropWordStartLists(knex: Knex): Promise<void>
  /** A server's word starts hold every two different initials as one start too (SQLite's initials index holds them: createInitialPairs). */
  createInitialPairStarts(knex: Knex): Promise<void>
  dropInitialPairStarts(knex: Knex): Promise<void>
  /**
   * These customers, whose name and company hold an initial twice, indexed with it doubled too (a
   * database made before): all of them in one call, so the index is left merged once at the end.
   */
  indexDoubledInitials(knex: Knex, customers: readonly NameAndCompany[]): Promise<void>
  /** A server's search indexes keep a short list of entries not yet merged in, which every search reads whole (SQLite's have none). */
  limitSearchPendingLists(knex: Knex): Promise<void>
  unlimitSearchPendingLists(knex: Knex): Promise<void>
  /** The index of digit runs (phone numbers typed whole), filled from the tables. */
  createDigitSearch(knex: Knex): Promise<void>
  dropDigitSearch(knex: Knex): Promise<void>
  /**
   * Keeps index upkeep out of the desk's writes: background merging off (a
   * write no longer pays for a merge), with a high safety limit.
   */
  setSearchMergePolicy(knex: Knex, policy: 'background' | 'default'): Promise<void>
  /**
   * Idle-time upkeep: merges a small, bounded slice of the search index
   * (milliseconds); true when it found work, so another slice may follow.
   */
  mergeSearchSlice(knex: Knex): Promise<boolean>
  /**
   * Runs a one-pass read of much of the database (an export) with a small page
   * cache, then gives the connection its usual cache back: pages read once gain
   * nothing from being kept, and a full cache is memory the reader lacks.
   */
  withSmallCache<T>(knex: Knex, read: () => Promise<T>, cacheMib?: number): Promise<T>
  /** Gives every change-log entry already there its chain hash (db/changeChain.ts), oldest first, as first chained: content hashed as written. */
  chainChangeLog(knex: Knex): Promise<void>
  /**
   * Re-chains every entry over a salted digest of its content (db/changeChain.ts),
   * oldest first, and lets the append-only guard allow exactly one update: redaction.
   */
  sealChangeLog(knex: Knex): Promise<void>
  /** The highest change-log id ever given out, entries since removed included; null before the first entry. */
  highestChangeLogId(knex: Knex): Promise<number | null>
  /**
   * Rewrites the search index whole, so words of deleted documents that the
   * index kept as empty entries are gone from the file (after an erasure).
   */
  rewriteSearchIndex(knex: Knex): Promise<void>
  /** Deleting from the search index overwrites what was deleted (erased people leave no words behind). */
  setSearchSecureDelete(knex: Knex, on: boolean): Promise<void>
  /**
   * Copies the whole write-ahead log into the file and empties it, so nothing
   * overwritten lingers there; false when a reader held it back (try later).
   */
  checkpointTruncate(knex: Knex): Promise<boolean>
  /**
   * The reports' running totals (per day: customers made by status and
   * consent, tags, groups, bookings by source and item, amounts owing, money
   * taken; per customer and month: amounts paid), kept in step with every
   * write by triggers and filled from the rows already there.
   */
  createReportTotals(knex: Knex): Promise<void>
  dropReportTotals(knex: Knex): Promise<void>
  /**
   * The report triggers counting what a statement inserted or deleted in one go (or, `false`, row by
   * row as first made): a server's triggers cost a call per row. SQLite's row triggers run in-process.
   */
  countReportTotalsPerStatement(knex: Knex, perStatement: boolean): Promise<void>
  /**
   * Booking lines that may name a plan instead of a session (session and
   * price option nullable; plan_id, tax_rate_bp, tax_minor added), with the
   * report triggers that leave plan orders out of bookings by source.
   */
  rebuildBookingLines(knex: Knex): Promise<void>
  /** The reverse: lines of places only (lines of plans go), triggers as before plans were orders. */
  restoreBookingLines(knex: Knex): Promise<void>
  /** The Bookings page's bookings by item (one row per booking and item, with its list columns), kept by triggers and filled from the rows there. */
  createBookingList(knex: Knex): Promise<void>
  dropBookingList(knex: Knex): Promise<void>
  /** Copies the write-ahead log back into the file without waiting for or blocking writers. */
  checkpoint(knex: Knex): Promise<void>
  /**
   * Search rows that carry their customer's status, kept in step by the engine (PostgreSQL), so a search's
   * first matches give its counts by tab; SQLite counts through its index of customers who are not active and needs none.
   */
  createSearchStatus(knex: Knex): Promise<void>
  dropSearchStatus(knex: Knex): Promise<void>
  /**
   * Rewrites the search documents of these customers (removing those that no longer exist). `written`:
   * a saved customer's rows as the save wrote them, which an engine may use instead of reading them again.
   */
  refreshSearch(knex: Knex, customerIds: readonly number[], written?: WrittenCustomer): Promise<void>
  /** Rebuilds the whole search index from the tables. */
  rebuildSearch(knex: Knex): Promise<void>
  /**
   * SQL selecting `id` of customers matching a parsed search, with bindings,
   * in no particular order. Returns null when the search can match nothing.
   */
  matchSql(search: SearchPlan): { sql: string; bindings: Knex.Value[] } | null
  /**
   * Where reading a search's matches costs far more than reading a few more than it holds: the ids
   * (as matchSql gives them) of a wider match, each to be confirmed in its row with rowMatchSql;
   * null when the search has no such match. An index walk's look-up set is then read cheaply, and
   * only the rows the walk meets in it are tested.
   */
  widerMatchSql?(search: SearchPlan): { sql: string; bindings: Knex.Value[] } | null
  /**
   * A condition that `column` is among a match's ids (from matchSql), for a walk of
   * the list's sort index that stops at the page: the matches read once into a look-up set.
   */
  amongMatchesSql(column: string, match: { sql: string }): string
  /**
   * The rows `w` of a window of the sort index (`SELECT id, sort_value …`) that a match
   * (from matchSql) holds: a FROM clause with its conditions, and its bindings.
   */
  matchesInWindowSql(
    match: { sql: string; bindings: Knex.Value[] },
    window: { sql: string; bindings: Knex.Value[] },
  ): { sql: string; bindings: Knex.Value[] }
  /**
   * Up to `limit` ids matching a search, in ascending id order, read no further than needed: all of
   * them when there are no more, else the first found in the engine's own order (SQLite: the lowest
   * ids; PostgreSQL: the table's order, which follows the ids but for rows rewritten since).
   * With `readOnTo`, an engine whose first matches foretell how many there are in all may read on in
   * the same pass when that is no more than `readOnTo`, and say so with `every` once it has them all
   * (it stops at readOnTo + 1 when the foresight was wrong).
   */
  firstMatches(knex: Knex, search: SearchPlan, limit: number, readOnTo?: number, sortNames?: boolean): Promise<FirstMatches>
  /**
   * The matches as rows `id`, `status` and `sort_name`, read from the engine's own search rows (the
   * customers' columns kept beside the search): a search's matches sorted by name without reading
   * each customer. Null where the engine keeps no such rows, or this search reads none.
   */
  matchRowsSql?(search: SearchPlan): { sql: string; bindings: Knex.Value[] } | null
  /** Each search row carries its customer's sort name, kept in step by the database itself (a server's search rows). */
  createSearchSortNames(knex: Knex): Promise<void>
  dropSearchSortNames(knex: Knex): Promise<void>
  /** The search rows' indexes of terms made one, so terms of different kinds are one scan (a server's; nothing elsewhere). */
  joinSearchIndexes(knex: Knex): Promise<void>
  splitSearchIndexes(knex: Knex): Promise<void>
  /** An index of the search rows by tab and sort name (see searchRowsByName). */
  createSearchNameOrder(knex: Knex): Promise<void>
  dropSearchNameOrder(knex: Knex): Promise<void>
  /**
   * The search rows as `c` (id, status, sort_name) walked in name order by tab, with the search as a
   * test of each row's own `columns`: a row-test walk by name reads these instead of the customers,
   * where the engine keeps such rows under such an index (a server's). Undefined where it does not.
   */
  searchRowsByName?(search: SearchPlan): { from: string; columns: string; test: { sql: string; bindings: Knex.Value[] } }
  /**
   * The share of the address book a search matches, for a search with more matches than `ids` (from
   * firstMatches): SQLite's are the lowest ids, so the highest of them tells; a server's come about in id
   * order, and their spread tells, beside the planner's estimate where that is worth more than a guess.
   */
  matchShare(knex: Knex, search: SearchPlan, ids: readonly number[], highestId: number): Promise<number>
  /** The planner's estimate of the rows a query returns, or null where the engine keeps no statistics to ask. */
  estimateRows(knex: Knex, sql: string, bindings: readonly Knex.Value[]): Promise<number | null>
  /** What each way to a broad search's page costs on this engine (db/queries/customerList.ts chooses with them). */
  searchWalkCosts: SearchWalkCosts
  /**
   * True when a desk's statements are answered at once, each on a connection of its own (a server's
   * processes): a broad search's page walk may then start beside its first read; false where one
   * connection answers them in turn (SQLite).
   */
  readsAtOnce: boolean
  /**
   * True when a list of ids is best counted by status by reading each customer row by its key in one
   * pass (PostgreSQL); false when each id is sought in the status index instead (SQLite).
   */
  countsReadRows: boolean
  /**
   * True when counting a range of customers should bound their tag and group look-ups to the same ids
   * (PostgreSQL carries no range across a join: it reads every customer holding the tag for each range);
   * false where each customer's own are sought by key and the bound is one more test apiece (SQLite).
   */
  rangesBoundLookups: boolean
  /** A condition that `column` is one of these ids, bound as one parameter. */
  idInListSql(column: string, ids: readonly number[]): { sql: string; bindings: Knex.Value[] }
  /**
   * The customers table as `c`, read through its (status, id) index: for
   * queries that know a customer's id and status and need nothing else of
   * the row (counting a tab), so they never read the wide rows themselves.
   */
  customersByStatus: string
  /** The customers outside the Active tab as `c`, read through their own small (id, status) index (WHERE c.status <> 'active'). */
  customersNotActive: string
  /** The customers as `c`, read through their narrow (id, status, sort_name) index: matches sorted by name without their wide rows. */
  customersForNameSort: string
  /**
   * A column of a customers row `c`: the customer's tags (id, name, colour) by name, as JSON, read with the
   * row (a list page's, a record's) where a round trip costs more than the read; null where they are read apart.
   */
  customerTagsColumn: string | null
  /** SQL selecting `id` from an explicit list of ids bound as one parameter. */
  idListSql(ids: readonly number[]): { sql: string; bindings: Knex.Value[] }
  /**
   * A condition on the customers row `c` that holds exactly when the search
   * matches it, computed from the row's own columns: for walking the list in
   * its sort order when most rows match.
   */
  rowMatchSql(search: SearchPlan): { sql: string; bindings: Knex.Value[] }
  /** The customers table as `c`, read through the index of (status, sort column, id), so a walk in that order stops at the page. */
  customersInSortOrder(sort: 'number' | 'name' | 'email' | 'createdAt'): string
  /** Each row's `version` moves by one on every update of it (a write that sets the version itself is kept). */
  createRecordVersions(knex: Knex, tables: readonly string[]): Promise<void>
  dropRecordVersions(knex: Knex, tables: readonly string[]): Promise<void>
  /**
   * Committed writes to customers, bookings and notes are told to every desk
   * listening (PostgreSQL's NOTIFY); nothing on SQLite, where one desk holds the file.
   */
  createChangeNotices(knex: Knex): Promise<void>
  dropChangeNotices(knex: Knex): Promise<void>
}

/** A search string broken down into what the index can answer. */
export interface SearchPlan {
  /** Fragments of 3+ characters matched anywhere (trigram). */
  fragments: string[]
  /** 2-character words matched as word starts. */
  prefixes: string[]
  /** Single letters: each must start a word of the name or company (the initials index). */
  initials: string[]
  /** A run of 3+ digits matched against phone numbers and customer numbers. */
  digits: string | null
  /** A lone digit pair: prefix of a phone or customer number. */
  shortDigits: string | null
  /** A customer number typed as C-123: matched exactly. */
  customerNumber: number | null
}

/**
 * The costs, in milliseconds at a million customers, that pick the way to a broad search's page
 * (SearchWalk in db/queries/customerList.ts).
 */
export interface SearchWalkCosts {
  /** Reading one match from the search index: per list read (one per term) when `matchReadPerTerm`, else once. */
  matchRead: number
  matchReadPerTerm: boolean
  /**
   * More per match when the index only names candidates that are each confirmed in their search row
   * (a piece of text or a run of digits): a random read of the row apiece; 0 where the index answers alone.
   */
  matchConfirm: number
  /** Starting a read of the search index, whatever it holds (a bitmap built, a plan started). */
  indexStart: number
  /**
   * Whether the time the first read of the matches took bounds the price of reading them all (that time
   * scaled to every match): where the prices above are fitted to a cold cache, a warm one reads far faster.
   */
  timedFirstRead: boolean
  /** Adding one match to the look-up set of an index walk. */
  setEntry: number
  /** Stepping over one entry of a sort index. */
  indexStep: number
  /**
   * Testing one row with the search: its own columns, and the postcodes and the phones when the search
   * could match them; `searchRow`, a row of the search rows walked by name (see Dialect.searchRowsByName).
   */
  rowTest: { name: number; postcodes: number; phones: number; searchRow?: number }
  /** How much cheaper a row test must look before it is chosen: matches bunch up, so a walk may meet fewer than the average share. */
  rowTestMargin: number
  /** Reading one entry of a digit piece's list, when the engine reads every piece's list whole (0: it does not). */
  digitListEntry: number
  /** Up to about this many matches (estimated) every one is read and sorted; 0: never worth it. */
  sortAllMatches: number
  /**
   * Up to about this many matches (foretold by the first ones) a page's first read goes on to all of them,
   * so sorting them needs no second read (see firstMatches' `readOnTo`); 0: the engine reads them again.
   */
  readAllMatches: number
  /**
   * Reading and sorting one match, when the engine weighs a sort of every match against the walks
   * by where a sample of the matches lies in the list (see walkLengthFromSample); 0: it does not.
   */
  sortMatch: number
  /** Whether a window of the sort index is worth streaming the matches against. */
  window: boolean
}

/** A customer's texts that its initials are taken from. */
export interface NameAndCompany {
  id: number
  display_name: string
  display_name_is_custom: boolean | number
  first_name: string
  last_name: string
  company: string
}
