import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import type { Knex } from 'knex'
import { openDatabase, closeDatabase } from '../../db/connection'
import { inspectDataFile } from '../../db/dataFile'
import { migrations } from '../../db/migrations'
import { prepareDataFile } from '../../db/open'
import { verifyChangeChain } from '../../db/changeChain'
import { listCustomers } from '../../main/services/customers'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { rollBackInterruptedImports } from '../../main/services/imports'
import { NO_PROGRESS } from '../../main/services/progress'
import { listCustomersInput } from '../../preload/contract'

/*
 * What a customer file must be after anything at all happened to it — a
 * kill, a full disk, an upgrade: undamaged, its counters equal to the rows,
 * its search index agreeing with the customers, its change log's chain whole;
 * and a digest of every table to compare with the file before and after.
 */

export const SEARCH_TABLES = ['customer_search_tri', 'customer_search_word', 'customer_search_digits', 'customer_search_initials']

/** Every word and trigram each search index holds, with where it stands (fts5vocab reads an index whose texts are not kept). */
export async function searchIndexContents(db: Knex): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {}
  for (const table of SEARCH_TABLES) {
    await db.raw(`CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, ${table}, 'instance')`)
    const rows = (await db.raw(`SELECT term, doc, col, "offset" AS at FROM temp.vocab`)) as Array<{ term: string; doc: number; col: string; at: number }>
    await db.raw('DROP TABLE temp.vocab')
    contents[table] = rows.map((r) => `${r.doc} ${r.col} ${r.at} ${r.term}`).sort()
  }
  return contents
}

/**
 * Opens the file as the app does (which also brings in a write-ahead log a
 * kill left behind), takes back an import the kill cut off, then closes it.
 * `deferCheck` leaves out the quick check, as the app does for a file needing
 * no migration, when the caller runs the full integrity_check itself.
 * Returns how many cut-off imports were taken back.
 */
export async function openAsTheAppDoes(file: string, options: { deferCheck?: boolean } = {}): Promise<number> {
  await prepareDataFile(file, inspectDataFile(file, migrations.map(([name]) => name)), options)
  const db = openDatabase(file)
  try {
    return await rollBackInterruptedImports({ db, staff: BUILT_IN_ADMIN, clock: () => new Date() }, NO_PROGRESS, null)
  } finally {
    await closeDatabase(db)
  }
}

/**
 * What an import taken back after a kill leaves changed: the change log
 * keeps what it wrote and that it was taken back, ids once given are not
 * given again, and the customers it updated keep the later version number
 * their edits are checked against (a screen opened on the import's values
 * must not save over the old ones).
 */
export const TAKEN_BACK_TRACES = { tables: ['change_log', 'sqlite_sequence'], columns: { customers: ['version'] } }

/** Whether `file` is `before` (a digest ignoring TAKEN_BACK_TRACES.columns) but for what an import taken back leaves. */
export function asBeforeButTakenBack(before: Record<string, string>, file: string): boolean {
  return changedTables(before, digestTables(file, TAKEN_BACK_TRACES.columns)).every((table) => TAKEN_BACK_TRACES.tables.includes(table))
}

