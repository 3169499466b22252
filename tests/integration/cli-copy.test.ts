import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore } from '../helpers/core'

/** `frontdesk copy`: every table verified, JSON for scripts, a target with data refused unless --force; server-only words for file commands. */
const root = join(__dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const frontdesk = (...args: string[]) => spawnSync(tsx, [join(root, 'main', 'cli', 'index.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 })
const dir = mkdtempSync(join(tmpdir(), 'frontdesk-cli-copy-'))
const source = join(dir, 'source.sqlite3')

beforeAll(async () => {
  const core = await openTestCore({ dataFile: source })
  try {
    await core.invoke('customers:create', { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.com', phones: [{ label: 'mobile', number: '+44 7700 900123', isPrimary: true }], addresses: [] })
  } finally {
    await core.close()
  }
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('frontdesk copy', () => {
  it('copies a file, verified table by table; refuses a target with data unless --force', () => {
    const target = join(dir, 'copy.sqlite3')
    const copied = frontdesk('copy', '--from', source, '--to', target, '--json')
    expect(copied.status, copied.stderr).toBe(0)
    const report = JSON.parse(copied.stdout) as { tables: Array<{ name: string; rows: number; checksum: string }>; rows: number }
    expect(report.tables.find((t) => t.name === 'customers')).toMatchObject({ rows: 1 })
    expect(report.tables.find((t) => t.name === 'phones')).toMatchObject({ rows: 1 })
    const again = frontdesk('copy', '--from', source, '--to', target)
    expect(again.status).toBe(1)
    expect(again.stderr).toMatch(/already holds customer data/)
    expect(frontdesk('copy', '--from', source, '--to', target, '--force').stdout).toMatch(/every table verified/)
    expect(frontdesk('copy', '--from', source).status).toBe(2)
  }, 120_000)

  it('check, backup and restore say they are for files when given a server', () => {
    const run = frontdesk('check', '--db', 'postgres://desk:secret@127.0.0.1:1/frontdesk')
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/works on a customer file/)
    expect(run.stderr).not.toContain('secret')
  }, 60_000)
})
