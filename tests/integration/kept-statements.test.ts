import knex, { type Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeDatabaseFailure } from '../../db/errors'
import { openFrontdesk, type FrontdeskCore } from '../../main/app-core'
import { createCustomer, listCustomers, loadCustomer, updateCustomer } from '../../main/services/customers'
import { customerInput, listCustomersInput } from '../../preload/contract'
import { freshServerDatabase, onPostgres } from '../helpers/testDatabase'
import { testWorker } from '../helpers/worker'

/*
 * On a server, a desk keeps the queries it builds prepared: parsed and planned once per connection.
 * When another desk (a newer Frontdesk) adds a column under it, the desk goes on working.
 */
describe.skipIf(!onPostgres)('statements a desk keeps prepared on the server', () => {
  let server: Awaited<ReturnType<typeof freshServerDatabase>>
  let desk: FrontdeskCore
  let other: Knex

  beforeAll(async () => {
    server = await freshServerDatabase()
    desk = await openFrontdesk({ dataFile: server.url, isTrustedSender: () => true, worker: testWorker, backupBeforeMigrate: false, reminderSweepEveryMs: 0 })
    other = knex({ client: 'pg', connection: server.url, pool: { min: 0, max: 1 } })
  }, 60_000)

  afterAll(async () => {
    await other?.destroy()
    await desk?.close()
    await server?.drop()
  }, 60_000)

  const input = (lastName: string, email: string) => customerInput.parse({ firstName: 'Ada', lastName, email, phones: [{ number: '07700 900123' }] })

  it('plans a record load once per connection and runs it from that plan', async () => {
    const { id } = await createCustomer(desk.context(), input('Lovelace', 'ada@example.com'))
    // One transaction: one connection, whose own prepared statements the server lists.
    const kept = await desk.db.transaction(async (trx) => {
      for (let i = 0; i < 8; i++) expect((await loadCustomer(trx, id)).lastName).toBe('Lovelace')
      return (await trx.raw(`SELECT statement, generic_plans + custom_plans AS runs, generic_plans FROM pg_prepared_statements`)) as {
        rows: Array<{ statement: string; runs: number; generic_plans: number }>
      }
    })
    // The record with its phones, addresses, tags and groups: one statement.
    const load = kept.rows.find((row) => /^select "c"\.\*, .* AS fd_groups from "customers" as "c" where "c"\."id" = \$1/s.test(row.statement))
    expect(load?.runs).toBeGreaterThanOrEqual(8)
    // After five runs planned with their values, the server settles on one plan for the statement.
    expect(load?.generic_plans).toBeGreaterThan(0)
    // Written SQL is planned for its values every time.
    expect(kept.rows.every((row) => !/pg_prepared_statements/.test(row.statement))).toBe(true)
  })

  it("keeps a save's search row prepared too, planned once, and the search finds each save", async () => {
    const { id } = await createCustomer(desk.context(), input('Hopper', 'grace@example.com'))
    const kept = await desk.db.transaction(async (trx) => {
      for (const lastName of ['Hopperton', 'Hopperfield', 'Hopperwick', 'Hopperstone', 'Hoppermoor', 'Hopperdale', 'Hopperley', 'Hoppergate']) {
        await updateCustomer({ ...desk.context(), db: trx }, id, input(lastName, 'grace@example.com'))
      }
      return (await trx.raw(`SELECT statement, generic_plans + custom_plans AS runs, generic_plans FROM pg_prepared_statements`)) as {
        rows: Array<{ statement: string; runs: number; generic_plans: number }>
      }
    })
    const row = kept.rows.find((r) => /^\s*WITH r AS \(/.test(r.statement))
    expect(row?.runs).toBeGreaterThanOrEqual(8)
    expect(row?.generic_plans).toBeGreaterThan(0)
    // The row is made from what the save wrote: nothing is read back for it.
    expect(kept.rows.filter((r) => /^\s*SELECT c\.id, c\.status, c\.display_name/.test(r.statement))).toEqual([])
    const found = await listCustomers(desk.context(), listCustomersInput.parse({ search: 'hoppergate' }))
    expect(found.rows.map((row) => row.id)).toEqual([id])
    expect((await listCustomers(desk.context(), listCustomersInput.parse({ search: 'hopperley' }))).rows).toEqual([])
  })

  it('goes on saving and loading after another desk adds a column to the customers under it', async () => {
    const { id } = await createCustomer(desk.context(), input('Byron', 'ada.byron@example.com'))
    // Every connection of the desk's pool has the record's statements kept.
    const keepOnEveryConnection = () => Promise.all(Array.from({ length: 12 }, () => loadCustomer(desk.db, id)))
    await keepOnEveryConnection()
    await other.raw('ALTER TABLE customers ADD COLUMN added_by_a_newer_desk text')
    // A save (a transaction) first: the first may be refused, in words, with nothing of it written; the next goes through.
    const tries: string[] = []
    for (const lastName of ['King', 'Lovelace-King']) {
      try {
        await updateCustomer(desk.context(), id, input(lastName, 'ada.byron@example.com'))
        tries.push('saved')
      } catch (error) {
        tries.push(describeDatabaseFailure(error)?.message ?? String(error))
        expect((await loadCustomer(desk.db, id)).lastName).toBe('Byron')
      }
    }
    expect(tries).toEqual([expect.stringMatching(/^(saved|Another desk has just upgraded the customer database\. Nothing was changed; try again\.)$/), 'saved'])
    expect((await loadCustomer(desk.db, id)).lastName).toBe('Lovelace-King')

    // Reads outside a transaction are simply asked again with fresh statements.
    await keepOnEveryConnection()
    await other.raw('ALTER TABLE customers ADD COLUMN added_later_still text')
    for (let i = 0; i < 12; i++) expect((await loadCustomer(desk.db, id)).lastName).toBe('Lovelace-King')
  })
})
