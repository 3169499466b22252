import { closeDatabase, openDatabase } from '../../db/connection'
import { inspectDataFile, lockDataFile } from '../../db/dataFile'
import { migrations } from '../../db/migrations'
import { prepareDataFile } from '../../db/open'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import type { Progress } from '../../main/services/progress'

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
 *   crash-child restore FILE BACKUP       (as `frontdesk restore` does it, opening the file itself)
 */

export const CRASH_CLOCK = '2026-12-02T09:30:00.000Z'

const progress: Progress = { report() {}, checkCancelled() {}, waitForWriteTurn: () => Promise.resolve() }

type Context = { db: ReturnType<typeof openDatabase>; staff: typeof BUILT_IN_ADMIN; clock: () => Date }

/** Each operation loads only its own modules, before the file is opened: a quick start keeps the kill loop short. */
async function operation(op: string | undefined, a: string, b: string): Promise<(ctx: Context) => Promise<unknown>> {
  if (op === 'import') {
    const { runImport } = await import('../../main/services/imports')
    return (ctx) => runImport(ctx, { file: a, sheet: null, mapping: null, match: 'fill', rejectsFile: b }, progress)
  }
  if (op === 'bulk-tag') {
    const { runBulkAction } = await import('../../main/services/organise/bulk')
    const { bulkInput } = await import('../../preload/contract')
    return async (ctx) => {
      // The first COUNT active customers, as a desk selecting them would send their ids.
      const ids = (await ctx.db('customers').where({ status: 'active' }).orderBy('id').limit(Number(b)).pluck('id')) as number[]
      return runBulkAction(ctx, bulkInput.parse({ selection: { kind: 'ids', ids }, action: { kind: 'tag', tagName: a } }), progress)
    }
  }
  throw new Error(`Unknown operation ${op}`)
}

async function main(): Promise<void> {
  const [op, file, a = '', b = ''] = process.argv.slice(2)
  if (op === 'restore') {
    const { restoreCommand } = await import('../../main/cli/backups')
    process.stdout.write('ready\n')
    const started = performance.now()
    await restoreCommand(file!, a, progress)
    process.stdout.write(`done ${Math.round(performance.now() - started)}\n`)
    return
  }
  const run = await operation(op, a, b)
  const lock = lockDataFile(file!)
  await prepareDataFile(file!, inspectDataFile(file!, migrations.map(([name]) => name)), { deferCheck: true })
  const db = openDatabase(file!)
  process.stdout.write('ready\n')
  const started = performance.now()
  try {
    await run({ db, staff: BUILT_IN_ADMIN, clock: () => new Date(CRASH_CLOCK) })
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
