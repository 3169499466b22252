import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { buildSync } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'
import { CHUNK_SIZE } from '../../db/idChunks'
import { seedDemoCustomers } from '../../main/demo/generate'
import { writeCachedLoader } from '../helpers/cachedLoader'
import { asBeforeButTakenBack, changedTables, digestTables, openAsTheAppDoes, problemsIn, TAKEN_BACK_TRACES } from '../helpers/fileChecks'

/*
 * Crash safety: the process doing the work is killed (SIGKILL, its whole
 * process group) at random moments — during a large import, during a bulk
 * tag of 4,000 customers and during a restore from a backup — 100 times in all. After each kill the file, opened
 * as the app opens it, is undamaged (integrity_check), its counters and report
 * totals equal the rows, the search index agrees with the customers (same
 * documents; customers picked at random are found by their own email or
 * name), the change log's chain is whole, and every table is exactly as
 * before the operation or exactly as after a complete run (a digest of every
 * row of every table) — or, for an import cut off after some of its turns,
 * as before except the change log and the ids given out, once the opening
 * has taken it back. The operation runs in a small bundled script (it starts
 * in a fraction of a second), with a fixed clock so complete runs are equal.
 */

const root = join(__dirname, '..', '..')
const bundle = join(root, 'out', 'test-crash', 'crash-child.js')
/** Started a hundred times: V8's cache of the compiled bundle takes a third off each start. */
const child = join(root, 'out', 'test-crash', 'crash-child-cached.js')
const KILLS = { import: 40, bulk: 40, restore: 20 }
/*
 * Sizes: each operation is one transaction whose dirty pages stay in the page
 * cache (64 MiB, db/connection.ts) until the commit writes them to the WAL, so
 * a larger run only stretches the same phases; the kill moments scale with the
 * run. The bulk tag still spans many chunks of ids (db/idChunks.ts).
 */
const IMPORT_NEW = 2_000
const IMPORT_UPDATES = 200
const BULK = 4_000
/**
 * Left out of the comparison: the one wall-clock time an import keeps (when
 * it finished; everything else follows the fixed clock), and each change-log
 * entry's random salt with the digest and chain hash that follow from it (the
 * chain itself is checked whole after every kill).
 */
const WALL_CLOCK = { imports: ['finished_at'], change_log: ['content_salt', 'content_hash', 'hash'] }

let dir: string
/** The file each run starts from: a small one for the import, one with more than BULK active customers for the bulk tag. */
let importBase: string
let bulkBase: string
let csv: string
/** A backup with other customers than the file it is restored over. */
let backup: string

interface Operation {
  base: string
  args: (file: string) => string[]
  before: Record<string, string>
  /** Before, leaving out what an import taken back may change (TAKEN_BACK_TRACES). */
  lenientBefore: Record<string, string>
  after: Record<string, string>
  /** From the file being open to the operation committed, in a complete run. */
  runMs: number
  startMs: number
}

function run(args: string[]): { child: ReturnType<typeof spawn>; ready: Promise<number>; exited: Promise<{ code: number | null; out: string; err: string }> } {
  const started = Date.now()
  const proc = spawn(process.execPath, [child, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  let err = ''
  let markReady: (ms: number) => void = () => {}
  const ready = new Promise<number>((resolve) => (markReady = resolve))
  proc.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    if (out.includes('ready\n')) markReady(Date.now() - started)
  })
  proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) => proc.on('exit', (code) => resolve({ code, out, err })))
  return { child: proc, ready, exited }
}

function removeFile(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '.lock']) if (existsSync(file + suffix)) rmSync(file + suffix)
  // The backups an import or a restore makes beside the file: each run starts without them, as the complete run did.
  rmSync(join(dir, 'Backups'), { recursive: true, force: true })
}

/** A complete run on a copy: the digest after it and how long it took. */
async function completeRun(name: string, base: string, args: (file: string) => string[]): Promise<Operation> {
  const file = join(dir, `${name}-complete.sqlite3`)
  removeFile(file)
  copyFileSync(base, file)
  const started = Date.now()
  const { ready, exited } = run(args(file))
  const startMs = await ready
  const { code, out, err } = await exited
  expect(code, err).toBe(0)
  const runMs = Number(/done (\d+)/.exec(out)?.[1])
  await openAsTheAppDoes(file)
  expect(await problemsIn(file)).toEqual([])
  const after = digestTables(file, WALL_CLOCK)
  removeFile(file)
  console.log(`${name}: complete run ${Date.now() - started} ms (start ${startMs} ms, operation ${runMs} ms)`)
  return { base, args, before: digestTables(base, WALL_CLOCK), lenientBefore: digestTables(base, TAKEN_BACK_TRACES.columns), after, runMs, startMs }
}

