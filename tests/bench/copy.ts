/**
 * `frontdesk copy` both ways at scale: a cached customer file with bookings
 * (built once by the demo seeder, kept in .bench-cache/) is copied into a new
 * database on a PostgreSQL server and from there into a new file; each
 * direction's time and rows a second print.
 *
 *   FRONTDESK_TEST_POSTGRES=postgres://… npx tsx tests/bench/copy.ts --count 100000 [--no-bookings] [--one-way]
 *
 * Target: 1,000,000 customers (about 5 million rows) either way in under 2 minutes.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import knex from 'knex'
import { openDatabase, closeDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'
import { seedDemoCustomers } from '../../main/demo/generate'
import { copyDatabase } from '../../main/services/database'
import { NO_PROGRESS, type Progress } from '../../main/services/progress'
import { removeDatabase } from './cache'
import { record } from './measure'

/** The seeded file for `count` customers (with their bookings unless told), built once. */
export async function copyCache(cacheDir: string, count: number, bookings = true): Promise<string> {
  const file = join(cacheDir, `copy-${count}${bookings ? '' : '-no-bookings'}-seed42.sqlite3`)
  if (existsSync(file)) return file
  mkdirSync(cacheDir, { recursive: true })
  const building = `${file}.building`
  removeDatabase(building)
  const db = openDatabase(building)
  const started = performance.now()
  await migrateToLatest(db)
  await seedDemoCustomers(db, { count, seed: 42, bookings, now: new Date('2026-06-01T09:00:00Z') })
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
  await closeDatabase(db)
  // Built under another name, so a half-built cache is never taken for a whole one.
  removeDatabase(file)
  renameSync(building, file)
  removeDatabase(building)
  console.log(`  built ${count.toLocaleString('en-GB')} customers${bookings ? ' with bookings' : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return file
}

function serverUrl(base: string, database: string): string {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

/** The part of the copy a progress phase belongs to ("Copying customers" → copying). */
const part = (phase: string) =>
  /^Copying/.test(phase) ? 'read+write' : /^Checking/.test(phase) ? 'verify' : /indexes/.test(phase) ? 'indexes' : /counts/.test(phase) ? 'refill' : /search/.test(phase) ? 'search' : 'open'

/** Prints progress now and then, and times each part of the copy by the phases it reports. */
function timing(label: string): Progress & { parts: Map<string, number>; end(): void } {
  let last = 0
  let current = 'open'
  let since = performance.now()
  const parts = new Map<string, number>()
  const close = () => {
    const now = performance.now()
    parts.set(current, (parts.get(current) ?? 0) + now - since)
    since = now
  }
  return {
    ...NO_PROGRESS,
    parts,
    end: close,
    report(done, total, phase = '') {
      if (part(phase) !== current) {
        close()
        current = part(phase)
      }
      if (performance.now() - last < 2000) return
      last = performance.now()
      process.stdout.write(`\r  ${label}: ${phase} ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')}        `)
    },
  }
}

/** Copies the file into a new server database and back into a new file, recording both. */
export async function benchCopy(options: { cacheDir: string; count: number; serverBase: string; bookings?: boolean; oneWay?: boolean }): Promise<void> {
  const file = await copyCache(options.cacheDir, options.count, options.bookings ?? true)
  const database = `frontdesk_bench_copy_${options.count}`
  const url = serverUrl(options.serverBase, database)
  const server = knex({ client: 'pg', connection: serverUrl(options.serverBase, 'postgres') })
  try {
    await server.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await server.raw(`CREATE DATABASE ${database}`)
  } finally {
    await server.destroy()
  }
  const back = join(options.cacheDir, 'copy-back.sqlite3')
  removeDatabase(back)
  try {
    const directions = [
      ['file → PostgreSQL', file, url],
      ['PostgreSQL → file', url, back],
    ] as const
    for (const [label, from, to] of options.oneWay ? directions.slice(0, 1) : directions) {
      const started = performance.now()
      const progress = timing(label)
      const report = await copyDatabase({ from, to }, progress)
      progress.end()
      const ms = performance.now() - started
      const perSecond = Math.round(report.rows / (ms / 1000))
      console.log(`\r  ${label}: ${report.rows.toLocaleString('en-GB')} rows in ${(ms / 1000).toFixed(1)} s (${perSecond.toLocaleString('en-GB')} rows/s)          `)
      console.log(`    ${[...progress.parts].map(([name, partMs]) => `${name} ${(partMs / 1000).toFixed(1)} s`).join(', ')}`)
      record(`copy ${options.count.toLocaleString('en-GB')} customers ${label} (${report.rows.toLocaleString('en-GB')} rows, verified; ${perSecond.toLocaleString('en-GB')} rows/s)`, ms, '')
    }
  } finally {
    removeDatabase(back)
    const cleanup = knex({ client: 'pg', connection: serverUrl(options.serverBase, 'postgres') })
    await cleanup.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).finally(() => cleanup.destroy())
  }
}

if (require.main === module) {
  const args = process.argv.slice(2)
  const count = Number(args[args.indexOf('--count') + 1] ?? 0) || 100_000
  const serverBase = process.env['FRONTDESK_TEST_POSTGRES']
  if (!serverBase) throw new Error('Set FRONTDESK_TEST_POSTGRES to a PostgreSQL server.')
  void benchCopy({ cacheDir: join(process.cwd(), '.bench-cache'), count, serverBase, bookings: !args.includes('--no-bookings'), oneWay: args.includes('--one-way') })
}
