import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'
import { seedDemoCustomers } from '../../main/demo/generate'
import { createCustomer } from '../../main/services/customers'
import { runImport } from '../../main/services/imports'
import { runBulkAction } from '../../main/services/organise/bulk'
import { apiErrorOf } from '../../main/services/errors'
import { BUILT_IN_ADMIN, type ServiceContext } from '../../main/services/context'
import { bulkInput, customerInput } from '../../preload/contract'
import { NO_PROGRESS } from '../../main/services/progress'
import { changedTables, digestTables, openAsTheAppDoes, problemsIn } from '../helpers/fileChecks'

/*
 * A full disk and a read-only file: the save, the import or the bulk change
 * fails with a sentence the desk can act on (the same one everywhere: the
 * router, the job worker and the command line map database failures in one
 * place), and the file is exactly as it was. A full disk is SQLite's
 * SQLITE_FULL, made with `PRAGMA max_page_count` on the connection; a
 * read-only file is a chmod (the command line run as an unprivileged user:
 * root writes through any permission) or a connection opened read-only.
 */

const root = join(__dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const cli = join(root, 'main', 'cli', 'index.ts')
const NOBODY = 65534

let dir: string
let base: string
let csv: string

const FULL = /^The disk is full, so nothing was saved\. Free some space on it and try again\.$/
const READ_ONLY = /^Frontdesk cannot save: the customer file or its disk has become read-only\. Nothing was changed\./

/** A copy of the sample file, opened as the app opens it; `prepare` limits or restricts its one connection. */
async function withCopy(name: string, use: (ctx: ServiceContext, file: string) => Promise<void>, options: { readonly?: boolean } = {}): Promise<void> {
  const file = join(dir, `${name}.sqlite3`)
  copyFileSync(base, file)
  const db = openDatabase(file, { readonly: options.readonly })
  try {
    await use({ db, staff: BUILT_IN_ADMIN, clock: () => new Date('2026-12-02T10:00:00Z') }, file)
  } finally {
    await closeDatabase(db)
  }
}

/** Lets the file grow no further than it is now: the next page it needs finds the disk full. */
async function fillDisk(db: Knex): Promise<void> {
  const [row] = (await db.raw('PRAGMA page_count')) as Array<{ page_count: number }>
  await db.raw(`PRAGMA max_page_count = ${Number(row?.page_count)}`)
}

/** Runs work that must fail and returns the error as the desk would see it. */
async function failureOf(work: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  )
  expect(error, 'the work should have failed').not.toBeNull()
  return apiErrorOf(error).error
}

