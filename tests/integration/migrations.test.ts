import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeDatabase, openDatabase } from '../../db/connection'
import { migrateDownThrough, migrateToLatest, migrateUpTo, migrationStatus, migrations, rollbackAll } from '../../db/migrations'
import { dialectOf } from '../../db/dialects'
import type { Knex } from 'knex'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-migrate-'))
  dirs.push(dir)
  return join(dir, 'frontdesk.sqlite3')
}

async function schema(db: Knex): Promise<string[]> {
  const rows = (await db.raw(
    `SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'knex_%' AND name NOT GLOB 'customer_search_*_*' ORDER BY type, name`,
  )) as Array<{ type: string; name: string }>
  return rows.map((r) => `${r.type} ${r.name}`)
}

describe('migrations', () => {
  it('run up on a new file, report nothing pending, and run again as a no-op', async () => {
    const db = openDatabase(tempFile())
    try {
      expect(await migrateToLatest(db)).toEqual(migrations.map(([name]) => name))
      expect(await migrationStatus(db)).toEqual({ applied: migrations.map(([name]) => name), pending: [] })
      expect(await migrateToLatest(db)).toEqual([])
      const pragma = (await db.raw('PRAGMA journal_mode')) as Array<{ journal_mode: string }>
      expect(pragma[0]?.journal_mode).toBe('wal')
      expect(((await db.raw('PRAGMA foreign_keys')) as Array<{ foreign_keys: number }>)[0]?.foreign_keys).toBe(1)
    } finally {
      await closeDatabase(db)
    }
  })

  it('roll all the way down and up again to the same schema', async () => {
    const db = openDatabase(tempFile())
    try {
      await migrateToLatest(db)
      const up = await schema(db)
      expect(up).toContain('table customers')
      expect(up).toContain('table customer_search_tri')
      expect(up).toContain('trigger customers_count_insert')
      await rollbackAll(db)
      expect(await schema(db)).toEqual([])
      await migrateToLatest(db)
      expect(await schema(db)).toEqual(up)
    } finally {
      await closeDatabase(db)
    }
  })

  it('keep an earlier import undoable: the one run of customers it created is kept as its run, and back', async () => {
    const db = openDatabase(tempFile())
    try {
      await migrateUpTo(db, '20261215000001_first_character_lists')
      const at = '2026-01-01T00:00:00.000Z'
      const row = { file_name: 'old.csv', format: 'csv', match_mode: 'fill', staff_name: 'Ann', started_at: at, finished_at: at, created: 2 }
      const [older] = (await db('imports').insert({ ...row, first_created_id: 5, last_created_id: 6 }).returning('id')) as Array<{ id: number }>
      await db('imports').insert({ ...row, created: 0 })
      await migrateToLatest(db)
      expect(await db('import_created').select('import_id', 'first_id', 'last_id')).toEqual([{ import_id: older!.id, first_id: 5, last_id: 6 }])
      expect(await db.schema.hasColumn('imports', 'first_created_id')).toBe(false)
      // A later import's runs, back as the span the older schema knew.
      await db('import_created').insert({ import_id: older!.id, first_id: 9, last_id: 12 })
      await migrateDownThrough(db, '20261216000001_import_created_runs')
      expect(await db('imports').orderBy('id').select('first_created_id', 'last_created_id')).toEqual([
        { first_created_id: 5, last_created_id: 12 },
        { first_created_id: null, last_created_id: null },
      ])
      expect(await db.schema.hasTable('import_created')).toBe(false)
    } finally {
      await closeDatabase(db)
    }
  })

  it('step down one at a time, each reversible', async () => {
    const db = openDatabase(tempFile())
    try {
      await migrateToLatest(db)
      for (let i = migrations.length; i > 0; i--) {
        await db.migrate.down({ migrationSource: (await import('../../db/migrations')).migrationSource })
        expect((await migrationStatus(db)).applied).toHaveLength(i - 1)
      }
    } finally {
      await closeDatabase(db)
    }
  })

  it('keep the data and rebuild the search index when re-applied over existing customers', async () => {
    const file = tempFile()
    const db = openDatabase(file)
    try {
      await migrateToLatest(db)
      await db('customers').insert({
        first_name: 'Ada',
        last_name: 'Lovelace',
        display_name: 'Ada Lovelace',
        sort_name: 'ada lovelace',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      })
      // Re-create the search migration as if it were new: the index must pick up existing rows.
      for (let i = 1; i < migrations.length; i++) {
        await db.migrate.down({ migrationSource: (await import('../../db/migrations')).migrationSource })
      }
      await migrateToLatest(db)
      const hits = (await db.raw(`SELECT rowid FROM customer_search_tri WHERE customer_search_tri MATCH '"lovelace"'`)) as unknown[]
      expect(hits).toHaveLength(1)
      expect(await db('customer_counts').where({ status: 'active' }).first()).toMatchObject({ count: 1 })
    } finally {
      await closeDatabase(db)
    }
  })

  it('turn the word index of a file from before into word starts, still finding one- and two-letter searches, and back', async () => {
    const file = tempFile()
    const db = openDatabase(file)
    /** The words the word index holds (fts5vocab reads an index whose texts are not kept). */
    const words = async () => {
      await db.raw(`CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, customer_search_word, 'row')`)
      const rows = (await db.raw(`SELECT term FROM temp.vocab ORDER BY term`)) as Array<{ term: string }>
      await db.raw('DROP TABLE temp.vocab')
      return rows.map((r) => r.term)
    }
    const found = async (match: string) =>
      ((await db.raw(`SELECT rowid AS id FROM customer_search_word WHERE customer_search_word MATCH ? ORDER BY rowid`, [match])) as Array<{ id: number }>).map((r) => r.id)
    try {
      await migrateUpTo(db, '20261211000001_initial_pairs')
      const at = '2026-01-01T00:00:00.000Z'
      const [ada] = (await db('customers').insert({ first_name: 'Ada', last_name: 'Lovelace', display_name: 'Ada Lovelace', sort_name: 'ada lovelace', company: 'Jolly Looms', created_at: at, updated_at: at }).returning('id')) as Array<{ id: number }>
      const [zoe] = (await db('customers').insert({ first_name: 'Zoë', last_name: 'Øster', display_name: 'Zoë Øster', sort_name: 'zoe oster', email: 'zo@example.org', created_at: at, updated_at: at }).returning('id')) as Array<{ id: number }>
      await db('phones').insert({ customer_id: zoe!.id, label: 'mobile', number: '07700 900123', e164: '+447700900123', search_digits: '07700900123 447700900123', is_primary: true, position: 0 })
      await dialectOf(db).refreshSearch(db, [ada!.id, zoe!.id])
      expect(await words()).toContain('lovelace')

      await migrateToLatest(db)
      const starts = await words()
      // Nothing longer than two characters but the marked initials (one private-use character each side).
      expect(starts.filter((w) => [...w].length > 2 && !w.startsWith('\ue000'))).toEqual([])
      expect(starts).toEqual(expect.arrayContaining(['ad', 'lo', 'jo', 'zo', 'os', 'ex', 'or', '07', '44', 'c', '00']))
      // Two characters are a word of it: asked exactly, as the search box asks.
      expect(await found('"lo"')).toEqual([ada!.id])
      expect(await found('"zo"')).toEqual([zoe!.id])
      expect(await found('"7"*')).toEqual([])
      expect(await found('"0"*')).toEqual([ada!.id, zoe!.id])
      expect(await found('"\ue000z\ue000"')).toEqual([zoe!.id])
      // A customer saved afterwards is indexed the same way.
      await dialectOf(db).refreshSearch(db, [ada!.id])
      expect(await words()).toEqual(starts)

      // Down past the word-starts migration (and any after it).
      await migrateDownThrough(db, '20261212000001_word_starts_only')
      expect(await words()).toContain('lovelace')
      expect(await found('"lo"*')).toEqual([ada!.id])
    } finally {
      await closeDatabase(db)
    }
  })

  it('give the word index of a file from before a list of first characters, answering one-character searches as before, and back', async () => {
    const db = openDatabase(tempFile())
    const definition = async () =>
      ((await db.raw(`SELECT sql FROM sqlite_master WHERE name = 'customer_search_word'`)) as Array<{ sql: string }>)[0]!.sql
    const found = async (start: string) =>
      ((await db.raw(`SELECT rowid AS id FROM customer_search_word WHERE customer_search_word MATCH ? ORDER BY rowid`, [`"${start}"*`])) as Array<{ id: number }>).map(
        (r) => r.id,
      )
    const starts = ['0', '4', '7', 'a', 'l', 'z', 'o', 'ø', 'c', 'q']
    const answers = async () => Object.fromEntries(await Promise.all(starts.map(async (start) => [start, await found(start)] as const)))
    try {
      await migrateUpTo(db, '20261214000001_server_initial_pairs')
      const at = '2026-01-01T00:00:00.000Z'
      const people = [
        ['Ada', 'Lovelace', 'Jolly Looms', 'ada@example.org', '07700 900123'],
        ['Zoë', 'Øster', '', 'zo@example.org', '020 7946 0001'],
        ['Olu', 'Adé', 'Øresund AB', '', '+44 7700 900777'],
      ]
      for (const [first, last, company, email, phone] of people) {
        const [row] = (await db('customers')
          .insert({ first_name: first, last_name: last, display_name: `${first} ${last}`, sort_name: `${first} ${last}`.toLowerCase(), company, email, created_at: at, updated_at: at })
          .returning('id')) as Array<{ id: number }>
        const digits = phone!.replace(/\D/g, '')
        await db('phones').insert({ customer_id: row!.id, label: 'mobile', number: phone, e164: `+${digits}`, search_digits: digits, is_primary: true, position: 0 })
        await dialectOf(db).refreshSearch(db, [row!.id])
      }
      expect(await definition()).not.toMatch(/prefix/)
      const before = await answers()
      expect(before['0']).toHaveLength(3)
      expect(before['ø']).toHaveLength(0)
      expect(before['o']).toHaveLength(3)
      expect(before['q']).toEqual([])

      await migrateToLatest(db)
      expect(await definition()).toMatch(/prefix = '1'/)
      expect(await answers()).toEqual(before)
      // A customer saved afterwards is found by the first character of each word as well.
      const [bo] = (await db('customers')
        .insert({ first_name: 'Quentin', last_name: 'Blake', display_name: 'Quentin Blake', sort_name: 'quentin blake', created_at: at, updated_at: at })
        .returning('id')) as Array<{ id: number }>
      await dialectOf(db).refreshSearch(db, [bo!.id])
      expect(await found('q')).toEqual([bo!.id])
      expect(await found('b')).toEqual([bo!.id])

      await migrateDownThrough(db, '20261215000001_first_character_lists')
      expect(await definition()).not.toMatch(/prefix/)
      // Its customer number (C-000004) starts with "c" and "0" too.
      expect(await answers()).toEqual({ ...before, '0': [...before['0']!, bo!.id], c: [...before['c']!, bo!.id], q: [bo!.id] })
    } finally {
      await closeDatabase(db)
    }
  })
  it('index again the customers whose name or company writes digits in groups, so "118 118" finds them', async () => {
    const db = openDatabase(tempFile())
    const found = async (pieces: string) =>
      ((await db.raw(`SELECT rowid AS id FROM customer_search_digits WHERE customer_search_digits MATCH ?`, [`"${pieces}"`])) as Array<{ id: number }>).map((r) => r.id)
    try {
      await migrateUpTo(db, '20261216000001_import_created_runs')
      const at = '2026-01-01T00:00:00.000Z'
      const ids: number[] = []
      for (const company of ['Money', 'Unit 20794 Storage']) {
        const [row] = (await db('customers')
          .insert({ display_name: company, sort_name: company.toLowerCase(), company, created_at: at, updated_at: at })
          .returning('id')) as Array<{ id: number }>
        await dialectOf(db).refreshSearch(db, [row!.id])
        ids.push(row!.id)
      }
      // Indexed before its name held grouped digits, as a file from before this migration holds it.
      const [money, storage] = ids as [number, number]
      await db('customers').where({ id: money }).update({ display_name: '118 118 Money', company: '118 118 Money' })
      expect(await found('11811 18118')).toEqual([])
      const unchanged = await db.raw(`SELECT pieces FROM customer_search_digits WHERE rowid = ?`, [storage])

      await migrateToLatest(db)
      expect(await found('11811 18118')).toEqual([money])
      expect(await found('20794')).toEqual([storage])
      expect(await db.raw(`SELECT pieces FROM customer_search_digits WHERE rowid = ?`, [storage])).toEqual(unchanged)
      await migrateDownThrough(db, '20261217000001_grouped_digits')
      expect(await found('11811 18118')).toEqual([money])
    } finally {
      await closeDatabase(db)
    }
  })

  it('index again the customers whose name or company holds an initial twice, so "j j" finds them', async () => {
    const db = openDatabase(tempFile())
    const found = async (word: string) =>
      ((await db.raw(`SELECT rowid AS id FROM customer_search_initials WHERE customer_search_initials MATCH ?`, [`"${word}"`])) as Array<{ id: number }>).map((r) => r.id)
    try {
      await migrateUpTo(db, '20261217000001_grouped_digits')
      const at = '2026-01-01T00:00:00.000Z'
      const ids: number[] = []
      for (const [first, last] of [['Jane', 'Smith'], ['Anna', 'Svensson']] as const) {
        const [row] = (await db('customers')
          .insert({ first_name: first, last_name: last, display_name: `${first} ${last}`, sort_name: `${first} ${last}`.toLowerCase(), created_at: at, updated_at: at })
          .returning('id')) as Array<{ id: number }>
        await dialectOf(db).refreshSearch(db, [row!.id])
        ids.push(row!.id)
      }
      // Indexed before her name held a second J, as a file from before this migration holds it.
      const [jane, anna] = ids as [number, number]
      await db('customers').where({ id: jane }).update({ last_name: 'Jones', display_name: 'Jane Jones', sort_name: 'jane jones' })
      expect(await found('jj')).toEqual([])
      expect(await found('js')).toEqual([jane])

      await migrateToLatest(db)
      expect(await found('jj')).toEqual([jane])
      expect(await found('js')).toEqual([])
      expect(await found('as')).toEqual([anna])
      await migrateDownThrough(db, '20261218000001_doubled_initials')
      expect(await found('jj')).toEqual([jane])
    } finally {
      await closeDatabase(db)
    }
  })

  it('index again the customers whose name or company writes digits in groups, so "2020" finds "20 20"', async () => {
    const db = openDatabase(tempFile())
    const found = async (text: string) =>
      ((await db.raw(`SELECT rowid AS id FROM customer_search_tri WHERE customer_search_tri MATCH ?`, [`"${text}"`])) as Array<{ id: number }>).map((r) => r.id)
    try {
      await migrateUpTo(db, '20261218000001_doubled_initials')
      const at = '2026-01-01T00:00:00.000Z'
      const [row] = (await db('customers').insert({ display_name: 'Clear View', sort_name: 'clear view', company: 'Clear View', created_at: at, updated_at: at }).returning('id')) as Array<{
        id: number
      }>
      const vision = row!.id
      await dialectOf(db).refreshSearch(db, [vision])
      // Indexed before its name wrote digits in groups, as a file from before this migration holds it.
      await db('customers').where({ id: vision }).update({ display_name: '20 20 Vision', sort_name: '20 20 vision', company: '20 20 Vision' })
      expect(await found('2020')).toEqual([])

      await migrateToLatest(db)
      expect(await found('2020')).toEqual([vision])
      expect(await found('clear')).toEqual([])
      await migrateDownThrough(db, '20261219000001_joined_digit_groups')
      expect(await found('2020')).toEqual([vision])
    } finally {
      await closeDatabase(db)
    }
  })
})
