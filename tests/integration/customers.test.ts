import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { CALLER_MATCHES, type CustomerInput } from '../../preload/contract'
import { apiErrorOf } from '../../main/services/errors'

let app: TestCore
beforeEach(async () => {
  app = await openTestCore()
})
afterEach(async () => {
  await app.cleanup()
})

const zoe: CustomerInput = {
  firstName: 'Zoë',
  lastName: 'Müller',
  email: 'zoe.muller@example.com',
  phones: [{ label: 'mobile', number: '+44 7700 900123', isPrimary: true }],
  addresses: [{ label: 'home', line1: '1 High Street', city: 'London', postcode: 'SW1A 1AA', country: 'gb' }],
}

async function countRows(table: string): Promise<number> {
  const [row] = (await app.db(table).count({ n: '*' })) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

describe('creating a customer', () => {
  it('assigns a number, derives the display name and normalises phones', async () => {
    const created = await app.invoke('customers:create', zoe)
    expect(created.number).toBe('C-000001')
    expect(created.displayName).toBe('Zoë Müller')
    expect(created.displayNameIsCustom).toBe(false)
    expect(created.phones).toEqual([
      expect.objectContaining({ number: '+44 7700 900123', e164: '+447700900123', isPrimary: true, label: 'mobile' }),
    ])
    expect(created.addresses[0]).toMatchObject({ country: 'GB', isDefaultLetters: true, isDefaultService: true })
    expect(created.status).toBe('active')
  })

  it('keeps a display name that was set by hand', async () => {
    const created = await app.invoke('customers:create', { ...zoe, displayName: 'Dr Zoë M.' })
    expect(created.displayName).toBe('Dr Zoë M.')
    const updated = await app.invoke('customers:update', { id: created.id, customer: { ...zoe, firstName: 'Zoe', displayName: 'Dr Zoë M.' } })
    expect(updated.displayName).toBe('Dr Zoë M.')
  })

  it('reads national numbers in the default country and keeps exactly one primary phone', async () => {
    const created = await app.invoke('customers:create', {
      firstName: 'Ann',
      phones: [
        { label: 'home', number: '020 7946 0018', isPrimary: false },
        { label: 'mobile', number: '07700 900456', isPrimary: true },
        { label: 'work', number: '0044 20 7946 0999', isPrimary: true },
      ],
    })
    expect(created.phones.map((p) => p.e164)).toEqual(['+442079460018', '+447700900456', '+442079460999'])
    expect(created.phones.map((p) => p.isPrimary)).toEqual([false, true, false])
  })

  it('answers with the record exactly as it is then read back, contacts in the order given', async () => {
    const created = await app.invoke('customers:create', {
      ...zoe,
      company: 'Müller & Co',
      phones: [
        { label: 'work', number: '020 7946 0018', isPrimary: false },
        { label: 'mobile', number: '07700 900456', isPrimary: true },
        { label: 'home', number: '0117 496 0123', isPrimary: false },
      ],
      addresses: [
        { label: 'work', line1: '9 Market Street', city: 'Bath', postcode: 'BA1 1AA', country: 'gb' },
        { label: 'home', line1: '1 High Street', city: 'London', postcode: 'SW1A 1AA', country: 'gb' },
      ],
    })
    expect(created.phones.map((p) => p.label)).toEqual(['work', 'mobile', 'home'])
    expect(created.addresses.map((a) => a.label)).toEqual(['work', 'home'])
    expect(await app.invoke('customers:get', { id: created.id })).toMatchObject(created)
    const { tags, groups, ...record } = created
    expect({ tags, groups }).toEqual({ tags: [], groups: [] })
    expect(JSON.parse(JSON.stringify(await app.invoke('customers:get', { id: created.id })))).toMatchObject(JSON.parse(JSON.stringify(record)))
  })

  it('reads a record back with its contacts in their places and its tags and groups by name, in one read on either engine', async () => {
    const created = await app.invoke('customers:create', {
      ...zoe,
      phones: [
        { label: 'work', number: '020 7946 0018', isPrimary: true },
        { label: 'home', number: '0117 496 0123', isPrimary: false },
      ],
      addresses: [
        { label: 'work', line1: '9 Market Street', city: 'Bath', postcode: 'BA1 1AA', country: 'gb' },
        { label: 'home', line1: '1 High Street', city: 'London', postcode: 'SW1A 1AA', country: 'gb' },
      ],
    })
    // Places swapped behind the desk's back: the read follows the places, not the order rows were written in.
    for (const table of ['phones', 'addresses']) {
      await app.db(table).where({ customer_id: created.id }).update({ position: app.db.raw('1 - position') })
    }
    const at = new Date().toISOString()
    const tagIds = await app.db('tags').insert([{ name: 'Zumba', name_normalized: 'zumba', color: '#ff0000', created_at: at }, { name: 'Aqua', name_normalized: 'aqua', color: null, created_at: at }]).returning('id')
    const groupIds = await app.db('customer_groups').insert([{ name: 'Yoga club', name_normalized: 'yoga club', created_at: at }, { name: 'Book club', name_normalized: 'book club', created_at: at }]).returning('id')
    const idOf = (row: unknown) => Number(typeof row === 'object' ? (row as { id: number }).id : row)
    await app.db('customer_tags').insert(tagIds.map((t) => ({ customer_id: created.id, tag_id: idOf(t), created_at: at })))
    await app.db('customer_group_members').insert(groupIds.map((g) => ({ customer_id: created.id, group_id: idOf(g), created_at: at })))

    const read = await app.invoke('customers:get', { id: created.id })
    expect(read.phones.map((p) => [p.label, p.isPrimary, p.e164])).toEqual([
      ['home', false, '+441174960123'],
      ['work', true, '+442079460018'],
    ])
    expect(read.addresses.map((a) => [a.label, a.line1, a.isDefaultLetters])).toEqual([
      ['home', '1 High Street', false],
      ['work', '9 Market Street', true],
    ])
    expect(read.phones.every((p) => typeof p.id === 'number')).toBe(true)
    expect(read.tags).toEqual([
      { id: idOf(tagIds[1]), name: 'Aqua', color: null },
      { id: idOf(tagIds[0]), name: 'Zumba', color: '#ff0000' },
    ])
    expect(read.groups).toEqual([
      { id: idOf(groupIds[1]), name: 'Book club' },
      { id: idOf(groupIds[0]), name: 'Yoga club' },
    ])
    await expect(app.invoke('customers:get', { id: created.id + 1000 })).rejects.toThrow(/C-001\d{3} does not exist/)
  })

  it('needs a name or a company', async () => {
    const result = await app.call('customers:create', { email: 'nobody@example.com' })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'firstName' } })
    expect(await countRows('customers')).toBe(0)
  })

  it('allows a customer without email (walk-ins) and several of them', async () => {
    await app.invoke('customers:create', { firstName: 'Walk', lastName: 'In' })
    await app.invoke('customers:create', { firstName: 'Phone', lastName: 'Booking' })
    expect(await countRows('customers')).toBe(2)
  })

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: 'a@b' }],
    ['email', { email: 'x'.repeat(250) + '@example.com' }],
    ['phones.0.number', { phones: [{ number: 'call me maybe' }] }],
    ['phones.0.number', { phones: [{ number: '12' }] }],
    ['phones.1.number', { phones: [{ number: '07700 900123' }, { number: '+44 7700 900123' }] }],
    ['addresses.0.country', { addresses: [{ line1: 'x', country: 'Britain' }] }],
    ['addresses.0.line1', { addresses: [{ label: 'home' }] }],
    ['firstName', { firstName: 'x'.repeat(101) }],
    ['phones.0.label', { phones: [{ number: '07700 900123', label: 'fax' }] }],
  ] as Array<[string, Partial<CustomerInput>]>)('refuses bad input in %s with a readable message and writes nothing', async (field, patch) => {
    const result = await app.call('customers:create', { ...zoe, ...patch } as CustomerInput)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('VALIDATION')
    expect(result.error.fields?.[field]).toMatch(/\w/)
    expect(result.error.message).not.toMatch(/at \w+ \(|Error:/)
    expect(await countRows('customers')).toBe(0)
    expect(await countRows('change_log')).toBe(0)
  })
})

