import { hash } from 'node:crypto'
import { existsSync, renameSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Knex } from 'knex'
import { isServerConnection, rowReader, setAsideForLoad, tableLoader } from '../../../db/bulk'
import { closeDatabase, openDatabase } from '../../../db/connection'
import { DataFileProblem, inspectDataFile, lockDataFile, type DataFileLock } from '../../../db/dataFile'
import { dialectOf } from '../../../db/dialects'
import {
  pauseRowTriggers,
  quoteName,
  readFromOneMoment,
  readTableLayouts,
  resetIdSequences,
  resumeRowTriggers,
  type TableLayout,
} from '../../../db/dialects/tables'
import { describeLocation, isServerDatabase } from '../../../db/location'
import { migrations } from '../../../db/migrations'
import { prepareDataFile } from '../../../db/open'
import { allRows } from '../../../db/queries/customerList'
import { prepareServerDatabase } from '../../../db/server'
import type { CopyReport, CopiedTable } from '../../../preload/contract/schemas/database'
import { DomainError } from '../errors'
import type { Progress } from '../progress'

/*
 * Moving a desk's data between a customer file and a PostgreSQL server (either
 * way, or file to file): every table in foreign-key order with its ids, each
 * verified by its row count and a checksum computed the same way on both
 * sides. All or nothing: a server is written in one transaction; a file is
 * written under a temporary name and renamed into place once whole.
 */

/** Kept by the target's own triggers or rebuilt after the copy, so never copied. */
const DERIVED = /^(knex_migrations|knex_migrations_lock|customer_counts|booking_list_items|report_totals|report_customers|report_customer_months|customer_search.*)$/

/** Rows read from the source at a time. */
const READ_BATCH = 20_000

export interface CopyOptions {
  from: string
  to: string
  /** Replace the target's data even when it holds some. */
  force?: boolean
}

export async function copyDatabase(options: CopyOptions, progress: Progress): Promise<CopyReport> {
  const from = isServerDatabase(options.from) ? options.from : resolve(options.from)
  const to = isServerDatabase(options.to) ? options.to : resolve(options.to)
  if (from === to) throw new DomainError('VALIDATION', 'The copy’s source and target are the same database. Nothing was copied.')
  const started = performance.now()
  progress.report(0, 0, 'Opening both databases')
  const source = await openSource(from)
  let target: Target | undefined
  try {
    target = await openTarget(to, options.force ?? false)
    const tables = await tablesToCopy(source, target.db)
    const report = await copyTables(source, target.db, tables, progress)
    progress.report(0, 0, 'Preparing the copy for fast reading')
    await dialectOf(target.db).settleAfterCopy(target.db)
    await target.finish()
    return { from: describeLocation(from), to: describeLocation(to), tables: report, rows: report.reduce((n, t) => n + t.rows, 0), seconds: Math.round((performance.now() - started) / 100) / 10 }
  } catch (error) {
    await target?.abandon()
    throw error
  } finally {
    await closeDatabase(source)
  }
}

const knownMigrations = migrations.map(([name]) => name)

/** A source at exactly this version's schema: a server is brought up to date as a desk would; a file is only read. */
async function openSource(from: string): Promise<Knex> {
  if (isServerDatabase(from)) {
    await prepareServerDatabase(from)
    return openDatabase(from)
  }
  const state = inspectDataFile(from, knownMigrations)
  if (state.kind === 'new') throw new DataFileProblem('unreadable', from, 'There is no customer file here.')
  const db = openDatabase(from, { readonly: true })
  const applied = allRows<{ name: string }>(await db.raw('SELECT name FROM knex_migrations ORDER BY id').catch(() => [])).map((row) => row.name)
  if (applied.length !== knownMigrations.length) {
    await closeDatabase(db)
    throw new DomainError('VALIDATION', `${from} was last used by an earlier Frontdesk: open it once with this version (which brings it up to date), then copy it. Nothing was copied.`)
  }
  return db
}

