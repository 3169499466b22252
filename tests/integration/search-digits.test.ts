import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { digitPieces, groupedDigitRuns, joinedDigitGroups, piecesOf } from '../../db/search/digits'
import { onPostgres } from '../helpers/testDatabase'
import { dialectOf } from '../../db/dialects'
import { planSearch } from '../../db/search'

let app: TestCore
beforeAll(async () => {
  app = await openTestCore()
  await app.runJob('demo:seed', { count: 1500, seed: 11 })
  await app.invoke('customers:create', { company: 'Unit 20794 Storage', phones: [{ number: '+1 212 555 0147' }] })
  await app.invoke('customers:create', { firstName: 'Digit', lastName: 'Email', email: 'desk.7700900555@example.net' })
})
afterAll(async () => {
  await app.cleanup()
})

/** Every customer whose search document holds these digits in a row, read straight from the tables. */
async function expectedIds(digits: string): Promise<number[]> {
  // Assembled here rather than in SQL, so the same reading serves either engine.
  const customers = (await app.db('customers').where({ status: 'active' }).select('id', 'display_name', 'first_name', 'last_name', 'email', 'company')) as Array<
    Record<'display_name' | 'first_name' | 'last_name' | 'email' | 'company', string> & { id: number }
  >
  const postcodes = new Map<number, string[]>()
  for (const a of (await app.db('addresses').select('customer_id', 'postcode')) as Array<{ customer_id: number; postcode: string }>) {
    postcodes.set(a.customer_id, [...(postcodes.get(a.customer_id) ?? []), a.postcode])
  }
  const phones = new Map<number, string[]>()
  for (const p of (await app.db('phones').select('customer_id', 'search_digits')) as Array<{ customer_id: number; search_digits: string }>) {
    phones.set(p.customer_id, [...(phones.get(p.customer_id) ?? []), p.search_digits])
  }
  // Digits written in groups in a name or company count as one run ("118 118" holds "118118").
  const joined = (text: string) => text.replace(/(\d)[\s().\-/+](?=\d)/g, '$1')
  return customers
    .filter((c) =>
      [
        ...[c.display_name, c.first_name, c.last_name, c.email, c.company].map(joined),
        (postcodes.get(c.id) ?? []).join(' '),
        `C-${String(c.id).padStart(6, '0')}`,
        (phones.get(c.id) ?? []).join(' '),
      ]
        .join(' ')
        .includes(digits),
    )
    .map((c) => c.id)
    .sort((a, b) => a - b)
}

async function foundIds(search: string): Promise<number[]> {
  const ids: number[] = []
  let page = await app.invoke('customers:list', { search, pageSize: 200, sort: 'number' })
  ids.push(...page.rows.map((r) => r.id))
  while (page.nextCursor) {
    page = await app.invoke('customers:list', { search, pageSize: 200, sort: 'number', after: page.nextCursor })
    ids.push(...page.rows.map((r) => r.id))
  }
  return ids.sort((a, b) => a - b)
}

describe('runs of digits', () => {
  it('are cut into overlapping five-digit pieces, run by run', () => {
    expect(piecesOf('0207946')).toBe('02079 20794 07946')
    expect(digitPieces('C-000123 +44 7700 900123, 07700900123 and 1881')).toBe('00012 00123 x 90012 00123 x 07700 77009 70090 00900 09001 90012 00123')
  })

  it('written in groups, are joined for the text indexes from three digits, and for the digit index from five', () => {
    expect(joinedDigitGroups('20 20 Vision, 24-7 Plumbing, 118 118 and 1 1 or 1881')).toBe(' 2020 247 118118')
    expect(groupedDigitRuns('20 20 Vision, 24-7 Plumbing, 118 118 and 1 1 or 1881')).toBe('118118')
  })

  it.each(['07700 900', '7700900', '900123', '020 7946', '0207946', '44 20 7946', '20794', '7700900555', '212 555 0147', '000150', '00101'])(
    'find exactly the customers holding %j in a row, as reading every document would',
    async (search) => {
      const digits = search.replace(/\D/g, '')
      const expected = await expectedIds(digits)
      expect(expected.length).toBeGreaterThan(0)
      expect(await foundIds(search)).toEqual(expected)
    },
  )

  it('find a name or company written with its digits in groups, typed with or without them', async () => {
    const company = await app.invoke('customers:create', { company: '118 118 Money' })
    const person = await app.invoke('customers:create', { firstName: 'Dial', lastName: 'Cabs', company: 'Cabs on 0800-123-456' })
    for (const search of ['118 118', '118118', '118-118', '11811']) expect(await foundIds(search)).toEqual([company.id])
    for (const search of ['0800 123 456', '0800123456', '123 456']) expect(await foundIds(search)).toEqual([person.id])
    for (const search of ['118 118', '0800 123 456']) expect(await foundIds(search)).toEqual(await expectedIds(search.replace(/\D/g, '')))
  })

  it('find three or four digits a name or company writes in groups, typed joined or as written', async () => {
    const vision = await app.invoke('customers:create', { company: '20 20 Vision' })
    const plumbing = await app.invoke('customers:create', { firstName: 'Pat', lastName: 'Doyle', company: '24 7 Plumbing' })
    const money = (await foundIds('118118'))[0]!
    for (const search of ['2020', '20 20', '20-20']) expect(await foundIds(search)).toEqual(await expectedIds('2020'))
    expect(await foundIds('2020')).toContain(vision.id)
    expect(await foundIds('247')).toContain(plumbing.id)
    expect(await foundIds('247')).toEqual(await expectedIds('247'))
    // Across a group of a longer run.
    expect(await foundIds('8118')).toEqual([money])
    // Renamed, it is found by its new name only.
    await app.invoke('customers:update', { id: vision.id, customer: { company: 'Clear View', phones: [], addresses: [] } })
    expect(await foundIds('2020')).not.toContain(vision.id)
  })

  it('do not join digits from two different runs', async () => {
    // "0147" ends one run and "212" starts another in no single number: nobody holds "0147212".
    expect(await expectedIds('0147212')).toEqual([])
    expect(await foundIds('0147 212')).toEqual([])
  })

  it.runIf(onPostgres)('on a server with statistics, find the same whether read from the table’s start or through the rarest piece', async () => {
    // Every demo phone is 07700 900xxx: its pieces are in most rows, so reading from the start is chosen there.
    await app.db.raw('ANALYZE customer_search')
    for (const search of ['07700 900', '7700900', '900123', '20794', '7700900555', '212 555 0147']) {
      expect(await foundIds(search)).toEqual(await expectedIds(search.replace(/\D/g, '')))
    }
    const first = await dialectOf(app.db).firstMatches(app.db, planSearch('7700900')!, 5000)
    expect(first.ids.length).toBeGreaterThan(1000)
  })
})
