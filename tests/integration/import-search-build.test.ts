import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runImport } from '../../main/services/imports'
import { SearchBuildBeside } from '../../main/services/imports/searchBeside'
import { Cancelled, NO_PROGRESS, type Progress } from '../../main/services/progress'
import { dialectOf } from '../../db/dialects'
import { writeInBulk } from '../../db/bulk'
import { closeDatabase, openDatabase } from '../../db/connection'
import { SearchIndexBuild, startOfSearchSources } from '../../db/searchBuild'
import { openTestCore, type TestCore } from '../helpers/core'
import { SEARCH_TABLES, searchIndexContents } from '../helpers/fileChecks'
import { onPostgres } from '../helpers/testDatabase'

/*
 * A large import into an address book without customers builds its search
 * indexes on a thread while it writes, and takes them in at the end: the
 * desk must then find exactly what indexing each customer in place finds.
 */

let app: TestCore
let dir: string

beforeEach(async () => {
  app = await openTestCore()
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-search-build-'))
})

afterEach(async () => {
  vi.restoreAllMocks()
  await app.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

const FIRST = ['Zoë', 'Łukasz', 'Anna-Marie', 'Søren', "O'Neil", 'José', '李', 'Ахмед']
const LAST = ['Müller', 'Smith', 'Dubois', 'Nakamura', 'Ó Briain', 'Kowalczyk']

/** Enough varied customers to be built on a thread: accents, several phones, addresses, companies, customer numbers in text. */
function peopleFile(count: number): string {
  const rows = [['First name', 'Last name', 'Email', 'Mobile', 'Home phone', 'Company', 'Street', 'Town', 'Post code', 'Tags']]
  for (let i = 0; i < count; i++) {
    rows.push([
      `${FIRST[i % FIRST.length]}${i}`,
      LAST[i % LAST.length]!,
      i % 9 ? `person${i}@example.com` : '',
      `07700 9${String(i % 100000).padStart(5, '0')}`,
      i % 3 ? '' : `0113 496 ${String(i % 10000).padStart(4, '0')}`,
      i % 4 ? '' : `Firm ${i % 50} Ltd`,
      i % 2 ? `${i} High Street` : '',
      i % 2 ? 'Leeds' : '',
      i % 2 ? `LS${i % 30} 4AB` : '',
      i % 5 ? 'Imported' : 'Imported; Yoga',
    ])
  }
  const file = join(dir, `people-${count}.csv`)
  writeFileSync(file, Papa.unparse(rows))
  return file
}

/** FTS5's own check of each index's structure. */
async function checkIndexes(): Promise<void> {
  for (const table of SEARCH_TABLES) await app.db.raw(`INSERT INTO ${table}(${table}) VALUES ('integrity-check')`)
}

const importInto = (file: string, progress: Progress = NO_PROGRESS) =>
  runImport(app.context(), { file, sheet: null, mapping: null, match: 'fill', rejectsFile: join(dir, 'rejects.csv') }, progress)

/** Search builds, each as 'started', then 'taken in' or 'failed' (the load indexed its customers itself). */
function watchBuilds(): string[] {
  const builds: string[] = []
  const start = SearchBuildBeside.start.bind(SearchBuildBeside)
  vi.spyOn(SearchBuildBeside, 'start').mockImplementation((conn) => {
    const build = start(conn)
    builds.push(build ? 'started' : 'could not start')
    return build
  })
  const finish = SearchBuildBeside.prototype.finish
  vi.spyOn(SearchBuildBeside.prototype, 'finish').mockImplementation(async function (this: SearchBuildBeside, onProgress) {
    const built = await finish.call(this, onProgress)
    builds.push(built ? 'taken in' : 'failed')
    return built
  })
  return builds
}

describe.skipIf(onPostgres)('a first load’s search indexes, built beside it', () => {
  it('hold what indexing each customer in place gives, and keep working for the desk afterwards', async () => {
    // The connection has read and written the indexes before: what it keeps of them in memory must not outlive the load.
    await app.db.raw(`INSERT INTO customer_search_tri(rowid, name, email, company, postcode, number, phone, initials) VALUES (999999, 'x', '', '', '', '', '', '')`)
    await app.db.raw(`DELETE FROM customer_search_tri WHERE rowid = 999999`)
    const builds = watchBuilds()
    const summary = await importInto(peopleFile(6000))
    expect(summary.created).toBe(6000)
    expect(builds).toEqual(['started', 'taken in'])
    await checkIndexes()
    const built = await searchIndexContents(app.db)
    expect(built['customer_search_tri']!.length).toBeGreaterThan(100_000)

    const ids = ((await app.db('customers').pluck('id')) as number[]).sort((a, b) => a - b)
    await app.db.transaction(async (trx) => {
      for (const table of SEARCH_TABLES) await trx.raw(`INSERT INTO ${table}(${table}) VALUES('delete-all')`)
      await dialectOf(trx).refreshSearch(trx, ids)
    })
    expect(await searchIndexContents(app.db)).toEqual(built)

    // Found by name, accent-free, by phone and by postcode; changed and added afterwards, found as they are.
    const found = async (search: string) => (await app.invoke('customers:list', { search, pageSize: 5 })).rows.map((r) => r.displayName)
    expect(await found('lukasz1')).toContain('Łukasz1 Smith')
    expect(await found('07700 900017')).toContain('Łukasz17 Kowalczyk')
    expect((await app.invoke('customers:list', { search: 'LS7 4AB' })).total).toBe(200)
    const someone = (await app.db('customers').where({ first_name: 'Zoë0' }).first('id')) as { id: number }
    const detail = await app.invoke('customers:get', { id: someone.id })
    await app.invoke('customers:update', {
      id: someone.id,
      customer: {
        firstName: detail.firstName,
        lastName: 'Renamed',
        email: detail.email,
        phones: detail.phones.map(({ id, label, number, isPrimary }) => ({ id, label, number, isPrimary })),
        addresses: detail.addresses,
      },
    })
    await app.invoke('customers:create', { firstName: 'Brand', lastName: 'Newcomer' })
    expect(await found('renamed')).toEqual(['Zoë0 Renamed'])
    expect(await found('newcomer')).toEqual(['Brand Newcomer'])
    expect(await found('zoë0 müller')).toEqual([])
    await checkIndexes()
  })

  it('cancelled while the indexes are taken in, leaves the file’s as they were', async () => {
    await app.invoke('customers:create', { firstName: 'Gone', lastName: 'Soon' })
    const gone = (await app.db('customers').first('id')) as { id: number }
    await app.db('customers').where(gone).delete()
    await app.db.transaction((trx) => dialectOf(trx).refreshSearch(trx, [gone.id]))
    const before = await searchIndexContents(app.db)
    const schema = await app.db.raw(`SELECT name, sql FROM sqlite_master ORDER BY name`)
    const builds = watchBuilds()
    const cancelling: Progress = {
      ...NO_PROGRESS,
      // Part of the way through, once the file's indexes were made again and are being given the build's rows.
      report: (done, total, phase) => {
        if (phase === 'Storing the search index' && done > total / 2) throw new Cancelled()
      },
    }
    await expect(importInto(peopleFile(5000), cancelling)).rejects.toBeInstanceOf(Cancelled)
    expect(builds).toEqual(['started'])
    expect(await app.db('customers').count({ n: '*' })).toEqual([{ n: 0 }])
    expect(await app.db.raw(`SELECT name, sql FROM sqlite_master ORDER BY name`)).toEqual(schema)
    expect(await searchIndexContents(app.db)).toEqual(before)
    await checkIndexes()
    // The next load builds them again.
    expect((await importInto(peopleFile(5000))).created).toBe(5000)
    expect(builds).toEqual(['started', 'started', 'taken in'])
    expect((await app.invoke('customers:list', { search: 'kowalczyk' })).total).toBeGreaterThan(800)
  })

  it('stopped before it is taken in, leaves the load to index its customers itself', async () => {
    const builds = watchBuilds()
    vi.spyOn(SearchBuildBeside.prototype, 'send').mockImplementation(async function (this: SearchBuildBeside) {
      await this.stop()
    })
    expect((await importInto(peopleFile(5000))).created).toBe(5000)
    expect(builds).toEqual(['started', 'failed'])
    expect((await app.invoke('customers:list', { search: 'kowalczyk' })).total).toBeGreaterThan(800)
    await checkIndexes()
  })

  it('is not started for a few customers, nor once the book has one', async () => {
    const builds = watchBuilds()
    await importInto(peopleFile(50))
    expect(builds).toEqual([])
    expect((await app.invoke('customers:list', { search: 'müller' })).total).toBeGreaterThan(5)
    await importInto(peopleFile(5000))
    expect(builds).toEqual([])
  })
})

describe.skipIf(onPostgres)('search indexes built on another connection', () => {
  it('are taken in by a connection that read the old ones, which then reads and writes them as they are now', async () => {
    // One connection alone on the file: nothing else commits, so FTS5 keeps what it read of each index in memory.
    const writer = openDatabase(app.dataFile)
    try {
      const matches = async (table: string, query: string) =>
        Number(((await writer.raw(`SELECT count(*) AS n FROM ${table} WHERE ${table} MATCH ?`, [query])) as Array<{ n: number }>)[0]!.n)
      for (const table of SEARCH_TABLES) expect(await matches(table, '"zz"')).toBe(0)
      await writeInBulk(writer, async (conn) => {
        const rebuild = await conn.setAsideForFirstLoad()
        const insert = conn.prepare(`INSERT INTO customers (first_name, last_name, display_name, display_name_is_custom, sort_name, email, email_normalized, status,
          created_at, updated_at) VALUES (?, 'Zzyzx', ?, FALSE, ?, '', '', 'active', '2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z')`)
        let last = 0
        for (let i = 0; i < 300; i++) last = await insert.insert(`P${i}`, `P${i} Zzyzx`, `p${i} zzyzx`)
        await rebuild!()
        const host = conn.searchBuildHere()!
        // Chunks of a few KB: every table given back in several.
        const build = new SearchIndexBuild(host.setup, 4096)
        try {
          build.add(host.sources(startOfSearchSources(), last).rows, 1, last + 1)
          const chunks = [...build.chunks()]
          // Each index's pages, terms, sizes and settings.
          expect(new Set(chunks.map((c) => c.table)).size).toBe(SEARCH_TABLES.length * 4)
          for (const kind of ['_data', '_docsize']) expect(chunks.filter((c) => c.table.endsWith(kind)).length).toBeGreaterThan(SEARCH_TABLES.length)
          expect(chunks.at(-1)).toMatchObject({ done: chunks.at(-1)!.total })
          await host.take((async function* () {
            yield* chunks
          })())
        } finally {
          build.close()
        }
      })
      expect(await matches('customer_search_tri', '"zzyzx"')).toBe(300)
      expect(await matches('customer_search_word', '"zz"')).toBe(300)
      // Written again on the same connection: one customer renamed, found under the new name only.
      const one = (await writer('customers').first('id')) as { id: number }
      await writer('customers').where(one).update({ last_name: 'Quorn', display_name: 'P0 Quorn' })
      await writer.transaction((trx) => dialectOf(trx).refreshSearch(trx, [one.id]))
      expect(await matches('customer_search_tri', '"zzyzx"')).toBe(299)
      expect(await matches('customer_search_tri', '"quorn"')).toBe(1)
      for (const table of SEARCH_TABLES) await writer.raw(`INSERT INTO ${table}(${table}) VALUES ('integrity-check')`)
    } finally {
      await closeDatabase(writer)
    }
  })
})
