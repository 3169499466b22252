/**
 * One print run in a process of its own, so its peak memory is the run's
 * alone (tests/bench/letters.ts bundles and runs it):
 * `letters-child <database> <letters|labels> <count> <dir>` prints the first
 * `count` pending brochure requests as letters (DL) or A4 3 × 7 labels and
 * prints `{ ms, peakRssMb, pages, bytes }` as JSON. The database is only read.
 */
import { closeDatabase, openDatabase } from '../../db/connection'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { makeLabels, makeLetters } from '../../main/services/brochures'
import { NO_PROGRESS } from '../../main/services/progress'
import { peakMemoryMb } from '../helpers/peakMemory'

async function main(): Promise<void> {
  const [database, kind, count, dir] = process.argv.slice(2)
  if (!database || (kind !== 'letters' && kind !== 'labels') || !count || !dir) throw new Error('Usage: letters-child <database> <letters|labels> <count> <dir>')
  const db = openDatabase(database, { readonly: true })
  const ctx = { db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
  const ids = ((await db('brochure_requests').where({ status: 'pending' }).orderBy('id').limit(Number(count)).select('id')) as Array<{ id: number }>).map((r) => r.id)
  const templateId = ((await db('letter_templates').where({ is_default: true }).first('id')) as { id: number }).id
  const selection = { kind: 'ids' as const, ids }
  const started = performance.now()
  const printout =
    kind === 'letters'
      ? await makeLetters(ctx, { selection, templateId, envelope: 'dl', skipFlagged: true, dir }, NO_PROGRESS)
      : await makeLabels(ctx, { selection, sheet: 'a4-3x7', start: 1, skipFlagged: true, dir }, NO_PROGRESS)
  const ms = performance.now() - started
  await closeDatabase(db)
  console.log(JSON.stringify({ ms, peakRssMb: peakMemoryMb(), pages: printout.pages, bytes: printout.bytes, printed: printout.printed }))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
