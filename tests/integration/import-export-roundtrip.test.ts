import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ExportFormat, ImportSummary } from '../../preload/contract'
import { exportColumns, exportCustomers } from '../../main/services/exports'
import { NO_PROGRESS } from '../../main/services/progress'
import { seedDemoCustomers } from '../../main/demo/generate'
import { openTestCore, type TestCore } from '../helpers/core'
import { NO_FILE_DIALOGS } from '../../main/fileDialogs'

/*
 * Out and back in: every customer exported to CSV or Excel and imported into
 * a new customer file comes back the same — names in any script, emails,
 * phones, addresses, tags, lists, status, consent, the date they became a
 * customer, custom fields — even with quotes, commas, line breaks and text a
 * spreadsheet would take for a formula.
 */

let from: TestCore
let to: TestCore
let dir: string
let file = ''

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-roundtrip-'))
  from = await openTestCore({})
  to = await openTestCore({ dialogs: { ...NO_FILE_DIALOGS, chooseImportFile: async () => file } })
})

afterEach(async () => {
  await from.cleanup()
  await to.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

const HOSTILE = [
  { firstName: 'Zoë', lastName: 'Ørsted-Łukasz', company: 'Café "Ølstue", Ltd' },
  { firstName: 'مريم', lastName: 'العلي', company: 'שלום בע"מ' },
  { firstName: 'Ana 🎉', lastName: "O'Brien", company: '=HYPERLINK("http://evil")' },
  { firstName: '+SUM(A1)', lastName: '-2+3', company: '@cmd' },
  { firstName: 'Jörg', lastName: 'Straße', company: 'Comma, Semicolon; Tab' },
  { firstName: 'Tom &amp; Jerry', lastName: '<b>Bold</b>', company: 'A &lt; B &#38; C' },
  // An apostrophe of the person's own before a formula's first character, and arithmetic a spreadsheet would compute.
  { firstName: "'=quoted", lastName: '-1-1', company: "'+44 shop" },
]

async function customersOf(app: TestCore): Promise<unknown[]> {
  const ids = (await app.db('customers').orderBy('email_normalized').orderBy('sort_name').pluck('id')) as number[]
  const fields = (await app.db('custom_field_definitions').select('id', 'label')) as Array<{ id: number; label: string }>
  const label = new Map(fields.map((f) => [f.id, f.label]))
  return Promise.all(
    ids.map(async (id) => {
      const c = await app.invoke('customers:get', { id })
      const extras = await app.invoke('customers:extras', { id })
      const custom = ((await app.db('customer_custom_values').where({ customer_id: id })) as Array<{ field_id: number; value: string }>)
        .map((v) => `${label.get(v.field_id)}=${v.value}`)
        .sort()
      return {
        name: [c.firstName, c.lastName, c.displayName, c.company],
        email: c.email,
        status: c.status,
        since: c.createdAt.slice(0, 10),
        phones: c.phones.map((p) => [p.label, p.e164]).sort(),
        address: c.addresses.slice(0, 1).map((a) => [a.line1, a.line2, a.city, a.region, a.postcode, a.country]),
        tags: c.tags.map((t) => t.name).sort(),
        groups: c.groups.map((g) => g.name).sort(),
        consent: extras.marketingConsent,
        custom,
      }
    }),
  )
}

async function roundTrip(format: ExportFormat): Promise<ImportSummary> {
  const ctx = from.context()
  const columns = (await exportColumns(ctx)).filter((c) => c.defaultOn).map((c) => c.key)
  file = join(dir, `customers.${format}`)
  await exportCustomers(ctx, { scope: { kind: 'all' }, format, columns }, file, NO_PROGRESS)
  const preview = await to.invoke('imports:choose', undefined)
  expect(preview!.layout).toBe('frontdesk')
  return to.runJob<ImportSummary>('imports:run', { sourceId: preview!.sourceId, sheet: preview!.sheet, mapping: preview!.mapping, match: 'fill' })
}

describe('export, then import into a new customer file', () => {
  it.each(['csv', 'xlsx'] as const)('gives the same customers (%s)', async (format) => {
    await seedDemoCustomers(from.db, { count: 150, seed: 7, bookings: false, now: new Date('2026-11-30T12:00:00Z') })
    for (const [i, names] of HOSTILE.entries()) {
      const created = await from.invoke('customers:create', {
        ...names,
        email: `hostile${i}@example.com`,
        phones: [{ number: '+44 7700 900' + String(100 + i), label: 'work' }, { number: `+1-202-555-01${String(10 + i)}`, label: 'other' }],
        addresses: [{ line1: 'Flat 2, "The Old Mill"', line2: '=1+1', city: 'Zürich', postcode: '8001', country: 'CH' }],
      })
      await from.invoke('customers:addTag', { customerId: created.id, name: 'Ünïcödé, tag' })
    }
    for (const app of [from, to]) {
      await app.invoke('customFields:save', { label: 'Allergies', type: 'text' })
      await app.invoke('customFields:save', { label: 'Shoe size', type: 'number' })
      // Labelled like one of the record's own columns: both come back, each to its own place.
      await app.invoke('customFields:save', { label: 'City', type: 'text' })
    }
    const [allergies, shoe, city] = (await from.db('custom_field_definitions').orderBy('id').pluck('id')) as number[]
    await from.invoke('customers:setCustomFields', { id: 1, values: { [String(allergies)]: 'Nuts; "peanuts", =bad', [String(shoe)]: 42.5, [String(city)]: 'Favourite: Paris' } })

    const summary = await roundTrip(format)
    expect(summary).toMatchObject({ rows: 157, created: 157, rejected: 0 })
    expect(await customersOf(to)).toEqual(await customersOf(from))
  })
})

describe('notes, exported by an administrator', () => {
  it('come back each on its own day, paragraphs and all', async () => {
    const ann = await from.invoke('customers:create', { firstName: 'Ann', lastName: 'Notes', email: 'ann.notes@example.com' })
    const written: Array<[string, string]> = [
      ['2023-01-05', 'Missed class, no call'],
      ['2023-06-12', 'Missed class, no call'],
      ['2024-02-20', 'Prefers mornings.\n\nAsk about the knee: "bad", she says; =not a formula'],
    ]
    for (const [day, body] of written) {
      await from.invoke('notes:add', { customerId: ann.id, body })
      const { id } = (await from.db('notes').where({ customer_id: ann.id }).max({ id: 'id' }).first()) as { id: number }
      await from.db('notes').where({ id }).update({ created_at: `${day}T09:30:00.000Z`, updated_at: `${day}T09:30:00.000Z` })
    }
    const ctx = from.context()
    const columns = (await exportColumns(ctx)).filter((c) => c.defaultOn || c.key === 'notes').map((c) => c.key)
    file = join(dir, 'with-notes.csv')
    await exportCustomers(ctx, { scope: { kind: 'all' }, format: 'csv', columns }, file, NO_PROGRESS)
    const preview = await to.invoke('imports:choose', undefined)
    expect(preview!.layout).toBe('frontdesk')
    expect(await to.runJob<ImportSummary>('imports:run', { sourceId: preview!.sourceId, sheet: preview!.sheet, mapping: preview!.mapping, match: 'fill' })).toMatchObject({
      created: 1,
      notes: 3,
      rejected: 0,
    })
    const back = (await to.db('customers').where({ email_normalized: 'ann.notes@example.com' }).first('id')) as { id: number }
    const notes = await to.invoke('notes:list', { customerId: back.id })
    expect(notes.map((n) => [n.createdAt.slice(0, 10), n.body]).sort()).toEqual(written)
  })
})
