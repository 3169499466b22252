import { basename } from 'node:path'
import type { ImportMatchMode, ImportSummary } from '../../../preload/contract'
import { readInBulk, writeInBulk, type BulkConnection } from '../../../db/bulk'
import { checkpointDatabase } from '../../../db/maintenance'
import { ScratchDocuments } from '../../../db/scratch'
import type { ServiceContext } from '../context'
import { ValidationFailed } from '../errors'
import { getSettings } from '../app/settings'
import { makeThumbnail } from '../profile/photo'
import type { Progress } from '../progress'
import { ImportWriter, type Tally } from './apply'
import { rollBackStoppedImport } from './undo'
import { customFieldTargets, IMPORT_FIELDS, type CustomFieldTarget } from './fields'
import { groupKeys, mergeInto, startCustomer, type IncomingCustomer } from './groups'
import { headersDigest, phoneKindColumns, recogniseLayout } from './layouts'
import { checkedInOrder, RowChecking, type Checked } from './checking'
import { RejectsFile } from './rejects'
import { openSource, type Cell, type OpenedSource, type SourceRow } from './sources'
import { cellText } from './values'
import { KeyIndex } from './keyIndex'
import { SearchBuildBeside } from './searchBeside'
import { backupBeforeBulkChange } from '../backups'

/** What the job worker is given: the file main chose, and where to write the rejected rows. */
export interface ImportJobInput {
  file: string
  sheet: string | null
  /** One target per column; none: the recognised or remembered mapping (the command line). */
  mapping?: string[] | null
  match: ImportMatchMode
  rejectsFile: string
  /** Also create people whose email or phone belonged to someone erased. */
  includeErased?: boolean
}

/** Customers written per batch at most: look-ups stay few, progress and Cancel come often. */
const BATCH = 500
/** How long the import writes before it commits and lets the saves waiting for it go first. */
const TURN_MS = 150
/**
 * Once turns are taken, a batch is sized to take about half a turn at the pace of the ones before, so a turn
 * stays short wherever a customer costs more (a server's round trips, customers updated rather than made): a
 * save waits for the whole batch under way.
 */
const BATCH_MS = TURN_MS / 2
const FEWEST_IN_BATCH = 20
/**
 * Search-index pages merged at the end of each turn. Without it, every 60 to 70 turns FTS5 merged the 64
 * segments the turns had left in one go (its crisis merge): 1.2-1.7 s turns in a million-row import, where the
 * others took under 0.4 s. With 64 pages the longest took 0.72 s, for 8% more writing time (one run each).
 */
const TURN_MERGE_PAGES = 64
const READ_REPORT_EVERY = 1000
/** Customers before a first load's search indexes are worth a thread's start (a few hundred ms): fewer are indexed in place. */
const SEARCH_BUILD_FROM = 5_000

/** The mapping to use: the one given (checked against the file), else what the file's layout suggests. */
export async function mappingFor(db: ServiceContext['db'], source: OpenedSource, custom: readonly CustomFieldTarget[], given?: string[] | null): Promise<string[]> {
  if (!given) {
    const remembered = await rememberedMapping(db, source.headers, custom)
    return remembered ?? recogniseLayout(source.format, source.headers, custom).mapping
  }
  if (given.length !== source.headers.length) {
    throw new ValidationFailed(`The file has ${source.headers.length} columns but ${given.length} were matched. Choose the file again.`)
  }
  const known = new Set<string>([...IMPORT_FIELDS.map((f) => f.key), ...custom.map((f) => `custom:${f.id}`), ''])
  const unknown = given.find((target) => !known.has(target))
  if (unknown !== undefined) throw new ValidationFailed(`“${unknown}” is not a field a column can be imported into (was a custom field deleted?).`)
  return given
}

/** The mapping saved the last time a file with these headers was imported, if its fields still exist. */
export async function rememberedMapping(db: ServiceContext['db'], headers: readonly string[], custom: readonly CustomFieldTarget[]): Promise<string[] | null> {
  const row = (await db('import_mappings').where({ headers_key: headersDigest(headers) }).first('mapping')) as { mapping: string } | undefined
  if (!row) return null
  const mapping = JSON.parse(row.mapping) as string[]
  const known = new Set<string>([...IMPORT_FIELDS.map((f) => f.key), ...custom.map((f) => `custom:${f.id}`), ''])
  return mapping.length === headers.length && mapping.every((t) => known.has(t)) ? mapping : null
}

