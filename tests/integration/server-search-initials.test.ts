import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { allRows } from '../../db/queries/customerList'
import { migrateDownThrough, migrations, migrationSource } from '../../db/migrations'
import { INITIAL_MARK } from '../../db/search/initials'

/*
 * On a server, each customer's initials sit among the word starts of their
 * search row, marked, so a word start beside an initial is one GIN look-up.
 * A database made before that is moved there by a migration, which must
 * give exactly the rows a save writes today, and answer the same searches.
 */
describe('initials among the word starts of the search rows', () => {
  let app: TestCore
  const people = [
    { firstName: 'Jo', lastName: 'Smith', company: '' },
    { firstName: 'Anna', lastName: 'Svensson', company: 'Sven & Co' },
    { firstName: 'Mary-Jane', lastName: "O'Brien", company: '' },
    { firstName: 'José', lastName: 'Ångström', company: 'Anna Schmidt Associates' },
    { firstName: 'Łukasz', lastName: 'Ørsted', company: '' },
    { firstName: 'Ζωή', lastName: 'Σοφού', company: '' },
    { firstName: 'Joanna', lastName: 'Jones', company: 'Smith Partners' },
  ]
  const searches = ['j s', 'jo s', 'anna s', 'a s', 'm j o', 'j a', 'l o', 'ζ σ', 's', 'jo', 'sven']

  beforeAll(async () => {
    app = await openTestCore()
    for (const person of people) await app.invoke('customers:create', { email: '', phones: [], addresses: [], ...person })
  })
  afterAll(async () => {
    await app.cleanup()
  })

  const names = async (search: string) => (await app.invoke('customers:list', { search, pageSize: 50 })).rows.map((r) => r.displayName).sort()
  const answers = async () => Object.fromEntries(await Promise.all(searches.map(async (s) => [s, await names(s)] as const)))
  const startsById = async () =>
    allRows<{ id: number; starts: string[] }>(await app.db.raw('SELECT id, starts FROM customer_search ORDER BY id')).map((r) => ({ id: Number(r.id), starts: [...r.starts].sort() }))
  const listedStarts = async () =>
    allRows<{ start: string; id: number }>(await app.db.raw('SELECT start, id FROM customer_search_by_start ORDER BY start, id')).map((r) => ({ ...r, id: Number(r.id) }))
  const hasListTable = async () => allRows(await app.db.raw(`SELECT 1 FROM information_schema.tables WHERE table_name = 'customer_search_by_start'`)).length > 0
  const hasInitialsColumn = async () =>
    allRows(await app.db.raw(`SELECT 1 FROM information_schema.columns WHERE table_name = 'customer_search' AND column_name = 'initials'`)).length > 0

  it('finds a word start beside an initial, and initials alone', async () => {
    expect(await names('jo s')).toEqual(['Jo Smith', 'Joanna Jones', 'José Ångström'])
    expect(await names('j s')).toEqual(['Jo Smith', 'Joanna Jones', 'José Ångström'])
    expect(await names('anna s')).toEqual(['Anna Svensson', 'Joanna Jones', 'José Ångström'])
    expect(await names('m j o')).toEqual(["Mary-Jane O'Brien"])
    // A marked initial is no word start anyone types: the search box drops the mark.
    expect(await names(`${INITIAL_MARK}s${INITIAL_MARK}`)).toEqual(await names('s'))
    expect(await names(INITIAL_MARK)).toEqual(await names(''))
  })

  it.skipIf(!onPostgres)('moves an older database’s initials into its word starts and their lists, exactly as a save writes them, and back', async () => {
    const migrationNames = migrations.map(([name]) => name)
    // The word starts' own lists came after, and go first.
    expect(migrationNames.indexOf('20261208000001_initials_in_word_starts')).toBe(migrationNames.indexOf('20261209000001_word_start_lists') - 1)
    const written = await startsById()
    const listed = await listedStarts()
    const found = await answers()
    expect(written.every(({ starts }) => starts.some((s) => s.startsWith(INITIAL_MARK)))).toBe(true)

    await migrateDownThrough(app.db, '20261209000001_word_start_lists')
    expect(await hasListTable()).toBe(false)
    await migrateDownThrough(app.db, '20261208000001_initials_in_word_starts')
    expect(await hasInitialsColumn()).toBe(true)
    const old = allRows<{ starts: string[]; initials: string[] }>(await app.db.raw('SELECT starts, initials FROM customer_search WHERE id = ?', [written[0]!.id]))[0]!
    expect(old.starts.some((s) => s.includes(INITIAL_MARK))).toBe(false)
    expect([...old.initials].sort()).toEqual(['j', 's'])

    await app.db.migrate.latest({ migrationSource, tableName: 'knex_migrations' })
    expect(await hasInitialsColumn()).toBe(false)
    expect(await startsById()).toEqual(written)
    expect(await listedStarts()).toEqual(listed)
    // Every start of each row (an initial that comes twice among them, doubled), and every two of its different initials as one.
    const initials = (starts: string[]) => starts.filter((s) => s.startsWith(INITIAL_MARK) && [...s].length === 3).length
    expect(listed.length).toBe(written.reduce((n, { starts }) => n + starts.length + (initials(starts) * (initials(starts) - 1)) / 2, 0))
    expect(await answers()).toEqual(found)
    const indexes = allRows<{ indexname: string }>(await app.db.raw(`SELECT indexname FROM pg_indexes WHERE tablename = 'customer_search' ORDER BY 1`)).map((r) => r.indexname)
    expect(indexes).toEqual(['customer_search_name', 'customer_search_pkey', 'customer_search_terms'])
  })

  it.skipIf(!onPostgres)('lists every two different initials as one start, from an older database exactly as a save lists them, and back', async () => {
    const pairs = async () =>
      allRows<{ start: string; id: number }>(
        await app.db.raw(`SELECT start, id FROM customer_search_by_start WHERE left(start, 1) = ? AND char_length(start) = 4 ORDER BY start, id`, [INITIAL_MARK]),
      ).map((r) => ({ start: r.start.slice(1, -1), id: Number(r.id) }))
    const listed = await pairs()
    const ids = Object.fromEntries(
      allRows<{ id: number; first_name: string }>(await app.db.raw('SELECT id, first_name FROM customers')).map((r) => [r.first_name, Number(r.id)]),
    )
    // Folded as every start is, the two in code point order (the server's "C" order, in the migration).
    expect(listed.filter((p) => p.id === ids['Jo'])).toEqual([{ start: 'js', id: ids['Jo'] }])
    // Anna Svensson of Sven & Co has two: "ss" is her doubled initial, listed with the pairs.
    expect(listed.filter((p) => p.id === ids['Anna']).map((p) => p.start)).toEqual(['as', 'ac', 'cs', 'ss'].sort())
    expect(listed.filter((p) => p.id === ids['Łukasz']).map((p) => p.start)).toEqual(['lo'])
    expect(listed.filter((p) => p.id === ids['Ζωή']).map((p) => p.start)).toEqual(['ζσ'])
    const found = await answers()

    // Rolled back newest first, through the one that made the pairs.
    await migrateDownThrough(app.db, '20261214000001_server_initial_pairs')
    expect(await pairs()).toEqual([])
    await app.db.migrate.latest({ migrationSource, tableName: 'knex_migrations' })
    expect(await pairs()).toEqual(listed)
    expect(await answers()).toEqual(found)
  })
})
