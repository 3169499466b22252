import { closeDatabase, openDatabase } from '../../db/connection'
import { inspectDataFile, lockDataFile } from '../../db/dataFile'
import { migrations } from '../../db/migrations'
import { prepareDataFile } from '../../db/open'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { runImport } from '../../main/services/imports'
import { runBulkAction } from '../../main/services/organise/bulk'
import type { Progress } from '../../main/services/progress'
import { bulkInput } from '../../preload/contract'

/*
 * One operation on a customer file, run in its own process so a test can kill
 * it (SIGKILL) at any moment: the file is opened as the app opens a file that
 * needs no migration (locked, prepared, its quick check left for later — the
 * test runs a full integrity_check itself), then the operation runs with a fixed clock, so
 * two complete runs leave identical rows. Prints `ready` once the file is open
 * and `done <ms>` when the operation has committed.
 *
 *   crash-child import FILE CSV REJECTS
 *   crash-child bulk-tag FILE TAG COUNT   (the first COUNT active customers)
 */

export const CRASH_CLOCK = '2026-12-02T09:30:00.000Z'

const progress: Progress = { report() {}, checkCancelled() {}, waitForWriteTurn: () => Promise.resolve() }

async function main(): Promise<void> {
  const [op, file, a, b] = process.argv.slice(2)
  const lock = lockDataFile(file!)
  await prepareDataFile(file!, inspectDataFile(file!, migrations.map(([name]) => name)), { deferCheck: true })
  const db = openDatabase(file!)
  const ctx = { db, staff: BUILT_IN_ADMIN, clock: () => new Date(CRASH_CLOCK) }
  process.stdout.write('ready\n')
  const started = performance.now()
  try {
    if (op === 'import') {
      await runImport(ctx, { file: a!, sheet: null, mapping: null, match: 'fill', rejectsFile: b! }, progress)
    } else if (op === 'bulk-tag') {
      // The first COUNT active customers, as a desk selecting them would send their ids.
      const ids = (await ctx.db('customers').where({ status: 'active' }).orderBy('id').limit(Number(b)).pluck('id')) as number[]
      await runBulkAction(ctx, bulkInput.parse({ selection: { kind: 'ids', ids }, action: { kind: 'tag', tagName: a } }), progress)
    } else {
      throw new Error(`Unknown operation ${op}`)
    }
    process.stdout.write(`done ${Math.round(performance.now() - started)}\n`)
  } finally {
    await closeDatabase(db)
    lock.release()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
