import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import knex, { type Knex } from 'knex'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openDataLayer, type DataLayer } from '../../main/dataLayer'
import { MemorySecretStore } from '../../main/secrets'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { NO_PROGRESS } from '../../main/services/progress'
import {
  backupBeforeBulkChange,
  backupName,
  BULK_CHANGE_BACKUP_ABOVE,
  currentServerBackupsHome,
  listBackups,
  useServerBackupsHome,
  WRONG_PASSPHRASE,
} from '../../main/services/backups'
import { serverFolderName } from '../../main/services/backups/folder'
import { checkCopy } from '../../db/backup'
import { migrateUpTo, migrations } from '../../db/migrations'
import { closeDatabase, openDatabase } from '../../db/connection'
import { createDataFile } from '../../db/dataFile'
import { CHANGES_CHANNEL, parseChangeNotice, type ChangeNotice } from '../../db/dialects/postgresNotify'
import type { Channel, Input } from '../../preload/contract'
import { backUpOn, callOn, invokeOn, type Caller } from '../helpers/dispatch'
import type { TestCore } from '../helpers/core'
import { createCatalogue } from '../helpers/catalogue'
import { freshServerDatabase, onPostgres } from '../helpers/testDatabase'
import { testWorker } from '../helpers/worker'

/*
 * Backups and restore on a desk whose data is on a PostgreSQL server: a
 * backup is the server's data copied into a checked SQLite file, named and
 * kept as a file desk's are, in this computer's folder for that server; a
 * restore checks the backup, keeps the server's current data as a backup,
 * copies the backup onto the server whole and reopens the desk, and the
 * server's other desks are told everything changed. A refusal leaves the
 * server's data as it was.
 */

const migrationNames = migrations.map(([name]) => name)
const NOW = new Date('2026-03-02T12:00:00Z')

let home: string
const closers: Array<() => Promise<void>> = []

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'frontdesk-server-backups-'))
  useServerBackupsHome(home)
})
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {})
})
afterAll(() => {
  useServerBackupsHome(null)
  rmSync(home, { recursive: true, force: true })
})

const call = callOn
const invoke = invokeOn
const backUp = (on: Caller) => backUpOn(on, undefined)

interface ServerDesk {
  url: string
  layer: DataLayer
  /** A plain connection to the server, to look at its data directly. */
  look: Knex
  folder: string
}

async function serverDesk(secrets = new MemorySecretStore()): Promise<ServerDesk> {
  const server = await freshServerDatabase()
  closers.push(server.drop)
  const layer = await openDataLayer({ dataFile: server.url, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN, secrets, clock: () => NOW, reminderSweepEveryMs: 0 })
  closers.push(() => layer.close())
  const look = knex({ client: 'pg', connection: server.url, pool: { min: 0, max: 1 } })
  closers.push(() => look.destroy())
  return { url: server.url, layer, look, folder: join(home, 'backups', serverFolderName(server.url)) }
}

/** Customers, bookings (with their lines) and notes on the server, row by row. */
async function serverData(look: Knex): Promise<Record<string, unknown[]>> {
  const data: Record<string, unknown[]> = {}
  for (const table of ['customers', 'bookings', 'booking_lines', 'notes']) data[table] = await look(table).select('*').orderBy('id')
  return data
}

