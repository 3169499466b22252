import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getExampleNumber, type CountryCode } from 'libphonenumber-js'
import examples from 'libphonenumber-js/examples.mobile.json'
import { openTestCore, type TestCore } from '../helpers/core'
import { copyFreshDataFile } from '../helpers/freshFile'
import { freshServerDatabase } from '../helpers/testDatabase'
import { planSearch } from '../../db/search'
import { dialectOf } from '../../db/dialects'
import { SORTABLE_MATCHES, allRows, firstRow, hasFilters, selectAllMatchingIds } from '../../db/queries/customerList'
import { searchAndFilters } from '../../main/services/customers/list'
import { foldForSearch } from '../../preload/contract/fold'
import { customerFilter, type CreateCustomerInput, type ListCustomersInput, type TabCounts } from '../../preload/contract'

/*
 * The same customers in a SQLite file and on a PostgreSQL server: every kind
 * of search the benchmark measures, and searches cut from each customer's own
 * name, email and phones, give the same customers in the same order on both.
 */

const CORPORA = join(__dirname, '../../../shared/corpora')

/** Names from many scripts and spellings: accents, letters Unicode does not decompose, apostrophes, final sigma, ligatures. */
const NAMES: Array<[first: string, last: string, company?: string]> = [
  ['Zoë', 'Müller'],
  ['José', 'Núñez', 'Acme Catering Ltd'],
  ['Søren', 'Kierkegaard'],
  ['Łukasz', 'Żółć'],
  ['Hans Christian', 'Ørsted', 'Ørsted A/S'],
  ['Đorđe', 'Đoković'],
  ['Johann', 'Strauß', 'Müller & Söhne GmbH'],
  ['Æsa', 'Þórsdóttir'],
  ['Siobhán', "O'Brien"],
  ['Mary-Jane', 'O’Neil'],
  ['Luca', 'D’Angelo', 'Café Noir S.à r.l.'],
  ['Οδυσσέας', 'Ελύτης'],
  ['ΣΙΣΥΦΟΣ', 'ΚΟΡΙΝΘΟΣ'],
  ['Пётр', 'Чайковский'],
  ['Анна', 'Иванова'],
  ['小明', '王'],
  ['太郎', '山田'],
  ['민수', '김'],
  ['محمد', 'عبد الله'],
  ['דוד', 'בן-גוריון'],
  ['राम', 'कुमार'],
  ['İsmail', 'Çelik'],
  ['ǅemal', 'Bijedić'],
  ['ﬁona', 'Macﬂy'],
  ['Nguyễn Thị', 'Minh Khai'],
  ['Anna', 'Schmidt', '1881 Ltd'],
  ['Anna', 'Smith'],
  ['Ann', 'Lee', '3M'],
  ['Mark', 'Miller'],
  ['Marie', 'Jones'],
  ['Ella', 'Anderson'],
  ['Sam', 'Bergson'],
  ['Jo', 'Millward'],
  ['Bo', 'Li'],
  ['', '', 'Ünïcödé Trading'],
  ['Zoe', 'Muller'],
  ['Jose', 'Nunez'],
  ['Lukasz', 'Zolc'],
  ['Dorde', 'Dokovic'],
  ['Elly', 'Straus'],
]

