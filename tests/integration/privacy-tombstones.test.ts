import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import { findTombstone, writeTombstones } from '../../main/services/privacy/tombstones'
import { runImport } from '../../main/services/imports'
import { NO_PROGRESS } from '../../main/services/progress'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import type { ErasureResult } from '../../preload/contract'
import { onPostgres } from '../helpers/testDatabase'

/*
 * Tombstones: an erased person's email and phones are remembered by keyed
 * hash only, and a later create, edit, new caller or import of the same
 * contact is refused ("erased on DATE") until the desk confirms it.
 */

let app: TestCore
let cat: TestCatalogue
let dir: string
const ERASED = { email: 'Wilhelmina.Fairweather@example.net', phone: '07700 900777' }
let erasedOn = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-tombstones-'))
  app = await openTestCore()
  cat = await createCatalogue(app)
  const person = await app.invoke('customers:create', {
    firstName: 'Wilhelmina',
    lastName: 'Fairweather',
    email: ERASED.email,
    phones: [{ number: ERASED.phone }],
  })
  const erased = await app.runJob<ErasureResult>('privacy:erase', { customerId: person.id, confirm: person.number })
  erasedOn = new Date(erased.erasedAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
})

afterAll(async () => {
  await app.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

describe('tombstones', () => {
  it('find an erased email or phone by its keyed hash, however it is typed, and hold no value', async () => {
    const db = app.db
    expect(await findTombstone(db, { email: 'someone.else@example.com', phones: ['07700 900124', 'not a phone'] })).toBeNull()
    await db.transaction((trx) => writeTombstones(trx, { email: 'Ada@Example.com ', phones: ['+44 7700 900123'] }, '2026-12-02T10:00:00.000Z'))
    expect(await findTombstone(db, { email: ' ADA@example.COM' })).toEqual({ erasedAt: '2026-12-02T10:00:00.000Z', kind: 'email' })
    expect(await findTombstone(db, { phones: ['07700 900123'] })).toEqual({ erasedAt: '2026-12-02T10:00:00.000Z', kind: 'phone' })
    expect(await findTombstone(db, { phones: ['+447700900123'] })).not.toBeNull()
    const rows = (await db('tombstones').select('kind', 'key_hash')) as Array<{ kind: string; key_hash: string }>
    expect(rows.length).toBeGreaterThanOrEqual(4)
    for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/)
    // The bytes are the file's on SQLite; a server keeps its own storage.
    if (onPostgres) return
    const bytes = readFileSync(app.dataFile)
    for (const value of ['wilhelmina', 'Wilhelmina', '7700900777']) expect(bytes.includes(Buffer.from(value))).toBe(false)
  })

  it('refuse a new customer with an erased email or phone until the desk confirms it', async () => {
    const byEmail = await app.call('customers:create', { firstName: 'Mina', email: ERASED.email.toUpperCase() })
    expect(byEmail).toMatchObject({ ok: false, error: { code: 'ERASED', field: 'email', message: `This email belongs to someone whose data was erased on ${erasedOn}. Tick the confirmation if this is meant, e.g. they have come back and asked to be added again.` } })
    const byPhone = await app.call('customers:create', { firstName: 'Mina', phones: [{ number: '+44 7700 900777' }] })
    expect(byPhone).toMatchObject({ ok: false, error: { code: 'ERASED', field: 'phones.0.number' } })
    // All contacts are looked up at once; the refusal still names the one that matched.
    const secondPhone = await app.call('customers:create', {
      firstName: 'Mina',
      email: 'mina.new@example.com',
      phones: [{ number: '07700 900124' }, { number: '07700 900777' }],
    })
    expect(secondPhone).toMatchObject({ ok: false, error: { code: 'ERASED', field: 'phones.1.number' } })
    const confirmed = await app.invoke('customers:create', { firstName: 'Mina', lastName: 'Back', email: ERASED.email, confirmErased: true })
    expect(confirmed.email).toBe(ERASED.email)
    // Editing that record without touching the email is not asked again; archiving frees the email for the next test.
    await app.invoke('customers:update', { id: confirmed.id, customer: { firstName: 'Mina', lastName: 'Back again', email: ERASED.email } })
    await app.invoke('customers:archive', { id: confirmed.id })
  })

  it('refuse changing a customer to an erased email or phone until confirmed', async () => {
    const someone = await app.invoke('customers:create', { firstName: 'Other', lastName: 'Person', email: 'other.person@example.com' })
    const refused = await app.call('customers:update', { id: someone.id, customer: { firstName: 'Other', lastName: 'Person', email: ERASED.email } })
    expect(refused).toMatchObject({ ok: false, error: { code: 'ERASED', field: 'email' } })
    const phone = await app.call('customers:update', { id: someone.id, customer: { firstName: 'Other', lastName: 'Person', email: 'other.person@example.com', phones: [{ number: ERASED.phone }] } })
    expect(phone).toMatchObject({ ok: false, error: { code: 'ERASED', field: 'phones.0.number' } })
    const done = await app.invoke('customers:update', {
      id: someone.id,
      customer: { firstName: 'Other', lastName: 'Person', email: 'other.person@example.com', phones: [{ number: ERASED.phone }] },
      confirmErased: true,
    })
    expect(done.phones[0]?.e164).toBe('+447700900777')
  })

  it('refuse a new caller on a booking until confirmed', async () => {
    const lines = [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 1 }]
    const caller = { kind: 'caller' as const, firstName: 'Wil', lastName: 'Fair', email: 'wil.fair.new@example.net', phone: '07700 900777', newCustomer: true }
    const refused = await app.call('bookings:create', { customer: caller, lines })
    expect(refused).toMatchObject({ ok: false, error: { code: 'ERASED', field: 'customer.phone', message: expect.stringContaining(`erased on ${erasedOn}`) } })
    const booked = await app.invoke('bookings:create', { customer: { ...caller, confirmErased: true }, lines })
    expect(booked.customerCreated).toBe(true)
  })

  it('refuse import rows of erased people with the reason, unless the import includes them', async () => {
    // Someone erased whose email nobody has taken since.
    await app.db.transaction((trx) => writeTombstones(trx, { email: 'ghost@example.net' }, '2026-11-20T09:00:00.000Z'))
    const file = join(dir, 'people.csv')
    writeFileSync(file, `First name,Last name,Email\nGhost,Person,Ghost@Example.net\nNew,Person,new.person.import@example.com\n`)
    const ctx = { db: app.db, staff: BUILT_IN_ADMIN, clock: () => new Date() }
    const run = (includeErased: boolean, name: string) =>
      runImport(ctx, { file, sheet: null, mapping: null, match: 'create', rejectsFile: join(dir, `${name}.csv`), includeErased }, NO_PROGRESS)
    const first = await run(false, 'rejects-1')
    expect(first).toMatchObject({ created: 1, rejected: 1 })
    expect(first.rejects[0]).toEqual({ line: 2, reason: 'This email belongs to someone whose data was erased on 20 Nov 2026; import again with “Include erased people” to add them anyway.' })
    expect(readFileSync(join(dir, 'rejects-1.csv'), 'utf8')).toContain('erased on 20 Nov 2026')
    const again = await run(true, 'rejects-2')
    expect(again).toMatchObject({ rejected: 0 })
    expect(again.created).toBeGreaterThanOrEqual(1)
  })
})