/** Every table's rows, in order, as one digest per table (the search index, which cannot be read back, is checked apart). */
export function digestTables(file: string, ignore: Record<string, string[]> = {}): Record<string, string> {
  const db = new Database(file, { readonly: true })
  try {
    const digests: Record<string, string> = {}
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'customer_search%' ORDER BY name`).all() as Array<{ name: string; sql: string }>
    for (const { name, sql } of tables) {
      const hash = createHash('sha256')
      const columns = (db.prepare(`SELECT count(*) AS n FROM pragma_table_info(?)`).get(name) as { n: number }).n
      // Tables without a rowid (the report totals) are ordered by their key, their first columns.
      const order = /WITHOUT ROWID/i.test(sql) ? Array.from({ length: columns }, (_, i) => i + 1).join(', ') : 'rowid'
      const names = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as Array<{ name: string }>).map((c) => c.name)
      const kept = names.filter((column) => !(ignore[name] ?? []).includes(column))
      const rows = db.prepare(`SELECT ${kept.map((c) => `"${c}"`).join(', ')} FROM "${name}" ${whereCounted(name)} ORDER BY ${order}`).raw(true).iterate() as IterableIterator<unknown[]>
      // Rows as arrays, blobs as hex: JSON without a replacer is several times faster over tens of thousands of rows.
      for (const row of rows) hash.update(JSON.stringify(row.some((v) => Buffer.isBuffer(v)) ? row.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)) : row))
      digests[name] = hash.digest('hex')
    }
    return digests
  } finally {
    db.close()
  }
}

/** A report total back at nothing (its rows taken away again) is no total: the reports read it as absent. */
export function whereCounted(table: string): string {
  return table === 'report_totals' ? 'WHERE n <> 0 OR amount <> 0' : ''
}

/** The tables whose rows differ between two digests. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((name) => a[name] !== b[name])
}

/** The problems found in a file (an empty list when it is sound): integrity, counters, report totals, search index, chain. */
export async function problemsIn(file: string, options: { searchSample?: number } = {}): Promise<string[]> {
  const problems: string[] = []
  const conn = new Database(file, { readonly: true })
  try {
    const integrity = (conn.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>).map((r) => r.integrity_check)
    if (integrity.join() !== 'ok') problems.push(`integrity_check: ${integrity.slice(0, 3).join('; ')}`)
    const counted = conn.prepare(`SELECT s.status, s.count, (SELECT count(*) FROM customers c WHERE c.status = s.status) AS real FROM customer_counts s`).all() as Array<{
      status: string
      count: number
      real: number
    }>
    for (const c of counted) if (c.count !== c.real) problems.push(`customer_counts ${c.status}: ${c.count}, but ${c.real} customers`)
    problems.push(...reportTotalProblems(conn))
    const customers = (conn.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n
    for (const table of SEARCH_TABLES) {
      if (!conn.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(table)) continue
      const indexed = (conn.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
      const strays = (conn.prepare(`SELECT count(*) AS n FROM ${table} WHERE rowid NOT IN (SELECT id FROM customers)`).get() as { n: number }).n
      if (indexed !== customers || strays) problems.push(`${table}: ${indexed} documents (${strays} of no customer) for ${customers} customers`)
    }
    if (conn.prepare(`SELECT 1 FROM pragma_table_info('change_log') WHERE name = 'hash'`).get()) {
      const chain = verifyChangeChain(conn)
      if (!chain.intact) problems.push(`change log chain broken: ${JSON.stringify(chain.firstBreak)}`)
    }
  } finally {
    conn.close()
  }
  if (options.searchSample) problems.push(...(await searchProblems(file, options.searchSample)))
  return problems
}

/** The report totals kept by triggers equal what the rows say, for the measures about customers, tags and lists. */
function reportTotalProblems(conn: Database.Database): string[] {
  if (!conn.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'report_totals'`).get()) return []
  const compare = (measure: string, real: string) =>
    (
      conn
        .prepare(
          `WITH kept AS (SELECT key, sum(n) AS n FROM report_totals WHERE measure = ? GROUP BY key HAVING sum(n) <> 0), real AS (${real})
           SELECT coalesce(k.key, r.key) AS key, k.n AS kept, r.n AS real FROM kept k FULL JOIN real r ON r.key = k.key WHERE k.n IS NOT r.n`,
        )
        .all(measure) as Array<{ key: string; kept: number | null; real: number | null }>
    ).map((r) => `report_totals ${measure} ${r.key}: ${r.kept ?? 0}, but ${r.real ?? 0} rows`)
  return [
    ...compare('customers', `SELECT c.status || ':' || (CASE WHEN c.marketing_consent THEN 1 ELSE 0 END) || ':' || (CASE WHEN c.unsubscribed THEN 1 ELSE 0 END) AS key, count(*) AS n FROM customers c GROUP BY key`),
    ...compare('tag', `SELECT CAST(t.tag_id AS TEXT) AS key, count(*) AS n FROM customer_tags t JOIN customers c ON c.id = t.customer_id WHERE c.status <> 'deleted' GROUP BY key`),
    ...compare('group', `SELECT CAST(g.group_id AS TEXT) AS key, count(*) AS n FROM customer_group_members g JOIN customers c ON c.id = g.customer_id WHERE c.status <> 'deleted' GROUP BY key`),
  ]
}

/** Customers picked at random are each found by their own email (or name) through the search module, on their own tab. */
async function searchProblems(file: string, sample: number): Promise<string[]> {
  const db = openDatabase(file, { readonly: true })
  const problems: string[] = []
  try {
    const ctx = { db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
    const picked = (await db('customers').whereNot({ status: 'deleted' }).orderByRaw('random()').limit(sample).select('id', 'status', 'email', 'display_name')) as Array<{
      id: number
      status: string
      email: string
      display_name: string
    }>
    for (const c of picked) {
      const search = c.email || c.display_name
      const page = await listCustomers(ctx, listCustomersInput.parse({ tab: c.status, search, pageSize: 200 }))
      if (!page.rows.some((r) => r.id === c.id)) problems.push(`customer ${c.id} not found by searching “${search}”`)
    }
  } finally {
    await closeDatabase(db)
  }
  return problems
}
