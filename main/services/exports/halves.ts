import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import type { Worker } from 'node:worker_threads'
import type { Knex } from 'knex'
import type { ExportInput, ExportResult, ExportScope } from '../../../preload/contract'
import { closeDatabase, locationOf, openDatabase } from '../../../db/connection'
import { isServerConnection } from '../../../db/bulk'
import { dialectOf } from '../../../db/dialects'
import { countFilteredCapped, firstRow, matchIdsCapped } from '../../../db/queries/customerList'
import { searchAndFilters } from '../customers/list'
import type { ServiceContext } from '../context'
import type { Progress } from '../progress'
import { startThread, type ThreadMemory } from '../threads'
import { rowPagesOf, type Walk } from './rows'
import { piecesOf, resolveScope } from './scope'
import { openCsv } from './csv'
import { writeWhole } from './file'
import { drained } from './sheet'
import { prepareExport } from './chosen'
import { claimPiece, HALF_CACHE_MIB, MAX_PIECES, newClaims, type FromHalf, type HalfData, type ToHalf } from './halfMessages'

/*
 * A large CSV export is written in two halves at once. The customers are cut
 * into pieces in id order: this thread writes the header and the pieces from
 * the first on into the file, a thread beside it (halfThread.ts) the pieces
 * from the last back, each into a file of its own, until the two meet; those
 * files are then appended in order. Where they meet follows how fast each
 * goes (the other thread yields to the desk). Reading rows out of SQLite and
 * writing them as text take about as long as each other and both grow with
 * the customers, so one thread leaves a core idle. Both read one snapshot:
 * each starts reading while this thread holds the write lock, so no change
 * can fall between them. PostgreSQL does its reading on the server, and small
 * exports are over before a thread would have started: they are written in one go.
 */

/** Customers from which a second thread is worth its start (a few hundred ms). */
const TWO_HALVES_FROM = 20_000

/**
 * Customers in a piece: ten pages, so a piece costs a few hundred ms at most and the two threads
 * end close together, while the pieces of a million customers are a hundred files.
 */
const PIECE = 10_000

/**
 * The thread holds a page of customers at a time: with an old generation's limit it peaked 25 MB lower at
 * a million customers. Its pages' many short-lived strings want a young generation of 16 MB: with 8 it spent
 * a quarter of its time collecting, and the whole export took 7 % longer (6 alternating pairs; 6 MB less at its peak).
 */
const HALF_MEMORY: ThreadMemory = { youngGenerationMb: 16, oldGenerationMb: 256 }

/** What the thread wrote: its rows, and the pieces (each a file named by its number). */
interface Written {
  rows: number
  pieces: number[]
}

/** The second half's thread, as the export sees it. */
class SecondHalf {
  rows = 0
  private readonly worker: Worker | null
  private finished = false
  private onLoaded: (() => void) | null = null
  private loadedYet = false
  private onReady: (() => void) | null = null
  private onDone: ((done: Written) => void) | null = null
  private onFailed: ((error: Error) => void) | null = null
  private failure: Error | null = null
  private written: Written | null = null
  /** Told of every page the thread writes. */
  onRows: () => void = () => {}

  constructor(data: HalfData) {
    this.worker = startThread('export-half.js', join(__dirname, 'halfThread.ts'), { workerData: data }, HALF_MEMORY)
    this.worker?.on('message', (message: FromHalf) => {
      switch (message.kind) {
        case 'loaded':
          this.loadedYet = true
          this.onLoaded?.()
          return
        case 'ready':
          this.onReady?.()
          return
        case 'rows':
          this.rows += message.count
          this.onRows()
          return
        case 'done':
          this.finished = true
          this.written = { rows: message.rows, pieces: message.pieces }
          this.onDone?.(this.written)
          return
        case 'failed':
          // With its code, a full disk or a folder gone is said as for the first half (file.ts).
          this.fail(Object.assign(new Error(message.error), message.code ? { code: message.code } : {}))
      }
    })
    this.worker?.on('error', (error) => this.fail(error))
    this.worker?.on('exit', () => {
      if (!this.finished) this.fail(new Error('The thread writing the second half of the export stopped.'))
    })
  }

  get started(): boolean {
    return this.worker !== null
  }

  private fail(error: Error): void {
    if (this.finished) return
    this.finished = true
    this.failure = error
    this.onFailed?.(error)
  }

  /** Resolves once the thread has started and connected. */
  loaded(): Promise<void> {
    return this.settle((resolve) => {
      if (this.loadedYet) resolve()
      else this.onLoaded = resolve
    })
  }

  /** The thread starts reading (its snapshot); resolves once it has. */
  begin(): Promise<void> {
    return this.settle((resolve) => {
      this.onReady = resolve
      this.worker!.postMessage({ kind: 'begin' } satisfies ToHalf)
    })
  }

  /** The pieces of the export, shared with this thread through `claims`, and the currency read in the export's snapshot. */
  work(pieces: Walk[], claims: SharedArrayBuffer, currency: string): void {
    this.worker!.postMessage({ kind: 'work', pieces, claims, currency } satisfies ToHalf)
  }