interface Target {
  db: Knex
  /** Makes the copy the target's data (a file: renamed into place). */
  finish(): Promise<void>
  /** Leaves the target as it was. */
  abandon(): Promise<void>
}

/** Holds customers, bookings, a catalogue or a history: copying over it would lose them. */
async function holdsData(db: Knex): Promise<boolean> {
  for (const table of ['customers', 'bookings', 'catalogue_items', 'change_log']) {
    const [row] = allRows<{ n: number }>(await db.raw(`SELECT count(*) AS n FROM (SELECT 1 FROM ${table} LIMIT 1) t`))
    if (Number(row?.n) > 0) return true
  }
  return false
}

const notEmpty = (where: string) =>
  new DomainError('CONFLICT', `${where} already holds customer data. Copy into an empty database or a new file, or replace its data on purpose (--force). Nothing was copied.`)

async function openTarget(to: string, force: boolean): Promise<Target> {
  if (isServerDatabase(to)) {
    await prepareServerDatabase(to)
    const db = openDatabase(to)
    if (!force && (await holdsData(db))) {
      await closeDatabase(db)
      throw notEmpty(describeLocation(to))
    }
    return { db, finish: () => closeDatabase(db), abandon: () => closeDatabase(db) }
  }
  // The file's lock is held throughout: the app cannot open it while it is being replaced.
  const lock: DataFileLock = lockDataFile(to)
  try {
    const state = inspectDataFile(to, knownMigrations)
    if (state.kind !== 'new' && !force) {
      const existing = openDatabase(to, { readonly: true })
      try {
        if (await holdsData(existing)) throw notEmpty(to)
      } finally {
        await closeDatabase(existing)
      }
    }
    const partial = `${to}.copying-${process.pid}`
    removeFile(partial)
    await prepareDataFile(partial, { kind: 'new' })
    const db = openDatabase(partial)
    return {
      db,
      async finish() {
        await closeDatabase(db)
        removeFile(to, false)
        renameSync(partial, to)
        lock.release()
      },
      async abandon() {
        await closeDatabase(db).catch(() => {})
        removeFile(partial)
        lock.release()
      },
    }
  } catch (error) {
    lock.release()
    throw error
  }
}

function removeFile(file: string, withMain = true): void {
  for (const suffix of [withMain ? '' : null, '-wal', '-shm', '-journal'])
    if (suffix !== null && existsSync(`${file}${suffix}`)) rmSync(`${file}${suffix}`, { force: true })
  if (!withMain && existsSync(file)) rmSync(file, { force: true })
}

/** The source's tables that hold data (not those kept by triggers or rebuilt), referenced ones first. */
async function tablesToCopy(source: Knex, target: Knex): Promise<TableLayout[]> {
  const [from, to] = await Promise.all([readTableLayouts(source), readTableLayouts(target)])
  const wanted = [...from.values()].filter((t) => !DERIVED.test(t.name))
  for (const table of wanted) {
    const there = to.get(table.name)
    const missing = there ? table.columns.filter((c) => !there.columns.includes(c)) : []
    if (!there || missing.length) throw new DomainError('INTERNAL', `The target has no ${there ? `column ${missing.join(', ')} in ` : ''}table ${table.name}. Nothing was copied.`)
  }
  const ordered: TableLayout[] = []
  const placed = new Set<string>()
  const names = new Set(wanted.map((t) => t.name))
  while (ordered.length < wanted.length) {
    const ready = wanted.filter((t) => !placed.has(t.name) && t.references.every((r) => placed.has(r) || !names.has(r)))
    if (!ready.length) throw new DomainError('INTERNAL', 'The tables reference each other in a circle: they cannot be copied in order.')
    for (const table of ready) {
      ordered.push(table)
      placed.add(table.name)
    }
  }
  return ordered
}