/** Two customers, a booking and a note: the state a backup keeps. */
async function addData(desk: ServerDesk): Promise<void> {
  const app = { invoke: (channel: Channel, input: unknown) => invoke(desk.layer, channel, input as never) } as unknown as TestCore
  const cat = await createCatalogue(app, { now: NOW })
  const ada = await invoke(desk.layer, 'customers:create', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' } as Input<'customers:create'>)
  await invoke(desk.layer, 'customers:create', { firstName: 'Grace', lastName: 'Hopper' } as Input<'customers:create'>)
  await invoke(desk.layer, 'bookings:create', { customer: { kind: 'existing', id: ada.id }, lines: [{ sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId }] })
  await invoke(desk.layer, 'notes:add', { customerId: ada.id, body: 'Prefers Tuesday classes' })
}

/** Changes after the backup: a new customer and note, an edited customer. */
async function changeData(desk: ServerDesk): Promise<void> {
  const zoe = await invoke(desk.layer, 'customers:create', { firstName: 'Zoë', lastName: 'Newcomer' } as Input<'customers:create'>)
  await invoke(desk.layer, 'notes:add', { customerId: zoe.id, body: 'Joined after the backup' })
  await desk.look('customers').where({ first_name: 'Grace' }).update({ last_name: 'Changed' })
}

/** Another desk listening on the server, as a desk's live line does. */
async function listenForChanges(url: string): Promise<{ notices: ChangeNotice[]; close: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const notices: ChangeNotice[] = []
  client.on('notification', (message) => {
    const notice = parseChangeNotice(message.payload)
    if (notice) notices.push(notice)
  })
  await client.query(`LISTEN ${CHANGES_CHANNEL}`)
  const close = () => client.end()
  closers.push(close)
  return { notices, close }
}

describe.skipIf(!onPostgres)('backups of a desk on a PostgreSQL server', () => {
  it('go into this computer’s folder for the server as checked SQLite files, named and listed as a file desk’s', async () => {
    const desk = await serverDesk()
    await addData(desk)
    const status = await invoke(desk.layer, 'backups:status', undefined)
    expect(status).toMatchObject({ onServer: true, folder: desk.folder, folderIsDefault: true, folderProblem: null, backups: [] })
    expect(status.dataFileName).not.toMatch(/:[^@/]*@/)
    expect(status.folder.startsWith(currentServerBackupsHome())).toBe(true)
    const made = await backUp(desk.layer)
    expect(made).toMatchObject({ name: backupName(NOW, 'manual', false), kind: 'manual', encrypted: false, verified: true, customers: 2 })
    expect(checkCopy(join(desk.folder, made.name), migrationNames)).toMatchObject({ reason: null, customers: 2 })
    // The copy holds the server's rows as they are.
    const copy = new Database(join(desk.folder, made.name), { readonly: true })
    const names = copy.prepare('SELECT first_name FROM customers ORDER BY id').all()
    const notes = copy.prepare('SELECT body FROM notes').all()
    copy.close()
    expect(names).toEqual([{ first_name: 'Ada' }, { first_name: 'Grace' }])
    expect(notes).toEqual([{ body: 'Prefers Tuesday classes' }])
    // Only the backup in the folder: no temporary copy, lock or partial file left.
    expect(readdirSync(desk.folder)).toEqual([made.name])
    expect((await invoke(desk.layer, 'backups:status', undefined)).backups.map((b) => b.name)).toEqual([made.name])
  })

  it('are made daily and before an import or merge of more than 100 records, as on a file desk', async () => {
    const desk = await serverDesk()
    await addData(desk)
    await desk.layer.checkDailyBackup()
    expect(listBackups(desk.folder).map((b) => b.kind)).toEqual(['daily'])
    // Made once a day only.
    await desk.layer.checkDailyBackup()
    expect(listBackups(desk.folder)).toHaveLength(1)
    const ctx = desk.layer.core.context()
    expect(await backupBeforeBulkChange(ctx, 'import', BULK_CHANGE_BACKUP_ABOVE, NO_PROGRESS)).toBeNull()
    const before = await backupBeforeBulkChange({ ...ctx, clock: () => new Date(NOW.getTime() + 60_000) }, 'merge', BULK_CHANGE_BACKUP_ABOVE + 1, NO_PROGRESS)
    expect(before).toMatchObject({ kind: 'before-merge', customers: 2, verified: true })
    expect(listBackups(desk.folder).map((b) => b.kind).sort()).toEqual(['before-merge', 'daily'])
  })

  it('restore: the server’s data becomes the backup’s again, its current data is kept as a backup first, and other desks are told', async () => {
    const desk = await serverDesk()
    await addData(desk)
    const backedUp = await serverData(desk.look)
    const made = await backUp(desk.layer)
    await changeData(desk)
    const changed = await serverData(desk.look)
    expect(changed).not.toEqual(backedUp)
    const otherDesk = await listenForChanges(desk.url)
    const before = desk.layer.core

    const outcome = await invoke(desk.layer, 'backups:restore', { name: made.name })

    expect(outcome).toMatchObject({ restored: made.name, customers: 2 })
    expect(outcome.keptAs).toMatch(/-before-restore\.sqlite3$/)
    expect(await serverData(desk.look)).toEqual(backedUp)
    // The data layer reopened (everyone signs in again), and the desk reads the restored data through it.
    expect(desk.layer.core).not.toBe(before)
    const list = await invoke(desk.layer, 'customers:list', {} as Input<'customers:list'>)
    expect(list.rows.map((r) => r.displayName).sort()).toEqual(['Ada Lovelace', 'Grace Hopper'])
    // The data it replaced is a backup of its own, with Zoë.
    expect(checkCopy(join(desk.folder, outcome.keptAs), migrationNames)).toMatchObject({ reason: null, customers: 3 })
    await expect.poll(() => otherDesk.notices.filter((n) => n.customers === null).map((n) => n.table).sort()).toEqual(expect.arrayContaining(['bookings', 'customers', 'notes']))
    // No decrypted or temporary copy left behind.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('frontdesk-restoring-'))).toEqual([])
    expect(readdirSync(desk.folder).filter((n) => n.startsWith('.'))).toEqual([])

    // Restoring the kept one brings the changes back.
    await invoke(desk.layer, 'backups:restore', { name: outcome.keptAs })
    expect(await serverData(desk.look)).toEqual(changed)
    // New customers after a restore get new numbers (the id sequences follow the copied ids).
    const next = await invoke(desk.layer, 'customers:create', { firstName: 'After', lastName: 'Restore' } as Input<'customers:create'>)
    expect(next.id).toBeGreaterThan(Math.max(...(changed['customers'] as Array<{ id: number }>).map((c) => c.id)))
  })

  it('encrypted backups round-trip; a wrong passphrase is refused and changes nothing', async () => {
    const secrets = new MemorySecretStore()
    const desk = await serverDesk(secrets)
    await addData(desk)
    await invoke(desk.layer, 'backups:setPassphrase', { passphrase: 'first passphrase!' })
    await invoke(desk.layer, 'backups:setOptions', { encrypted: true })
    const backedUp = await serverData(desk.look)
    const made = await backUp(desk.layer)
    expect(made).toMatchObject({ encrypted: true, customers: 2 })
    expect(made.name).toMatch(/-manual\.sqlite3\.enc$/)
    // Encrypted: nothing in it reads as SQLite or as the customers' names.
    const bytes = readFileSync(join(desk.folder, made.name))
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false)
    expect(bytes.includes(Buffer.from('Lovelace'))).toBe(false)
    await changeData(desk)
    const changed = await serverData(desk.look)
    await invoke(desk.layer, 'backups:setPassphrase', { passphrase: 'second passphrase' })
    const folderBefore = readdirSync(desk.folder).sort()

    const refused = await call(desk.layer, 'backups:restore', { name: made.name })
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'passphrase', message: WRONG_PASSPHRASE } })
    expect(await serverData(desk.look)).toEqual(changed)
    expect(readdirSync(desk.folder).sort()).toEqual(folderBefore)

    const restored = await invoke(desk.layer, 'backups:restore', { name: made.name, passphrase: 'first passphrase!' })
    expect(restored.keptAs).toMatch(/-before-restore\.sqlite3\.enc$/)
    expect(await serverData(desk.look)).toEqual(backedUp)
  })

  it('refuses a damaged, foreign or newer-schema backup in words, leaving the server’s data and the folder as they were', async () => {
    const desk = await serverDesk()
    await addData(desk)
    const made = await backUp(desk.layer)
    await changeData(desk)
    const damaged = backupName(new Date('2026-01-01T00:00:00Z'), 'manual', false)
    const bytes = readFileSync(join(desk.folder, made.name))
    bytes.fill(0, 8192, bytes.length - 4096)
    writeFileSync(join(desk.folder, damaged), bytes)
    const foreign = backupName(new Date('2026-01-02T00:00:00Z'), 'manual', false)
    const other = new Database(join(desk.folder, foreign))
    other.exec(`CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO recipes (name) VALUES ('soup')`)
    other.close()
    const newer = backupName(new Date('2026-01-03T00:00:00Z'), 'manual', false)
    copyFileSync(join(desk.folder, made.name), join(desk.folder, newer))
    const future = new Database(join(desk.folder, newer))
    future.prepare('INSERT INTO knex_migrations (name, batch, migration_time) VALUES (?, 99, ?)').run('29990101000000_from_the_future', NOW.toISOString())
    future.close()
    const data = await serverData(desk.look)
    const folderBefore = readdirSync(desk.folder).sort()
    const core = desk.layer.core
    for (const [name, words] of [
      [damaged, /damaged: it did not pass SQLite’s integrity check/],
      [foreign, /not a Frontdesk backup/],
      [newer, /made by a newer version of Frontdesk/],
    ] as const) {
      const refused = await call(desk.layer, 'backups:restore', { name })
      expect(refused.ok).toBe(false)
      expect(!refused.ok && refused.error.message).toMatch(words)
      expect(!refused.ok && refused.error.message).toMatch(/[Nn]othing was changed/)
    }
    expect(desk.layer.core).toBe(core)
    expect(await serverData(desk.look)).toEqual(data)
    expect(readdirSync(desk.folder).sort()).toEqual(folderBefore)
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('frontdesk-restoring-'))).toEqual([])
  })

  it('restores a backup from an earlier version, brought up to this version’s schema on its copy first', async () => {
    const desk = await serverDesk()
    await addData(desk)
    mkdirSync(desk.folder, { recursive: true })
    const older = backupName(new Date('2026-01-01T00:00:00Z'), 'manual', false)
    const file = join(desk.folder, older)
    createDataFile(file)
    const db = openDatabase(file)
    await migrateUpTo(db, migrationNames[migrationNames.length - 2]!)
    await db.raw(`PRAGMA user_version = ${migrationNames.length - 1}`)
    await db('customers').insert({ first_name: 'Old', last_name: 'Timer', display_name: 'Old Timer', sort_name: 'timer old', created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
    await closeDatabase(db)
    expect(checkCopy(file, migrationNames)).toMatchObject({ reason: null, schemaVersion: migrationNames.length - 1 })

    const outcome = await invoke(desk.layer, 'backups:restore', { name: older })
    expect(outcome).toMatchObject({ restored: older, customers: 1 })
    expect((await desk.look('customers').select('first_name', 'last_name')).map((c) => `${c.first_name} ${c.last_name}`)).toEqual(['Old Timer'])
    expect(await desk.look('notes').count({ n: '*' })).toEqual([{ n: 0 }])
    // The backup itself is only read: still at its earlier schema.
    expect(checkCopy(file, migrationNames)).toMatchObject({ reason: null, schemaVersion: migrationNames.length - 1 })
  })

  it('a copy onto the server that fails midway is undone whole: the server keeps its data', async () => {
    const desk = await serverDesk()
    await addData(desk)
    const made = await backUp(desk.layer)
    await changeData(desk)
    // The server now refuses any new row for Ada (existing rows are not checked): the copy fails on its first customer.
    await desk.look.raw(`ALTER TABLE customers ADD CONSTRAINT no_new_ada CHECK (first_name <> 'Ada') NOT VALID`)
    const data = await serverData(desk.look)
    const core = desk.layer.core
    const refused = await call(desk.layer, 'backups:restore', { name: made.name })
    expect(refused.ok).toBe(false)
    expect(await serverData(desk.look)).toEqual(data)
    expect(desk.layer.core).toBe(core)
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('frontdesk-restoring-'))).toEqual([])
    // The desk goes on working on the data it had.
    expect((await invoke(desk.layer, 'customers:list', {} as Input<'customers:list'>)).rows).toHaveLength(3)
  })

  it('a backup that cannot be made leaves a message and no file', async () => {
    const desk = await serverDesk()
    await invoke(desk.layer, 'backups:setPassphrase', { passphrase: 'first passphrase!' })
    await invoke(desk.layer, 'backups:setOptions', { encrypted: true })
    // Another computer: the same server (so encryption is on) but no passphrase kept here.
    const elsewhere = await openDataLayer({ dataFile: desk.url, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN, reminderSweepEveryMs: 0 })
    closers.push(() => elsewhere.close())
    const refused = await call(elsewhere, 'backups:create', undefined)
    expect(refused).toMatchObject({ ok: false, error: { code: 'STORAGE' } })
    expect(!refused.ok && refused.error.message).toMatch(/no passphrase is set on this computer/)
    expect(existsSync(desk.folder) ? listBackups(desk.folder) : []).toEqual([])
  })
})
