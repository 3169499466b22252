import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import type { BulkConnection, SearchBuildHost } from '../../../db/bulk'
import { startOfSearchSources, type SearchBuildChunk } from '../../../db/searchBuild'
import { startThread } from '../threads'
import type { FromSearchBuild, ToSearchBuild } from './searchThread'

/*
 * A first load's search indexes built on a thread while it writes
 * (db/searchBuild.ts): the load sends each batch's customers on as it writes
 * them, and at the end takes the indexes in, instead of indexing a million
 * customers itself after writing them.
 */

/** Customers sent on and not yet indexed, at most: the load waits beyond, so what waits for the thread stays a few MB. */
const AHEAD = 5_000
/** Chunks asked for ahead of the one being taken in: the build makes them meanwhile. */
const CHUNKS_AHEAD = 2

export class SearchBuildBeside {
  private cursor = startOfSearchSources()
  /** The customers up to this id have been sent, and those below `indexedTo` indexed. */
  private sentUpTo = 0
  private indexedTo = 1
  private failure: Error | null = null
  private readonly waiting: Array<() => void> = []
  /** Chunks (and the end) arrived and not yet taken; chunks asked for and not yet arrived; whether the end arrived. */
  private readonly replies: FromSearchBuild[] = []
  private asked = 0
  private ended = false

  private constructor(
    private readonly worker: Worker,
    private readonly host: SearchBuildHost,
  ) {
    worker.on('message', (message: FromSearchBuild) => {
      if (message.kind === 'indexed') this.indexedTo = message.to
      else if (message.kind === 'error') return this.fail(new Error(message.error))
      else {
        this.asked--
        this.ended ||= message.kind === 'end'
        this.replies.push(message)
      }
      this.wake()
    })
    worker.on('error', (error) => this.fail(error))
    worker.on('exit', () => this.fail(new Error('The search build stopped')))
  }

  /** Started beside a first load on this connection; null where it cannot be (a server, or no thread can start here). */
  static start(conn: BulkConnection): SearchBuildBeside | null {
    const host = conn.searchBuildHere()
    if (!host) return null
    const worker = startThread('import-search.js', join(__dirname, 'searchThread.ts'), { workerData: host.setup })
    return worker ? new SearchBuildBeside(worker, host) : null
  }

  /** Sends on the customers written up to this id (with their addresses and phones): call it between batches. */
  async send(upTo: number): Promise<void> {
    if (this.failure || upTo <= this.sentUpTo) return
    while (!this.failure && this.sentUpTo - this.indexedTo >= AHEAD) await new Promise<void>((resolve) => this.waiting.push(resolve))
    const { rows, next } = this.host.sources(this.cursor, upTo)
    this.cursor = next
    this.post({ kind: 'add', rows, from: this.sentUpTo + 1, to: upTo + 1 })
    this.sentUpTo = upTo
  }

  /** Every customer is sent: the build makes its first chunks while the load finishes what else it does. */
  allSent(): void {
    this.askAhead()
  }

  /**
   * Waits for the build to index everything sent, then replaces the connection's search indexes with it. False
   * when the build failed before that (nothing was replaced); a failure while replacing them fails the load.
   */
  async finish(onProgress: (done: number, total: number, phase: 'indexing' | 'storing') => void): Promise<boolean> {
    const first = this.indexedTo
    while (!this.failure && this.indexedTo <= this.sentUpTo) {
      onProgress(this.indexedTo - first, this.sentUpTo + 1 - first, 'indexing')
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
    if (this.failure) return false
    await this.host.take(this.chunks((done, total) => onProgress(done, total, 'storing')))
    return true
  }

  /** Stops the thread (and with it the build's file). */
  async stop(): Promise<void> {
    this.failure ??= new Error('The search build was stopped')
    await this.worker.terminate()
  }

  /** The build's chunks, a few asked for ahead of the one taken in. */
  private async *chunks(onChunk: (done: number, total: number) => void): AsyncGenerator<SearchBuildChunk> {
    for (;;) {
      this.askAhead()
      while (!this.failure && !this.replies.length) await new Promise<void>((resolve) => this.waiting.push(resolve))
      if (this.failure) throw this.failure
      const message = this.replies.shift()!
      if (message.kind !== 'chunk') return
      onChunk(message.chunk.done, message.chunk.total)
      yield message.chunk
    }
  }

  private askAhead(): void {
    for (; !this.failure && !this.ended && this.asked < CHUNKS_AHEAD; this.asked++) this.post({ kind: 'next' })
  }

  private post(message: ToSearchBuild): void {
    this.worker.postMessage(message)
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.wake()
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve()
  }
}
