import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import type { CustomerDetail, CustomerInput } from '../../preload/contract'
import { createCatalogue } from '../helpers/catalogue'
import { customerInputOf } from '../helpers/customerInput'

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
})
afterEach(async () => {
  await app.cleanup()
})

const ada: CustomerInput = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  company: 'Engines Ltd',
  phones: [{ label: 'mobile', number: '+44 7700 900123', isPrimary: true }],
  addresses: [],
}


const versionOf = async (table: string, id: number) => Number(((await app.db(table).where({ id }).first('version')) as { version: number }).version)

describe('record versions', () => {
  it('starts at 1 and moves on every change of the row, whoever writes it', async () => {
    const created = await app.invoke('customers:create', ada)
    expect(created.version).toBe(1)
    const saved = await app.invoke('customers:update', { id: created.id, customer: customerInputOf(created, { company: 'Analytical' }), version: 1 })
    expect(saved.version).toBe(2)
    const archived = await app.invoke('customers:archive', { id: created.id })
    expect(archived.version).toBe(3)
    // A write that no service made (an import, a merge, a bulk change) moves it too.
    await app.db('customers').where({ id: created.id }).update({ company: 'Elsewhere' })
    expect(await versionOf('customers', created.id)).toBe(4)
  })

  it('leaves the version alone when a save changes nothing', async () => {
    const created = await app.invoke('customers:create', ada)
    const saved = await app.invoke('customers:update', { id: created.id, customer: customerInputOf(created, {}), version: 1 })
    expect(saved.version).toBe(1)
    expect(await versionOf('customers', created.id)).toBe(1)
  })

  it('moves the versions of bookings and notes on their changes', async () => {
    const created = await app.invoke('customers:create', ada)
    const [note] = await app.invoke('notes:add', { customerId: created.id, body: 'First call' })
    expect(await versionOf('notes', note!.id)).toBe(1)
    await app.invoke('notes:update', { id: note!.id, body: 'First call, rang back' })
    expect(await versionOf('notes', note!.id)).toBe(2)
    const catalogue = await createCatalogue(app)
    const { booking } = await app.invoke('bookings:create', {
      customer: { kind: 'existing', id: created.id },
      lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId }],
    })
    const was = await versionOf('bookings', booking.id)
    await app.db('bookings').where({ id: booking.id }).update({ note: 'Bring an apron' })
    expect(await versionOf('bookings', booking.id)).toBe(was + 1)
  })
})

describe('two desks saving the same customer', () => {
  it('refuses the save made from the older copy, naming each field changed meanwhile with who and when', async () => {
    const loaded = await app.invoke('customers:create', ada)
    // The other desk saves first.
    await app.invoke('customers:update', { id: loaded.id, customer: customerInputOf(loaded, { email: 'ada@engines.example', company: 'Engines plc' }), version: loaded.version })
    // This desk, still on the copy it loaded, changed the company and the last name.
    const result = await app.call('customers:update', {
      id: loaded.id,
      customer: customerInputOf(loaded, { company: 'Difference Engines', lastName: 'King' }),
      version: loaded.version,
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('CONFLICT')
    expect(result.error.message).toMatch(/changed .*on another desk/)
    const meanwhile = result.error.changedMeanwhile!
    expect(meanwhile.version).toBe(2)
    expect((meanwhile.current as CustomerDetail).email).toBe('ada@engines.example')
    const byKey = Object.fromEntries(meanwhile.fields.map((f) => [f.key, f]))
    expect(Object.keys(byKey).sort()).toEqual(['company', 'displayName', 'email', 'lastName'])
    expect(byKey['company']).toMatchObject({ field: 'Company', theirs: 'Engines plc', yours: 'Difference Engines', by: expect.any(String) })
    expect(byKey['company']!.at).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(byKey['email']).toMatchObject({ theirs: 'ada@engines.example', yours: 'ada@example.com' })
    // Only the last name is untouched by the other desk: its change log names no one for it but the creation.
    expect(byKey['lastName']).toMatchObject({ theirs: 'Lovelace', yours: 'King' })
    // Nothing of the refused save was written.
    const now = await app.invoke('customers:get', { id: loaded.id })
    expect(now).toMatchObject({ company: 'Engines plc', lastName: 'Lovelace', version: 2 })

    // Choosing per field (their email, this desk's company and name) and saving against the version now: both kept.
    const chosen = await app.invoke('customers:update', {
      id: loaded.id,
      customer: customerInputOf(now, { company: 'Difference Engines', lastName: 'King' }),
      version: meanwhile.version,
    })
    expect(chosen).toMatchObject({ email: 'ada@engines.example', company: 'Difference Engines', lastName: 'King', version: 3 })
  })

  it('still saves without a version (callers that do not check)', async () => {
    const loaded = await app.invoke('customers:create', ada)
    await app.invoke('customers:update', { id: loaded.id, customer: customerInputOf(loaded, { company: 'A' }) })
    const saved = await app.invoke('customers:update', { id: loaded.id, customer: customerInputOf(loaded, { company: 'B' }) })
    expect(saved.company).toBe('B')
  })
})

describe('two desks editing the same note', () => {
  it('refuses the edit made from the older copy, with both texts, and saves on the version now', async () => {
    const created = await app.invoke('customers:create', ada)
    const [loaded] = await app.invoke('notes:add', { customerId: created.id, body: 'Prefers mornings' })
    await app.invoke('notes:update', { id: loaded!.id, body: 'Prefers mornings, not Mondays', version: loaded!.version })
    const result = await app.call('notes:update', { id: loaded!.id, body: 'Prefers mornings; pays cash', pinned: true, version: loaded!.version })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('CONFLICT')
    const meanwhile = result.error.changedMeanwhile!
    expect(meanwhile.version).toBe(2)
    expect(meanwhile.fields.map((f) => f.key)).toEqual(['body', 'pinned'])
    expect(meanwhile.fields[0]).toMatchObject({ field: 'Note', theirs: 'Prefers mornings, not Mondays', yours: 'Prefers mornings; pays cash', by: 'Administrator' })
    const [kept] = await app.invoke('notes:list', { customerId: created.id })
    expect(kept).toMatchObject({ body: 'Prefers mornings, not Mondays', pinned: false, version: 2 })
    const [saved] = await app.invoke('notes:update', { id: loaded!.id, body: 'Prefers mornings, not Mondays; pays cash', pinned: true, version: meanwhile.version })
    expect(saved).toMatchObject({ body: 'Prefers mornings, not Mondays; pays cash', pinned: true, version: 3 })
  })
})