describe('one email, one live customer', () => {
  it.each(['ZOE.MULLER@EXAMPLE.COM', '  zoe.muller@example.com  ', ' Zoe.Muller@Example.Com\t'])(
    'refuses %j because another customer has it, naming that customer',
    async (email) => {
      const first = await app.invoke('customers:create', zoe)
      const result = await app.call('customers:create', { firstName: 'Other', email })
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', field: 'email', existing: { id: first.id, number: 'C-000001', displayName: 'Zoë Müller' } },
      })
      expect(await countRows('customers')).toBe(1)
    },
  )

  it('refuses editing into another customer’s email but allows changing the case of one’s own', async () => {
    await app.invoke('customers:create', zoe)
    const bob = await app.invoke('customers:create', { firstName: 'Bob', email: 'bob@example.com' })
    const clash = await app.call('customers:update', { id: bob.id, customer: { firstName: 'Bob', email: 'Zoe.Muller@example.com' } })
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT', existing: { id: 1 } } })
    expect((await app.invoke('customers:get', { id: bob.id })).email).toBe('bob@example.com')
    const recased = await app.invoke('customers:update', { id: bob.id, customer: { firstName: 'Bob', email: 'BOB@example.com' } })
    expect(recased.email).toBe('BOB@example.com')
  })

  it('lets an archived customer’s email be reused, and refuses to unarchive into a clash', async () => {
    const first = await app.invoke('customers:create', zoe)
    await app.invoke('customers:archive', { id: first.id })
    const second = await app.invoke('customers:create', { firstName: 'New', email: 'zoe.muller@example.com' })
    expect(second.id).toBe(2)
    const result = await app.call('customers:unarchive', { id: first.id })
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', existing: { id: second.id } } })
    expect((await app.invoke('customers:get', { id: first.id })).status).toBe('archived')
  })

  it('is kept by the database itself: a second live record with the email is refused even when written past the desk’s check', async () => {
    const first = await app.invoke('customers:create', zoe)
    const { id: _id, ...row } = (await app.db('customers').where({ id: first.id }).first()) as Record<string, unknown>
    const refusal = await app.db('customers').insert({ ...row, first_name: 'Other', status: 'blocked' }).catch((error: unknown) => error)
    expect(String(refusal)).toMatch(/customers\.email_normalized|customers_live_email/)
    // The desk reads why, as it would from its own check.
    expect(apiErrorOf(refusal)).toMatchObject({ expected: true, error: { code: 'CONFLICT', field: 'email' } })
    // History may share it: an archived record with the same email is allowed.
    await app.db('customers').insert({ ...row, first_name: 'Earlier', status: 'archived' })
    expect(await countRows('customers')).toBe(2)
  })

  it('blocked customers keep their email to themselves', async () => {
    const first = await app.invoke('customers:create', zoe)
    await app.invoke('customers:block', { id: first.id, reason: 'Unpaid balance' })
    expect(await app.call('customers:create', { firstName: 'X', email: zoe.email })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
  })
})

