import { parentPort, workerData } from 'node:worker_threads'
import { rowReader, type RowReaderOptions } from './rows'
import { checkRows, type FromChecker, type ToChecker } from './checking'
import { yieldToTheDesk } from '../threads'

/*
 * A thread that checks an import's rows (see checking.ts): it makes the
 * import's reader from the same options and answers each batch in turn.
 */

const port = parentPort
if (!port) throw new Error('The import checker must run as a worker thread')
yieldToTheDesk()
const reader = rowReader(workerData as RowReaderOptions)

port.on('message', ({ id, rows }: ToChecker) => {
  let reply: FromChecker
  try {
    reply = { id, results: checkRows(reader, rows) }
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  port.postMessage(reply)
})