/** Kills the operation `kills` times at random moments; returns how many files ended before and after it. */
async function killRepeatedly(name: string, op: Operation, kills: number): Promise<{ before: number; after: number; takenBack: number; killed: number }> {
  const tally = { before: 0, after: 0, takenBack: 0, killed: 0 }
  const spent = { running: 0, reopening: 0, checking: 0, comparing: 0 }
  let mark = Date.now()
  const lap = (phase: keyof typeof spent) => {
    spent[phase] += Date.now() - mark
    mark = Date.now()
  }
  for (let i = 0; i < kills; i++) {
    mark = Date.now()
    const file = join(dir, `${name}-killed.sqlite3`)
    removeFile(file)
    copyFileSync(op.base, file)
    const { child: proc, ready, exited } = run(op.args(file))
    // Most kills land while the operation runs (up to just past its commit); some while the file is being opened.
    const whileOpening = i % 8 === 0
    if (whileOpening) await new Promise((resolve) => setTimeout(resolve, Math.random() * op.startMs))
    else {
      await Promise.race([ready, exited])
      await new Promise((resolve) => setTimeout(resolve, Math.random() * op.runMs * 1.15))
    }
    try {
      process.kill(-proc.pid!, 'SIGKILL')
    } catch {
      // It had finished already.
    }
    const { code, err } = await exited
    if (code === null) tally.killed++
    // Not killed: then it must have finished, not failed.
    else expect(code, `${name} kill ${i}: ${err}`).toBe(0)
    lap('running')
    const takenBack = await openAsTheAppDoes(file, { deferCheck: true })
    lap('reopening')
    const problems = await problemsIn(file, { searchSample: 15 })
    expect(problems, `${name} kill ${i}`).toEqual([])
    lap('checking')
    const now = digestTables(file, WALL_CLOCK)
    lap('comparing')
    const asBefore = changedTables(op.before, now)
    const asAfter = changedTables(op.after, now)
    if (!asBefore.length) tally.before++
    else if (!asAfter.length) tally.after++
    // An import that had committed some of its turns, taken back on opening: its customers gone, its log kept.
    else if (takenBack && asBeforeButTakenBack(op.lenientBefore, file)) tally.takenBack++
    else expect.fail(`${name} kill ${i}: neither before (${asBefore.join(', ')} differ) nor after (${asAfter.join(', ')} differ)`)
    removeFile(file)
  }
  const ms = Object.entries(spent).map(([phase, total]) => `${phase} ${Math.round(total / kills)}`).join(', ')
  console.log(`${name}: ${kills} kills, ${tally.killed} while running; ${tally.before} files as before, ${tally.after} as after, ${tally.takenBack} taken back on opening; ms per kill: ${ms}`)
  return tally
}

beforeAll(async () => {
  buildSync({
    entryPoints: [join(root, 'tests', 'helpers', 'crash-child.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'knex', 'sharp'],
    logLevel: 'warning',
  })
  writeCachedLoader(bundle, child)
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-crash-'))
  importBase = await sampleFile('import-base', 1_500)
  // More active customers than the bulk tag takes, so some stay untouched; no sample bookings (they would only slow the digests).
  bulkBase = await sampleFile('bulk-base', 4_450)
  const bulkConn = new Database(bulkBase, { readonly: true })
  const active = (bulkConn.prepare(`SELECT count(*) AS n FROM customers WHERE status = 'active'`).get() as { n: number }).n
  bulkConn.close()
  expect(active).toBeGreaterThan(BULK)
  expect(BULK / CHUNK_SIZE).toBeGreaterThan(2)
  const conn = new Database(importBase, { readonly: true })
  const emails = (conn.prepare(`SELECT email FROM customers WHERE email <> '' AND status = 'active' LIMIT ?`).all(IMPORT_UPDATES) as Array<{ email: string }>).map((r) => r.email)
  conn.close()
  const lines = ['First name,Last name,Email,Mobile,Tags,Note']
  emails.forEach((email, i) => lines.push(`Crash,Updated${i},${email},07700 9${String(10000 + i).slice(1)},Crashed,Note ${i}`))
  for (let i = 0; i < IMPORT_NEW; i++) lines.push(`Crash${i},Test,crash${i}@example.com,07700 9${String(10000 + (i % 9999)).slice(1)},Imported,`)
  csv = join(dir, 'customers.csv')
  writeFileSync(csv, lines.join('\n'))
  backup = await sampleFile('backup-source', 800, 9)
}, 120_000)

async function sampleFile(name: string, count: number, seed = 5): Promise<string> {
  const file = join(dir, `${name}.sqlite3`)
  await openAsTheAppDoes(file)
  const db = openDatabase(file)
  await seedDemoCustomers(db, { count, seed, bookings: false, now: new Date('2026-11-30T12:00:00Z') })
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
  await closeDatabase(db)
  return file
}

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('killed at random moments', () => {
  it(`an import of ${IMPORT_NEW.toLocaleString('en-GB')} new and ${IMPORT_UPDATES} updated customers leaves the file whole: as before, as after, or taken back on opening`, async () => {
    const op = await completeRun('import', importBase, (file) => ['import', file, csv, join(dir, 'rejects.csv')])
    const tally = await killRepeatedly('import', op, KILLS.import)
    expect(tally.killed).toBeGreaterThanOrEqual(KILLS.import / 2)
    expect(tally.before).toBeGreaterThan(0)
  }, 240_000)

  it(`a bulk tag of ${BULK.toLocaleString('en-GB')} customers leaves the file whole, as before or as after`, async () => {
    const op = await completeRun('bulk', bulkBase, (file) => ['bulk-tag', file, 'Crash tested', String(BULK)])
    const tally = await killRepeatedly('bulk', op, KILLS.bulk)
    expect(tally.killed).toBeGreaterThanOrEqual(KILLS.bulk / 2)
    expect(tally.before).toBeGreaterThan(0)
  }, 240_000)

  it('a restore from a backup leaves the file whole: the file it replaced or the backup, nothing in between', async () => {
    const op = await completeRun('restore', importBase, (file) => ['restore', file, backup])
    const tally = await killRepeatedly('restore', op, KILLS.restore)
    expect(tally.killed).toBeGreaterThanOrEqual(KILLS.restore / 2)
    expect(tally.before).toBeGreaterThan(0)
  }, 240_000)
})