/** A value as hashed, the same on either engine (booleans as 0/1, bytes as hex); columns are hashed in name order, as engines may order them differently. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return '\u0000'
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (Buffer.isBuffer(value)) return `x${value.toString('hex')}`
  if (value instanceof Uint8Array) return `x${Buffer.from(value).toString('hex')}`
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

const TWO_32 = 2 ** 32

/** Sums 64-bit row digests (mod 2^64): the same rows give the same sum in any order, whatever each engine's sort order of text. */
class TableChecksum {
  private high = 0
  private low = 0
  rows = 0
  /** Adds a row (its values in the table's column order), its values hashed in the order `hashOrder` gives. */
  add(row: readonly unknown[], hashOrder: readonly number[]): void {
    let text = ''
    for (const i of hashOrder) text += `${canonical(row[i])}\u0001`
    // One digest of the whole row: far cheaper than feeding a hash column by column.
    const digest = hash('md5', text, 'buffer')
    this.low += digest.readUInt32BE(4)
    if (this.low >= TWO_32) {
      this.low -= TWO_32
      this.high++
    }
    this.high = (this.high + digest.readUInt32BE(0)) % TWO_32
    this.rows++
  }
  get value(): string {
    return this.high.toString(16).padStart(8, '0') + this.low.toString(16).padStart(8, '0')
  }
}

/**
 * Reads a table in primary-key order, a batch at a time (by key, so each
 * batch is a seek), each row its values in the table's column order. The next
 * batch is asked for before this one is handed on: a server reads it while
 * this one is hashed and written.
 */
async function* readBatches(db: Knex.Transaction, table: TableLayout): AsyncGenerator<unknown[][]> {
  const read = await rowReader(db)
  const columns = table.columns.map(quoteName).join(', ')
  const key = table.primaryKey.length ? table.primaryKey : table.columns
  const keyAt = key.map((column) => table.columns.indexOf(column))
  const order = key.map(quoteName).join(', ')
  const batchAfter = (rows: unknown[][] | null, offset: number) => {
    if (!table.primaryKey.length) return read(`SELECT ${columns} FROM ${quoteName(table.name)} ORDER BY ${order} LIMIT ${READ_BATCH} OFFSET ${offset}`, [])
    const after = rows ? keyAt.map((i) => rows[rows.length - 1]![i]) : []
    const where = after.length ? `WHERE (${order}) > (${after.map(() => '?').join(', ')})` : ''
    return read(`SELECT ${columns} FROM ${quoteName(table.name)} ${where} ORDER BY ${order} LIMIT ${READ_BATCH}`, after)
  }
  let offset = 0
  let next: Promise<unknown[][]> | null = batchAfter(null, offset)
  while (next) {
    const rows: unknown[][] = await next
    offset += rows.length
    next = null
    if (rows.length === READ_BATCH) {
      next = batchAfter(rows, offset)
      // Awaited on the next turn; if the copy stops first, its failure is no one's to hear.
      next.catch(() => {})
    }
    if (rows.length) yield rows
  }
}

/** Where each column stands in the table's order, the columns taken in name order (engines may order them differently). */
const hashOrderOf = (table: TableLayout) => [...table.columns].sort().map((column) => table.columns.indexOf(column))

/**
 * What the tables' triggers keep (the Bookings page's list, the reports'
 * totals) is dropped with its triggers before the load and built once from
 * the copied rows after it, rather than kept row by row.
 */
async function setAsideKeptByTriggers(db: Knex): Promise<void> {
  const dialect = dialectOf(db)
  await dialect.dropBookingList(db)
  await dialect.dropReportTotals(db)
}

/** Builds what setAsideKeptByTriggers dropped, and the tab counts, from the copied rows. */
async function refillKeptByTriggers(db: Knex): Promise<void> {
  await db.raw(`UPDATE customer_counts SET count = (SELECT count(*) FROM customers c WHERE c.status = customer_counts.status)`)
  const dialect = dialectOf(db)
  await dialect.createBookingList(db)
  await dialect.createReportTotals(db)
}

