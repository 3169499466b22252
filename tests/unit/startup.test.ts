import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DataFileProblem } from '../../db/dataFile'
import { describeOpenProblem, openWithRecovery, RememberedDatabaseChoices, rememberDataFile, resolveDatabase, resolveDataFile, type Choice, type OpenProblem, type StartupDialogs } from '../../main/startup'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-startup-'))
  dirs.push(dir)
  return dir
}

/** Dialogs answered from a script, recording what was asked. */
function scripted(answers: Array<Choice | string | null>): StartupDialogs & { asked: OpenProblem[] } {
  const asked: OpenProblem[] = []
  const next = () => (answers.length ? answers.shift()! : 'quit')
  return {
    asked,
    async ask(problem) {
      asked.push(problem)
      return next() as Choice
    },
    async pickExistingFile() {
      return next()
    },
    async pickNewFile() {
      return next()
    },
  }
}

describe('which customer file opens', () => {
  it('environment, then --data-file, then the file chosen last time, then the default', () => {
    const userData = tempDir()
    expect(resolveDataFile([], {}, userData)).toBe(join(userData, 'frontdesk.sqlite3'))
    rememberDataFile(userData, '/srv/desk/customers.sqlite3')
    expect(resolveDataFile([], {}, userData)).toBe('/srv/desk/customers.sqlite3')
    expect(resolveDataFile(['--data-file=/tmp/b.sqlite3'], {}, userData)).toBe('/tmp/b.sqlite3')
    expect(resolveDataFile(['--data-file=/tmp/b.sqlite3'], { FRONTDESK_DATA_FILE: '/tmp/a.sqlite3' }, userData)).toBe('/tmp/a.sqlite3')
  })
})

describe('when the file cannot be used', () => {
  it('names the file, says why in words, and opens the file chosen instead', async () => {
    const dialogs = scripted(['open-other', '/data/good.sqlite3'])
    const problems: string[] = []
    const opened = await openWithRecovery(
      '/data/broken.sqlite3',
      async (file) => {
        if (file.endsWith('broken.sqlite3')) throw new DataFileProblem('damaged', file)
        return `core for ${file}`
      },
      dialogs,
      (file) => problems.push(file),
    )
    expect(opened).toEqual({ core: 'core for /data/good.sqlite3', file: '/data/good.sqlite3' })
    expect(problems).toEqual(['/data/broken.sqlite3'])
    expect(dialogs.asked[0]).toMatchObject({
      title: 'The customer file is damaged',
      file: '/data/broken.sqlite3',
      choices: ['open-other', 'start-new', 'quit'],
    })
    expect(dialogs.asked[0]!.message).toMatch(/has not changed it/)
  })

  it('a file found damaged while in use starts at the question, then opens the file chosen', async () => {
    const dialogs = scripted(['start-new', '/data/fresh.sqlite3'])
    const tried: string[] = []
    const opened = await openWithRecovery(
      '/data/in-use.sqlite3',
      async (file) => {
        tried.push(file)
        return file
      },
      dialogs,
      () => {},
      new DataFileProblem('damaged', '/data/in-use.sqlite3'),
    )
    expect(tried).toEqual(['/data/fresh.sqlite3'])
    expect(opened).toEqual({ core: '/data/fresh.sqlite3', file: '/data/fresh.sqlite3' })
    expect(dialogs.asked[0]).toMatchObject({ title: 'The customer file is damaged', file: '/data/in-use.sqlite3' })
  })

  it('asks again when the picker is cancelled, and quits when asked to', async () => {
    const dialogs = scripted(['start-new', null, 'quit'])
    const opened = await openWithRecovery('/x.sqlite3', () => Promise.reject(new DataFileProblem('foreign', '/x.sqlite3')), dialogs, () => {})
    expect(opened).toBeNull()
    expect(dialogs.asked).toHaveLength(2)
  })

  it('a file already open elsewhere offers only to quit', () => {
    expect(describeOpenProblem(new DataFileProblem('in-use', '/f'), '/f')).toMatchObject({ title: 'Frontdesk is already open', choices: ['quit'] })
  })

  it('a read-only file is a sentence, never a raw statement', () => {
    const dir = tempDir()
    const file = join(dir, 'ro.sqlite3')
    new Database(file).exec('CREATE TABLE t (x)')
    const readonly = new Database(file, { readonly: true })
    let error: unknown
    try {
      readonly.prepare('INSERT INTO t VALUES (1)').run()
    } catch (e) {
      error = e
    } finally {
      readonly.close()
    }
    const problem = describeOpenProblem(error, file)
    expect(problem.message).toMatch(/read-only/)
    expect(problem.message).not.toMatch(/INSERT|SQLITE_/)
  })

  it('an unexpected failure is described without its technical text', () => {
    const problem = describeOpenProblem(new Error('insert into `knex_migrations` (`name`) values (?) - SQLITE_ERROR'), '/f')
    expect(problem.message).not.toMatch(/knex|insert|SQLITE/i)
    expect(problem.message).toMatch(/has not changed it/)
  })
})