/** Full names, emails and phone numbers as real address-book programs exported them. */
function vcardValues(): { names: string[]; emails: string[]; phones: string[] } {
  const names: string[] = []
  const emails: string[] = []
  const phones: string[] = []
  const dir = join(CORPORA, 'vcard')
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.vcf'))) {
    const text = readFileSync(join(dir, file), 'utf8').replace(/\r?\n[ \t]/g, '')
    for (const line of text.split(/\r?\n/)) {
      const colon = line.indexOf(':')
      if (colon < 0) continue
      const [property, ...params] = line.slice(0, colon).split(';')
      let value = line.slice(colon + 1)
      if (params.some((p) => /QUOTED-PRINTABLE/i.test(p))) {
        value = Buffer.from(value.replace(/=$/, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
      }
      value = value.replace(/\\,/g, ',').replace(/\\;/g, ';').trim()
      const name = property!.replace(/^item\d+\./i, '').toUpperCase()
      if (name === 'FN' && value) names.push(value)
      if (name === 'EMAIL' && value) emails.push(value)
      if (name === 'TEL' && value) phones.push(value.replace(/^tel:/i, ''))
    }
  }
  return { names: [...new Set(names)], emails: [...new Set(emails)], phones: [...new Set(phones)] }
}

function validCorpusEmails(): string[] {
  const tests = JSON.parse(readFileSync(join(CORPORA, 'email/isemail-tests.json'), 'utf8')) as Array<[string, string]>
  return tests.filter(([, verdict]) => verdict === 'valid').map(([email]) => email)
}

function examplePhones(): string[] {
  return Object.keys(examples).flatMap((region) => {
    const number = getExampleNumber(region as CountryCode, examples)
    return number ? [number.formatInternational()] : []
  })
}

/** A small seeded generator, so a failure names the same searches every run. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
}

function customers(): CreateCustomerInput[] {
  const vcard = vcardValues()
  const emails = [...vcard.emails, ...validCorpusEmails()]
  const phones = [...vcard.phones, ...examplePhones(), '+44 7700 900123', '07700 900456', '020 7946 0018', '+1 212 555 0147']
  const people: CreateCustomerInput[] = NAMES.map(([firstName, lastName, company]) => ({ firstName, lastName, company: company ?? '' }))
  for (const name of vcard.names) people.push({ displayName: name, firstName: name.split(' ')[0] ?? '', lastName: name.split(' ').slice(1).join(' ') })
  // Every first name beside other last names: many customers sharing words, as in a real address book.
  for (let i = 0; i < 160; i++) {
    const [firstName] = NAMES[i % NAMES.length]!
    const [, lastName, company] = NAMES[(i * 7 + 3) % NAMES.length]!
    people.push({ firstName, lastName, company: i % 5 === 0 ? (company ?? '') : '' })
  }
  const postcodes = ['SW1A 2AA', 'DK-1051', 'EC1A 1BB', '75008', 'W1A 0AX', '10115']
  return people.map((person, i) => ({
    ...person,
    email: emails[i % emails.length] ?? '',
    phones: [{ number: phones[i % phones.length]! }, ...(i % 3 === 0 ? [{ number: phones[(i * 7 + 3) % phones.length]! }] : [])],
    addresses: i % 2 === 0 ? [{ line1: `${i} High Street`, postcode: postcodes[i % postcodes.length]! }] : [],
  }))
}

/** The searches the benchmark measures (tests/bench/run.ts), and awkward ones of other scripts. */
const BENCH_SEARCHES = [
  'jo', 'an', 'ma', 'el', 'sa', 'son', 'mar', 'ell', 'ber', 'ann', 'smith', 'mille', 'ander', 'schmi', 'jones',
  'muller', 'zoe', 'jose', 'soren', 'lukasz', 'łukasz', 'orsted', 'strauss', 'dorde', "o'b", 'anna sch', 'mar smi', 'jo mill',
  '7700 900', '900123', '020 7946 12', '07700 9001', '4420794', 'C-000123', 'C-000005', 'C-42', '123456',
  '@example.org', 'anna.s', 'smith12', 'a', 'z', 'anna s', 'mar j', 'jo s', '@iana.org', 'iana', '1881', '3m', '55',
  'οδυς', 'ΟΔΥΣΣ', 'σισυφος', 'ς', 'пётр', 'петр', 'чайк', '王小', '山田', 'ǆe', 'fi', 'fio', "d'a", 'd’an', 'obrien', 'ørs',
  'ß', 'straß', 'æs', 'þór', 'thor', 'ısmail', 'ismail', 'i̇s', 'nguyen', 'thi m', 'ü', 'ün', 'c-', '%', '_a', 'a_b', '\\', '"', '*',
]

/** Searches cut from each customer's own text: fragments, word starts, initials, phone digits and numbers. */
function ownSearches(people: CreateCustomerInput[], ids: number[]): string[] {
  const next = random(16)
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(next() * items.length)]
  const searches = new Set<string>()
  people.forEach((person, i) => {
    const name = [person.displayName, person.firstName, person.lastName, person.company].filter(Boolean).join(' ')
    const chars = [...name]
    for (const length of [3, 4, 6]) {
      const start = Math.floor(next() * Math.max(1, chars.length - length))
      const cut = chars.slice(start, start + length).join('').trim()
      if (cut) searches.add(cut)
    }
    const words = name.split(/\s+/).filter(Boolean)
    const word = pick(words)
    if (word) {
      searches.add([...word].slice(0, 2).join(''))
      searches.add([...word].slice(0, 1).join(''))
    }
    if (words.length >= 2) searches.add(`${[...words[0]!][0]} ${[...words[1]!][0]}`)
    if (words.length >= 2) searches.add(`${[...words[0]!].slice(0, 3).join('')} ${[...words[1]!][0]}`)
    const email = person.email ?? ''
    if (email.length > 5) searches.add(email.slice(1, 6))
    for (const phone of person.phones ?? []) {
      const digits = phone.number.replace(/\D/g, '')
      for (const length of [2, 3, 4, 5, 8]) {
        const start = Math.floor(next() * Math.max(1, digits.length - length))
        if (digits.length >= length) searches.add(digits.slice(start, start + length))
      }
      searches.add(phone.number.slice(0, 9))
    }
    searches.add(`C-${String(ids[i]).padStart(6, '0')}`)
    searches.add(foldForSearch(name).slice(0, 5))
  })
  return [...searches]
}

