import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openFrontdesk } from '../../main/app-core'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { testWorker } from '../helpers/worker'

/** `frontdesk backup` and `frontdesk restore`: the app's backups from the command line, refusing in words. */
const root = join(__dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
let dir: string
let db: string

const frontdesk = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(tsx, [join(root, 'main', 'cli', 'index.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } })
const json = (run: ReturnType<typeof frontdesk>) => JSON.parse(run.stdout) as Record<string, unknown>
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

async function addCustomer(firstName: string) {
  const core = await openFrontdesk({ dataFile: db, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN })
  try {
    const result = await core.dispatch('customers:create', { firstName, lastName: 'Tester' }, { url: 'app://test', isTopFrame: true })
    expect(result.ok).toBe(true)
  } finally {
    await core.close()
  }
}

async function names(): Promise<string[]> {
  const core = await openFrontdesk({ dataFile: db, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN })
  try {
    const result = await core.dispatch('customers:list', {}, { url: 'app://test', isTopFrame: true })
    return result.ok ? (result.data as { rows: Array<{ displayName: string }> }).rows.map((r) => r.displayName).sort() : []
  } finally {
    await core.close()
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-backup-cli-'))
  db = join(dir, 'frontdesk.sqlite3')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('frontdesk backup and restore', () => {
  it('backs up (checked, into Backups beside the file) and restores it, keeping the replaced file as a backup', async () => {
    await addCustomer('Ada')
    const made = frontdesk({}, 'backup', '--db', db, '--json')
    expect(made.status, made.stderr).toBe(0)
    const backup = json(made)
    expect(backup).toMatchObject({ kind: 'manual', verified: true, customers: 1, folder: join(dir, 'Backups') })
    await addCustomer('Grace')
    expect(await names()).toEqual(['Ada Tester', 'Grace Tester'])
    const restored = frontdesk({}, 'restore', String(backup.name), '--db', db, '--json')
    expect(restored.status, restored.stderr).toBe(0)
    expect(json(restored)).toMatchObject({ restored: backup.name, damaged: false, customers: 1, keptAs: expect.stringMatching(/before-restore\.sqlite3$/) })
    expect(await names()).toEqual(['Ada Tester'])
    expect(readdirSync(join(dir, 'Backups')).filter((n) => n.endsWith('-before-restore.sqlite3'))).toHaveLength(1)
  })

  it('refuses a file that is not a Frontdesk backup and a backup that is not there, in words, changing nothing; --folder puts a backup elsewhere', async () => {
    const foreign = join(dir, 'notes.sqlite3')
    writeFileSync(foreign, 'these are not customers')
    const before = hash(db)
    const refused = frontdesk({}, 'restore', foreign, '--db', db)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/not a Frontdesk backup\. Nothing was changed/)
    expect(hash(db)).toBe(before)

    const encrypted = frontdesk({ FRONTDESK_BACKUP_PASSPHRASE: 'correct horse battery' }, 'backup', '--db', db, '--folder', dir, '--json')
    expect(encrypted.status, encrypted.stderr).toBe(0)
    // Encryption follows the file's setting, which is off: a plain backup even with a passphrase given.
    expect(json(encrypted)).toMatchObject({ encrypted: false, folder: dir })
    const missing = frontdesk({}, 'restore', 'frontdesk-2020-01-01T000000Z-manual.sqlite3', '--db', db, '--json')
    expect(missing.status).toBe(1)
    expect(json(missing)).toMatchObject({ error: { message: expect.stringMatching(/There is no backup .* Nothing was changed/) } })
    expect(hash(db)).toBe(before)
  })
})