  /** The rows and the pieces the thread wrote, once their files are whole; Cancel is heard meanwhile. */
  done(progress: Progress): Promise<Written> {
    return this.settle<Written>((resolve, reject) => {
      if (this.written !== null) return resolve(this.written)
      this.onDone = resolve
      const report = this.onRows
      this.onRows = () => {
        report()
        try {
          progress.checkCancelled()
        } catch (error) {
          reject(error as Error)
        }
      }
    })
  }

  private settle<T>(wait: (resolve: (value: T) => void, reject: (error: Error) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failure) return reject(this.failure)
      this.onFailed = reject
      wait(resolve, reject)
    })
  }

  async stop(): Promise<void> {
    this.finished = true
    await this.worker?.terminate()
  }
}

/** Customers the scope is likely to hold, read cheaply, as far as `enough`: whether a second thread is worth its start. */
async function estimate(db: Knex, scope: ExportScope, enough: number): Promise<number> {
  switch (scope.kind) {
    case 'all':
      return Number(firstRow<{ n: number | null }>(await db.raw('SELECT max(id) AS n FROM customers'))?.n ?? 0)
    case 'ids':
      return new Set(scope.ids).size
    case 'filter': {
      // A search's first matches in any tab, or the filters' count stopping at `enough`.
      const { plan, filters } = searchAndFilters(scope.filter)
      return plan ? (await matchIdsCapped(db, plan, enough)).ids.length : countFilteredCapped(db, scope.tab, filters, enough)
    }
  }
}

/** A connection opened read-only cannot hold the write lock that lines up the two halves' snapshots. */
function readOnly(db: Knex): boolean {
  return Boolean((db.client.config as { connection?: { options?: { readonly?: unknown } } }).connection?.options?.readonly)
}

/**
 * Writes the export in two halves if it is a CSV export of `from` customers or more (about)
 * from a customer file; null when it is better written in one go (the caller then does).
 */
export async function exportCsvInHalves(
  ctx: ServiceContext,
  input: ExportInput,
  file: string,
  progress: Progress,
  { from = TWO_HALVES_FROM, piece = PIECE }: { from?: number; piece?: number } = {},
): Promise<ExportResult | null> {
  if (input.format !== 'csv' || isServerConnection(ctx.db) || readOnly(ctx.db) || availableParallelism() < 2) return null
  const location = locationOf(ctx.db)
  if (location === ':memory:' || (await estimate(ctx.db, input.scope, from)) < from) return null
  // The thread's pieces go into a hidden folder of their own beside the file, made once the file's folder is known to be there.
  const folder = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.pieces`)
  const second = new SecondHalf({ location, columns: input.columns, folder })
  if (!second.started) return null
  const reader = openDatabase(location)
  try {
    return await reader.transaction(
      async (trx) => {
        await second.loaded()
        // The write lock, held while both halves start reading: no save can come between their snapshots.
        await ctx.db.transaction(async () => {
          await trx.raw('SELECT 1 FROM customers LIMIT 1')
          await second.begin()
        })
        return dialectOf(trx).withSmallCache(trx, async () => {
          const { columns, money, currency } = await prepareExport(trx, input)
          const scope = await resolveScope(trx, input.scope)
          const pieces = await piecesOf(trx, scope, piece, MAX_PIECES)
          const claims = newClaims(pieces.length)
          let written = 0
          const report = () => progress.report(written + second.rows, scope.total, 'Writing customers')
          second.onRows = report
          report()
          const { result: rows, bytes } = await writeWhole(file, async (out) => {
            const sheet = openCsv({ out, columns, money })
            try {
              await mkdir(folder, { mode: 0o700 })
              second.work(pieces, claims, currency)
              // This thread takes the pieces from the first on, the other from the last back, until they meet.
              const rowPages = rowPagesOf(trx, columns, currency)
              for (let next = claimPiece(claims, 'first'); next !== null; next = claimPiece(claims, 'first')) {
                for await (const page of rowPages(pieces[next]!)) {
                  progress.checkCancelled()
                  await sheet.writeRows(page)
                  written += page.length
                  report()
                }
              }
              const theirs = await second.done(progress)
              progress.checkCancelled()
              for (const piece of theirs.pieces.sort((a, b) => a - b)) await append(out, join(folder, String(piece)))
              await sheet.finish()
              return written + theirs.rows
            } catch (error) {
              sheet.abort()
              throw error
            }
          })
          return { fileName: basename(file), rows, bytes }
        }, HALF_CACHE_MIB)
      },
      { readOnly: true },
    )
  } finally {
    await second.stop()
    await rm(folder, { recursive: true, force: true })
    await closeDatabase(reader)
  }
}

/** A piece's bytes after those before it, the file left open for the rest (a pipeline would leave its listeners on it, one set per piece). */
async function append(out: Writable, piece: string): Promise<void> {
  for await (const chunk of createReadStream(piece)) {
    if (!out.write(chunk)) await drained(out)
  }
}