let sqlite: TestCore
let postgres: TestCore
let dropServer: (() => Promise<void>) | null = null
let dir: string
const people = customers()
/** Customer ids on each engine, by their place in `people` (null when both refused the record). */
const sqliteIds: Array<number | null> = []
const postgresIds: Array<number | null> = []

/** Ids as places in `people`, comparable across the engines. */
function places(ids: readonly number[], engineIds: Array<number | null>): number[] {
  return ids.map((id) => engineIds.indexOf(id))
}

describe.skipIf(!process.env.FRONTDESK_TEST_POSTGRES)('the same search on SQLite and PostgreSQL', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-engines-'))
    const file = join(dir, 'frontdesk.sqlite3')
    await copyFreshDataFile(file)
    sqlite = await openTestCore({ dataFile: file })
    const server = await freshServerDatabase()
    dropServer = server.drop
    postgres = await openTestCore({ dataFile: server.url })
    for (const [place, wanted] of people.entries()) {
      // Corpus emails and phones the desk refuses are left out, and the customer made without them.
      let person = wanted
      let onSqlite = await sqlite.call('customers:create', person)
      for (let tries = 0; !onSqlite.ok && tries < 3; tries++) {
        const field = onSqlite.error.field ?? ''
        if (field === 'email') person = { ...person, email: '' }
        else if (field.startsWith('phones')) person = { ...person, phones: [] }
        else break
        onSqlite = await sqlite.call('customers:create', person)
      }
      people[place] = person
      const onPostgres = await postgres.call('customers:create', person)
      expect(onPostgres.ok, JSON.stringify(person)).toBe(onSqlite.ok)
      sqliteIds.push(onSqlite.ok ? onSqlite.data.id : null)
      postgresIds.push(onPostgres.ok ? onPostgres.data.id : null)
    }
    // A few in the other tabs, the same ones on both.
    const made = sqliteIds.flatMap((id, place) => (id === null ? [] : [place]))
    for (const place of [made[3]!, made[8]!, made[13]!]) {
      await sqlite.invoke('customers:archive', { id: sqliteIds[place]! })
      await postgres.invoke('customers:archive', { id: postgresIds[place]! })
    }
  }, 300_000)

  afterAll(async () => {
    await sqlite?.cleanup()
    await postgres?.cleanup()
    await dropServer?.()
    rmSync(dir, { recursive: true, force: true })
  })

  it('holds the same customers on both', () => {
    expect(sqliteIds.filter((id) => id !== null).length).toBeGreaterThan(200)
    expect(postgresIds.map((id) => id !== null)).toEqual(sqliteIds.map((id) => id !== null))
  })

  async function matchPlaces(core: TestCore, engineIds: Array<number | null>, search: string): Promise<number[] | null> {
    const plan = planSearch(search)
    if (!plan) return null
    const match = dialectOf(core.db).matchSql(plan)
    if (!match) return []
    const rows = allRows<{ id: number }>(await core.db.raw(`SELECT id FROM (${match.sql}) m`, match.bindings))
    return places(rows.map((r) => Number(r.id)).sort((a, b) => a - b), engineIds).sort((a, b) => a - b)
  }

  async function listPlaces(core: TestCore, engineIds: Array<number | null>, input: ListCustomersInput): Promise<{ rows: number[]; total: number }> {
    const page = await core.invoke('customers:list', { pageSize: 200, ...input })
    return { rows: places(page.rows.map((r) => r.id), engineIds), total: page.total }
  }

  it('finds the same customers for every kind of search the benchmark measures, in the same order', async () => {
    const differences: string[] = []
    for (const search of BENCH_SEARCHES) {
      const [a, b] = [await matchPlaces(sqlite, sqliteIds, search), await matchPlaces(postgres, postgresIds, search)]
      if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${JSON.stringify(search)}: SQLite ${JSON.stringify(a)}, PostgreSQL ${JSON.stringify(b)}`)
      for (const sort of ['name', 'email', 'createdAt', 'number'] as const) {
        const input: ListCustomersInput = { search, sort, direction: sort === 'createdAt' ? 'desc' : 'asc' }
        const [x, y] = [await listPlaces(sqlite, sqliteIds, input), await listPlaces(postgres, postgresIds, input)]
        if (JSON.stringify(x) !== JSON.stringify(y)) differences.push(`${JSON.stringify(search)} by ${sort}: SQLite ${JSON.stringify(x)}, PostgreSQL ${JSON.stringify(y)}`)
      }
      const [p, q] = [await sqlite.invoke('customers:counts', { search }), await postgres.invoke('customers:counts', { search })]
      if (JSON.stringify(p) !== JSON.stringify(q)) differences.push(`${JSON.stringify(search)} counts: SQLite ${JSON.stringify(p)}, PostgreSQL ${JSON.stringify(q)}`)
    }
    expect(differences).toEqual([])
  }, 300_000)

  it("finds the same customers for searches cut from every customer's own name, email, phones and number", async () => {
    const searches = ownSearches(people, sqliteIds.map((id) => id ?? 0))
    expect(searches.length).toBeGreaterThan(1000)
    const differences: string[] = []
    let found = 0
    for (const search of searches) {
      const [a, b] = [await matchPlaces(sqlite, sqliteIds, search), await matchPlaces(postgres, postgresIds, search)]
      if (a?.length) found++
      if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${JSON.stringify(search)}: SQLite ${JSON.stringify(a)}, PostgreSQL ${JSON.stringify(b)}`)
    }
    expect(differences).toEqual([])
    // Cut from the customers themselves: nearly every search finds someone.
    expect(found).toBeGreaterThan(searches.length * 0.8)
  }, 300_000)

  it('tests a row with a search exactly as the index answers it (the walks of broad searches)', async () => {
    const dialect = dialectOf(postgres.db)
    const differences: string[] = []
    for (const search of [...BENCH_SEARCHES, ...ownSearches(people, postgresIds.map((id) => id ?? 0)).slice(0, 400)]) {
      const plan = planSearch(search)
      if (!plan) continue
      const test = dialect.rowMatchSql(plan)
      const byRow = allRows<{ id: number }>(await postgres.db.raw(`SELECT c.id FROM customers c WHERE ${test.sql} ORDER BY c.id`, test.bindings)).map((r) => Number(r.id))
      const match = dialect.matchSql(plan)
      const byIndex = match ? allRows<{ id: number }>(await postgres.db.raw(`SELECT id FROM (${match.sql}) m ORDER BY id`, match.bindings)).map((r) => Number(r.id)) : []
      if (JSON.stringify(byRow) !== JSON.stringify(byIndex)) differences.push(`${JSON.stringify(search)}: rows ${JSON.stringify(byRow)}, index ${JSON.stringify(byIndex)}`)
    }
    expect(differences).toEqual([])
  }, 300_000)

  it('lists every tab in the same order by every sort, page after page', async () => {
    for (const sort of ['name', 'email', 'createdAt', 'number'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const walk = async (core: TestCore, engineIds: Array<number | null>) => {
          const seen: number[] = []
          let after: string | undefined
          for (;;) {
            const page = await core.invoke('customers:list', { sort, direction, pageSize: 37, after })
            seen.push(...places(page.rows.map((r) => r.id), engineIds))
            if (!page.nextCursor) return seen
            after = page.nextCursor
          }
        }
        expect(await walk(postgres, postgresIds), `${sort} ${direction}`).toEqual(await walk(sqlite, sqliteIds))
      }
    }
    expect(await postgres.invoke('customers:counts', {})).toEqual(await sqlite.invoke('customers:counts', {}))
  }, 300_000)
})