/**
 * Reads the file, checks every row and gathers the rows about one customer
 * together; then decides what happens to each customer. A dry run stops
 * there. An import then waits for its turn to write and writes in turns,
 * letting the desk's saves in between; cancelled or failed, it takes back
 * what its earlier turns wrote, and killed, it is taken back when the file
 * is next opened (rollBackInterruptedImports): it leaves nothing behind.
 */
export async function importFile(ctx: ServiceContext, input: ImportJobInput, progress: Progress, dryRun: boolean): Promise<ImportSummary> {
  const started = performance.now()
  const fileName = basename(input.file)
  const settings = await getSettings(ctx)
  const custom = await customFieldTargets(ctx.db)
  const source = await openSource(input.file, input.sheet ? { sheet: input.sheet } : undefined)
  const mapping = await mappingFor(ctx.db, source, custom, input.mapping)
  if (!mapping.some(Boolean)) throw new ValidationFailed('Choose at least one column to import.')
  const layout = recogniseLayout(source.format, source.headers, custom)
  const checking = new RowChecking({
    mapping,
    headers: source.headers,
    customFields: custom,
    defaultCountry: settings.defaultCountry,
    phoneKinds: phoneKindColumns(source.headers),
    commaLists: layout.layout === 'guessed',
  })
  const scratch = new ScratchDocuments()
  const rejects = new RejectsFile(input.rejectsFile, source.headers.length, source.headers)
  /** A first load's search indexes, built on a thread while it writes. */
  let searchBuild = null as SearchBuildBeside | null
  try {
    const rows = await readRows(source, checking, scratch, rejects, progress).finally(() => checking.close())
    const options = {
      mode: input.match,
      dryRun,
      importId: null as number | null,
      fileName,
      source: layout.layout === 'migration' || mapping.includes('legacyId') ? ('migration' as const) : ('import' as const),
      staff: ctx.staff,
      now: ctx.clock().toISOString(),
      currency: settings.currency,
      includeErased: input.includeErased ?? false,
    }
    const refused: Array<{ line: number; reason: string }> = []
    if (!dryRun) {
      // The backup is copied from one moment of the file and checked before the import asks for its turn to
      // write, so the desk keeps saving meanwhile (copying and checking a million-customer file takes about 40 s).
      await backupBeforeBulkChange(ctx, 'import', scratch.count, progress)
      await progress.waitForWriteTurn()
    }
    const batches = scratch.batches(BATCH)
    let next = batches.next()
    let batchSize = BATCH
    let writer: ImportWriter | undefined
    /** Written in one transaction: a dry run, and a first load (the book's indexes are set aside until its end). */
    let oneGo = dryRun
    let savedRuns = 0
    let done = 0
    const counts = () => ({ rows, rejected: rejects.count + refused.length, ...writer!.tally })
    const writeTurn = async (conn: BulkConnection): Promise<void> => {
      const turnStarted = performance.now()
      let firstLoad: (() => Promise<void>) | null = null
      if (!writer) {
        if (!dryRun) options.importId = await startImportRecord(conn, options, source.format, rows)
        // Into an address book without customers (a business moving in), nobody can match and the
        // book's indexes and totals are made once at the end instead of row by row.
        firstLoad = dryRun ? null : await conn.setAsideForFirstLoad()
        oneGo ||= firstLoad !== null
        if (firstLoad && scratch.count >= SEARCH_BUILD_FROM) searchBuild = SearchBuildBeside.start(conn)
        writer = new ImportWriter(conn, { ...options, bookWasEmpty: firstLoad !== null })
      } else writer.use(conn)
      while (!next.done && (oneGo || performance.now() - turnStarted < TURN_MS)) {
        progress.checkCancelled()
        const batch = next.value
        const batchStarted = performance.now()
        for (const { lines, reason } of await writer.applyBatch(batch.map((doc) => JSON.parse(doc) as IncomingCustomer))) {
          for (const line of lines) refused.push({ line, reason })
        }
        const lastCreated = writer.created[writer.created.length - 1]?.last
        if (searchBuild && lastCreated !== undefined) await searchBuild.send(lastCreated)
        if (!oneGo) {
          const perCustomer = (performance.now() - batchStarted) / batch.length
          batchSize = Math.max(FEWEST_IN_BATCH, Math.min(BATCH, Math.floor(BATCH_MS / perCustomer)))
        }
        done += batch.length
        progress.report(done, scratch.count, dryRun ? 'Checking customers' : 'Writing customers')
        next = batches.next(batchSize)
      }
      // Its chunks are made while the load builds the book's indexes.
      searchBuild?.allSent()
      if (firstLoad) {
        progress.report(0, 1, 'Building the indexes')
        await firstLoad()
      }
      if (searchBuild) {
        const built = await searchBuild.finish((done, total, phase) => {
          progress.checkCancelled()
          progress.report(done, total, phase === 'indexing' ? 'Indexing for search' : 'Storing the search index')
        })
        await searchBuild.stop()
        if (built) writer.createdAreIndexed()
      }
      await writer.indexCreated((indexed, total) => {
        progress.checkCancelled()
        if (oneGo) progress.report(indexed, total, 'Indexing for search')
      })
      if (dryRun) return
      // The idle upkeep's merging does not run while the import holds the gate: each turn merges a slice of
      // what the turns before left, so the segments never pile up into one long merge that a save would wait for.
      if (!oneGo) await conn.mergeSearch(TURN_MERGE_PAGES)
      const importId = options.importId!
      savedRuns = await saveCreatedRuns(conn, importId, writer.created, savedRuns)
      if (next.done) {
        await recordCounts(conn, importId, counts(), 'done', writer.createdLists)
        await rememberMapping(conn, source.headers, mapping, options.now)
      } else await recordCounts(conn, importId, counts(), 'running', writer.createdLists)
    }
    if (dryRun) await readInBulk(ctx.db, writeTurn)
    else {
      /** The counts as the last committed turn left them: what is kept if taking back is refused. */
      let committed: ReturnType<typeof counts> | null = null
      try {
        // In turns of a fraction of a second, each its own transaction with the write lock (IMMEDIATE) from
        // its first statement: between two, the saves waiting for the import go first.
        for (;;) {
          await writeInBulk(ctx.db, writeTurn)
          if (next.done) break
          committed = counts()
          await progress.passWriteTurn?.()
          // The idle upkeep's checkpoint waits while the import runs. Without one here, every turn's pages piled up
          // in the write-ahead log, which each read of the desk looks through: a million-row import left 5 GB there,
          // and a search took 83 ms at p50 by its end instead of 16.
          await checkpointDatabase(ctx.db)
        }
      } catch (error) {
        // What the turns before wrote is taken back whole: stopped or failed, the import leaves nothing behind.
        if (committed) await rollBackStoppedImport(ctx, options.importId!, committed, progress)
        throw error
      }
    }
    const tally = writer?.tally ?? { created: 0, updated: 0, unchanged: 0, skipped: 0, notes: 0, bookings: 0 }
    if (refused.length) await addRefusedRows(source, refused, rejects)
    return {
      dryRun,
      fileName,
      rows,
      ...tally,
      rejected: rejects.count,
      rejects: rejects.sortedList(),
      importId: options.importId,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    }
  } finally {
    rejects.close()
    scratch.dispose()
    await searchBuild?.stop()
  }
}

