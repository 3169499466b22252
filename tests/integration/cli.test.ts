import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { verifySecret } from '../../main/services/staff/passwords'

/** The `frontdesk` command line: usage, exit codes, JSON for scripts, the same services as the app. */
const root = join(__dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
let dir: string
let db: string

const frontdesk = (...args: string[]) => spawnSync(tsx, [join(root, 'main', 'cli', 'index.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 })
const json = (run: ReturnType<typeof frontdesk>) => JSON.parse(run.stdout) as Record<string, unknown>

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-cli-'))
  db = join(dir, 'frontdesk.sqlite3')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the frontdesk command', () => {
  it('explains itself, and says so when used wrongly', () => {
    const help = frontdesk('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/import FILE[\s\S]*export FILE[\s\S]*check[\s\S]*demo/)
    expect(frontdesk('import', '--help').stdout).toMatch(/--match MODE/)
    const unknown = frontdesk('merge', '--db', db)
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toMatch(/Unknown command “merge”/)
    expect(frontdesk('import', '--db', db).status).toBe(2)
    expect(frontdesk('import', 'x.csv', '--match', 'sometimes', '--db', db).status).toBe(2)
  })

  it('imports (check first), exports and checks a file, with JSON for scripts', () => {
    const csv = join(dir, 'people.csv')
    writeFileSync(csv, 'First name,Last name,Email,Mobile\nAda,Lovelace,ada@example.com,07700 900001\nBad,Row,not-an-email,\n')
    const checked = frontdesk('import', csv, '--db', db, '--check', '--json')
    expect(checked.status, checked.stderr).toBe(0)
    expect(json(checked)).toMatchObject({ dryRun: true, created: 1, rejected: 1 })
    const rejects = join(dir, 'rejects.csv')
    // The refused rows pass through a private folder of the command's own, gone when it ends.
    const temporary = mkdtempSync(join(dir, 'tmp-'))
    const imported = spawnSync(tsx, [join(root, 'main', 'cli', 'index.ts'), 'import', csv, '--db', db, '--json', '--rejects', rejects], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TMPDIR: temporary },
    })
    expect(json(imported)).toMatchObject({ dryRun: false, created: 1, rejected: 1 })
    expect(readFileSync(rejects, 'utf8')).toMatch(/not-an-email.*This is not a valid email address/)
    expect(readdirSync(temporary).filter((name) => !/^tsx-\d+$/.test(name))).toEqual([])

    const out = join(dir, 'out.csv')
    const exported = frontdesk('export', out, '--db', db, '--json')
    expect(exported.status, exported.stderr).toBe(0)
    expect(json(exported)).toMatchObject({ rows: 1, fileName: 'out.csv' })
    expect(readFileSync(out, 'utf8')).toMatch(/Lovelace/)

    const check = frontdesk('check', '--db', db, '--json')
    expect(check.status).toBe(0)
    expect(json(check)).toMatchObject({ customers: { active: 1 }, imports: 1 })
  })

  it('writes over no file it was not told to, and never over a customer file, even when told to', () => {
    const out = join(dir, 'kept.csv')
    writeFileSync(out, 'theirs')
    const refused = frontdesk('export', out, '--db', db)
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(/kept\.csv already exists: choose a new FILE, or add --force to replace it/)
    expect(readFileSync(out, 'utf8')).toBe('theirs')
    const forced = frontdesk('export', out, '--db', db, '--force', '--json')
    expect(forced.status, forced.stderr).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/Lovelace/)

    // The customer file itself, named as the export: refused in words, every customer still there.
    const before = readFileSync(db)
    const overDatabase = frontdesk('export', db, '--db', db, '--format', 'csv', '--force', '--json')
    expect(overDatabase.status).toBe(1)
    expect(json(overDatabase)).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringContaining('is a database') } })
    expect(readFileSync(db)).toEqual(before)
    expect(json(frontdesk('check', '--db', db, '--json'))).toMatchObject({ customers: { active: 1 } })

    const csv = join(dir, 'again.csv')
    writeFileSync(csv, 'First name,Email\nBad,not-an-email\n')
    const rejects = join(dir, 'kept-rejects.csv')
    writeFileSync(rejects, 'theirs')
    expect(frontdesk('import', csv, '--db', db, '--rejects', rejects).status).toBe(2)
    expect(readFileSync(rejects, 'utf8')).toBe('theirs')
    expect(frontdesk('import', csv, '--db', db, '--rejects', rejects, '--force').status).toBe(0)
    expect(readFileSync(rejects, 'utf8')).toMatch(/not-an-email/)
  })

  it('names columns it does not know as wrong usage', () => {
    const out = join(dir, 'columns.csv')
    for (const columns of [',,,', 'email,shoeSize']) {
      const run = frontdesk('export', out, '--db', db, '--columns', columns)
      expect(run.status, run.stderr).toBe(2)
      expect(run.stderr).toMatch(/^--columns: /)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('refuses a file that is not a customer file, leaving it alone (exit 3)', () => {
    const other = join(dir, 'other.sqlite3')
    writeFileSync(other, 'not a database at all, just text that is long enough to look like a file')
    const before = readFileSync(other)
    const run = frontdesk('check', '--db', other)
    expect(run.status).toBe(3)
    expect(run.stderr).toMatch(/File: .*other\.sqlite3/)
    expect(readFileSync(other)).toEqual(before)
  })

  it('sets a new password for a forgotten one, read from the environment or a pipe, never an argument', async () => {
    const file = join(dir, 'staff.sqlite3')
    const reset = (name: string, options: { env?: string; input?: string }) =>
      spawnSync(tsx, [join(root, 'main', 'cli', 'index.ts'), 'reset-password', name, '--db', file], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
        input: options.input ?? '',
        env: { ...process.env, FRONTDESK_NEW_PASSWORD: options.env ?? '' },
      })
    const done = reset('administrator', { env: 'back in at last' })
    expect(done.status, done.stderr).toBe(0)
    expect(done.stdout).toMatch(/New password set for Administrator/)
    const piped = reset('Administrator', { input: 'piped in password\n' })
    expect(piped.status, piped.stderr).toBe(0)
    expect(reset('Administrator', { env: 'short' })).toMatchObject({ status: 1, stderr: expect.stringContaining('at least 10 characters') })
    expect(reset('Nobody', { env: 'long enough password' })).toMatchObject({ status: 1, stderr: expect.stringContaining('No staff account is named “Nobody”') })
    const db = new Database(file, { readonly: true })
    try {
      const row = db.prepare('SELECT password_hash FROM staff WHERE id = 1').get() as { password_hash: string }
      expect(await verifySecret('piped in password', row.password_hash)).toBe(true)
      const log = JSON.stringify(db.prepare('SELECT summary, changes FROM change_log').all())
      expect(log).toContain('Password reset at the computer for Administrator')
      expect(log).not.toMatch(/piped in password|back in at last/)
    } finally {
      db.close()
    }
  })
})