async function countRows(db: Knex, table: string): Promise<number> {
  const [row] = allRows<{ n: number }>(await db.raw(`SELECT count(*) AS n FROM ${quoteName(table)}`))
  return Number(row?.n ?? 0)
}

async function copyTables(source: Knex, target: Knex, tables: TableLayout[], progress: Progress): Promise<CopiedTable[]> {
  return source.transaction(
    async (reading) => {
      await readFromOneMoment(reading)
      const counts = new Map<string, number>()
      for (const table of tables) counts.set(table.name, await countRows(reading, table.name))
      const total = 2 * [...counts.values()].reduce((a, b) => a + b, 0)
      let done = 0
      return target.transaction(async (writing) => {
        // Paused first: the change log's append-only guard would refuse the emptying of a server being replaced on purpose.
        const paused = await pauseRowTriggers(writing, tables)
        // What the target held (the rows its set-up wrote, or data being replaced on purpose) goes first, referencing tables first.
        for (const table of [...tables].reverse()) await writing.raw(`DELETE FROM ${quoteName(table.name)}`)
        const copied: CopiedTable[] = []
        await setAsideKeptByTriggers(writing)
        const setAside = await setAsideForLoad(
          writing,
          tables.map((t) => t.name),
        )
        const load = await tableLoader(writing)
        for (const table of tables) {
          const sums = new TableChecksum()
          const hashed = hashOrderOf(table)
          async function* rowsHashed(): AsyncGenerator<unknown[][]> {
            for await (const rows of readBatches(reading, table)) {
              progress.checkCancelled()
              for (const row of rows) sums.add(row, hashed)
              yield rows
              done += rows.length
              progress.report(done, total, `Copying ${table.name}`)
            }
          }
          await load(table.name, table.columns, rowsHashed())
          copied.push({ name: table.name, rows: sums.rows, checksum: sums.value })
        }
        // Each index is built by one sort: with room for it in memory, not in temporary files.
        if (setAside.length && isServerConnection(writing)) await writing.raw(`SET LOCAL maintenance_work_mem = '256MB'`)
        for (const index of setAside) {
          progress.checkCancelled()
          progress.report(done, total, `Rebuilding the indexes and keys of ${index.table}`)
          await writing.raw(index.create)
        }
        // PostgreSQL's planner knows nothing yet of the tables just filled: the refill's queries below (and the desks after) plan by these.
        if (isServerConnection(writing)) for (const table of tables) await writing.raw(`ANALYZE ${quoteName(table.name)}`)
        await resetIdSequences(writing, tables)
        if (paused) await resumeRowTriggers(writing, tables)
        progress.report(done, total, 'Rebuilding the counts and report totals')
        await refillKeptByTriggers(writing)
        // Read back from the target, as it now holds them, and compared table by table.
        for (const [index, table] of tables.entries()) {
          const sums = new TableChecksum()
          const hashed = hashOrderOf(table)
          for await (const rows of readBatches(writing, table)) {
            progress.checkCancelled()
            for (const row of rows) sums.add(row, hashed)
            done += rows.length
            progress.report(done, total, `Checking ${table.name}`)
          }
          const expected = copied[index]!
          if (sums.rows !== expected.rows || sums.value !== expected.checksum || expected.rows !== counts.get(table.name)) {
            throw new DomainError(
              'STORAGE',
              `The copy of ${table.name} does not match the source (${expected.rows.toLocaleString('en-GB')} rows read, ${sums.rows.toLocaleString('en-GB')} in the copy, checksums ${expected.checksum} and ${sums.value}). Nothing was copied.`,
            )
          }
        }
        progress.report(done, total, 'Rebuilding the search index')
        await dialectOf(writing).rebuildSearch(writing)
        return copied
      })
    },
    { readOnly: true },
  )
}
