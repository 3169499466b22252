import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { finishJob, openTestCore, type TestCore } from '../helpers/core'
import { useServerBackupsHome } from '../../main/services/backups'
import { emptyServerDatabase, freshServerDatabase, serverUrl } from '../helpers/testDatabase'
import { MemorySecretStore } from '../../main/secrets'
import { settingsOfAddress } from '../../main/services/database/server'
import { openDatabase, closeDatabase } from '../../db/connection'

/*
 * Settings → Database: Test connection answers in words (reached, a new
 * database, no such database, not reachable, another program's), the
 * password stays in main, and a desk on a server backs up into a file on
 * this computer. Runs against the test server when one is given.
 */
const withServer = Boolean(process.env.FRONTDESK_TEST_POSTGRES)
const cores: TestCore[] = []
const drops: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.cleanup()
  for (const drop of drops.splice(0)) await drop()
})

const nowhere = { host: '127.0.0.1', port: 1, database: 'frontdesk', user: 'desk', tls: 'disable' as const }

describe('Settings → Database', () => {
  it('shows the local file in use, and a server that cannot be reached in words', async () => {
    const core = await openTestCore({ secrets: new MemorySecretStore() })
    cores.push(core)
    const status = await core.invoke('database:status', undefined)
    expect(status.using).toBe(core.dataFile.startsWith('postgres') ? 'server' : 'file')
    const test = await core.invoke('database:testConnection', { ...nowhere, password: 'secret' })
    expect(test).toMatchObject({ outcome: 'unreachable', usable: false })
    expect(test.message).toMatch(/cannot be reached/)
    // A desk that cannot reopen elsewhere says so; nothing is switched.
    const refused = await core.call('database:useServer', nowhere)
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it.runIf(withServer)('answers reached, new, no such database and another program’s, changing nothing', async () => {
    const core = await openTestCore({ secrets: new MemorySecretStore() })
    cores.push(core)
    const frontdesk = await freshServerDatabase()
    const empty = await emptyServerDatabase()
    const foreign = await emptyServerDatabase()
    drops.push(frontdesk.drop, empty.drop, foreign.drop)
    const other = openDatabase(foreign.url)
    await other.raw('CREATE TABLE invoices (id int)')
    await closeDatabase(other)
    const at = (url: string) => ({ ...settingsOfAddress(url)!, password: null })
    expect(await core.invoke('database:testConnection', at(frontdesk.url))).toMatchObject({ outcome: 'reached', usable: true, customers: 0 })
    expect(await core.invoke('database:testConnection', at(empty.url))).toMatchObject({ outcome: 'new', usable: true })
    expect(await core.invoke('database:testConnection', at(foreign.url))).toMatchObject({ outcome: 'foreign', usable: false })
    expect(await core.invoke('database:testConnection', at(serverUrl('frontdesk_no_such_db')))).toMatchObject({ outcome: 'no-database', usable: false })
    // The empty database is still empty: a test writes nothing.
    const look = openDatabase(empty.url)
    const tables = (await look.raw(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`)) as { rows: Array<{ n: number }> }
    await closeDatabase(look)
    expect(tables.rows[0]!.n).toBe(0)
  })

  it.runIf(withServer)('a desk on a server backs up its data into a file in this computer’s folder for that server', async () => {
    const server = await freshServerDatabase()
    drops.push(server.drop)
    const home = mkdtempSync(join(tmpdir(), 'frontdesk-home-'))
    drops.push(async () => rmSync(home, { recursive: true, force: true }))
    useServerBackupsHome(home)
    const core = await openTestCore({ dataFile: server.url })
    cores.push(core)
    const status = await core.invoke('database:status', undefined)
    expect(status).toMatchObject({ using: 'server', server: { host: '127.0.0.1', database: server.name } })
    expect(status.location).not.toMatch(/:[^@/]*@/)
    const backup = await finishJob(core.call, await core.invoke('backups:create', undefined))
    expect(backup).toMatchObject({ state: 'done', result: { kind: 'manual', verified: true } })
    const backups = await core.invoke('backups:status', undefined)
    expect(backups).toMatchObject({ onServer: true, folderIsDefault: true, backups: [{ kind: 'manual' }] })
    expect(backups.folder.startsWith(join(home, 'backups'))).toBe(true)
  })
})