/** Synthetic customers in bulk, the same rows on both engines, so broad searches take the walks of big address books. */
function bulkCustomers(count: number): Array<{ customer: Record<string, unknown>; phone: string | null; postcode: string | null }> {
  const next = random(42)
  const firsts = ['Anna', 'John', 'Mary', 'José', 'Zoë', 'Łukasz', 'Søren', 'Ella', 'Sam', 'Marc', 'Jo', 'Οδυσσέας', 'Пётр', 'Siobhán', 'Ann-Marie']
  const lasts = ['Smith', 'Jones', 'Müller', 'Anderson', 'Schmidt', "O'Brien", 'Bergson', 'Millward', 'Strauß', 'Ørsted', 'Lee', 'Ελύτης', 'Иванова', 'Nuñez']
  return Array.from({ length: count }, (_, i) => {
    const first = firsts[Math.floor(next() * firsts.length)]!
    const last = lasts[Math.floor(next() * lasts.length)]!
    const display = `${first} ${last}`
    const email = next() < 0.85 ? `${foldForSearch(first).replace(/[^a-z]/g, '') || 'x'}.${foldForSearch(last).replace(/[^a-z]/g, '') || 'y'}${i}@example.${next() < 0.5 ? 'org' : 'com'}` : ''
    const roll = next()
    const status = roll < 0.9 ? 'active' : roll < 0.96 ? 'archived' : 'blocked'
    // Created out of order, so the sort by date is not the sort by number.
    const created = new Date(Date.UTC(2020, 0, 1) + Math.floor(next() * 1500) * 86_400_000 + i * 1000).toISOString()
    const rest = String(Math.floor(next() * 1000)).padStart(3, '0')
    return {
      customer: {
        first_name: first,
        last_name: last,
        display_name: display,
        display_name_is_custom: false,
        sort_name: foldForSearch(display).trim(),
        company: next() < 0.1 ? `${last} & Co` : '',
        email,
        email_normalized: email.toLowerCase(),
        status,
        status_reason: status === 'blocked' ? 'Unpaid balance' : '',
        marketing_consent: next() < 0.4,
        created_at: created,
        updated_at: created,
      },
      phone: next() < 0.8 ? `07700900${rest} 447700900${rest}` : null,
      postcode: next() < 0.6 ? `SW${1 + Math.floor(next() * 20)} ${Math.floor(next() * 9)}AA` : null,
    }
  })
}