async function readRows(source: OpenedSource, checking: RowChecking, scratch: ScratchDocuments, rejects: RejectsFile, progress: Progress): Promise<number> {
  // Rows about one customer (same number, earlier ID or email) are joined: each key leads to its customer's document.
  const customerOf = new KeyIndex()
  const keep = async (row: SourceRow, checked: Checked) => {
    if ('rejected' in checked) {
      rejects.add(row.line, textCells(row.cells), checked.rejected)
      return
    }
    const photo = checked.photo ? await thumbnailOf(checked.photo) : null
    const keys = groupKeys(checked)
    let seq: number | undefined
    for (const key of keys) if ((seq = customerOf.get(key)) !== undefined) break
    if (seq !== undefined) scratch.replace(seq, JSON.stringify(mergeInto(JSON.parse(scratch.get(seq)) as IncomingCustomer, checked, photo)))
    else seq = scratch.add(JSON.stringify(startCustomer(checked, photo)))
    for (const key of keys) customerOf.setIfAbsent(key, seq)
  }
  let rows = 0
  // The rows the file holds, from the share of it read so far; never lowered, so the bar never moves back
  // (the readers read ahead of the rows they have given, so early guesses swing).
  let expected = 0
  const countRow = () => {
    rows++
    if (rows % READ_REPORT_EVERY !== 0) return
    progress.checkCancelled()
    const { done, total } = source.readProgress()
    expected = Math.max(expected, rows + 1, done > 0 ? Math.round((rows * total) / done) : 0)
    progress.report(rows, expected, 'Reading the file')
  }
  for await (const batch of checkedInOrder(source.rows(), checking, countRow)) {
    for (const [i, checked] of batch.checked.entries()) await keep(batch.rows[i]!, checked)
  }
  progress.report(rows, rows, 'Reading the file')
  return rows
}

