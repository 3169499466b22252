import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asBeforeButTakenBack, digestTables, openAsTheAppDoes, SEARCH_TABLES, TAKEN_BACK_TRACES, whereCounted } from '../helpers/fileChecks'

/*
 * An import killed at any moment — reading the file, checking rows, writing —
 * leaves the customer file exactly as it was once the app opens it again
 * (which takes back the turns it had committed): every table's rows, byte for
 * byte, but for the change log, which keeps what happened, and the ids given out. The import runs in a child process (the command line), killed with
 * SIGKILL at random points. Nor does it leave the customers it was reading in
 * the temporary folder.
 */

const root = join(__dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const cli = join(root, 'main', 'cli', 'index.ts')
let dir: string
let base: string
let csv: string
let fullRunMs = 0

function cliRun(args: string[]) {
  return spawnSync(tsx, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 })
}

/** Runs the command line's import into `file` and kills its whole process group after `ms`; false when it had finished first. */
async function importKilledAfter(ms: number, source: string, file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ killed: boolean; code: number | null }> {
  const child = spawn(tsx, [cli, 'import', source, '--db', file, '--json'], { cwd: root, env, stdio: 'ignore', detached: true })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)))
  await new Promise((resolve) => setTimeout(resolve, ms))
  let killed = false
  // The whole process group: tsx runs the command in a child of its own.
  try {
    process.kill(-child.pid!, 'SIGKILL')
    killed = true
  } catch {
    // It had finished already.
  }
  return { killed, code: await exited }
}

/** Whether the file holds the whole import: every new customer and every update. */
function importedWhole(file: string): boolean {
  const db = new Database(file, { readonly: true })
  try {
    const created = (db.prepare(`SELECT count(*) AS n FROM customers WHERE email LIKE 'kill%@example.com'`).get() as { n: number }).n
    // Matching fills empty fields only, so an updated customer keeps their name: the tag the update adds marks them.
    const updated = (db.prepare(`SELECT count(*) AS n FROM customer_tags JOIN tags ON tags.id = customer_tags.tag_id WHERE tags.name = 'Killed'`).get() as { n: number }).n
    return created === 20_000 && updated === 200
  } finally {
    db.close()
  }
}