async function loadBulk(core: TestCore, rows: ReturnType<typeof bulkCustomers>): Promise<void> {
  await core.db.transaction(async (trx) => {
    const ids: number[] = []
    for (let from = 0; from < rows.length; from += 200) {
      const slice = rows.slice(from, from + 200)
      const made = (await trx('customers').insert(slice.map((r) => r.customer)).returning('id')) as Array<{ id: number } | number>
      const sliceIds = made.map((m) => (typeof m === 'number' ? m : Number(m.id)))
      ids.push(...sliceIds)
      const phones = slice.flatMap((r, i) => (r.phone ? [{ customer_id: sliceIds[i], label: 'mobile', number: r.phone.slice(0, 11), search_digits: r.phone, is_primary: true }] : []))
      const addresses = slice.flatMap((r, i) => (r.postcode ? [{ customer_id: sliceIds[i], line1: '1 High Street', postcode: r.postcode }] : []))
      if (phones.length) await trx('phones').insert(phones)
      if (addresses.length) await trx('addresses').insert(addresses)
    }
    // Two in five customers hold a tag, so a filter beside a broad search keeps some matches and drops others.
    const [tag] = (await trx('tags').insert({ name: 'Regular', name_normalized: 'regular', created_at: '2024-01-01T00:00:00.000Z' }).returning('id')) as Array<{ id: number } | number>
    const tagId = typeof tag === 'number' ? tag : Number(tag!.id)
    const tagged = ids.filter((_, i) => i % 5 < 2).map((id) => ({ customer_id: id, tag_id: tagId, created_at: '2024-01-01T00:00:00.000Z' }))
    for (let from = 0; from < tagged.length; from += 500) await trx('customer_tags').insert(tagged.slice(from, from + 500))
    await dialectOf(trx).refreshSearch(trx, ids)
  })
}

/** Tab counts as compared between the engines: a capped count is a lower bound of each engine's own (see capsMissed). */
function exactOnly(counts: TabCounts | null): TabCounts | 'capped' | null {
  return counts?.capped ? 'capped' : counts
}

