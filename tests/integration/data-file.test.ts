import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { linkSync, mkdtempSync, openSync, symlinkSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { DataFileProblem, FRONTDESK_APPLICATION_ID } from '../../db/dataFile'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateToLatest, migrations } from '../../db/migrations'
import { testWorker } from '../helpers/worker'

const dirs: string[] = []
const cores: FrontdeskCore[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-file-'))
  dirs.push(dir)
  return dir
}

async function open(
  dataFile: string,
  extra: { prepareInWorkerAbove?: number; checkInBackgroundAbove?: number; onFileProblem?: (problem: DataFileProblem) => void } = {},
): Promise<FrontdeskCore> {
  const core = await openFrontdesk({ dataFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN, ...extra })
  cores.push(core)
  return core
}

async function refusal(dataFile: string): Promise<DataFileProblem> {
  const error = await open(dataFile).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DataFileProblem)
  return error as DataFileProblem
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Everything in the folder with its bytes: proves nothing was written, and no -wal, -shm or lock file was left. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, digest(join(dir, name))]))
}

/** Another program's database, in its own journal mode, with a table called customers. */
function foreignDatabase(file: string, options: { wal?: boolean; applicationId?: number } = {}): void {
  const conn = new Database(file)
  if (options.applicationId) conn.pragma(`application_id = ${options.applicationId}`)
  if (options.wal) conn.pragma('journal_mode = WAL')
  conn.exec(`CREATE TABLE customers (ref TEXT PRIMARY KEY, balance REAL);
    INSERT INTO customers VALUES ('A1', 12.5), ('B2', 0);`)
  conn.close()
}

/** A customer file as Frontdesk made them before files carried an application id. */
async function legacyFrontdeskFile(file: string): Promise<void> {
  const db = openDatabase(file)
  await migrateToLatest(db)
  await db('customers').insert({
    first_name: 'Old',
    last_name: 'Timer',
    display_name: 'Old Timer',
    sort_name: 'old timer',
    status: 'active',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  })
  await db.raw('PRAGMA application_id = 0')
  await db.raw('PRAGMA user_version = 0')
  await closeDatabase(db)
}

describe('a file that is not a Frontdesk file', () => {
  it('another program’s database (rollback journal) is refused and left byte-identical, with nothing beside it', async () => {
    const dir = tempDir()
    const file = join(dir, 'shop.db')
    foreignDatabase(file)
    const before = snapshot(dir)
    const problem = await refusal(file)
    expect(problem.reason).toBe('foreign')
    expect(problem.message).toMatch(/belongs to another program.*has not changed it/)
    expect(snapshot(dir)).toEqual(before)
  })

  it('another program’s database in WAL mode with a customers table is refused, and no -wal or -shm is left behind', async () => {
    const dir = tempDir()
    const file = join(dir, 'crm.sqlite')
    foreignDatabase(file, { wal: true })
    const before = snapshot(dir)
    expect(Object.keys(before)).toEqual(['crm.sqlite'])
    expect((await refusal(file)).reason).toBe('foreign')
    expect(snapshot(dir)).toEqual(before)
  })

  it('a database carrying another application’s id is refused without being opened', async () => {
    const dir = tempDir()
    const file = join(dir, 'other.db')
    foreignDatabase(file, { wal: true, applicationId: 0x12345678 })
    const before = snapshot(dir)
    expect((await refusal(file)).reason).toBe('foreign')
    expect(snapshot(dir)).toEqual(before)
  })

  it('a file that is not a database at all is refused untouched', async () => {
    const dir = tempDir()
    const file = join(dir, 'notes.txt')
    writeFileSync(file, 'Dear customer,\n'.repeat(200))
    const before = snapshot(dir)
    const problem = await refusal(file)
    expect(problem.reason).toBe('not-a-database')
    expect(snapshot(dir)).toEqual(before)
  })
})