/** Every row of every table, in order, as one digest per table: equal digests mean an identical address book. */
function digest(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true })
  try {
    const digests: Record<string, string> = {}
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'customer_search%' ORDER BY name`).all() as Array<{ name: string; sql: string }>
    for (const { name, sql } of tables) {
      const hash = createHash('sha256')
      // Tables without a rowid (the report totals) are ordered by their key, their first columns.
      const columns = (db.prepare(`SELECT count(*) AS n FROM pragma_table_info(?)`).get(name) as { n: number }).n
      const order = /WITHOUT ROWID/i.test(sql) ? Array.from({ length: columns }, (_, i) => i + 1).join(', ') : 'rowid'
      for (const row of db.prepare(`SELECT * FROM "${name}" ${whereCounted(name)} ORDER BY ${order}`).iterate()) hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
      digests[name] = hash.digest('hex')
    }
    // The search index too, by what it finds.
    digests['search'] = JSON.stringify([
      db.prepare(`SELECT count(*) AS n FROM customer_search_tri WHERE customer_search_tri MATCH 'kill'`).get(),
      db.prepare(`SELECT count(*) AS n FROM customer_search_word WHERE customer_search_word MATCH 'ki*'`).get(),
    ])
    return digests
  } finally {
    db.close()
  }
}

/** The tables whose rows differ between two digests. */
function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name])
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-import-kill-'))
  base = join(dir, 'base.sqlite3')
  const seeded = cliRun(['demo', '--db', base, '--count', '300', '--json'])
  expect(seeded.status, seeded.stderr).toBe(0)
  const db = new Database(base, { readonly: true })
  const emails = (db.prepare(`SELECT email FROM customers WHERE email <> '' LIMIT 200`).all() as Array<{ email: string }>).map((r) => r.email)
  db.close()
  const lines = ['First name,Last name,Email,Mobile,Tags,Note']
  // Updates of customers already there, then many new ones.
  emails.forEach((email, i) => lines.push(`Kill,Updated${i},${email},07700 9${String(10000 + i).slice(1)},Killed,Note ${i}`))
  for (let i = 0; i < 20_000; i++) lines.push(`Kill${i},Test,kill${i}@example.com,07700 9${String(10000 + (i % 9999)).slice(1)},Imported,`)
  csv = join(dir, 'customers.csv')
  writeFileSync(csv, lines.join('\n'))
  const copy = join(dir, 'timing.sqlite3')
  copyFileSync(base, copy)
  const started = Date.now()
  const full = cliRun(['import', csv, '--db', copy, '--json'])
  fullRunMs = Date.now() - started
  expect(full.status, full.stderr).toBe(0)
  expect(JSON.parse(full.stdout)).toMatchObject({ created: 20_000, updated: 200 })
}, 180_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('an import killed part-way', () => {
  it('leaves the customer file exactly as it was, wherever it is killed', async () => {
    const before = digest(base)
    const lenientBefore = digestTables(base, TAKEN_BACK_TRACES.columns)
    // Fixed points spread over the whole run (start-up, reading, checking, writing), plus random ones.
    const points = [0.2, 0.45, 0.65, 0.8, 0.9, Math.random() * 0.9].map((f) => Math.round(f * fullRunMs))
    let killedWhileRunning = 0
    let takenBack = 0
    for (const [i, point] of points.entries()) {
      const file = join(dir, `killed-${i}.sqlite3`)
      let at = point
      let code: number | null = 0
      // A run that finished before its kill (the timing run was slower than this one) is run again, killed earlier.
      for (let attempt = 0; attempt < 4; attempt++, at = Math.round(at * 0.6)) {
        copyFileSync(base, file)
        // A temporary folder of its own, looked at after the kill.
        const temporary = join(dir, `tmp-${i}-${attempt}`)
        mkdirSync(temporary)
        const env = { ...process.env, TMPDIR: temporary }
        const run = await importKilledAfter(at, csv, file, env)
        code = run.code
        // Only tsx's cache of compiled modules and the command's private folder for refused rows (none of these rows
        // is refused) may be there: the rows read so far were in SQLite's anonymous database, gone with the process.
        const left = readdirSync(temporary).filter((name) => !/^tsx-\d+$/.test(name))
        expect(left.filter((name) => !/^frontdesk-rejects-[A-Za-z0-9]{6}$/.test(name)), `killed after ${at} ms`).toEqual([])
        if (left.length) {
          // The next command (here, the check of the killed one) removes the folder its killed predecessor left.
          const next = spawnSync(tsx, [cli, 'check', '--db', file, '--json'], { cwd: root, env, encoding: 'utf8', timeout: 120_000 })
          expect(next.status, next.stdout + next.stderr).toBe(0)
          expect(readdirSync(temporary).filter((name) => !/^tsx-\d+$/.test(name))).toEqual([])
        }
        if (run.killed) {
          killedWhileRunning++
          break
        }
      }
      if (code === 0) continue
      // The app opens it as usual afterwards; opening it is also what brings in a write-ahead log left by the kill
      // (a read-only look before that can see a checkpoint cut short, which no opened file ever shows).
      const reopened = cliRun(['check', '--db', file, '--json'])
      expect(reopened.status, reopened.stdout + reopened.stderr).toBe(0)
      if ((await openAsTheAppDoes(file)) > 0) takenBack++
      const changed = changedTables(before, digest(file))
      // Killed after the import's last turn committed (it only had to exit): then all of it is there.
      const takenBackWhole = changed.every((table) => table !== 'search') && asBeforeButTakenBack(lenientBefore, file)
      if (changed.length && !takenBackWhole) expect(importedWhole(file), `killed after ${at} ms: ${changed.join(', ')} changed, but not by the whole import`).toBe(true)
      for (const suffix of ['', '-wal', '-shm', '.lock']) if (existsSync(file + suffix)) rmSync(file + suffix)
    }
    expect(killedWhileRunning).toBeGreaterThanOrEqual(5)
    console.log(`import killed ${killedWhileRunning} times while running; ${takenBack} cut off part-way through writing and taken back on opening`)
    // Six runs of the import and their checks: minutes only on a machine busy with other work.
  }, 600_000)
})

describe('a first load killed part-way', () => {
  /** The search indexes as the desk meets them: whole (FTS5's own check), and how many customers each finds. */
  function searchFinds(file: string): number[] {
    const db = new Database(file)
    try {
      for (const table of SEARCH_TABLES) db.exec(`INSERT INTO ${table}(${table}) VALUES ('integrity-check')`)
      return [
        ['customer_search_tri', '"mover"'],
        ['customer_search_word', '"mo"'],
        ['customer_search_digits', '"07700"'],
        ['customer_search_initials', '"m"'],
      ].map(([table, query]) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${table} MATCH ?`).get(query) as { n: number }).n)
    } finally {
      db.close()
    }
  }

  it('leaves an address book without customers as it was, its search indexes too, wherever it is killed', async () => {
    // Large enough that its search indexes are built on a thread beside it and taken in at the end.
    const count = 8000
    const empty = join(dir, 'empty.sqlite3')
    await openAsTheAppDoes(empty)
    const lines = ['First name,Last name,Email,Mobile,Tags']
    for (let i = 0; i < count; i++) lines.push(`Mover${i},Movedin,mover${i}@example.com,07700 9${String(10000 + (i % 9999)).slice(1)},Moved in`)
    const moving = join(dir, 'moving-in.csv')
    writeFileSync(moving, lines.join('\n'))
    const timing = join(dir, 'first-load-timing.sqlite3')
    copyFileSync(empty, timing)
    const started = Date.now()
    const full = cliRun(['import', moving, '--db', timing, '--json'])
    const runMs = Date.now() - started
    expect(full.status, full.stderr).toBe(0)
    expect(JSON.parse(full.stdout)).toMatchObject({ created: count })
    const whole = searchFinds(timing)
    expect(whole).toEqual([count, count, count, count])
    const before = digestTables(empty)
    const nothingFound = searchFinds(empty)
    let killedWhileRunning = 0
    for (const [i, fraction] of [0.55, 0.7, 0.8, 0.9, 0.97].entries()) {
      const file = join(dir, `first-load-${i}.sqlite3`)
      // A run that finished before its kill (the timing run was slower than this one) is run again, killed earlier.
      for (let attempt = 0, at = Math.round(fraction * runMs); attempt < 4; attempt++, at = Math.round(at * 0.6)) {
        copyFileSync(empty, file)
        if ((await importKilledAfter(at, moving, file)).killed) {
          killedWhileRunning++
          break
        }
      }
      await openAsTheAppDoes(file)
      const customers = (new Database(file, { readonly: true }).prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n
      // One transaction: all of it, or nothing at all (not even in the change log).
      if (customers) {
        expect(customers, `killed after ${fraction} of the run`).toBe(count)
        expect(searchFinds(file)).toEqual(whole)
      } else {
        expect(digestTables(file), `killed after ${fraction} of the run`).toEqual(before)
        expect(searchFinds(file)).toEqual(nothingFound)
      }
      for (const suffix of ['', '-wal', '-shm', '.lock']) if (existsSync(file + suffix)) rmSync(file + suffix)
    }
    expect(killedWhileRunning).toBeGreaterThanOrEqual(4)
  }, 300_000)
})