describe('status: archive, block', () => {
  it('moves a customer between tabs, keeps the counts right and logs every step', async () => {
    const c = await app.invoke('customers:create', zoe)
    await app.invoke('customers:create', { firstName: 'Other' })
    expect(await app.invoke('customers:counts', {})).toEqual({ active: 2, archived: 0, blocked: 0, capped: false })

    await app.invoke('customers:archive', { id: c.id })
    expect(await app.invoke('customers:counts', {})).toMatchObject({ active: 1, archived: 1 })
    expect((await app.invoke('customers:list', { tab: 'archived' })).rows.map((r) => r.id)).toEqual([c.id])
    expect((await app.invoke('customers:list', { tab: 'active', search: 'zoe' })).rows).toEqual([])
    expect((await app.invoke('customers:list', { tab: 'archived', search: 'zoe' })).rows.map((r) => r.id)).toEqual([c.id])

    await app.invoke('customers:unarchive', { id: c.id })
    const blocked = await app.invoke('customers:block', { id: c.id, reason: 'Repeated no-shows' })
    expect(blocked).toMatchObject({ status: 'blocked', statusReason: 'Repeated no-shows' })
    expect(await app.invoke('customers:counts', {})).toMatchObject({ active: 1, archived: 0, blocked: 1 })
    const unblocked = await app.invoke('customers:unblock', { id: c.id })
    expect(unblocked).toMatchObject({ status: 'active', statusReason: '' })

    const actions = (await app.invoke('customers:changes', { id: c.id })).map((e) => e.action)
    expect(actions).toEqual(['customer.unblocked', 'customer.blocked', 'customer.unarchived', 'customer.archived', 'customer.created'])
  })

  it('refuses a block without a reason and impossible transitions', async () => {
    const c = await app.invoke('customers:create', zoe)
    expect(await app.call('customers:block', { id: c.id, reason: '   ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason' } })
    expect(await app.call('customers:unblock', { id: c.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('customers:unarchive', { id: c.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await app.call('customers:archive', { id: 999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('the change log', () => {
  it('records who changed what, before and after, and nothing when nothing changed', async () => {
    const c = await app.invoke('customers:create', zoe)
    await app.invoke('customers:update', { id: c.id, customer: zoe })
    await app.invoke('customers:update', {
      id: c.id,
      customer: { ...zoe, email: 'zoe@example.org', phones: [...(zoe.phones ?? []), { label: 'work', number: '020 7946 0018' }] },
    })
    const entries = await app.invoke('customers:changes', { id: c.id })
    expect(entries.map((e) => e.action)).toEqual(['customer.updated', 'customer.created'])
    const [update] = entries
    expect(update).toMatchObject({ staffName: 'Administrator' })
    expect(update!.changes).toEqual([
      { field: 'Email', before: 'zoe.muller@example.com', after: 'zoe@example.org' },
      { field: 'Phones', before: 'mobile: +44 7700 900123 (primary)', after: 'mobile: +44 7700 900123 (primary); work: 020 7946 0018' },
    ])
  })

  it('cannot be rewritten', async () => {
    await app.invoke('customers:create', zoe)
    await expect(app.db('change_log').update({ summary: 'forged' })).rejects.toThrow(/append-only/)
    await expect(app.db('change_log').delete()).rejects.toThrow(/append-only/)
  })
})

describe('editing contact details', () => {
  it('updates phones and addresses in place, adds and removes them', async () => {
    const c = await app.invoke('customers:create', zoe)
    const phoneId = c.phones[0]!.id
    const updated = await app.invoke('customers:update', {
      id: c.id,
      customer: {
        ...zoe,
        phones: [
          { id: phoneId, label: 'home', number: '+44 7700 900123' },
          { label: 'mobile', number: '07700 900999', isPrimary: true },
        ],
        addresses: [],
      },
    })
    expect(updated.phones[0]).toMatchObject({ id: phoneId, label: 'home', isPrimary: false })
    expect(updated.phones[1]).toMatchObject({ e164: '+447700900999', isPrimary: true })
    expect(updated.addresses).toEqual([])
    expect((await app.invoke('customers:list', { search: '900999' })).rows.map((r) => r.id)).toEqual([c.id])
    expect((await app.invoke('customers:list', { search: 'sw1a' })).rows).toEqual([])
  })

  it('answers a save with the record exactly as it is then read back: contacts kept, changed, moved, added and removed', async () => {
    const c = await app.invoke('customers:create', {
      ...zoe,
      phones: [
        { label: 'work', number: '020 7946 0018' },
        { label: 'mobile', number: '07700 900456', isPrimary: true },
        { label: 'home', number: '0117 496 0123' },
      ],
      addresses: [
        { label: 'work', line1: '9 Market Street', city: 'Bath', postcode: 'BA1 1AA', country: 'gb' },
        { label: 'home', line1: '1 High Street', city: 'London', postcode: 'SW1A 1AA', country: 'gb' },
      ],
    })
    const [work, mobile] = c.phones
    const updated = await app.invoke('customers:update', {
      id: c.id,
      version: c.version,
      customer: {
        ...zoe,
        lastName: 'Müller-Smythe',
        phones: [
          { label: 'other', number: '01632 960001' },
          { id: mobile!.id, label: 'mobile', number: '07700 900456', isPrimary: true },
          { id: work!.id, label: 'work', number: '020 7946 0019' },
        ],
        addresses: [{ id: c.addresses[1]!.id, label: 'home', line1: '1 High Street', line2: 'Flat 2', city: 'London', postcode: 'SW1A 1AA', country: 'gb' }],
      },
    })
    expect(updated.phones.map((p) => [p.label, p.number])).toEqual([
      ['other', '01632 960001'],
      ['mobile', '07700 900456'],
      ['work', '020 7946 0019'],
    ])
    expect(updated.version).toBe(c.version + 1)
    expect(JSON.parse(JSON.stringify(await app.invoke('customers:get', { id: c.id })))).toMatchObject(JSON.parse(JSON.stringify(updated)))
  })

  it('refuses phone ids that belong to another customer and leaves both untouched', async () => {
    const a = await app.invoke('customers:create', zoe)
    const b = await app.invoke('customers:create', { firstName: 'B', phones: [{ number: '07700 900777' }] })
    const result = await app.call('customers:update', {
      id: a.id,
      customer: { ...zoe, lastName: 'Changed', phones: [{ id: b.phones[0]!.id, number: '07700 900111' }] },
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'phones.0.id' } })
    expect((await app.invoke('customers:get', { id: a.id })).lastName).toBe('Müller')
    expect((await app.invoke('customers:get', { id: b.id })).phones[0]!.number).toBe('07700 900777')
  })
})

describe('caller look-up', () => {
  const callerOf = async (search: string, paging: { after?: string } = {}) => (await app.invoke('customers:list', { search, ...paging })).caller

  it('comes with the first page of a search that is a phone number, whatever its format', async () => {
    const c = await app.invoke('customers:create', zoe)
    for (const typed of ['07700 900123', '+447700900123', '0044 7700 900 123', '(07700) 900-123']) {
      expect((await callerOf(typed))?.matches.map((r) => r.id)).toEqual([c.id])
    }
    // A whole number nobody has: named, so the desk can create a customer with it.
    expect(await callerOf('07700 900124')).toEqual({ number: '+44 7700 900124', matches: [], more: false })
    // Digits that are not a whole number: nobody is the caller, though the list finds digit fragments.
    const fragment = await app.invoke('customers:list', { search: '7700 9001' })
    expect(fragment.caller).toEqual({ number: null, matches: [], more: false })
    expect(fragment.rows.map((r) => r.id)).toEqual([c.id])
    // The first digits of a longer number, typed as the desk types a caller's number in: not yet a number to create a customer with.
    for (const partial of ['07700 900', '07700 9001', '020 7946 001']) {
      expect(await callerOf(partial), partial).toEqual({ number: null, matches: [], more: false })
    }
    // Whole as soon as no digit can follow: a drama number (possible, not in service) and a short freephone number (valid).
    expect((await callerOf('07700 900999'))?.number).toBe('+44 7700 900999')
    expect((await callerOf('0800 1111'))?.number).toBe('+44 800 1111')
    // Not a number at all, or too short to be one: no look-up.
    expect(await callerOf('hello')).toBeNull()
    expect(await callerOf('7700')).toBeNull()
    expect(await callerOf('')).toBeNull()
  })

  it('leaves out customers in the recycle bin: their number is free to create a customer with', async () => {
    const binned = await app.invoke('customers:create', { firstName: 'Binned', lastName: 'Person', phones: [{ number: '07911 123456' }] })
    expect((await callerOf('07911 123456'))?.matches.map((r) => r.id)).toEqual([binned.id])
    await app.invoke('customers:delete', { id: binned.id })
    expect(await callerOf('07911 123456')).toEqual({ number: '+44 7911 123456', matches: [], more: false })
  })

  it('is not looked up again for the pages further on', async () => {
    for (let i = 0; i < 3; i++) await app.invoke('customers:create', { firstName: `Caller${i}`, phones: [{ number: '07700 900555' }] })
    const first = await app.invoke('customers:list', { search: '07700 900555', pageSize: 2 })
    expect(first.caller).toMatchObject({ matches: [expect.anything(), expect.anything(), expect.anything()], more: false })
    expect(await callerOf('07700 900555', { after: first.nextCursor! })).toBeNull()
  })

  it('lists the first customers of a number many share, and says there are more', async () => {
    for (let i = 0; i <= CALLER_MATCHES; i++) await app.invoke('customers:create', { firstName: `Switchboard${i}`, phones: [{ number: '020 7946 0000' }] })
    const caller = await callerOf('020 7946 0000')
    expect(caller?.matches).toHaveLength(CALLER_MATCHES)
    expect(caller?.more).toBe(true)
    // The newest first: the one added last is listed, the first one added is not.
    expect(caller?.matches.map((m) => m.displayName)).toContain(`Switchboard${CALLER_MATCHES}`)
    expect(caller?.matches.map((m) => m.displayName)).not.toContain('Switchboard0')
  })
})

describe('settings', () => {
  it('reads national numbers in the configured country', async () => {
    await app.invoke('settings:update', { defaultCountry: 'us' })
    const c = await app.invoke('customers:create', { firstName: 'Sam', phones: [{ number: '(202) 555-0143' }] })
    expect(c.phones[0]!.e164).toBe('+12025550143')
    expect(await app.call('settings:update', { defaultCountry: 'Narnia' })).toMatchObject({ ok: false, error: { field: 'defaultCountry' } })
    expect(await app.invoke('settings:get', undefined)).toMatchObject({ defaultCountry: 'US' })
  })
})