/** A row's cells as the rejects file shows them: text, with pictures left out. */
function textCells(cells: readonly Cell[]): string[] {
  return cells.map((cell) => {
    const text = cellText(cell)
    return text.startsWith('data:image/') ? '' : text
  })
}

/** Customers refused while writing (their new email is someone else's…): their rows, read again, join the rejects. */
async function addRefusedRows(source: OpenedSource, refused: ReadonlyArray<{ line: number; reason: string }>, rejects: RejectsFile): Promise<void> {
  const reasons = new Map(refused.map((r) => [r.line, r.reason]))
  for await (const row of source.rows()) {
    const reason = reasons.get(row.line)
    if (reason !== undefined) rejects.add(row.line, textCells(row.cells), reason)
  }
}

/** The stored thumbnail of a contact's picture; a picture that cannot be used is left out, the contact is still imported. */
async function thumbnailOf(dataUri: string): Promise<IncomingCustomer['photo']> {
  const comma = dataUri.indexOf(',')
  const bytes = Buffer.from(dataUri.slice(comma + 1), 'base64')
  try {
    const thumbnail = await makeThumbnail(bytes)
    return { base64: thumbnail.bytes.toString('base64'), width: thumbnail.width, height: thumbnail.height }
  } catch (error) {
    if (error instanceof ValidationFailed) return null
    throw error
  }
}

async function startImportRecord(
  conn: BulkConnection,
  options: { fileName: string; mode: string; staff: ServiceContext['staff']; now: string },
  format: string,
  rows: number,
): Promise<number> {
  const result = await conn
    .prepare(
      `INSERT INTO imports (file_name, format, match_mode, staff_id, staff_name, started_at, finished_at, rows, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'done') RETURNING id`,
    )
    .get<{ id: number }>(options.fileName.slice(0, 260), format, options.mode, options.staff.id, options.staff.name, options.now, options.now, rows)
  return Number(result!.id)
}

/** The import's counts so far, and whether it is still running (a turn committed) or done. */
async function recordCounts(
  conn: BulkConnection,
  id: number,
  counts: Tally & { rows: number; rejected: number },
  state: 'running' | 'done',
  lists: ImportWriter['createdLists'],
): Promise<void> {
  const now = new Date().toISOString()
  await conn
    .prepare(
      `UPDATE imports SET rows = @rows, created = @created, updated = @updated, unchanged = @unchanged, skipped = @skipped,
       rejected = @rejected, notes = @notes, bookings = @bookings, state = @state, alive_at = @alive, finished_at = @finished,
       created_lists = @lists WHERE id = @id`,
    )
    .run({ ...counts, state, alive: state === 'running' ? now : null, finished: now, lists: lists.tags.length || lists.groups.length ? JSON.stringify(lists) : null, id })
}

/** The runs of ids created since the last save of them (the last saved run may have grown); returns how many are saved. */
async function saveCreatedRuns(conn: BulkConnection, id: number, runs: ReadonlyArray<{ first: number; last: number }>, saved: number): Promise<number> {
  const save = conn.prepare(
    `INSERT INTO import_created (import_id, first_id, last_id) VALUES (?, ?, ?) ON CONFLICT (import_id, first_id) DO UPDATE SET last_id = excluded.last_id`,
  )
  for (const run of runs.slice(Math.max(0, saved - 1))) await save.run(id, run.first, run.last)
  return runs.length
}

async function rememberMapping(conn: BulkConnection, headers: readonly string[], mapping: readonly string[], now: string): Promise<void> {
  await conn
    .prepare(`INSERT INTO import_mappings (headers_key, mapping, updated_at) VALUES (?, ?, ?) ON CONFLICT (headers_key) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`)
    .run(headersDigest(headers), JSON.stringify(mapping), now)
}
