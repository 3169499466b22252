import { platform, setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { rowReader, type RowReaderOptions } from './rows'
import { checkRows, type FromChecker, type ToChecker } from './checking'

/*
 * A thread that checks an import's rows (see checking.ts): it makes the
 * import's reader from the same options and answers each batch in turn.
 */

const port = parentPort
if (!port) throw new Error('The import checker must run as a worker thread')
// On Linux a thread's priority is its own (elsewhere it is the whole process's): the desk's searches come first.
if (platform() === 'linux') {
  try {
    setPriority(10)
  } catch {
    // Not allowed here: the thread checks at the desk's priority.
  }
}
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
