/**
 * One export in a process of its own, so its peak memory is the export's alone
 * (tests/bench/export.ts bundles and runs it; `tsx` runs it as it is):
 * `export-child <database> <csv|xlsx> <file>` exports every customer with the
 * columns ticked by default and prints `{ ms, peakRssMb, rows, bytes }` as
 * JSON. The database is opened as the app's job worker opens it (the export
 * writes nothing, but holds the write lock while its two halves start reading).
 */
import { closeDatabase, openDatabase } from '../../db/connection'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { exportColumns, exportCustomers } from '../../main/services/exports'
import { NO_PROGRESS } from '../../main/services/progress'
import type { ExportFormat } from '../../preload/contract'
import { peakMemoryMb } from '../helpers/peakMemory'

async function main(): Promise<void> {
  const [database, format, file] = process.argv.slice(2)
  if (!database || (format !== 'csv' && format !== 'xlsx') || !file) {
    throw new Error('Usage: export-child.ts <database> <csv|xlsx> <file>')
  }
  const db = openDatabase(database)
  const ctx = { db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
  const columns = (await exportColumns(ctx)).filter((c) => c.defaultOn).map((c) => c.key)
  const started = performance.now()
  const result = await exportCustomers(ctx, { scope: { kind: 'all' }, format: format as ExportFormat, columns }, file, NO_PROGRESS)
  const ms = performance.now() - started
  await closeDatabase(db)
  console.log(JSON.stringify({ ms, peakRssMb: peakMemoryMb(), rows: result.rows, bytes: result.bytes }))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
