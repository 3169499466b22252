import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { CellValue, ColumnSpec } from './columns'
import type { MoneyFormat } from './values'

/** What both formats offer the export: rows in, a whole file out, or nothing at all. */
export interface SheetWriter {
  /** Writes a page of rows, waiting while the file falls behind (memory stays flat). The rows are the writer's from then on: it may change them. */
  writeRows(rows: readonly CellValue[][]): Promise<void>
  /** Ends the file and waits until every byte is handed to the file system. */
  finish(): Promise<void>
  /** Stops after a failure or Cancel; the caller removes the file. */
  abort(): void
}

export interface SheetOptions {
  out: Writable
  columns: readonly ColumnSpec[]
  money: MoneyFormat
}

/** Waits until a stream that said "enough" takes more, failing if it broke meanwhile. */
export async function drained(out: Writable): Promise<void> {
  if (out.errored) throw out.errored
  if (out.writableNeedDrain) await once(out, 'drain')
}

/** Ends the stream and waits until everything written has been handed to the file. */
export function ended(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.errored) return reject(out.errored)
    out.once('error', reject)
    out.end(() => {
      out.off('error', reject)
      if (out.errored) reject(out.errored)
      else resolve()
    })
  })
}
