import { afterEach, describe, expect, it } from 'vitest'
import knex from 'knex'
import { prepareServerDatabase } from '../../db/server'
import { migrations } from '../../db/migrations'
import { DataFileProblem } from '../../db/dataFile'
import { openDatabase, closeDatabase } from '../../db/connection'
import { allRows } from '../../db/queries/customerList'
import { emptyServerDatabase, onPostgres } from '../helpers/testDatabase'
import { describeDatabaseFailure } from '../../db/errors'
import type { FrontdeskPostgresClient } from '../../db/dialects/postgresClient'

/** Opening a PostgreSQL database for the desk: set up once, however many desks start together; another program's or a newer Frontdesk's database is left alone. */
describe.skipIf(!onPostgres)('a PostgreSQL database for the desks', () => {
  const drops: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const drop of drops.splice(0)) await drop()
  })

  async function empty() {
    const database = await emptyServerDatabase()
    drops.push(database.drop)
    return database
  }

  it('three desks starting at once on an empty database: the migrations run once, and every desk opens', async () => {
    const { url } = await empty()
    const results = await Promise.all([prepareServerDatabase(url), prepareServerDatabase(url), prepareServerDatabase(url)])
    const applied = results.map((result) => result.applied.length).sort((a, b) => a - b)
    expect(applied).toEqual([0, 0, migrations.length])
    const db = openDatabase(url)
    try {
      const rows = allRows<{ name: string }>(await db.raw('SELECT name FROM knex_migrations ORDER BY id'))
      expect(rows.map((row) => row.name)).toEqual(migrations.map(([name]) => name))
      const extensions = allRows<{ extname: string }>(await db.raw(`SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'unaccent') ORDER BY extname`))
      expect(extensions.map((row) => row.extname)).toEqual(['pg_trgm', 'unaccent'])
    } finally {
      await closeDatabase(db)
    }
  })

  it('opening again finds nothing to do', async () => {
    const { url } = await empty()
    await prepareServerDatabase(url)
    expect((await prepareServerDatabase(url)).applied).toEqual([])
  })

  it("another program's database is refused in words and not changed", async () => {
    const { url } = await empty()
    const other = knex({ client: 'pg', connection: url })
    try {
      await other.raw('CREATE TABLE invoices (id serial primary key, total int)')
      await other.raw('INSERT INTO invoices (total) VALUES (12)')
      const refusal = await prepareServerDatabase(url).catch((error: unknown) => error)
      expect(refusal).toBeInstanceOf(DataFileProblem)
      expect((refusal as DataFileProblem).reason).toBe('server-foreign')
      expect((refusal as DataFileProblem).message).toMatch(/another program/)
      const tables = allRows<{ name: string }>(
        await other.raw(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`),
      ).map((row) => row.name)
      expect(tables).toEqual(['invoices'])
      const extensions = allRows<{ n: number }>(await other.raw(`SELECT count(*) AS n FROM pg_extension WHERE extname IN ('pg_trgm', 'unaccent')`))
      expect(extensions[0]!.n).toBe(0)
    } finally {
      await other.destroy()
    }
  })

  it("a newer Frontdesk's database is refused in words and not changed", async () => {
    const { url } = await empty()
    await prepareServerDatabase(url)
    const db = openDatabase(url)
    try {
      await db('knex_migrations').insert({ name: '20991231000001_from_the_future', batch: 99, migration_time: new Date() })
      const refusal = await prepareServerDatabase(url).catch((error: unknown) => error)
      expect((refusal as DataFileProblem).reason).toBe('server-newer')
      expect((refusal as DataFileProblem).message).toMatch(/newer version of Frontdesk/)
    } finally {
      await closeDatabase(db)
    }
  })

  it('a server that is not there, or a wrong database name, is said in words', async () => {
    const unreachable = await prepareServerDatabase('postgres://postgres@127.0.0.1:1/frontdesk').catch((error: unknown) => error)
    expect((unreachable as DataFileProblem).reason).toBe('server-unreachable')
    expect((unreachable as DataFileProblem).message).toMatch(/cannot reach the PostgreSQL server/)
    const url = new URL(process.env.FRONTDESK_TEST_POSTGRES!)
    url.pathname = '/no_such_database_here'
    const missing = await prepareServerDatabase(url.toString()).catch((error: unknown) => error)
    expect((missing as DataFileProblem).reason).toBe('server-login')
  })

  it('writers on two connections take turns: a write waits for the other desk’s transaction, then goes on', async () => {
    const { url } = await empty()
    await prepareServerDatabase(url)
    const a = openDatabase(url)
    const b = openDatabase(url)
    try {
      const order: string[] = []
      let releaseA!: () => void
      const aHolds = new Promise<void>((resolve) => (releaseA = resolve))
      const first = a.transaction(async (trx) => {
        await trx('tags').insert({ name: 'First', name_normalized: 'first', color: 'blue', created_at: '2026-12-02T10:00:00.000Z' })
        order.push('a wrote')
        await aHolds
        order.push('a commits')
      })
      await new Promise((resolve) => setTimeout(resolve, 100))
      const second = b.transaction(async (trx) => {
        order.push('b began')
        await trx('tags').insert({ name: 'Second', name_normalized: 'second', color: 'red', created_at: '2026-12-02T10:00:00.000Z' })
      })
      await new Promise((resolve) => setTimeout(resolve, 200))
      releaseA()
      await Promise.all([first, second])
      expect(order).toEqual(['a wrote', 'a commits', 'b began'])
    } finally {
      await closeDatabase(a)
      await closeDatabase(b)
    }
  })

  it('a write that waits too long for another desk is refused as busy, in words, and nothing of it is written', async () => {
    const { url } = await empty()
    await prepareServerDatabase(url)
    const a = openDatabase(url)
    const b = openDatabase(url)
    ;(b.client as FrontdeskPostgresClient).lockWaitMs = 200
    try {
      let releaseA!: () => void
      const aHolds = new Promise<void>((resolve) => (releaseA = resolve))
      const first = a.transaction(async (trx) => {
        await trx('tags').insert({ name: 'First', name_normalized: 'first', color: 'blue', created_at: '2026-12-02T10:00:00.000Z' })
        await aHolds
      })
      await new Promise((resolve) => setTimeout(resolve, 100))
      const refused = await b
        .transaction(async (trx) => {
          await trx('tags').insert({ name: 'Second', name_normalized: 'second', color: 'red', created_at: '2026-12-02T10:00:00.000Z' })
        })
        .catch((error: unknown) => error)
      releaseA()
      await first
      expect(describeDatabaseFailure(refused)).toMatchObject({ code: 'BUSY', message: expect.stringMatching(/busy with another task/) })
      expect((await b('tags').select('name')).map((row: { name: string }) => row.name)).toEqual(['First'])
    } finally {
      await closeDatabase(a)
      await closeDatabase(b)
    }
  })
})
