/*
 * The shape of a bulk writer's connection (db/bulk.ts), apart from its
 * making: what the change log's appender and the big writers program against.
 */

import type { SearchBuildChunk, SearchBuildSetup, SearchSourceCursor, SearchSourceRows } from './search/buildParts'

export type BulkParams = unknown[]

export interface BulkStatement {
  run(...params: BulkParams): Promise<{ changes: number }>
  get<T = Record<string, unknown>>(...params: BulkParams): Promise<T | undefined>
  all<T = Record<string, unknown>>(...params: BulkParams): Promise<T[]>
  /**
   * Runs an INSERT of one row into a table with an `id` key and answers the id it was given. On SQLite
   * the driver says it (a RETURNING clause cost a fifth of a customer row's insert); on a server the
   * statement returns it.
   */
  insert(...params: BulkParams): Promise<number>
}

export interface PrepareOptions {
  /**
   * The caller never reads what `run` answers: on a server, an INSERT … ON CONFLICT DO NOTHING can then
   * wait and go with others in one statement as a plain INSERT does (its `changes` is then not known).
   */
  changesUnread?: boolean
}

export interface BulkConnection {
  readonly onServer: boolean
  prepare(sql: string, options?: PrepareOptions): BulkStatement
  /** Runs before the transaction commits (a writer's rows still held in memory are written). */
  beforeCommit(hook: () => Promise<void>): void
  /** Adds the search documents of the customers with from <= id < to (customers just written). */
  indexCustomers(from: number, to: number): Promise<void>
  /** Rewrites the search documents of these customers. */
  refreshSearch(ids: readonly number[]): Promise<void>
  /**
   * Merges about `pages` pages' worth of each search index's segments, as the idle upkeep does between
   * jobs: for a writer committing in turns, each of which leaves a segment behind. Nothing on a server.
   */
  mergeSearch(pages: number): Promise<void>
  /** SQL selecting `value` from a JSON array (of whole numbers or of texts) bound as one parameter. */
  listOf(type: 'int' | 'text'): string
  /**
   * For a load into an address book without a single customer (a business moving in): sets aside what
   * every customer row would otherwise keep up row by row — the customer tables' indexes, unique ones
   * too (a load must not count on them to refuse a row) and the triggers that count customers, tags and
   * lists — and answers the function that makes them again from the whole tables, in one sorted build an
   * index and one grouped statement a total; a unique index made again refuses the whole load if two
   * rows share its key. Call it before the first row and the function before reading the rows back by customer.
   * Inside the writer's transaction: a failed load leaves everything as it was. Null when the book has
   * customers, and on a server (dropping an index or trigger would lock the other desks out).
   */
  setAsideForFirstLoad(): Promise<(() => Promise<void>) | null>
  /**
   * In a first load (see setAsideForFirstLoad), what a search index built beside the writer needs from this
   * connection (db/searchBuild.ts); null on a server, whose search documents are kept up as they are written.
   */
  searchBuildHere(): SearchBuildHost | null
  /** The first of `count` consecutive ids of `table` no row has and none will be given to anyone else; the rows are inserted with them. */
  reserveIds(table: string, count: number): Promise<number>
}

/** The writer's side of a search build: what the build is made like, the rows it is made from, and taking it in. */
export interface SearchBuildHost {
  readonly setup: SearchBuildSetup
  sources(after: SearchSourceCursor, upTo: number): { rows: SearchSourceRows; next: SearchSourceCursor }
  /** Replaces the (empty) search indexes with the build's: only while every customer there is the load's. */
  take(chunks: AsyncIterable<SearchBuildChunk>): Promise<void>
}