describe.skipIf(!process.env.FRONTDESK_TEST_POSTGRES)('broad searches over thousands of customers on SQLite and PostgreSQL', () => {
  let small: TestCore
  let server: TestCore
  let drop: (() => Promise<void>) | null = null
  let folder: string
  let deletedCustomers = 0
  let regularTag = 0

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'frontdesk-engines-'))
    const file = join(folder, 'frontdesk.sqlite3')
    await copyFreshDataFile(file)
    small = await openTestCore({ dataFile: file })
    const database = await freshServerDatabase()
    drop = database.drop
    server = await openTestCore({ dataFile: database.url })
    const rows = bulkCustomers(6000)
    await loadBulk(small, rows)
    await loadBulk(server, rows)
    // The same tag on both: each file made it first.
    const tagIdOn = async (core: TestCore) => Number(firstRow<{ id: number }>(await core.db.raw(`SELECT id FROM tags WHERE name = 'Regular'`))?.id)
    regularTag = await tagIdOn(small)
    expect(await tagIdOn(server)).toBe(regularTag)
    deletedCustomers = Number(firstRow<{ n: number }>(await small.db.raw(`SELECT count(*) AS n FROM customers WHERE status = 'deleted'`))?.n ?? 0)
  }, 300_000)

  afterAll(async () => {
    await small?.cleanup()
    await server?.cleanup()
    await drop?.()
    rmSync(folder, { recursive: true, force: true })
  })

  it('gives the same first, next, previous and last pages and counts in every sort, with and without a filter', async () => {
    const differences: string[] = []
    const searches = ['a', 'an', 'son', 'j s', '@example.org', '7700', '77009001', 'οδυσ', "o'b", '12']
    const views: ListCustomersInput[] = [
      { sort: 'name' },
      { sort: 'name', direction: 'desc' },
      { sort: 'email' },
      { sort: 'createdAt', direction: 'desc' },
      { sort: 'number' },
      { sort: 'name', marketingConsent: 'yes' },
      { sort: 'email', tab: 'archived' },
      { sort: 'name', tagIds: [regularTag] },
      { sort: 'createdAt', direction: 'desc', tab: 'blocked', tagIds: [regularTag] },
    ]
    for (const search of searches) {
      for (const view of views) {
        const input: ListCustomersInput = { search, pageSize: 25, ...view }
        const walk = async (core: TestCore) => {
          const first = await core.invoke('customers:list', input)
          const second = first.nextCursor ? await core.invoke('customers:list', { ...input, after: first.nextCursor }) : null
          const back = second?.prevCursor ? await core.invoke('customers:list', { ...input, before: second.prevCursor }) : null
          const last = await core.invoke('customers:list', { ...input, last: true })
          if (first.counts?.capped) differences.push(...(await capsMissed(`${JSON.stringify(input)} on ${core === small ? 'SQLite' : 'PostgreSQL'}`, first.counts, input)))
          return JSON.stringify(
            [first, second, back, last].map((page) => page && { ids: page.rows.map((r) => r.id), total: page.total, capped: page.totalCapped, counts: exactOnly(page.counts) }),
          )
        }
        const [a, b] = [await walk(small), await walk(server)]
        if (a !== b) differences.push(`${JSON.stringify(input)}:\n  SQLite     ${a}\n  PostgreSQL ${b}`)
      }
      const [p, q] = [await small.invoke('customers:counts', { search }), await server.invoke('customers:counts', { search })]
      for (const [engine, counts] of [['SQLite', p], ['PostgreSQL', q]] as const) {
        if (counts.capped) differences.push(...(await capsMissed(`${search} counts on ${engine}`, counts, { search })))
      }
      if (JSON.stringify(exactOnly(p)) !== JSON.stringify(exactOnly(q))) differences.push(`${search} counts: SQLite ${JSON.stringify(p)}, PostgreSQL ${JSON.stringify(q)}`)
    }
    expect(differences).toEqual([])
  }, 600_000)

  /**
   * A broad search's counts stop at the cap: each engine counts its own first matches (SQLite the lowest
   * ids, PostgreSQL the table's order), so they are lower bounds, shown as "744+", and may differ between
   * engines. Each must stay at or under the true count of its tab, and together they fill the cap unless filtered.
   */
  async function capsMissed(where: string, counts: TabCounts, input: ListCustomersInput): Promise<string[]> {
    const { plan, filters } = searchAndFilters(customerFilter.parse({ search: input.search, marketingConsent: input.marketingConsent, tagIds: input.tagIds }))
    const missed: string[] = []
    let sum = 0
    for (const tab of ['active', 'archived', 'blocked'] as const) {
      const exact = (await selectAllMatchingIds(small.db, tab, plan, filters)).length
      sum += counts[tab]
      if (counts[tab] > exact) missed.push(`${where}: ${tab} ${counts[tab]}+ is more than the ${exact} there are`)
    }
    if (sum > SORTABLE_MATCHES || (!hasFilters(filters) && sum < SORTABLE_MATCHES - deletedCustomers)) missed.push(`${where}: the capped counts add up to ${sum}`)
    return missed
  }
})
