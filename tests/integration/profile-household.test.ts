import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
  await app.invoke('customers:create', { firstName: 'Parent', lastName: 'Payer', email: 'info@example.com' }) // 1
  await app.invoke('customers:create', { firstName: 'Child', lastName: 'One' }) // 2: a dependant, no email
  await app.invoke('customers:create', { firstName: 'Child', lastName: 'Two' }) // 3
  await app.invoke('customers:create', { firstName: 'Other', lastName: 'Payer' }) // 4
})
afterEach(async () => {
  await app.cleanup()
})

async function countRows(table: string): Promise<number> {
  const [row] = (await app.db(table).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

describe('households', () => {
  it('links dependants to a payer, shown from either side with the payer first', async () => {
    await app.invoke('customers:setHousehold', { id: 2, payerId: 1 })
    const child = await app.invoke('customers:setHousehold', { id: 3, payerId: 1 })
    const expected = [
      { id: 1, number: 'C-000001', displayName: 'Parent Payer', isPayer: true },
      { id: 2, number: 'C-000002', displayName: 'Child One', isPayer: false },
      { id: 3, number: 'C-000003', displayName: 'Child Two', isPayer: false },
    ]
    expect(child.household).toEqual(expected)
    expect((await app.invoke('customers:extras', { id: 1 })).household).toEqual(expected)
    expect((await app.invoke('customers:extras', { id: 4 })).household).toEqual([])
  })

  it('never overwrites either record and logs on both', async () => {
    const payerBefore = await app.invoke('customers:get', { id: 1 })
    const childBefore = await app.invoke('customers:get', { id: 2 })
    await app.invoke('customers:setHousehold', { id: 2, payerId: 1 })
    const payerAfter = await app.invoke('customers:get', { id: 1 })
    const childAfter = await app.invoke('customers:get', { id: 2 })
    expect(payerAfter).toEqual(payerBefore)
    // Joining a household is a change to the member's record: its version moves on, nothing else of it.
    expect({ ...childAfter, updatedAt: '', version: 0 }).toEqual({ ...childBefore, updatedAt: '', version: 0 })
    expect(childAfter.version).toBeGreaterThan(childBefore.version)
    expect(childAfter.email).toBe('')
    expect((await app.invoke('customers:changes', { id: 2 }))[0]).toMatchObject({
      action: 'customer.household',
      changes: [{ field: 'Paid for by', before: null, after: 'Parent Payer (C-000001)' }],
    })
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({
      action: 'customer.householdMember',
      summary: 'Child One (C-000002) joined the household',
    })
  })

  it('leaves a household with null, logging on the old payer too', async () => {
    await app.invoke('customers:setHousehold', { id: 2, payerId: 1 })
    expect((await app.invoke('customers:setHousehold', { id: 2, payerId: null })).household).toEqual([])
    expect((await app.invoke('customers:changes', { id: 1 }))[0]).toMatchObject({ summary: 'Child One (C-000002) left the household' })
  })

  it('refuses self, unknown, deleted and nested payers, and payers joining another household, changing nothing', async () => {
    await app.invoke('customers:setHousehold', { id: 2, payerId: 1 })
    await app.db('customers').where({ id: 4 }).update({ status: 'deleted' })
    await app.invoke('customers:create', { firstName: 'Free', lastName: 'Agent' }) // 5
    const changesBefore = await countRows('change_log')
    const cases: Array<[number, number, RegExp]> = [
      [3, 3, /own payer/],
      [3, 99, /could not be found/],
      [3, 4, /could not be found/],
      [3, 2, /belongs to the household of Parent Payer \(C-000001\): choose Parent Payer/],
      [1, 5, /Parent Payer \(C-000001\) pays for others/],
    ]
    for (const [id, payerId, message] of cases) {
      const result = await app.call('customers:setHousehold', { id, payerId })
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'payerId', message: expect.stringMatching(message) } })
    }
    expect(await countRows('change_log')).toBe(changesBefore)
    expect(await app.db('customers').whereNotNull('household_payer_id').select('id', 'household_payer_id')).toEqual([{ id: 2, household_payer_id: 1 }])
  })

  it('leaves deleted members out of the household list', async () => {
    await app.invoke('customers:setHousehold', { id: 2, payerId: 1 })
    await app.invoke('customers:setHousehold', { id: 3, payerId: 1 })
    await app.db('customers').where({ id: 3 }).update({ status: 'deleted' })
    expect((await app.invoke('customers:extras', { id: 2 })).household.map((m) => m.id)).toEqual([1, 2])
  })
})
