import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { closeDatabase, openDatabase } from '../../../db/connection'
import { dialectOf } from '../../../db/dialects'
import { yieldToTheDesk } from '../threads'
import { chooseColumns } from './columns'
import { openCsv } from './csv'
import { rowPagesOf } from './rows'
import { moneyFormatOf } from './values'
import { claimPiece, HALF_CACHE_MIB, type FromHalf, type HalfData, type ToHalf } from './halfMessages'

/*
 * The thread that writes the second half of a large CSV export (halves.ts):
 * once connected, it starts reading when told (while the export holds the
 * write lock), then takes the export's pieces from the last back, each
 * written without a header into a file of its own, until none is left.
 */

const port = parentPort
if (!port) throw new Error('The export half must run as a worker thread')
yieldToTheDesk()
const { location, columns: keys, folder } = workerData as HalfData
const send = (message: FromHalf) => port.postMessage(message)

const waiting: Array<(message: ToHalf) => void> = []
const received: ToHalf[] = []
port.on('message', (message: ToHalf) => {
  const next = waiting.shift()
  if (next) next(message)
  else received.push(message)
})
const nextMessage = () => new Promise<ToHalf>((resolve) => (received.length ? resolve(received.shift()!) : waiting.push(resolve)))

async function writeHalf(): Promise<void> {
  const db = openDatabase(location)
  try {
    // Connected and ready before the export takes the write lock, which it then holds only while this thread starts reading.
    await db.raw('SELECT 1')
    send({ kind: 'loaded' })
    await nextMessage()
    await db.transaction(
      async (trx) => {
        await trx.raw('SELECT 1 FROM customers LIMIT 1')
        send({ kind: 'ready' })
        const message = await nextMessage()
        if (message.kind !== 'work') throw new Error(`The export half was told “${message.kind}” where it waited for its customers.`)
        const { pieces, claims, currency } = message
        await dialectOf(trx).withSmallCache(trx, async () => {
          const { columns } = await chooseColumns(trx, keys)
          const money = moneyFormatOf(currency)
          let rows = 0
          const mine: number[] = []
          const rowPages = rowPagesOf(trx, columns, currency)
          for (let piece = claimPiece(claims, 'last'); piece !== null; piece = claimPiece(claims, 'last')) {
            const out = createWriteStream(join(folder, String(piece)), { flags: 'wx', mode: 0o600 })
            out.on('error', () => {})
            await once(out, 'ready')
            const sheet = openCsv({ out, columns, money }, { header: false })
            for await (const page of rowPages(pieces[piece]!)) {
              await sheet.writeRows(page)
              rows += page.length
              send({ kind: 'rows', count: page.length })
            }
            await sheet.finish()
            mine.push(piece)
          }
          send({ kind: 'done', rows, pieces: mine })
        }, HALF_CACHE_MIB)
      },
      { readOnly: true },
    )
  } finally {
    await closeDatabase(db)
  }
}

writeHalf().then(
  () => port.close(),
  (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code
    send({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error), ...(typeof code === 'string' ? { code } : {}) })
    port.close()
  },
)