describe('a desk on a PostgreSQL server', () => {
  const server = { host: 'db.example.com', port: 5432, database: 'frontdesk', user: 'desk', tls: 'require' as const }

  it('FRONTDESK_DATABASE_URL, then --db, then the server chosen in Settings (with its kept password), then the file', () => {
    const userData = tempDir()
    const file = join(userData, 'frontdesk.sqlite3')
    expect(resolveDatabase([], {}, userData, null)).toEqual({ location: file, localFile: file })
    const choices = new RememberedDatabaseChoices(userData, file)
    choices.save({ server, useServer: true })
    expect(resolveDatabase([], {}, userData, 's3cret pass').location).toBe('postgres://desk:s3cret%20pass@db.example.com:5432/frontdesk?sslmode=no-verify')
    expect(resolveDatabase(['app', '--db', 'postgres://a@b/c'], {}, userData, null).location).toBe('postgres://a@b/c')
    expect(resolveDatabase(['app', '--db=postgres://a@b/c'], {}, userData, null)).toEqual({ location: 'postgres://a@b/c', localFile: file })
    expect(resolveDatabase(['app', '--db=postgres://a@b/c'], { FRONTDESK_DATABASE_URL: 'postgresql://x@y/z' }, userData, null).location).toBe('postgresql://x@y/z')
    // Choosing the local file again keeps the server's settings for next time.
    choices.save({ useServer: false })
    expect(resolveDatabase([], {}, userData, 'pw').location).toBe(file)
    expect(choices.read()).toEqual({ localFile: file, server, useServer: false })
    rememberDataFile(userData, join(userData, 'other.sqlite3'))
    expect(choices.read().server).toEqual(server)
  })

  it('the server cannot be reached: Try again, then Use the local file; the password never shown', async () => {
    const local = join(tempDir(), 'local.sqlite3')
    const url = 'postgres://desk:topsecret@db.example.com:5432/frontdesk'
    const dialogs = scripted(['retry', 'use-local'])
    const tried: string[] = []
    const opened = await openWithRecovery(
      url,
      async (location) => {
        tried.push(location)
        if (location === url) throw new DataFileProblem('server-unreachable', 'postgres://desk@db.example.com:5432/frontdesk')
        return 'core'
      },
      dialogs,
      () => {},
      undefined,
      local,
    )
    expect(tried).toEqual([url, url, local])
    expect(opened).toEqual({ core: 'core', file: local })
    expect(dialogs.asked[0]!.choices).toEqual(['retry', 'use-local', 'quit'])
    expect(dialogs.asked[0]!.title).toBe('The database server cannot be reached')
    expect(JSON.stringify(dialogs.asked)).not.toContain('topsecret')
    expect(describeOpenProblem(new Error('boom'), url).file).not.toContain('topsecret')
  })
})
