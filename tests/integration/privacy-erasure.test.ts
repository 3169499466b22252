import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Knex } from 'knex'
import { allRows } from '../../db/queries/customerList'
import { openTestCore, type TestCore } from '../helpers/core'
import { createCatalogue } from '../helpers/catalogue'
import { problemsIn } from '../helpers/fileChecks'
import { verifyChangeChain } from '../../db/changeChain'
import { verifyChangeChainOf } from '../../db/changeChainCheck'
import { onPostgres } from '../helpers/testDatabase'
import type { ErasureResult } from '../../preload/contract'

/*
 * Erasure as the desk does it: a person with everything a record can hold is
 * erased; their bookings and money stay under "Erased customer", their
 * change-log entries remain with the personal values redacted and the chain
 * still verifies, and none of their strings is left in the bytes of the
 * database file or its write-ahead log. Removing someone for good from the
 * recycle bin leaves the file as clean.
 */

const root = join(__dirname, '..', '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const cli = join(root, 'main', 'cli', 'index.ts')

/** Strings of the person that must not survive anywhere in the file; each distinctive enough to grep. */
const PERSON = {
  firstName: 'Zenobia',
  lastName: 'Quartermaine',
  email: 'zenobia.quartermaine@example.org',
  phone: '07700 913847',
  line1: '17 Wistful Vista Lane',
  postcode: 'YO31 7QX',
  note: 'Prefers the window seat by the heron pond',
  company: 'Quartermaine Kilns',
  custom: 'Otterhound named Pemberton',
}

let app: TestCore | undefined
afterEach(async () => {
  await app?.cleanup()
  app = undefined
})

/** Erases through the desk's channel: a job in the worker, followed to its end. */
async function erase(core: TestCore, customerId: number, confirm: string): Promise<ErasureResult> {
  return core.runJob<ErasureResult>('privacy:erase', { customerId, confirm })
}

/** A customer with every kind of personal data, a booking paid in part, and a second customer who must stay untouched. */
async function seedPerson(core: TestCore) {
  const cat = await createCatalogue(core)
  const person = await core.invoke('customers:create', {
    firstName: PERSON.firstName,
    lastName: PERSON.lastName,
    email: PERSON.email,
    company: PERSON.company,
    phones: [{ number: PERSON.phone, label: 'mobile', isPrimary: true }],
    addresses: [{ line1: PERSON.line1, city: 'York', postcode: PERSON.postcode, country: 'GB' }],
  })
  await core.invoke('customers:update', {
    id: person.id,
    customer: {
      firstName: PERSON.firstName,
      lastName: PERSON.lastName,
      email: PERSON.email,
      company: PERSON.company,
      phones: person.phones.map((p) => ({ id: p.id, number: p.number, label: p.label, isPrimary: p.isPrimary })),
      addresses: person.addresses.map((a) => ({ ...a })),
      displayName: `${PERSON.firstName} Q.`,
    },
  })
  await core.invoke('notes:add', { customerId: person.id, body: PERSON.note })
  const [field] = await core.invoke('customFields:save', { label: 'Dog', type: 'text' })
  await core.invoke('customers:setCustomFields', { id: person.id, values: { [String(field!.id)]: PERSON.custom } })
  await core.invoke('customers:addTag', { customerId: person.id, name: 'Regulars' })
  await core.invoke('customers:setPreferences', { id: person.id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Yes to the newsletter' })
  await core.invoke('paymentMethods:add', { customerId: person.id, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2099 })
  const { booking } = await core.invoke('bookings:create', {
    customer: { kind: 'existing', id: person.id },
    lines: [{ sessionId: cat.yoga.sessionId, priceOptionId: cat.yoga.adultOptionId, quantity: 2 }],
    payment: { amountMinor: 1000, method: 'card' },
    note: `Call ${PERSON.firstName} on arrival`,
  })
  const other = await core.invoke('customers:create', { firstName: 'Other', lastName: 'Person', email: 'other@example.com' })
  return { person, booking, other, cat }
}

const moneyTotals = async (db: Knex) =>
  allRows(
    await db.raw(
      `SELECT measure, key, sum(n) AS n FROM report_totals WHERE measure NOT IN ('customers', 'tag', 'group') GROUP BY measure, key HAVING sum(n) <> 0 ORDER BY measure, key`,
    ),
  )

/** Every personal string, searched in the file and its write-ahead log as bytes (UTF-8, and folded lower case as the search index holds it). */
function leftovers(file: string): string[] {
  const bytes = Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)])
  const found: string[] = []
  const digits = PERSON.phone.replace(/\D/g, '')
  const needles = [...Object.values(PERSON), PERSON.firstName.toLowerCase(), PERSON.lastName.toLowerCase(), PERSON.email.toLowerCase(), '7700913847', digits, 'heron pond', 'wistful']
  for (const needle of needles) if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(needle)
  return found
}

