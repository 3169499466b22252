import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import { openDataLayer, type DataLayer } from '../../main/dataLayer'
import { MemorySecretStore } from '../../main/secrets'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { checkCopy } from '../../db/backup'
import { closeDatabase, openDatabase } from '../../db/connection'
import { createDataFile } from '../../db/dataFile'
import { migrateUpTo, migrations } from '../../db/migrations'
import { backupName, backupsToRemove, BULK_CHANGE_BACKUP_ABOVE, decryptFile, hasDailyBackupOn, listBackups, WRONG_PASSPHRASE } from '../../main/services/backups'
import { runImport } from '../../main/services/imports'
import { mergeCustomers } from '../../main/services/merges'
import type { Progress } from '../../main/services/progress'
import type { BackupKind, Input } from '../../preload/contract'
import { testWorker } from '../helpers/worker'
import { backUpOn, callOn, invokeOn, type Caller } from '../helpers/dispatch'
import { finishJob } from '../helpers/core'

/*
 * Backups and restore on real files: each backup is a checked copy with
 * Frontdesk's name; encrypted ones decrypt back; the keeping rules keep
 * exactly what they say; a restore refuses what it cannot use and leaves
 * everything as it was, and otherwise keeps the current file and reopens
 * the desk on the restored one.
 */

const migrationNames = migrations.map(([name]) => name)
const dirs: string[] = []
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {})
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-backups-'))
  dirs.push(dir)
  return dir
}

const call = callOn
const invoke = invokeOn
const backUp = (on: Caller) => backUpOn(on, {})
const addCustomer = (on: Caller, firstName: string) => invoke(on, 'customers:create', { firstName, lastName: 'Tester' } as Input<'customers:create'>)
const customerNames = async (on: Caller) => (await invoke(on, 'customers:list', {} as Input<'customers:list'>)).rows.map((r) => r.displayName).sort()
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

async function openCore(dataFile: string, extra: { clock?: () => Date; secrets?: MemorySecretStore } = {}): Promise<FrontdeskCore> {
  const core = await openFrontdesk({ dataFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN, ...extra })
  closers.push(() => core.close())
  return core
}

async function openLayer(dataFile: string, secrets = new MemorySecretStore()): Promise<DataLayer> {
  const layer = await openDataLayer({ dataFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN, secrets })
  closers.push(() => layer.close())
  return layer
}

