import { parentPort, workerData } from 'node:worker_threads'
import { SearchIndexBuild, type SearchBuildChunk, type SearchBuildSetup, type SearchSourceRows } from '../../../db/searchBuild'
import { yieldToTheDesk } from '../threads'

/*
 * The thread that builds a first load's search indexes (db/searchBuild.ts)
 * while the load writes: it indexes each batch of customers it is sent, then
 * gives back the indexes' rows a chunk at a time, each when asked for.
 */

/** Between the import and its search build. */
export type ToSearchBuild = { kind: 'add'; rows: SearchSourceRows; from: number; to: number } | { kind: 'next' }
export type FromSearchBuild =
  | { kind: 'indexed'; to: number }
  | { kind: 'chunk'; chunk: SearchBuildChunk }
  | { kind: 'end' }
  | { kind: 'error'; error: string }

const port = parentPort
if (!port) throw new Error('The search build must run as a worker thread')
yieldToTheDesk()
const build = new SearchIndexBuild(workerData as SearchBuildSetup)
let chunks: Generator<SearchBuildChunk> | null = null
const send = (message: FromSearchBuild) => port.postMessage(message)

port.on('message', (message: ToSearchBuild) => {
  try {
    if (message.kind === 'add') {
      build.add(message.rows, message.from, message.to)
      send({ kind: 'indexed', to: message.to })
      return
    }
    chunks ??= build.chunks()
    const next = chunks.next()
    if (!next.done) return send({ kind: 'chunk', chunk: next.value })
    build.close()
    send({ kind: 'end' })
  } catch (error) {
    send({ kind: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
})