describe('erasure', () => {
  it('anonymises the person, keeps bookings and money under "Erased customer", and redacts their change-log entries', async () => {
    app = await openTestCore()
    const { person, booking, other } = await seedPerson(app)
    const file = app.dataFile
    const totalsBefore = await moneyTotals(app.db)
    // The bytes of the data are the file's on SQLite; a server keeps its own storage.
    if (!onPostgres) expect(leftovers(file).length).toBeGreaterThan(0)

    const preview = await app.invoke('privacy:erasePreview', { customerId: person.id })
    expect(preview.removed.map((r) => r.label)).toEqual(expect.arrayContaining(['Phone numbers', 'Addresses', 'Notes', 'Custom field values', 'Tags']))
    expect(preview.kept.find((k) => k.label.startsWith('Bookings'))?.count).toBe(1)
    expect(preview.confirmWith).toBe(person.number)

    await expect(erase(app, person.id, 'C-999999')).rejects.toThrow(/Type the customer number/)
    const started = Date.now()
    const result = await erase(app, person.id, person.number.toLowerCase())
    console.log(`erasure took ${Date.now() - started} ms (redacted ${result.redactedEntries} entries)`)
    expect(result).toMatchObject({ customerId: person.id, tombstones: 2, checkpointed: true })
    expect(result.redactedEntries).toBeGreaterThan(3)

    const record = await app.invoke('customers:get', { id: person.id })
    expect(record).toMatchObject({ displayName: 'Erased customer', firstName: '', lastName: '', email: '', company: '', status: 'archived', phones: [], addresses: [], tags: [] })
    const kept = await app.invoke('bookings:get', { id: booking.id })
    expect(kept).toMatchObject({ totalMinor: booking.totalMinor, paidMinor: 1000 })
    expect(kept.customer?.id).toBe(person.id)
    for (const table of ['notes', 'phones', 'addresses', 'customer_custom_values', 'customer_tags', 'payment_methods', 'consent_events']) {
      expect({ table, n: (await app.db(table).where({ customer_id: person.id }).count({ n: '*' }))[0] }).toEqual({ table, n: { n: 0 } })
    }
    // The other customer is as they were.
    expect(await app.invoke('customers:get', { id: other.id })).toMatchObject({ firstName: 'Other', email: 'other@example.com' })

    // The entries remain; their values are redacted; the chain verifies.
    const history = (await app.db('change_log').where({ customer_id: person.id }).orderBy('id').select('action', 'summary', 'changes', 'redacted_at')) as Array<Record<string, string | null>>
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(['customer.created', 'customer.updated', 'note.added', 'booking.created', 'customer.erased']))
    const text = JSON.stringify(history)
    for (const value of Object.values(PERSON)) expect(text).not.toContain(value)
    expect(text).toContain('[erased]')
    const created = history.find((h) => h.action === 'customer.created')!
    expect(created.summary).toBe(`Created [erased] (${person.number})`)
    expect(created.redacted_at).not.toBeNull()

    expect(await verifyChangeChainOf(app.db)).toMatchObject({ intact: true })
    expect(await moneyTotals(app.db)).toEqual(totalsBefore)
    if (!onPostgres) {
      const after = new Database(file, { readonly: true })
      try {
        expect(verifyChangeChain(after)).toMatchObject({ intact: true })
      } finally {
        after.close()
      }
      expect(await problemsIn(file)).toEqual([])
      expect(leftovers(file)).toEqual([])
    }

    // Searching finds the record by number only.
    const found = await app.invoke('customers:list', { search: PERSON.lastName, tab: 'archived' })
    expect(found.rows).toEqual([])
    const byNumber = await app.invoke('customers:list', { search: person.number, tab: 'archived' })
    expect(byNumber.rows.map((r) => r.id)).toEqual([person.id])
  })

  // A check of a copied file: a server desk's check is the same walk, above.
  it.skipIf(onPostgres)('leaves frontdesk check passing on the erased file', async () => {
    app = await openTestCore()
    const { person } = await seedPerson(app)
    await erase(app, person.id, person.number)
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-erased-'))
    const file = join(dir, 'erased.sqlite3')
    await app.db.raw('VACUUM INTO ?', [file])
    await app.cleanup()
    app = undefined
    const check = spawnSync(tsx, [cli, 'check', '--db', file, '--json'], { cwd: root, encoding: 'utf8', timeout: 60_000 })
    expect(check.status, check.stderr + check.stdout).toBe(0)
    expect(JSON.parse(check.stdout).changeLog).toMatchObject({ intact: true })
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses to change an erased record, and to erase twice', async () => {
    app = await openTestCore()
    const { person } = await seedPerson(app)
    await erase(app, person.id, person.number)
    const update = await app.call('customers:update', { id: person.id, customer: { firstName: 'Back', lastName: 'Again' } })
    expect(update).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/was erased on .*; the record can no longer be changed/) } })
    for (const [channel, input] of [
      ['notes:add', { customerId: person.id, body: 'Hello' }],
      ['customers:unarchive', { id: person.id }],
      ['customers:delete', { id: person.id }],
      ['customers:addTag', { customerId: person.id, name: 'Back' }],
    ] as const) {
      expect({ channel, result: await app.call(channel, input as never) }).toMatchObject({ channel, result: { ok: false, error: { code: 'CONFLICT' } } })
    }
    await expect(erase(app, person.id, person.number)).rejects.toThrow(/already erased/)
  })

  it('lets the change log take redaction and nothing else, and checks unredacted content against its digest', async () => {
    app = await openTestCore()
    await app.invoke('customers:create', { firstName: 'Ada', lastName: 'Lovelace' })
    await app.invoke('customers:create', { firstName: 'Charles', lastName: 'Babbage' })
    const db = app.db
    const at = '2026-12-02T10:00:00.000Z'
    await expect(db.raw(`UPDATE change_log SET summary = 'x' WHERE id = 1`)).rejects.toThrow(/append-only/)
    await expect(db.raw(`UPDATE change_log SET summary = 'x', content_salt = NULL, redacted_at = ?, hash = ? WHERE id = 1`, [at, '0'.repeat(64)])).rejects.toThrow(/append-only/)
    await expect(db.raw(`UPDATE change_log SET action = 'x', content_salt = NULL, redacted_at = ? WHERE id = 1`, [at])).rejects.toThrow(/append-only/)
    await expect(db.raw('DELETE FROM change_log WHERE id = 1')).rejects.toThrow(/append-only/)
    await db.raw(`UPDATE change_log SET summary = 'Created [erased]', changes = '[]', content_salt = NULL, redacted_at = ? WHERE id = 1`, [at])
    const check = () => verifyChangeChainOf(db)
    expect(await check()).toMatchObject({ intact: true })
    // An unredacted entry edited behind the guard's back no longer matches its digest.
    await db.raw(`DROP TRIGGER change_log_append_only_update${onPostgres ? ' ON change_log' : ''}`)
    await db.raw(`UPDATE change_log SET summary = 'Created someone else' WHERE id = 2`)
    expect(await check()).toMatchObject({ intact: false, firstBreak: { id: 2, kind: 'edited' } })
  })

  it('purging from the recycle bin redacts the change log and leaves no bytes behind', async () => {
    app = await openTestCore()
    const { person } = await seedPerson(app)
    await app.invoke('customers:delete', { id: person.id })
    await app.runJob('recycleBin:purge', { id: person.id })
    const history = JSON.stringify(await app.db('change_log').where({ customer_id: person.id }).select('summary', 'changes'))
    for (const value of Object.values(PERSON)) expect(history).not.toContain(value)
    expect(history).toContain(`Removed for good from the recycle bin: ${person.number}`)
    expect(await verifyChangeChainOf(app.db)).toMatchObject({ intact: true })
    if (!onPostgres) expect(leftovers(app.dataFile)).toEqual([])
  })
})