describe('a backup', () => {
  it('is a checked copy of the file, named for when and why it was made, in Backups beside the file', async () => {
    const dir = tempDir()
    const core = await openCore(join(dir, 'frontdesk.sqlite3'), { clock: () => new Date('2026-12-02T09:30:15Z') })
    await addCustomer(core, 'Ada')
    await addCustomer(core, 'Grace')
    const made = await backUp(core)
    expect(made).toMatchObject({ name: 'frontdesk-2026-12-02T093015Z-manual.sqlite3', kind: 'manual', encrypted: false, verified: true, customers: 2 })
    const file = join(dir, 'Backups', made.name)
    expect(checkCopy(file, migrationNames)).toMatchObject({ problems: [], reason: null, customers: 2 })
    // A single file (no WAL beside it), and nothing else left in the folder.
    expect(readdirSync(join(dir, 'Backups'))).toEqual([made.name])
    // Back up now twice in the same second: two backups, never one written over.
    const second = await backUp(core)
    expect(second.name).toBe('frontdesk-2026-12-02T093016Z-manual.sqlite3')
    const status = await invoke(core, 'backups:status', {})
    expect(status.backups.map((b) => b.name)).toEqual([second.name, made.name])
    expect(status).toMatchObject({ folderIsDefault: true, folderProblem: null, daily: true, encrypted: false, passphraseSet: false, dataFileName: 'frontdesk.sqlite3' })
  })

  it('is refused in words when the chosen folder is missing (a drive not plugged in) or not writable, and nothing is written', async () => {
    const dir = tempDir()
    const core = await openCore(join(dir, 'frontdesk.sqlite3'))
    await invoke(core, 'settings:update', { backupFolder: join(dir, 'USB-DRIVE') } as Input<'settings:update'>)
    const missing = await call(core, 'backups:create', {})
    expect(missing).toMatchObject({ ok: false, error: { code: 'STORAGE' } })
    expect(!missing.ok && missing.error.message).toMatch(/is not available: the drive may not be plugged in/)
    expect(existsSync(join(dir, 'USB-DRIVE'))).toBe(false)
    writeFileSync(join(dir, 'a-file'), 'not a folder')
    await invoke(core, 'settings:update', { backupFolder: join(dir, 'a-file') } as Input<'settings:update'>)
    const notFolder = await call(core, 'backups:create', {})
    expect(!notFolder.ok && notFolder.error.message).toMatch(/is a file, not a folder/)
    expect(readFileSync(join(dir, 'a-file'), 'utf8')).toBe('not a folder')
  })

  it('encrypted, decrypts back to the same file with the passphrase, and refuses a wrong passphrase in words', async () => {
    const dir = tempDir()
    const secrets = new MemorySecretStore()
    const core = await openCore(join(dir, 'frontdesk.sqlite3'), { secrets })
    await addCustomer(core, 'Adelaide')
    // Encryption needs a passphrase first.
    expect(await call(core, 'backups:setOptions', { encrypted: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'encrypted' } })
    await invoke(core, 'backups:setPassphrase', { passphrase: 'correct horse battery' })
    expect(await invoke(core, 'backups:setOptions', { encrypted: true })).toMatchObject({ encrypted: true, passphraseSet: true })
    expect(await secrets.get('backupPassphrase')).toBe('correct horse battery')
    const made = await backUp(core)
    expect(made.name).toMatch(/-manual\.sqlite3\.enc$/)
    const file = join(dir, 'Backups', made.name)
    // Not readable as a database, and the customer's name is nowhere in it (a name long enough that
    // random bytes never spell it: three letters turn up by chance in a few megabytes).
    const name = Buffer.from('Adelaide Tester')
    expect(readFileSync(file).includes(name)).toBe(false)
    const plain = join(dir, 'decrypted.sqlite3')
    await decryptFile(file, plain, 'correct horse battery')
    expect(readFileSync(plain).includes(name)).toBe(true)
    expect(checkCopy(plain, migrationNames)).toMatchObject({ reason: null, customers: 1 })
    await expect(decryptFile(file, join(dir, 'wrong.sqlite3'), 'not the passphrase')).rejects.toThrow(WRONG_PASSPHRASE)
    expect(existsSync(join(dir, 'wrong.sqlite3'))).toBe(false)
    // A byte changed in the middle: refused as damaged.
    const tampered = join(dir, 'tampered.enc')
    const bytes = readFileSync(file)
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff
    writeFileSync(tampered, bytes)
    await expect(decryptFile(tampered, join(dir, 'tampered.sqlite3'), 'correct horse battery')).rejects.toThrow(/damaged/)
    // The passphrase cannot be removed while encryption is on.
    expect(await call(core, 'backups:setPassphrase', { passphrase: null })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})

describe('keeping backups', () => {
  const at = (iso: string, kind: BackupKind = 'daily') => ({ name: backupName(new Date(iso), kind, false), kind, at: new Date(iso).toISOString() })

  it('keeps 7 daily, 4 weekly and 12 monthly scheduled backups, and the newest 10 of each other kind', () => {
    // A daily backup at 09:00 every day for 500 days, two on some days, and manual and before-import ones.
    const backups: Array<ReturnType<typeof at>> = []
    const start = new Date(2025, 7, 1, 9, 0, 0)
    for (let day = 0; day < 500; day++) {
      const when = new Date(start.getFullYear(), start.getMonth(), start.getDate() + day, 9, 0, 0)
      backups.push(at(when.toISOString()))
      if (day % 50 === 0) backups.push(at(new Date(when.getTime() + 3_600_000).toISOString()))
    }
    for (let n = 0; n < 15; n++) backups.push(at(new Date(2026, 0, 1 + n, 12).toISOString(), 'manual'))
    for (let n = 0; n < 3; n++) backups.push(at(new Date(2026, 1, 1 + n, 12).toISOString(), 'before-import'))
    const removed = new Set(backupsToRemove(backups))
    const kept = backups.filter((b) => !removed.has(b.name))
    const keptDaily = kept.filter((b) => b.kind === 'daily').map((b) => new Date(b.at))
    const last = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 499, 9)
    const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    // The last 7 days, each day's newest.
    const days = Array.from({ length: 7 }, (_, i) => local(new Date(last.getFullYear(), last.getMonth(), last.getDate() - i)))
    for (const day of days) expect(keptDaily.some((d) => local(d) === day)).toBe(true)
    // One per month for 12 months (the month's newest), one per week for 4 weeks: all counted together.
    const months = new Set(keptDaily.map((d) => `${d.getFullYear()}-${d.getMonth()}`))
    expect(months.size).toBe(12)
    // Exactly: 7 days + Sundays of the 3 weeks before the current one + month ends not already kept.
    const expected = new Set<string>()
    const daily = backups.filter((b) => b.kind === 'daily').sort((a, b) => b.at.localeCompare(a.at))
    const newestIn = (key: (d: Date) => string, limit: number) => {
      const seen = new Set<string>()
      for (const b of daily) {
        const k = key(new Date(b.at))
        if (seen.has(k)) continue
        if (seen.size === limit) break
        seen.add(k)
        expected.add(b.name)
      }
    }
    newestIn(local, 7)
    newestIn((d) => local(new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7))), 4)
    newestIn((d) => `${d.getFullYear()}-${d.getMonth()}`, 12)
    expect(new Set(keptDaily.map((d) => backups.find((b) => b.kind === 'daily' && new Date(b.at).getTime() === d.getTime())!.name))).toEqual(expected)
    expect(expected.size).toBeGreaterThanOrEqual(7 + 12 - 1)
    expect(expected.size).toBeLessThanOrEqual(7 + 4 + 12)
    // The newest 10 manual ones; all 3 before-import ones.
    expect(kept.filter((b) => b.kind === 'manual').map((b) => b.at)).toEqual(
      backups.filter((b) => b.kind === 'manual').slice(5).map((b) => b.at),
    )
    expect(kept.filter((b) => b.kind === 'before-import')).toHaveLength(3)
  })

  it('thins the folder as days pass (a fake clock), never touching files that are not Frontdesk backups', async () => {
    const dir = tempDir()
    let now = new Date(2026, 0, 1, 9, 0, 0)
    const core = await openCore(join(dir, 'frontdesk.sqlite3'), { clock: () => now })
    mkdirSync(join(dir, 'Backups'))
    writeFileSync(join(dir, 'Backups', 'holiday-photos.jpg'), 'not ours')
    writeFileSync(join(dir, 'Backups', 'frontdesk-notes.txt'), 'not ours either')
    for (let day = 0; day < 40; day++) {
      now = new Date(2026, 0, 1 + day, 9, 0, 0)
      const started = core.jobs.start('backup', { kind: 'daily' }, { staff: core.context().staff, now, label: 'Daily backup' })
      expect((await core.jobs.whenFinished(started.id)).state).toBe('done')
    }
    const names = listBackups(join(dir, 'Backups')).map((b) => b.name)
    const days = names.map((n) => n.slice(10, 20))
    // The 7 newest days (Tue 3 – Mon 9 February); each week's newest for 4 weeks (Monday to Sunday: 9, 8, 1 February, 25 January); each month's (9 February, 31 January).
    expect(days).toEqual(['2026-02-09', '2026-02-08', '2026-02-07', '2026-02-06', '2026-02-05', '2026-02-04', '2026-02-03', '2026-02-01', '2026-01-31', '2026-01-25'])
    expect(readdirSync(join(dir, 'Backups')).filter((n) => !n.startsWith('frontdesk-2026'))).toEqual(['frontdesk-notes.txt', 'holiday-photos.jpg'])
    expect(hasDailyBackupOn(listBackups(join(dir, 'Backups')), now)).toBe(true)
  })
})

