import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest } from '../../db/migrations'
import { WriteGate } from '../../db/writeGate'
import { openTestCore, type TestCore } from '../helpers/core'

const root = join(__dirname, '..', '..')
const dirs: string[] = []
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-writers-'))
  dirs.push(dir)
  return join(dir, 'frontdesk.sqlite3')
}

/** Another process that takes the write lock and holds it for `ms`, as a second program writing would. */
function holdWriteLock(file: string, ms: number): Promise<ChildProcess> {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
    const db = new Database(${JSON.stringify(file)})
    db.exec('BEGIN IMMEDIATE')
    db.prepare("INSERT INTO settings (key, value) VALUES ('held', '1') ON CONFLICT (key) DO UPDATE SET value = value + 1").run()
    process.stdout.write('holding\\n')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms})
    db.exec('COMMIT')
    db.close()`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child))
    child.once('error', reject)
  })
}

describe('two writers on one file', () => {
  it('a transaction that reads and then writes waits for another writer instead of failing at once', async () => {
    const file = tempFile()
    const setup = openDatabase(file)
    await migrateToLatest(setup)
    await closeDatabase(setup)
    const db = openDatabase(file, { writeGate: new WriteGate() })
    try {
      await holdWriteLock(file, 400)
      let ticks = 0
      const timer = setInterval(() => ticks++, 10)
      const started = performance.now()
      // The shape of most of the desk's saves: read first, then write.
      await db.transaction(async (trx) => {
        await trx('settings').select('key')
        await trx('settings').insert({ key: 'desk', value: '"saved"' })
      })
      const waited = performance.now() - started
      clearInterval(timer)
      expect(waited).toBeGreaterThan(250)
      // The wait was spent in timers, not in SQLite's busy loop: the main thread kept running.
      expect(ticks).toBeGreaterThan(waited / 10 / 3)
      expect(await db('settings').where({ key: 'desk' }).first('value')).toEqual({ value: '"saved"' })
    } finally {
      await closeDatabase(db)
    }
  })

  it('SQLite fails a deferred transaction\'s write at once whatever busy_timeout says: why writes begin IMMEDIATE', async () => {
    const file = tempFile()
    const conn = new Database(file)
    conn.exec('CREATE TABLE t (x)')
    conn.pragma('journal_mode = WAL')
    conn.pragma('busy_timeout = 5000')
    await holdWriteLock2(file)
    conn.exec('BEGIN')
    conn.prepare('SELECT * FROM t').all()
    expect(() => conn.prepare('INSERT INTO t VALUES (1)').run()).toThrow(/database is locked/)
    conn.exec('ROLLBACK')
    conn.close()
  })
})

/** A second process with a write transaction open on a plain table. */
async function holdWriteLock2(file: string): Promise<void> {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
    const db = new Database(${JSON.stringify(file)})
    db.exec('BEGIN IMMEDIATE'); db.prepare('INSERT INTO t VALUES (0)').run()
    process.stdout.write('holding\\n')
    setTimeout(() => {}, 60000)`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  await new Promise((resolve) => child.stdout!.once('data', resolve))
}

describe('the command line beside the app', () => {
  let app: TestCore | undefined
  afterEach(async () => {
    await app?.cleanup()
    app = undefined
  })

  it('`npm run demo` on the file the app has open refuses in words and changes nothing', async () => {
    app = await openTestCore()
    const before = (await app.invoke('customers:counts', {})).active
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'main', 'cli', 'index.ts'), 'demo', '--count', '5', '--db', app.dataFile], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    })
    // 3: the customer file cannot be used.
    expect(run.status).toBe(3)
    expect(run.stderr).toMatch(/Frontdesk is already open with this file/)
    expect(run.stderr).toContain(app.dataFile)
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/)
    expect((await app.invoke('customers:counts', {})).active).toBe(before)
  })
})
