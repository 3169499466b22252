import Database from 'better-sqlite3'
import { indexCustomersInIdRangeSql, SEARCH_INDEX_TABLES } from './dialects/sqlite'
import { registerSearchFunctions } from './search/sqliteFunctions'
import { SEARCH_SOURCE_COLUMNS, type CellForm, type SearchBuildChunk, type SearchBuildSetup, type SearchSourceCursor, type SearchSourceRows } from './search/buildParts'

export type { CellForm, SearchBuildChunk, SearchBuildSetup, SearchSourceCursor, SearchSourceRows } from './search/buildParts'

/*
 * A first load's search indexes, built on a connection of their own while
 * the load writes its customers: indexing costs about as much as writing, and
 * on its own thread it no longer adds to the load's time. The writer passes on
 * a copy of the columns the documents are made from (readSearchSources); the
 * build indexes them by the very statements the writer would have run
 * (indexCustomersInIdRangeSql) into empty indexes made as the file's are; at
 * the end, within the writer's transaction, the file's indexes are made again
 * and given the build's pages (takeSearchBuild). Only for a file whose indexes
 * hold nobody yet (an address book without customers): they are replaced whole.
 */

const SOURCES = Object.keys(SEARCH_SOURCE_COLUMNS) as Array<keyof typeof SEARCH_SOURCE_COLUMNS>
/** FTS5's own tables for an index, by the suffix of their names. */
const INDEX_OWN_TABLES = ['data', 'idx', 'content', 'docsize', 'config']
/** A chunk's size (bytes, or characters of JSON): a few of them are held at once, on either side. */
const CHUNK_SIZE = 1 << 20
/** The table of an index's pages (a few KB each), by the suffix of its name. */
const PAGES = 'data'

export const startOfSearchSources = (): SearchSourceCursor => ({ customers: 0, addresses: 0, phones: 0 })

/** What a build needs from the file: its search indexes as made there, with their settings. */
export function searchBuildSetupOf(conn: Database.Database): SearchBuildSetup {
  const made = conn.prepare<[string], { sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`)
  const declared = conn.prepare<[string], { name: string; type: string }>(`SELECT name, type FROM pragma_table_info(?)`)
  const sources = {} as SearchBuildSetup['sources']
  for (const source of SOURCES) {
    const types = new Map(declared.all(source).map(({ name, type }) => [name, type]))
    sources[source] = SEARCH_SOURCE_COLUMNS[source].map((name) => {
      const type = types.get(name)
      if (type === undefined) throw new Error(`The file's ${source} have no ${name}`)
      return { name, type }
    })
  }
  return {
    sources,
    indexes: SEARCH_INDEX_TABLES.map((table) => {
      const create = made.get(table)?.sql
      if (!create) throw new Error(`The file has no search index ${table}`)
      const settings = conn.prepare<[], { k: string; v: unknown }>(`SELECT k, v FROM "${table}_config" WHERE k <> 'version'`).all()
      return { table, create, settings: settings.map(({ k, v }) => [k, v] as [string, unknown]) }
    }),
  }
}

/**
 * The source rows written since `after`, for customers up to `upTo`: customers by id, their addresses and
 * phones as every row past the last one passed on (a first load appends them in order, and reads them by
 * id: the tables' other indexes are set aside until its end).
 */
export function readSearchSources(conn: Database.Database, after: SearchSourceCursor, upTo: number): { rows: SearchSourceRows; next: SearchSourceCursor } {
  const rows = {} as SearchSourceRows
  const next = { ...after }
  for (const source of SOURCES) {
    const columns = SEARCH_SOURCE_COLUMNS[source].join(', ')
    const bound = source === 'customers' ? ' AND id <= ?' : ''
    // Made into JSON by SQLite: read as arrays and copied to the thread, these rows cost the writer about three times as long.
    const read = preparedOn(
      conn,
      `SELECT json_group_array(json_array(${columns})) AS json, max(id) AS last FROM (SELECT ${columns} FROM ${source} WHERE id > ?${bound} ORDER BY id)`,
    ) as Database.Statement<number[], { json: string; last: number | null }>
    const { json, last } = (source === 'customers' ? read.get(after[source], upTo) : read.get(after[source]))!
    rows[source] = json
    if (last !== null) next[source] = last
  }
  return { rows, next }
}

/** The build itself, on its own connection (a thread's): SQLite's anonymous database, gone with it. */
export class SearchIndexBuild {
  private readonly db: Database.Database
  private readonly indexes: SearchBuildSetup['indexes']