describe('restoring', () => {
  async function layerWithBackup() {
    const dir = tempDir()
    const dataFile = join(dir, 'frontdesk.sqlite3')
    const layer = await openLayer(dataFile)
    await addCustomer(layer, 'Ada')
    const made = await backUp(layer)
    await addCustomer(layer, 'Grace')
    return { dir, dataFile, layer, made }
  }

  it('keeps the current file as a backup, swaps the checked copy in and reopens the desk on it', async () => {
    const { dir, layer, made } = await layerWithBackup()
    const before = layer.core
    expect(await customerNames(layer)).toEqual(['Ada Tester', 'Grace Tester'])
    const outcome = await invoke(layer, 'backups:restore', { name: made.name })
    expect(outcome).toMatchObject({ restored: made.name, customers: 1 })
    expect(outcome.keptAs).toMatch(/-before-restore\.sqlite3$/)
    expect(layer.core).not.toBe(before)
    // The same dispatch reaches the new core, on the restored data.
    expect(await customerNames(layer)).toEqual(['Ada Tester'])
    // The replaced file, with Grace, is a backup of its own.
    expect(checkCopy(join(dir, 'Backups', outcome.keptAs), migrationNames)).toMatchObject({ reason: null, customers: 2 })
    // Nothing left beside the file but the file, its WAL, its lock and the backups.
    expect(readdirSync(dir).filter((n) => n.startsWith('.') || n.includes('replaced') || n.includes('restoring'))).toEqual([])
    // Restoring the kept one brings Grace back.
    await invoke(layer, 'backups:restore', { name: outcome.keptAs })
    expect(await customerNames(layer)).toEqual(['Ada Tester', 'Grace Tester'])
  })

  it('refuses a damaged, foreign or newer-schema backup in words, leaving the file and the folder untouched', async () => {
    const { dir, dataFile, layer, made } = await layerWithBackup()
    const folder = join(dir, 'Backups')
    const damaged = backupName(new Date('2026-01-01T00:00:00Z'), 'manual', false)
    const bytes = readFileSync(join(folder, made.name))
    // Pages in the middle zeroed, as a failing disk would leave them.
    bytes.fill(0, 8192, bytes.length - 4096)
    writeFileSync(join(folder, damaged), bytes)
    const foreign = backupName(new Date('2026-01-02T00:00:00Z'), 'manual', false)
    const other = new Database(join(folder, foreign))
    other.exec('CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO recipes (name) VALUES (\'soup\')')
    other.close()
    const newer = backupName(new Date('2026-01-03T00:00:00Z'), 'manual', false)
    copyFileSync(join(folder, made.name), join(folder, newer))
    const future = new Database(join(folder, newer))
    future.prepare('INSERT INTO knex_migrations (name, batch, migration_time) VALUES (?, 99, ?)').run('29990101000000_from_the_future', new Date().toISOString())
    future.close()
    // What the desk has now: checkpointed so the file itself holds it.
    await layer.core.jobs.tidy()
    const fileHash = hash(dataFile)
    const folderBefore = readdirSync(folder).sort()
    const core = layer.core
    for (const [name, words] of [
      [damaged, /damaged: it did not pass SQLite’s integrity check/],
      [foreign, /not a Frontdesk backup/],
      [newer, /made by a newer version of Frontdesk/],
    ] as const) {
      const refused = await call(layer, 'backups:restore', { name })
      expect(refused.ok).toBe(false)
      expect(!refused.ok && refused.error.message).toMatch(words)
      expect(!refused.ok && refused.error.message).toMatch(/[Nn]othing was changed/)
    }
    expect(layer.core).toBe(core)
    expect(await customerNames(layer)).toEqual(['Ada Tester', 'Grace Tester'])
    expect(readdirSync(folder).sort()).toEqual(folderBefore)
    expect(hash(dataFile)).toBe(fileHash)
    expect(readdirSync(dir).filter((n) => n.startsWith('.frontdesk'))).toEqual([])
    // Not a listed name: refused by the contract before anything is read.
    expect(await call(layer, 'backups:restore', { name: '../frontdesk.sqlite3' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    // A well-formed name of a backup that is not there (a fixed time: "now" can be the second the test's own backup was made).
    expect(await call(layer, 'backups:restore', { name: backupName(new Date('2025-06-01T12:00:00Z'), 'manual', false) })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })

  it('asks for the passphrase of an encrypted backup and refuses a wrong one, changing nothing', async () => {
    const dir = tempDir()
    const secrets = new MemorySecretStore()
    const layer = await openLayer(join(dir, 'frontdesk.sqlite3'), secrets)
    await addCustomer(layer, 'Ada')
    await invoke(layer, 'backups:setPassphrase', { passphrase: 'first passphrase!' })
    await invoke(layer, 'backups:setOptions', { encrypted: true })
    const made = await backUp(layer)
    await addCustomer(layer, 'Grace')
    // The passphrase changed since: the old backup needs the old one.
    await invoke(layer, 'backups:setPassphrase', { passphrase: 'second passphrase' })
    const refused = await call(layer, 'backups:restore', { name: made.name })
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'passphrase' } })
    expect(!refused.ok && refused.error.message).toBe(WRONG_PASSPHRASE)
    expect(await customerNames(layer)).toEqual(['Ada Tester', 'Grace Tester'])
    const restored = await invoke(layer, 'backups:restore', { name: made.name, passphrase: 'first passphrase!' })
    expect(restored.keptAs).toMatch(/before-restore\.sqlite3\.enc$/)
    expect(await customerNames(layer)).toEqual(['Ada Tester'])
  })

  it('is refused where the data layer cannot restart (a bare core)', async () => {
    const dir = tempDir()
    const core = await openCore(join(dir, 'frontdesk.sqlite3'))
    const made = await backUp(core)
    expect(await call(core, 'backups:restore', { name: made.name })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })
})

describe('automatic backups', () => {
  it('are made before a schema migration, of the file as it was, before anything is written to it', async () => {
    const dir = tempDir()
    const dataFile = join(dir, 'frontdesk.sqlite3')
    createDataFile(dataFile)
    const db = openDatabase(dataFile)
    const previous = migrationNames[migrationNames.length - 2]!
    await migrateUpTo(db, previous)
    await db.raw(`PRAGMA user_version = ${migrationNames.length - 1}`)
    await closeDatabase(db)
    const core = await openCore(dataFile)
    expect(core.opened.applied).toEqual([migrationNames[migrationNames.length - 1]])
    const backups = listBackups(join(dir, 'Backups'))
    expect(backups).toHaveLength(1)
    expect(backups[0]!.kind).toBe('before-migration')
    // The backup holds the earlier schema.
    expect(checkCopy(join(dir, 'Backups', backups[0]!.name), migrationNames)).toMatchObject({ reason: null, schemaVersion: migrationNames.length - 1 })
    await core.close()
    // Opening again migrates nothing, so makes no backup.
    await openCore(dataFile)
    expect(listBackups(join(dir, 'Backups'))).toHaveLength(1)
  })

  it('are made before an import of more than 100 customers, and not before a smaller one', async () => {
    const dir = tempDir()
    const dataFile = join(dir, 'frontdesk.sqlite3')
    const dialogs = { chooseImportFile: async () => next, chooseExportFile: async () => null, chooseRejectsFile: async () => null, chooseReportFile: async () => null, choosePrintoutFile: async () => null }
    let next = ''
    const core = await openFrontdesk({ dataFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN, dialogs })
    closers.push(() => core.close())
    const importRows = async (n: number, prefix: string) => {
      next = join(dir, `${prefix}.csv`)
      writeFileSync(next, `First name,Last name,Email\n${Array.from({ length: n }, (_, i) => `${prefix}${i},Person,${prefix}${i}@example.com`).join('\n')}\n`)
      const preview = await invoke(core, 'imports:choose', {})
      const status = await finishJob(
        (c, i) => call(core, c, i),
        await invoke(core, 'imports:run', { sourceId: preview!.sourceId, sheet: null, mapping: preview!.mapping, match: 'fill' } as Input<'imports:run'>),
      )
      expect(status.state, status.error?.message).toBe('done')
    }
    await importRows(100, 'small')
    expect(listBackups(join(dir, 'Backups'))).toHaveLength(0)
    await importRows(101, 'large')
    const backups = listBackups(join(dir, 'Backups'))
    expect(backups.map((b) => b.kind)).toEqual(['before-import'])
    // The backup is the file just before the large import: the 100 from the small one.
    expect(checkCopy(join(dir, 'Backups', backups[0]!.name), migrationNames).customers).toBe(100)
  })

  it('before an import or a merge, are copied and checked before the change asks for its turn to write, so the desk keeps saving meanwhile', async () => {
    const dir = tempDir()
    const core = await openCore(join(dir, 'frontdesk.sqlite3'))
    const ctx = core.context()
    // What the change did, in order: the steps it reported, and when it asked for the write turn.
    const steps: string[] = []
    const progress: Progress = {
      report: (_done, _total, phase) => void (phase && steps.at(-1) !== phase && steps.push(phase)),
      checkCancelled() {},
      waitForWriteTurn: async () => void steps.push('write turn'),
    }
    const file = join(dir, 'people.csv')
    writeFileSync(file, `First name,Last name,Email\n${Array.from({ length: 150 }, (_, i) => `Person${i},Imported,person${i}@example.com`).join('\n')}\n`)
    await runImport(ctx, { file, sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, progress)
    expect(steps.indexOf('Checking the copy')).toBeGreaterThan(-1)
    expect(steps.indexOf('Checking the copy')).toBeLessThan(steps.indexOf('write turn'))
    expect(steps.indexOf('write turn')).toBeLessThan(steps.indexOf('Writing customers'))

    // A merge that moves more than 100 records: the same order.
    const [kept, merged] = await Promise.all([addCustomer(core, 'Kept'), addCustomer(core, 'Merged')])
    for (let i = 0; i <= BULK_CHANGE_BACKUP_ABOVE; i++) await invoke(core, 'notes:add', { customerId: merged.id, body: `Note ${i}` } as Input<'notes:add'>)
    steps.length = 0
    await mergeCustomers(ctx, { customerIds: [kept.id, merged.id], survivorId: kept.id, choices: {} }, progress)
    expect(steps.indexOf('Checking the copy')).toBeGreaterThan(-1)
    expect(steps.indexOf('Checking the copy')).toBeLessThan(steps.indexOf('write turn'))
    expect(listBackups(join(dir, 'Backups')).map((b) => b.kind).sort()).toEqual(['before-import', 'before-merge'])
  })

  it('daily: made when today has none, not again the same day, not when turned off', async () => {
    const dir = tempDir()
    const dataFile = join(dir, 'frontdesk.sqlite3')
    const layer = await openLayer(dataFile)
    await layer.checkDailyBackup()
    expect(listBackups(join(dir, 'Backups')).map((b) => b.kind)).toEqual(['daily'])
    await layer.checkDailyBackup()
    expect(listBackups(join(dir, 'Backups'))).toHaveLength(1)
    rmSync(join(dir, 'Backups'), { recursive: true })
    await invoke(layer, 'backups:setOptions', { daily: false })
    await layer.checkDailyBackup()
    expect(existsSync(join(dir, 'Backups')) ? listBackups(join(dir, 'Backups')) : []).toHaveLength(0)
  })
})
