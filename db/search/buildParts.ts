/*
 * What a search index built on another connection (db/searchBuild.ts) is
 * made from and given back as: plain data, passed between threads.
 */

/**
 * The columns of each table that the SQLite search documents are made from (db/dialects/sqlite.ts,
 * indexCustomersInIdRangeSql): a copy of these alone, with the same ids, gives the same documents.
 */
export const SEARCH_SOURCE_COLUMNS = {
  customers: ['id', 'display_name', 'display_name_is_custom', 'first_name', 'last_name', 'email', 'company'],
  addresses: ['id', 'customer_id', 'postcode'],
  phones: ['id', 'customer_id', 'search_digits'],
} as const

export interface SearchBuildSetup {
  /** Each search index: its CREATE statement and settings, as the file has them. */
  indexes: Array<{ table: string; create: string; settings: Array<[string, unknown]> }>
  /** Each source table's columns with their types as the file declares them: values compare and convert as they do there. */
  sources: Record<keyof typeof SEARCH_SOURCE_COLUMNS, Array<{ name: string; type: string }>>
}

/** The highest id passed on so far from each source table. */
export type SearchSourceCursor = Record<keyof typeof SEARCH_SOURCE_COLUMNS, number>
/**
 * Rows of each source table as one JSON array of rows, their columns as SEARCH_SOURCE_COLUMNS lists them:
 * made by SQLite in one statement, and passed between threads as one string, not as a million small arrays.
 */
export type SearchSourceRows = Record<keyof typeof SEARCH_SOURCE_COLUMNS, string>

/**
 * Some rows of one of an index's own tables: its pages as they are, each inserted alone; its many small rows
 * (a size and place a customer) as one JSON array of rows, each cell in its column's form, inserted by one statement.
 */
export type SearchBuildChunk = {
  table: string
  /** Rows given so far, this chunk's included, of all the indexes' tables' rows. */
  done: number
  total: number
} & ({ rows: unknown[][] } | { cells: CellForm[]; json: string })

/**
 * How a column's values are written in a chunk's JSON: as they are (whole numbers, texts, nulls), as hex
 * (blobs and nulls), or, where a column mixes blobs or reals with others, each as [type, value].
 */
export type CellForm = 'plain' | 'hex' | 'typed'
