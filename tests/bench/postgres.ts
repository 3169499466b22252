/**
 * The address book's and the bookings' figures again on PostgreSQL
 * (`npm run bench:postgres`, which brings a throwaway server; or `--postgres`
 * with FRONTDESK_TEST_POSTGRES set to a server of your own): the same cached
 * database is copied into the server as `frontdesk copy` does (its time is a
 * figure too, and the copy back out into a file), analysed, opened as a desk would, and measured by the same code
 * as on SQLite, so the two engines' figures print side by side.
 *
 * Targets on PostgreSQL: every kind of search p95 < 20 ms, any list page < 16 ms,
 * tab counts < 5 ms, a customer write < 10 ms, a 500-booking profile < 50 ms.
 */
import { dirname, join } from 'node:path'
import knex from 'knex'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import { copyDatabase } from '../../main/services/database'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { NO_PROGRESS } from '../../main/services/progress'
import { testWorker } from '../helpers/worker'
import { removeDatabase } from './cache'
import { measureOn, record, skipped } from './measure'

function serverUrl(database: string): string | null {
  const base = process.env['FRONTDESK_TEST_POSTGRES']
  if (!base) return null
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

/** Copies `cacheFile` into a new database on the server, then runs `measures` on a desk opened there. */
export async function benchOnPostgres(name: string, cacheFile: string, measures: (core: FrontdeskCore) => Promise<unknown>): Promise<void> {
  const database = `frontdesk_bench_${name}`
  const url = serverUrl(database)
  const admin = serverUrl('postgres')
  if (!url || !admin) {
    skipped(`PostgreSQL: ${name}`, 'no server')
    console.log('  PostgreSQL: FRONTDESK_TEST_POSTGRES is not set (npm run bench:postgres starts a server)')
    return
  }
  const server = knex({ client: 'pg', connection: admin })
  try {
    await server.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await server.raw(`CREATE DATABASE ${database}`)
    // The figures depend on it: npm run bench:postgres gives its server a quarter of the memory (build/test-postgres.mjs).
    const buffers = (await server.raw('SHOW shared_buffers')) as { rows: Array<{ shared_buffers: string }> }
    console.log(`  PostgreSQL: the server's own cache (shared_buffers) is ${buffers.rows[0]?.shared_buffers ?? '?'}`)
  } finally {
    await server.destroy()
  }
  console.log(`  PostgreSQL: copying ${cacheFile} into ${database}`)
  const started = performance.now()
  let last = 0
  const report = await copyDatabase(
    { from: cacheFile, to: url },
    {
      ...NO_PROGRESS,
      report(done, total, phase) {
        if (performance.now() - last < 2000) return
        last = performance.now()
        process.stdout.write(`\r  copying: ${phase ?? ''} ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')}        `)
      },
    },
  )
  const copyMs = performance.now() - started
  console.log(`\n  copied ${report.rows.toLocaleString('en-GB')} rows in ${(copyMs / 1000).toFixed(1)} s`)
  record(`PostgreSQL: copy the ${name} database into the server (${report.rows.toLocaleString('en-GB')} rows, verified)`, copyMs, '')
  // And back out into a new file, as `frontdesk copy --from <server> --to <file>` does.
  const back = join(dirname(cacheFile), `${name}-from-server.sqlite3`)
  removeDatabase(back)
  const outStarted = performance.now()
  const out = await copyDatabase({ from: url, to: back }, NO_PROGRESS)
  record(`PostgreSQL: copy the server's database into a new file (${out.rows.toLocaleString('en-GB')} rows, verified)`, performance.now() - outStarted, '')
  removeDatabase(back)
  const opening = performance.now()
  const core = await openFrontdesk({ dataFile: url, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN })
  // As after any bulk load: autovacuum would otherwise pass over the million new rows while they are measured.
  await core.db.raw('VACUUM (ANALYZE)')
  record(`PostgreSQL: open the desk on the server, then VACUUM (ANALYZE)`, performance.now() - opening, '')
  measureOn('PostgreSQL')
  try {
    await measures(core)
  } finally {
    measureOn('SQLite')
    await core.close()
  }
}
