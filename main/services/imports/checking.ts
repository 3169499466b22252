import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { RejectedRow, rowReader, type IncomingRow, type RowReader, type RowReaderOptions } from './rows'
import type { SourceRow } from './sources'
import { startThread } from '../threads'

/*
 * Checking a row (its phones above all: libphonenumber takes some 40 µs a
 * number) is most of the time an import spends reading its file, and rows
 * are checked independently of one another. A large file is therefore
 * checked on threads beside the import's own, which keeps reading the file
 * and keeps the results in the file's order; whatever the threads cannot
 * take at the moment, the import checks itself.
 */

/** A row checked: what it says about its customer, or why it is refused. */
export type Checked = IncomingRow | { rejected: string }

/** Between the import and a checking thread. */
export type ToChecker = { id: number; rows: SourceRow[] }
export type FromChecker = { id: number; results: Checked[] } | { id: number; error: string }

/** Rows checked together, on a thread or in place… */
const CHECK_BATCH = 500
/** …or fewer, when they are large (a contact's picture can be 100 KB): what is held while checking stays a few MB. */
const CHECK_BATCH_CHARACTERS = 256 * 1024

/** Rows before threads are worth their start (a few hundred ms each): small files are checked in place. */
const THREADS_FROM_ROWS = 5_000
/** Batches a thread holds at once: one being checked, one waiting, so it never idles between them. */
const BATCHES_PER_THREAD = 2

export function checkRows(reader: RowReader, rows: readonly SourceRow[]): Checked[] {
  return rows.map((row) => {
    try {
      return reader.read(row)
    } catch (error) {
      if (error instanceof RejectedRow) return { rejected: error.message }
      throw error
    }
  })
}

/**
 * One core stays with the desk (the window, its searches and saves). Two
 * threads at most: with them the import's own thread (reading the file,
 * keeping what was checked) is already the slower side, and each more would
 * add its memory to a peak a million-row import keeps under 500 MB.
 */
export function defaultCheckingThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1))
}

interface Thread {
  worker: Worker
  waiting: Map<number, { rows: SourceRow[]; resolve: (results: Checked[]) => void; reject: (error: Error) => void }>
  lost: boolean
}

/**
 * Checks an import's rows, batch by batch, on up to `threads` threads once the
 * file proves large, and in place otherwise. Results come back per batch; the
 * caller consumes them in the order it asked.
 */
export class RowChecking {
  private readonly reader: RowReader
  private readonly pool: Thread[] = []
  private seen = 0
  /** Rows the threads checked (the rest were checked in place). */
  rowsOnThreads = 0
  private nextId = 0
  private started = false

  constructor(
    private readonly options: RowReaderOptions,
    private readonly threads = defaultCheckingThreads(),
    private readonly threadsFromRows = THREADS_FROM_ROWS,
  ) {
    this.reader = rowReader(options)
  }

  /** Batches worth asking for before taking the first one's results. */
  get ahead(): number {
    return this.pool.length * BATCHES_PER_THREAD + 1
  }

  check(rows: SourceRow[]): Promise<Checked[]> {
    this.seen += rows.length
    if (!this.started && this.threads > 0 && this.seen >= this.threadsFromRows) this.start()
    let thread: Thread | undefined
    for (const candidate of this.pool) {
      if (!candidate.lost && candidate.waiting.size < BATCHES_PER_THREAD && (!thread || candidate.waiting.size < thread.waiting.size)) thread = candidate
    }
    if (!thread) {
      try {
        return Promise.resolve(checkRows(this.reader, rows))
      } catch (error) {
        return Promise.reject(error as Error)
      }
    }
    const id = this.nextId++
    const on = thread
    return new Promise<Checked[]>((resolve, reject) => {
      on.waiting.set(id, { rows, resolve, reject })
      on.worker.postMessage({ id, rows } satisfies ToChecker)
    })
  }

  async close(): Promise<void> {
    const pool = this.pool.splice(0)
    for (const thread of pool) thread.lost = true
    await Promise.all(pool.map((t) => t.worker.terminate()))
  }

  private start(): void {
    this.started = true
    for (let i = 0; i < this.threads; i++) {
      const worker = startThread('import-checker.js', join(__dirname, 'checkerThread.ts'), { workerData: this.options })
      if (!worker) return
      const thread: Thread = { worker, waiting: new Map(), lost: false }
      worker.on('message', (message: FromChecker) => {
        const batch = thread.waiting.get(message.id)
        if (!batch) return
        thread.waiting.delete(message.id)
        if ('error' in message) return batch.reject(new Error(message.error))
        this.rowsOnThreads += batch.rows.length
        batch.resolve(message.results)
      })
      // A thread that could not start or stopped: its batches are checked here instead.
      const lose = () => {
        if (thread.lost) return
        thread.lost = true
        for (const { rows, resolve, reject } of thread.waiting.values()) {
          try {
            resolve(checkRows(this.reader, rows))
          } catch (error) {
            reject(error as Error)
          }
        }
        thread.waiting.clear()
      }
      worker.on('error', lose)
      worker.on('exit', lose)
      this.pool.push(thread)
    }
  }
}

/** A row's size as checking holds it, in characters (a value that is not text counts as a few). */
function sizeOf(row: SourceRow): number {
  let size = 0
  for (const cell of row.cells) size += typeof cell === 'string' ? cell.length : 8
  return size
}

/**
 * The rows in their order, a batch at a time, each row with what checking
 * found: batches go to `checking` as they fill, and each is given back once
 * checked and all before it are, so only a few batches are ever held.
 * `onRow` is told of every row read (for progress and Cancel).
 */
export async function* checkedInOrder(
  rows: AsyncIterable<SourceRow>,
  checking: RowChecking,
  onRow: () => void,
): AsyncIterable<{ rows: SourceRow[]; checked: Checked[] }> {
  const ahead: Array<{ rows: SourceRow[]; results: Promise<Checked[]>; settled: boolean }> = []
  const takeFirst = async () => {
    const { rows: batch, results } = ahead.shift()!
    return { rows: batch, checked: await results }
  }
  let batch: SourceRow[] = []
  let size = 0
  const submit = () => {
    const entry = { rows: batch, results: checking.check(batch), settled: false }
    // Settled or not, a batch's failure is met when it is taken.
    entry.results.then(
      () => (entry.settled = true),
      () => (entry.settled = true),
    )
    ahead.push(entry)
    batch = []
    size = 0
  }
  for await (const row of rows) {
    onRow()
    batch.push(row)
    size += sizeOf(row)
    if (batch.length < CHECK_BATCH && size < CHECK_BATCH_CHARACTERS) continue
    submit()
    while (ahead.length && (ahead[0]!.settled || ahead.length > checking.ahead)) yield await takeFirst()
  }
  if (batch.length) submit()
  while (ahead.length) yield await takeFirst()
}