  /** `chunkSize`: the size of a chunk it gives back (bytes, or characters of JSON). */
  constructor(
    setup: SearchBuildSetup,
    private readonly chunkSize = CHUNK_SIZE,
  ) {
    this.indexes = setup.indexes
    // A file of its own in the temporary folder, removed by the system when closed or its process ends.
    this.db = new Database('')
    this.db.pragma('journal_mode = OFF')
    this.db.pragma('synchronous = OFF')
    this.db.pragma('temp_store = MEMORY')
    this.db.pragma('cache_size = -4096')
    registerSearchFunctions(this.db)
    for (const source of SOURCES) {
      // The id first, as the row's own; the others as typed in the file (a type is a word or two of letters).
      const columns = setup.sources[source].map(({ name, type }, i) => (i === 0 ? `${name} INTEGER PRIMARY KEY` : `${name} ${type.replace(/[^A-Za-z ]/g, '')}`))
      this.db.exec(`CREATE TABLE ${source} (${columns.join(', ')})`)
      if (source !== 'customers') this.db.exec(`CREATE INDEX ${source}_customer ON ${source} (customer_id, id)`)
    }
    for (const { table, create, settings } of this.indexes) {
      this.db.exec(create)
      // FTS5 takes a setting's value as written in the statement, not bound.
      for (const [key, value] of settings) this.db.exec(`INSERT INTO "${table}"("${table}", rank) VALUES (${sqlLiteral(key)}, ${sqlLiteral(value)})`)
    }
    // One transaction until the end: nothing here needs to survive.
    this.db.exec('BEGIN')
  }

  /** Indexes the customers from <= id < to of these rows (their addresses and phones beside them). */
  add(rows: SearchSourceRows, from: number, to: number): void {
    for (const source of SOURCES) {
      const columns = SEARCH_SOURCE_COLUMNS[source]
      // Whole numbers, texts and nulls, as readSearchSources wrote them.
      const cells = cellsRead(columns.map(() => 'plain')).join(', ')
      preparedOn(this.db, `INSERT INTO ${source} (${columns.join(', ')}) SELECT ${cells} FROM json_each(?)`).run(rows[source])
    }
    // In order, each prepared when first run: the first makes the table the others read.
    for (const { sql, inRange } of indexCustomersInIdRangeSql) preparedOn(this.db, sql).run(...(inRange ? [from, to] : []))
    for (const source of SOURCES) preparedOn(this.db, `DELETE FROM ${source}`).run()
  }