describe('a Frontdesk file', () => {
  it('a new file carries Frontdesk’s application id and schema version', async () => {
    const file = join(tempDir(), 'new', 'frontdesk.sqlite3')
    const core = await open(file)
    expect(core.opened.applied).toHaveLength(migrations.length)
    await core.close()
    const conn = new Database(file, { readonly: true })
    expect(conn.pragma('application_id', { simple: true })).toBe(FRONTDESK_APPLICATION_ID)
    expect(conn.pragma('user_version', { simple: true })).toBe(migrations.length)
    conn.close()
  })

  it('an empty file is a new file', async () => {
    const file = join(tempDir(), 'empty.sqlite3')
    writeFileSync(file, '')
    const core = await open(file)
    expect((await core.db('customers').count({ n: '*' }))[0]).toEqual({ n: 0 })
  })

  it('a file from an earlier Frontdesk (no application id yet) is adopted with its data', async () => {
    const file = join(tempDir(), 'frontdesk.sqlite3')
    await legacyFrontdeskFile(file)
    const core = await open(file)
    expect(await core.db('customers').pluck('display_name')).toEqual(['Old Timer'])
    await core.close()
    const conn = new Database(file, { readonly: true })
    expect(conn.pragma('application_id', { simple: true })).toBe(FRONTDESK_APPLICATION_ID)
    conn.close()
  })

  it('a file from a newer Frontdesk is refused in words, not as a corrupt migration directory, and left as it was', async () => {
    const dir = tempDir()
    const file = join(dir, 'frontdesk.sqlite3')
    await (await open(file)).close()
    cores.length = 0
    const conn = new Database(file)
    conn.prepare(`INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('29991231000001_from_the_future', 9, 0)`).run()
    conn.close()
    const before = digest(file)
    const problem = await refusal(file)
    expect(problem.reason).toBe('newer')
    expect(problem.message).toMatch(/newer version of Frontdesk/)
    expect(problem.message).not.toMatch(/migration/i)
    expect(digest(file)).toBe(before)

    // A schema version above this release's, from the header alone.
    const bumped = new Database(file)
    bumped.pragma(`user_version = ${migrations.length + 3}`)
    bumped.pragma('wal_checkpoint(TRUNCATE)')
    bumped.close()
    expect((await refusal(file)).reason).toBe('newer')
  })
})

/** A closed Frontdesk file with enough customers to span many pages. */
async function fileWithCustomers(): Promise<string> {
  const file = join(tempDir(), 'frontdesk.sqlite3')
  const core = await open(file)
  await core.db.transaction(async (trx) => {
    for (let i = 0; i < 40; i++) {
      await trx('customers').insert(
        Array.from({ length: 50 }, (_, j) => ({
          first_name: `Person${i}-${j}`,
          last_name: 'Pagefiller'.repeat(8),
          display_name: `Person${i}-${j} Pagefiller`,
          sort_name: `person${i}-${j}`,
          status: 'active',
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        })),
      )
    }
  })
  await core.close()
  cores.length = 0
  return file
}

/** Overwrites the page halfway through the file with zeros, as a failing disk might. */
function zeroPageInTheMiddle(file: string): void {
  const pageSize = 4096
  const pages = statSync(file).size / pageSize
  const fd = openSync(file, 'r+')
  writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, Math.floor(pages / 2) * pageSize)
  closeSync(fd)
}