async function expectUnchanged(file: string): Promise<void> {
  await openAsTheAppDoes(file, { deferCheck: true })
  expect(changedTables(digestTables(base), digestTables(file))).toEqual([])
  expect(await problemsIn(file)).toEqual([])
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-storage-'))
  base = join(dir, 'base.sqlite3')
  await openAsTheAppDoes(base)
  const db = openDatabase(base)
  await seedDemoCustomers(db, { count: 2_500, seed: 3, bookings: false, now: new Date('2026-11-30T12:00:00Z') })
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
  await closeDatabase(db)
  csv = join(dir, 'customers.csv')
  // Under a hundred rows: an import this size writes no backup first, so the disk-full failure is the import's own.
  writeFileSync(csv, ['First name,Last name,Email,Tags', ...Array.from({ length: 90 }, (_, i) => `Full${i},Disk,full${i}@example.com,Imported`)].join('\n'))
}, 60_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a full disk', () => {
  it('refuses a customer saved at the desk with a clear message, and the file is unchanged; once there is room the save goes through', async () => {
    await withCopy('full-save', async (ctx) => {
      await fillDisk(ctx.db)
      const counts = async () => ({
        customers: (await ctx.db('customers').count({ n: '*' }))[0],
        changes: (await ctx.db('change_log').count({ n: '*' }))[0],
        search: (await ctx.db.raw('SELECT count(*) AS n FROM customer_search_word')) as unknown,
      })
      // Saves fit into the free room left in the file's pages until one needs a page more.
      let error: { code: string; message: string } | null = null
      for (let i = 0; i < 1000 && !error; i++) {
        const before = await counts()
        const failed = await createCustomer(ctx, customerInput.parse({ firstName: `Nowhere${i}`, lastName: 'ToGo', email: `nowhere${i}@example.com` })).then(
          () => null,
          (e: unknown) => apiErrorOf(e).error,
        )
        if (failed) {
          error = failed
          expect(await counts()).toEqual(before)
        }
      }
      expect(error).toEqual({ code: 'STORAGE', message: expect.stringMatching(FULL) })
      await ctx.db.raw('PRAGMA max_page_count = 1073741823')
      await createCustomer(ctx, customerInput.parse({ firstName: 'Room', lastName: 'Again' }))
      expect(await ctx.db('customers').where('first_name', 'Room').count({ n: '*' })).toEqual([{ n: 1 }])
    })
  })

  it('fails an import with a clear message, and the file is unchanged', async () => {
    await withCopy('full-import', async (ctx, file) => {
      await fillDisk(ctx.db)
      const error = await failureOf(() => runImport(ctx, { file: csv, sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, NO_PROGRESS))
      expect(error).toEqual({ code: 'STORAGE', message: expect.stringMatching(FULL) })
      await closeDatabase(ctx.db)
      await expectUnchanged(file)
    })
  })

  it('fails a bulk tag of 2,000 customers with a clear message, and the file is unchanged', async () => {
    await withCopy('full-bulk', async (ctx, file) => {
      const ids = (await ctx.db('customers').where({ status: 'active' }).orderBy('id').limit(2000).pluck('id')) as number[]
      await fillDisk(ctx.db)
      const error = await failureOf(() => runBulkAction(ctx, bulkInput.parse({ selection: { kind: 'ids', ids }, action: { kind: 'tag', tagName: 'No room' } }), NO_PROGRESS))
      expect(error).toEqual({ code: 'STORAGE', message: expect.stringMatching(FULL) })
      await closeDatabase(ctx.db)
      await expectUnchanged(file)
    })
  })
})

describe('a read-only customer file', () => {
  it('refuses a save, an import and a bulk change with a clear message, and the file is unchanged', async () => {
    await withCopy(
      'read-only-connection',
      async (ctx, file) => {
        const save = await failureOf(() => createCustomer(ctx, customerInput.parse({ firstName: 'Read', lastName: 'Only' })))
        expect(save).toEqual({ code: 'STORAGE', message: expect.stringMatching(READ_ONLY) })
        const imported = await failureOf(() => runImport(ctx, { file: csv, sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, NO_PROGRESS))
        expect(imported).toEqual({ code: 'STORAGE', message: expect.stringMatching(READ_ONLY) })
        const bulk = await failureOf(() => runBulkAction(ctx, bulkInput.parse({ selection: { kind: 'ids', ids: [1, 2, 3] }, action: { kind: 'archive' } }), NO_PROGRESS))
        expect(bulk).toEqual({ code: 'STORAGE', message: expect.stringMatching(READ_ONLY) })
        await closeDatabase(ctx.db)
        await expectUnchanged(file)
      },
      { readonly: true },
    )
  })

  it.each([
    // The folder too: the lock and the log cannot be made beside the file.
    ['a file and its folder without write permission', 'locked', 0o555],
    // The folder can be written: opening makes the lock and the log, but the file itself cannot be.
    ['a file without write permission in a folder that has it', 'open-folder', 0o777],
  ])('%s: refused when opened, in words, and left as it was', async (_what, name, folderMode) => {
    const folder = join(dir, name)
    mkdirSync(folder)
    const file = join(folder, 'frontdesk.sqlite3')
    copyFileSync(base, file)
    chmodSync(file, 0o444)
    chmodSync(folder, folderMode)
    chmodSync(dir, 0o755)
    try {
      // Root writes through any permission, so the command line runs as an unprivileged user when the tests run as root.
      const asUser = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}
      const result = spawnSync(tsx, [cli, 'import', csv, '--db', file], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: dir }, ...asUser })
      expect(result.status, result.stderr).toBe(3)
      expect(result.stderr).toContain('Frontdesk cannot save to this file: the file or its folder is read-only, or the disk is.')
    } finally {
      chmodSync(folder, 0o755)
      chmodSync(file, 0o644)
    }
    await expectUnchanged(file)
  })
})