  /** The indexes' own tables, row for row, a chunk at a time. */
  *chunks(): Generator<SearchBuildChunk> {
    // FTS5 holds the last terms added in memory until the transaction ends.
    if (this.db.inTransaction) this.db.exec('COMMIT')
    const made = this.db.prepare<[], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'table'`).all()
    const existing = new Set(made.map(({ name }) => name))
    const rowidTables = new Set(made.filter(({ sql }) => !/WITHOUT\s+ROWID/i.test(sql)).map(({ name }) => name))
    const tables = this.indexes.flatMap(({ table }) => INDEX_OWN_TABLES.map((suffix) => `${table}_${suffix}`).filter((name) => existing.has(name)))
    const total = tables.reduce((sum, own) => sum + this.db.prepare<[], number>(`SELECT count(*) FROM "${own}"`).pluck().get()!, 0)
    let done = 0
    for (const own of tables) {
      const columns = this.db.prepare<[string], string>(`SELECT name FROM pragma_table_info(?)`).pluck().all(own)
      if (own.endsWith(`_${PAGES}`)) {
        let rows: unknown[][] = []
        let size = 0
        for (const row of this.db.prepare<[], unknown[]>(`SELECT * FROM "${own}"`).raw(true).iterate()) {
          rows.push(row)
          size += row.reduce<number>((sum, cell) => sum + (Buffer.isBuffer(cell) ? cell.length : 8), 0)
          if (size < this.chunkSize) continue
          yield { table: own, rows, done: (done += rows.length), total }
          rows = []
          size = 0
        }
        if (rows.length) yield { table: own, rows, done: (done += rows.length), total }
        continue
      }
      const forms = columns.map((c) => cellForm(this.db.prepare<[], string>(`SELECT DISTINCT typeof("${c}") FROM "${own}"`).pluck().all()))
      const written = columns.map((c, i) => (forms[i] === 'plain' ? `"${c}"` : forms[i] === 'hex' ? `CASE WHEN "${c}" IS NOT NULL THEN hex("${c}") END` : `typeof("${c}"), CASE typeof("${c}") WHEN 'blob' THEN hex("${c}") ELSE "${c}" END`))
      const rowJson = `json_array(${written.join(', ')})`
      if (columns[0] === 'id' && rowidTables.has(own)) {
        // A size and place a customer, a million of them: each chunk made by SQLite in one statement, from a range
        // of ids as long as a chunk holds (a row read and joined into the chunk here cost three times as much).
        const average = this.db.prepare<[], number | null>(`SELECT avg(length(${rowJson})) FROM (SELECT * FROM "${own}" LIMIT 100)`).pluck().get() ?? 1
        const chunkRows = Math.max(1, Math.floor(this.chunkSize / Math.max(1, average)))
        const read = this.db.prepare<[number, number], { json: string; rows: number; last: number | null }>(
          `SELECT json_group_array(${rowJson}) AS json, count(*) AS rows, max(id) AS last FROM (SELECT * FROM "${own}" WHERE id > ? ORDER BY id LIMIT ?)`,
        )
        for (let after = Number.MIN_SAFE_INTEGER; ; ) {
          const { json, rows, last } = read.get(after, chunkRows)!
          if (last === null) break
          yield { table: own, cells: forms, json, done: (done += rows), total }
          after = last
        }
        continue
      }
      let parts: string[] = []
      let size = 0
      const chunk = () => {
        const json = `[${parts.join(',')}]`
        done += parts.length
        parts = []
        size = 0
        return { table: own, cells: forms, json, done, total }
      }
      for (const row of this.db.prepare<[], string>(`SELECT ${rowJson} FROM "${own}"`).pluck().iterate()) {
        parts.push(row)
        size += row.length
        if (size >= this.chunkSize) yield chunk()
      }
      if (parts.length) yield chunk()
    }
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

/**
 * The file's search indexes made again and given the build's rows, within the writer's transaction. Made
 * again rather than emptied: this connection's FTS5 keeps an index's layout in memory, and would not see
 * it change beneath it. Writing an index's own tables needs SQLite's defensive mode off meanwhile.
 */
export async function takeSearchBuild(conn: Database.Database, setup: SearchBuildSetup, chunks: AsyncIterable<SearchBuildChunk>): Promise<void> {
  const own = new Set<string>()
  for (const { table, create } of setup.indexes) {
    conn.exec(`DROP TABLE "${table}"`)
    conn.exec(create)
    for (const suffix of INDEX_OWN_TABLES) own.add(`${table}_${suffix}`)
  }
  conn.unsafeMode(true)
  try {
    const made = conn.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()
    for (const name of made.filter((n) => own.has(n))) conn.exec(`DELETE FROM "${name}"`)
    for await (const chunk of chunks) {
      const { table } = chunk
      if (!own.has(table)) throw new Error(`A search build gave rows for ${table}, not one of the search indexes' own tables`)
      if ('rows' in chunk) {
        const [first] = chunk.rows
        if (!first) continue
        const insert = preparedOn(conn, `INSERT INTO "${table}" VALUES (${first.map(() => '?').join(', ')})`)
        for (const row of chunk.rows) insert.run(row)
        continue
      }
      preparedOn(conn, `INSERT INTO "${table}" SELECT ${cellsRead(chunk.cells).join(', ')} FROM json_each(?)`).run(chunk.json)
    }
  } finally {
    conn.unsafeMode(false)
  }
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>()

/** A statement prepared once a connection: a load runs the same few for every batch (thousands of batches). */
function preparedOn(conn: Database.Database, sql: string): Database.Statement {
  let made = statements.get(conn)
  if (!made) statements.set(conn, (made = new Map()))
  let statement = made.get(sql)
  if (!statement) made.set(sql, (statement = conn.prepare(sql)))
  return statement
}

/** A column's form from the types of the values it holds. */
function cellForm(types: readonly string[]): CellForm {
  if (types.every((t) => t === 'integer' || t === 'text' || t === 'null')) return 'plain'
  if (types.every((t) => t === 'blob' || t === 'null')) return 'hex'
  return 'typed'
}

/** Each column's value as read back from a row of a chunk's JSON (`value`, from json_each). */
function cellsRead(forms: readonly CellForm[]): string[] {
  let at = 0
  return forms.map((form) => {
    if (form === 'plain') return `value->>${at++}`
    if (form === 'hex') return `unhex(value->>${at++})`
    const [type, value] = [at, at + 1]
    at += 2
    return `CASE value->>${type} WHEN 'blob' THEN unhex(value->>${value}) ELSE value->>${value} END`
  })
}

function sqlLiteral(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return `'${String(value).replace(/'/g, "''")}'`
}
