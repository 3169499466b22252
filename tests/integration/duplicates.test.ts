import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { finishJob, jobResult, openTestCore, type TestCore } from '../helpers/core'
import type { CreateCustomerInput, DuplicateScanResult } from '../../preload/contract'
import { writeTombstones } from '../../main/services/privacy/tombstones'
import type { StaffMember } from '../../main/services/context'

const sam: StaffMember = { id: 2, name: 'Sam at the desk', role: 'staff' }

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
})
afterEach(async () => {
  await app.cleanup()
})

const create = async (input: CreateCustomerInput) => (await app.invoke('customers:create', input)).id
const at = (postcode: string) => [{ line1: '1 High Street', city: 'Bath', postcode, country: 'GB' }]
const check = (input: Parameters<typeof app.invoke<'duplicates:check'>>[1]) => app.invoke('duplicates:check', input)
const scan = async () => jobResult<DuplicateScanResult>(await finishJob(app.call, await app.invoke('duplicates:scan', undefined)))

describe('the duplicate check as a record is typed', () => {
  it('finds the same email, however it is typed', async () => {
    const id = await create({ firstName: 'Anna', lastName: 'Kowalska', email: 'Anna.K@Example.com' })
    const { matches } = await check({ email: '  anna.k@example.COM ', firstName: 'Ania' })
    expect(matches.map((m) => m.customer.id)).toEqual([id])
    expect(matches[0]!.reasons[0]).toBe('email')
    expect(matches[0]!.customer.number).toMatch(/^C-0+\d+$/)
    // Half an address is not looked up.
    expect((await check({ email: 'anna.k@exa' })).matches).toEqual([])
  })

  it('finds the same phone in another spelling (E.164)', async () => {
    const id = await create({ firstName: 'Tom', lastName: 'Baker', phones: [{ number: '07700 900123' }] })
    const { matches } = await check({ phones: ['+44 7700 900123'] })
    expect(matches).toMatchObject([{ customer: { id, phone: '07700 900123' }, reasons: ['phone'] }])
    // With the same name as well, it is nearly certain.
    const named = await check({ phones: ['0044 7700 900123'], firstName: 'Tom', lastName: 'Baker' })
    expect(named.matches[0]!.reasons).toEqual(['phone', 'same-name'])
    expect(named.matches[0]!.score).toBeGreaterThan(matches[0]!.score)
  })

  it('a number many people give (a switchboard) is no reason to pair them', async () => {
    for (const last of ['Adams', 'Baker', 'Clark', 'Davies', 'Evans', 'Fisher', 'Green', 'Hill']) {
      await create({ firstName: 'Sam', lastName: last, phones: [{ number: '01225 111222' }] })
    }
    expect((await check({ phones: ['01225 111222'] })).matches).toEqual([])
    expect((await check({ phones: ['01225 111222'], firstName: 'Sam', lastName: 'Green' })).matches).toEqual([])
    expect((await scan()).pairs).toBe(0)
  })

  it('finds nicknames at the same postcode: Bob/Robert, Kasia/Katarzyna', async () => {
    const robert = await create({ firstName: 'Robert', lastName: 'Smith', addresses: at('BA1 1AA') })
    const katarzyna = await create({ firstName: 'Katarzyna', lastName: 'Nowak', addresses: [{ line1: 'ul. Długa 5', city: 'Kraków', postcode: '31-147', country: 'PL' }] })
    const bob = await check({ firstName: 'Bob', lastName: 'Smith', postcode: 'ba11aa' })
    expect(bob.matches).toMatchObject([{ customer: { id: robert, postcode: 'BA1 1AA' }, reasons: ['name-postcode', 'nickname'] }])
    const kasia = await check({ firstName: 'Kasia', lastName: 'Nowak', postcode: '31-147' })
    expect(kasia.matches).toMatchObject([{ customer: { id: katarzyna }, reasons: ['name-postcode', 'nickname'] }])
    // Another person at the same postcode is no duplicate; nor is a nickname at another postcode.
    expect((await check({ firstName: 'Alice', lastName: 'Jones', postcode: 'BA1 1AA' })).matches).toEqual([])
    expect((await check({ firstName: 'Bob', lastName: 'Smith', postcode: 'BA2 2BB' })).matches).toEqual([])
  })

  it('finds first and last name swapped, and near spellings', async () => {
    const id = await create({ firstName: 'Łukasz', lastName: 'Wójcik', addresses: at('SW1A 1AA') })
    const swapped = await check({ firstName: 'Wojcik', lastName: 'Lukasz', postcode: 'SW1A1AA' })
    expect(swapped.matches).toMatchObject([{ customer: { id }, reasons: ['name-postcode', 'swapped'] }])
    const misspelt = await check({ firstName: 'Lukasz', lastName: 'Wojcick', postcode: 'sw1a 1aa' })
    expect(misspelt.matches).toMatchObject([{ customer: { id }, reasons: ['name-postcode', 'similar-name'] }])
  })

  it('never offers the record being edited, nor a pair marked as different people', async () => {
    const robert = await create({ firstName: 'Robert', lastName: 'Smith', phones: [{ number: '07700 900555' }], addresses: at('BA1 1AA') })
    const bob = await create({ firstName: 'Bob', lastName: 'Smith', addresses: at('BA1 1AA') })
    const own = await check({ firstName: 'Robert', lastName: 'Smith', phones: ['07700 900555'], postcode: 'BA1 1AA', excludeCustomerId: robert })
    expect(own.matches.map((m) => m.customer.id)).toEqual([bob])
    expect((await app.invoke('duplicates:forCustomer', { customerId: bob })).map((m) => m.customer.id)).toEqual([robert])

    await app.invoke('duplicates:dismiss', { customerId: bob, otherIds: [robert] })
    expect((await check({ firstName: 'Robert', lastName: 'Smith', postcode: 'BA1 1AA', excludeCustomerId: robert })).matches).toEqual([])
    expect(await app.invoke('duplicates:forCustomer', { customerId: bob })).toEqual([])
    // Remembered in both histories.
    const history = await app.invoke('customers:changes', { id: robert })
    expect(JSON.stringify(history)).toContain(`Marked as a different person from C-${String(bob).padStart(6, '0')}`)
    // Saying it twice changes nothing.
    expect(await app.invoke('duplicates:dismiss', { customerId: robert, otherIds: [bob] })).toEqual({ dismissed: 0 })
  })

  it('says when the email or phone belonged to someone erased', async () => {
    await app.db.transaction((trx) => writeTombstones(trx, { email: 'gone@example.com', phones: ['+447700900999'] }, '2026-11-02T10:00:00.000Z'))
    expect((await check({ email: 'GONE@example.com' })).erased).toEqual({ at: '2026-11-02T10:00:00.000Z', kind: 'email' })
    expect((await check({ phones: ['07700 900999'] })).erased).toMatchObject({ kind: 'phone' })
    expect((await check({ email: 'someone@example.com' })).erased).toBeNull()
    // Erased through the app: their own record is no duplicate, their email is a tombstone.
    const erased = await app.invoke('customers:create', { firstName: 'Gone', lastName: 'Person', email: 'gone.person@example.com', phones: [{ number: '07700 900444' }] })
    jobResult(await finishJob(app.call, await app.invoke('privacy:erase', { customerId: erased.id, confirm: erased.number })))
    const after = await check({ email: 'Gone.Person@example.com', firstName: 'Gone', phones: ['07700 900444'] })
    expect(after.matches).toEqual([])
    expect(after.erased).toMatchObject({ kind: 'email' })
  })

  it('is staff work; the full scan and its groups are an administrator’s', async () => {
    await app.as(sam, async () => {
      expect((await app.call('duplicates:check', { email: 'a@example.com' })).ok).toBe(true)
      expect(await app.call('duplicates:groups', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await app.call('duplicates:scan', undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    })
  })
})

describe('the full duplicate scan', () => {
  it('groups pairs, ranks them with their reasons, and leaves out dismissed pairs and the recycle bin', async () => {
    const robert = await create({ firstName: 'Robert', lastName: 'Smith', addresses: at('BA1 1AA') })
    const bob = await create({ firstName: 'Bobby', lastName: 'Smith', addresses: at('ba1 1aa') })
    // A chain: Anna–Ania share a phone, Ania–Anna K. share an email (one archived): one group of three.
    const anna = await create({ firstName: 'Anna', lastName: 'Kowalska', phones: [{ number: '07700 900111' }] })
    const ania = await create({ firstName: 'Ania', lastName: 'Kowalska', phones: [{ number: '+447700900111' }], email: 'ania@example.com' })
    await app.invoke('customers:archive', { id: ania })
    const third = await create({ firstName: 'Anna', lastName: 'Kowalska-Nowak', email: 'ANIA@example.com' })
    // Swapped names sharing a phone.
    const john = await create({ firstName: 'John', lastName: 'Evans', phones: [{ number: '07700 900222' }] })
    const evans = await create({ firstName: 'Evans', lastName: 'John', phones: [{ number: '07700 900222' }] })
    // Dismissed before the scan: not found again.
    const x = await create({ firstName: 'Mary', lastName: 'Clark', addresses: at('EX1 1AA') })
    const y = await create({ firstName: 'Mary', lastName: 'Clark', addresses: at('EX1 1AA') })
    await app.invoke('duplicates:dismiss', { customerId: x, otherIds: [y] })
    // Different people at one postcode are no pair.
    await create({ firstName: 'Peter', lastName: 'Brown', addresses: at('BA1 1AA') })

    const result = await scan()
    expect(result).toMatchObject({ pairs: 4, groups: 3 })
    const page = await app.invoke('duplicates:groups', {})
    expect(page.scannedAt).toBe(result.scannedAt)
    expect(page.totalGroups).toBe(3)
    const groups = page.groups.map((g) => g.customers.map((c) => c.id).sort((a, b) => a - b))
    expect(groups).toContainEqual([robert, bob])
    expect(groups).toContainEqual([anna, ania, third].sort((a, b) => a - b))
    expect(groups).toContainEqual([john, evans])
    // Strongest first; each pair says why.
    expect(page.groups.map((g) => g.score)).toEqual([...page.groups.map((g) => g.score)].sort((a, b) => b - a))
    const reasonsOf = (a: number, b: number) => page.groups.flatMap((g) => g.pairs).find((p) => p.customerA === Math.min(a, b) && p.customerB === Math.max(a, b))?.reasons
    expect(reasonsOf(robert, bob)).toEqual(['name-postcode', 'nickname'])
    expect(reasonsOf(john, evans)).toEqual(['phone', 'swapped'])
    expect(reasonsOf(ania, third)).toContain('email')

    // Dismissing a pair from the groups takes it off at once; a deleted customer's pairs go too.
    await app.invoke('duplicates:dismiss', { customerId: john, otherIds: [evans] })
    await app.invoke('customers:delete', { id: bob })
    const after = await app.invoke('duplicates:groups', {})
    expect(after.totalGroups).toBe(1)
    // Scanning again replaces the findings.
    expect(await scan()).toMatchObject({ pairs: 2, groups: 1 })
  })

  it('pages the groups', async () => {
    for (let i = 0; i < 5; i++) {
      await create({ firstName: 'William', lastName: `Tester${'abcde'[i]}`, addresses: at(`AB${i} 1CD`) })
      await create({ firstName: 'Bill', lastName: `Tester${'abcde'[i]}`, addresses: at(`AB${i}1CD`) })
    }
    await scan()
    const first = await app.invoke('duplicates:groups', { page: 0, pageSize: 2 })
    const third = await app.invoke('duplicates:groups', { page: 2, pageSize: 2 })
    expect(first.groups).toHaveLength(2)
    expect(third.groups).toHaveLength(1)
    expect(first.totalGroups).toBe(5)
  })
})