describe('a damaged Frontdesk file', () => {
  it('truncated by a few KB: refused as damaged, and never written to', async () => {
    const file = await fileWithCustomers()
    truncateSync(file, statSync(file).size - 8192)
    const before = digest(file)
    const beside = readdirSync(dirname(file)).sort()
    const problem = await refusal(file)
    expect(problem.reason).toBe('damaged')
    expect(problem.message).toMatch(/damaged.*has not changed it/)
    expect(digest(file)).toBe(before)
    // No log or index of one left beside it by the check.
    expect(readdirSync(dirname(file)).sort()).toEqual(beside)
  })

  it('with a zeroed page in the middle: refused as damaged, never written to', async () => {
    const file = await fileWithCustomers()
    zeroPageInTheMiddle(file)
    const before = digest(file)
    const beside = readdirSync(dirname(file)).sort()
    expect((await refusal(file)).reason).toBe('damaged')
    expect(digest(file)).toBe(before)
    expect(readdirSync(dirname(file)).sort()).toEqual(beside)
  })

  it('is also checked when the check runs in the job worker (large files)', async () => {
    const file = await fileWithCustomers()
    truncateSync(file, statSync(file).size - 8192)
    const error = await open(file, { prepareInWorkerAbove: 0 }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(DataFileProblem)
    expect((error as DataFileProblem).reason).toBe('damaged')
  })
})

describe('a large file, checked in the background', () => {
  const sender = { url: 'app://test', isTopFrame: true }

  it('opens at once; searching works during the check, and a save waits for it, then lands', async () => {
    const file = await fileWithCustomers()
    const core = await open(file, { checkInBackgroundAbove: 0 })
    expect(core.opened.checkDeferred).toBe(true)
    expect(core.check).not.toBeNull()
    const save = core.dispatch('customers:create', { firstName: 'Waited', lastName: 'ForCheck' }, sender)
    const search = await core.dispatch('customers:list', { search: 'person1-' }, sender)
    expect(search).toMatchObject({ ok: true })
    const checked = await core.check!
    expect(checked).toMatchObject({ kind: 'fileCheck', state: 'done', cancellable: false })
    expect(await save).toMatchObject({ ok: true, data: { displayName: 'Waited ForCheck' } })
  })

  it('damage found by the check: the save waiting for it is refused, every call after it too, the app is told, the file is untouched', async () => {
    const file = await fileWithCustomers()
    zeroPageInTheMiddle(file)
    const before = digest(file)
    const told: DataFileProblem[] = []
    const core = await open(file, { checkInBackgroundAbove: 0, prepareInWorkerAbove: 2 ** 40, onFileProblem: (problem) => told.push(problem) })
    const save = core.dispatch('customers:create', { firstName: 'Never', lastName: 'Written' }, sender)
    expect(await core.check!).toMatchObject({ state: 'failed', error: { code: 'STORAGE' } })
    expect(await save).toMatchObject({ ok: false, error: { code: 'STORAGE', message: expect.stringMatching(/damaged/) } })
    expect(await core.dispatch('customers:list', {}, sender)).toMatchObject({ ok: false, error: { code: 'STORAGE' } })
    expect(told.map((p) => p.reason)).toEqual(['damaged'])
    await core.close()
    cores.length = 0
    expect(digest(file)).toBe(before)
  })
})

describe('one program at a time', () => {
  it('a second opening of a file in use is refused with “already open”, and works once the first has closed', async () => {
    const file = join(tempDir(), 'frontdesk.sqlite3')
    const first = await open(file)
    const problem = await refusal(file)
    expect(problem.reason).toBe('in-use')
    expect(problem.message).toMatch(/Frontdesk is already open with this file/)
    await first.close()
    const second = await open(file)
    expect((await second.db('customers').count({ n: '*' }))[0]).toEqual({ n: 0 })
  })

  it('holds the file by its own name: opened again through a symbolic link it is refused as open, and a second name (a hard link) is refused', async () => {
    const dir = tempDir()
    const file = join(dir, 'frontdesk.sqlite3')
    const first = await open(file)
    symlinkSync(file, join(dir, 'shortcut.sqlite3'))
    expect((await refusal(join(dir, 'shortcut.sqlite3'))).reason).toBe('in-use')
    await first.close()
    // Closed, the file opens through its link as by its name.
    await (await open(join(dir, 'shortcut.sqlite3'))).close()

    linkSync(file, join(dir, 'second-name.sqlite3'))
    const before = readFileSync(file)
    for (const name of ['frontdesk.sqlite3', 'second-name.sqlite3']) {
      const problem = await refusal(join(dir, name))
      expect(problem.reason).toBe('linked')
      expect(problem.message).toMatch(/has a second name on the disk \(a hard link\)/)
    }
    expect(readFileSync(file)).toEqual(before)
  })

  it('a process with nothing else to do stays alive while the worker checks its file (a command-line tool, the benchmark)', async () => {
    const file = join(tempDir(), 'frontdesk.sqlite3')
    await legacyFrontdeskFile(file)
    const script = `
      const { openFrontdesk } = require(${JSON.stringify(join(__dirname, '..', '..', 'main', 'app-core.ts'))})
      openFrontdesk({ dataFile: ${JSON.stringify(file)}, isTrustedSender: () => true, prepareInWorkerAbove: 0,
        worker: { path: ${JSON.stringify(testWorker.path)} } })
        .then((core) => core.close()).then(() => console.log('opened and closed'))`
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('opened and closed')
  })

  it('a file checked and migrated in the job worker opens the same way', async () => {
    const file = join(tempDir(), 'frontdesk.sqlite3')
    await legacyFrontdeskFile(file)
    const core = await open(file, { prepareInWorkerAbove: 0 })
    expect(core.opened.inWorker).toBe(true)
    expect(await core.db('customers').pluck('display_name')).toEqual(['Old Timer'])
  })
})
