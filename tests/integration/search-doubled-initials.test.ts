import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'
import { allRows } from '../../db/queries/customerList'
import { up as indexDoubledInitials } from '../../db/migrations/20261218000001_doubled_initials'
import { initialPairStart } from '../../db/dialects/postgresSearch'

/*
 * The same initial typed twice ("j j") finds the customers whose name and
 * company hold it twice (Jane Jones), not everyone with one, alone or beside
 * other words, and a customer renamed out of it is no longer found.
 */
describe('an initial typed twice', () => {
  let app: TestCore
  const ids = new Map<string, number>()
  const people = [
    { firstName: 'Jane', lastName: 'Jones', company: '' },
    { firstName: 'Jane', lastName: 'Smith', company: '' },
    { firstName: 'John', lastName: 'Jacobs', company: '' },
    { firstName: 'Jo', lastName: 'Smith', company: 'Jewel & Sons' },
    { firstName: 'Anna', lastName: 'Svensson', company: '' },
    { firstName: 'Sam', lastName: 'Jones', company: 'Smith Partners' },
  ]

  beforeAll(async () => {
    app = await openTestCore()
    for (const person of people) {
      const created = await app.invoke('customers:create', { email: '', phones: [], addresses: [], ...person })
      ids.set(created.displayName, created.id)
    }
  })
  afterAll(async () => {
    await app.cleanup()
  })

  const names = async (search: string) => (await app.invoke('customers:list', { search, pageSize: 50 })).rows.map((r) => r.displayName).sort()

  it('finds the customers with two of it, in the name or the company', async () => {
    expect(await names('j j')).toEqual(['Jane Jones', 'Jo Smith', 'John Jacobs'])
    expect(await names('J   j')).toEqual(await names('j j'))
    // A third asks no more than two.
    expect(await names('j j j')).toEqual(await names('j j'))
    expect(await names('j')).toEqual(['Jane Jones', 'Jane Smith', 'Jo Smith', 'John Jacobs', 'Sam Jones'])
  })

  it('with another initial, and beside a word start or a word', async () => {
    expect(await names('j j s')).toEqual(['Jo Smith'])
    expect(await names('s s')).toEqual(['Jo Smith', 'Sam Jones'])
    expect(await names('jo j j')).toEqual(['Jane Jones', 'Jo Smith', 'John Jacobs'])
    expect(await names('jones j j')).toEqual(['Jane Jones'])
    expect(await names('smith s s')).toEqual(['Jo Smith', 'Sam Jones'])
  })

  it('no longer finds a customer renamed to one of it, and finds one renamed to two', async () => {
    const jane = await app.invoke('customers:get', { id: ids.get('Jane Jones')! })
    const smith = await app.invoke('customers:get', { id: ids.get('Jane Smith')! })
    const customer = (record: typeof jane, lastName: string) => ({
      firstName: record.firstName,
      lastName,
      email: record.email,
      company: record.company,
      phones: [],
      addresses: [],
    })
    await app.invoke('customers:update', { id: jane.id, customer: customer(jane, 'Taylor') })
    await app.invoke('customers:update', { id: smith.id, customer: customer(smith, 'Jenkins') })
    expect(await names('j j')).toEqual(['Jane Jenkins', 'Jo Smith', 'John Jacobs'])
    await app.invoke('customers:update', { id: jane.id, customer: customer(jane, 'Jones') })
    await app.invoke('customers:update', { id: smith.id, customer: customer(smith, 'Smith') })
    expect(await names('j j')).toEqual(['Jane Jones', 'Jo Smith', 'John Jacobs'])
  })

  it.skipIf(!onPostgres)('a server’s rows and lists made before it get the doubled initials a save writes, and only those', async () => {
    const doubledJ = initialPairStart('j', 'j')
    const doubledS = initialPairStart('s', 's')
    const startsById = async () =>
      allRows<{ id: number; starts: string[] }>(await app.db.raw('SELECT id, starts FROM customer_search ORDER BY id')).map((r) => ({ id: Number(r.id), starts: [...r.starts].sort() }))
    const listed = async () => allRows<{ start: string; id: number }>(await app.db.raw('SELECT start, id FROM customer_search_by_start ORDER BY start, id'))
    const written = await startsById()
    const lists = await listed()
    expect(lists.filter((l) => l.start === doubledJ).map((l) => Number(l.id))).toEqual([ids.get('Jane Jones'), ids.get('John Jacobs'), ids.get('Jo Smith')].sort((a, b) => a! - b!))
    // As a save wrote them before: no doubled initial in the rows or the lists.
    await app.db.raw('UPDATE customer_search SET starts = array_remove(array_remove(starts, ?), ?)', [doubledJ, doubledS])
    await app.db.raw('DELETE FROM customer_search_by_start WHERE start IN (?, ?)', [doubledJ, doubledS])
    expect(await names('j j')).toEqual([])

    await indexDoubledInitials(app.db)
    expect(await startsById()).toEqual(written)
    expect(await listed()).toEqual(lists)
    expect(await names('j j')).toEqual(['Jane Jones', 'Jo Smith', 'John Jacobs'])
  })
})
