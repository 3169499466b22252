import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportPreview, ImportSummary, ImportUndoResult } from '../../preload/contract'
import { chooseImportFile, fakeDialogs } from '../helpers/importDialogs'
import { openTestCore, type TestCore } from '../helpers/core'
import { onPostgres } from '../helpers/testDatabase'

let app: TestCore
let dir: string
let next: ReturnType<typeof fakeDialogs>['next']

beforeEach(async () => {
  const fake = fakeDialogs()
  next = fake.next
  app = await openTestCore({ dialogs: fake.dialogs })
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-import-'))
})

afterEach(async () => {
  await app.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

function csvFile(name: string, rows: string[][]): string {
  const file = join(dir, name)
  writeFileSync(file, Papa.unparse(rows))
  return file
}

const choose = (file: string): Promise<ImportPreview> => chooseImportFile(app, next, file)

async function check(preview: ImportPreview, match: 'fill' | 'overwrite' | 'skip' | 'create' = 'fill', mapping = preview.mapping) {
  return app.runJob<ImportSummary>('imports:check', { sourceId: preview.sourceId, sheet: preview.sheet, mapping, match })
}

async function run(preview: ImportPreview, match: 'fill' | 'overwrite' | 'skip' | 'create' = 'fill', mapping = preview.mapping) {
  return app.runJob<ImportSummary>('imports:run', { sourceId: preview.sourceId, sheet: preview.sheet, mapping, match })
}

async function customerByEmail(email: string) {
  const row = (await app.db('customers').where({ email_normalized: email.toLowerCase() }).first('id')) as { id: number } | undefined
  return row ? app.invoke('customers:get', { id: row.id }) : null
}

const PEOPLE = [
  ['Name', 'E-mail', 'Mobile', 'Town', 'Post code', 'Tags', 'Comments'],
  ['Zoë Müller', 'zoe@example.com', '07700 900123', 'Leeds', 'LS1 4AB', 'VIP; Yoga', 'Prefers mornings'],
  ['Anna Smith', 'anna@example.com', '+44 20 7946 0000', 'York', 'YO1 7HH', '', ''],
  ['Bad Email', 'not-an-email', '', '', '', '', ''],
  ['Bad Phone', 'badphone@example.com', '12', '', '', '', ''],
  ['', '', '', 'Nowhere', '', '', ''],
]

describe('importing customers from a CSV file', () => {
  it('suggests a mapping from the headers, checks without writing, then imports', async () => {
    const preview = await choose(csvFile('people.csv', PEOPLE))
    expect(preview.headers).toEqual(PEOPLE[0])
    expect(preview.layout).toBe('guessed')
    expect(preview.mapping).toEqual(['fullName', 'email', 'mobilePhone', 'city', 'postcode', 'tags', 'note'])
    expect(preview.sampleRows[0]).toEqual(PEOPLE[1])

    const dry = await check(preview)
    expect(dry).toMatchObject({ dryRun: true, rows: 5, created: 2, updated: 0, rejected: 3, importId: null, notes: 1 })
    expect(dry.rejects).toEqual([
      { line: 4, reason: 'Email “not-an-email”: This is not a valid email address.' },
      { line: 5, reason: 'Mobile phone “12”: Not a valid phone number for United Kingdom (a number from elsewhere starts with + and its country code).' },
      { line: 6, reason: 'The row has no name, company, email or phone: there is nobody to import.' },
    ])
    expect(await app.db('customers').count({ n: '*' })).toEqual([{ n: 0 }])

    const done = await run(preview)
    expect(done).toMatchObject({ dryRun: false, created: 2, rejected: 3, notes: 1 })
    expect(done.importId).toBeGreaterThan(0)
    const zoe = await customerByEmail('zoe@example.com')
    expect(zoe).toMatchObject({ firstName: 'Zoë', lastName: 'Müller', source: 'import' })
    expect(zoe!.phones).toEqual([expect.objectContaining({ number: '07700 900123', e164: '+447700900123', label: 'mobile', isPrimary: true })])
    expect(zoe!.addresses[0]).toMatchObject({ city: 'Leeds', postcode: 'LS1 4AB' })
    expect(zoe!.tags.map((t) => t.name)).toEqual(['VIP', 'Yoga'])
    const notes = await app.invoke('notes:list', { customerId: zoe!.id })
    expect(notes).toEqual([expect.objectContaining({ body: 'Prefers mornings', source: 'people.csv' })])
    // Found by search at once: the index followed the import.
    const page = await app.invoke('customers:list', { tab: 'active', search: 'muller', sort: 'name', direction: 'asc' })
    expect(page.rows.map((r) => r.displayName)).toEqual(['Zoë Müller'])
  })

  it('splits a notes cell of dated notes into notes of those days, and keeps it whole when a day does not exist', async () => {
    const preview = await choose(
      csvFile('dated-notes.csv', [
        ['Name', 'E-mail', 'Comments'],
        ['Dee Dated', 'dee@example.com', '2026-03-05: Line one\nLine two\n\n2026-03-01: First visit'],
        ['Nora Nodate', 'nora@example.com', '2026-02-30: Not a day\n\n2026-03-01: Second'],
      ]),
    )
    expect(await run(preview)).toMatchObject({ created: 2, notes: 3, rejected: 0 })
    const notesOf = async (email: string) =>
      (await app.invoke('notes:list', { customerId: (await customerByEmail(email))!.id })).map((n) => [n.createdAt.slice(0, 10), n.body]).sort()
    expect(await notesOf('dee@example.com')).toEqual([
      ['2026-03-01', 'First visit'],
      ['2026-03-05', 'Line one\nLine two'],
    ])
    const [[, nora]] = (await notesOf('nora@example.com')) as [[string, string]]
    expect(nora).toBe('2026-02-30: Not a day\n\n2026-03-01: Second')
  })

  it('changes nothing when the same file is imported again', async () => {
    const file = csvFile('again.csv', [
      ['First name', 'Last name', 'Company', 'Note'],
      ['No', 'Email', 'Acme', 'Has neither email nor phone'],
      ['Second', 'Person', '', ''],
    ])
    const first = await run(await choose(file))
    expect(first).toMatchObject({ created: 2, unchanged: 0 })
    const log = await app.db('change_log').count({ n: '*' })
    const second = await run(await choose(file))
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 2, notes: 0 })
    expect(await app.db('customers').count({ n: '*' })).toEqual([{ n: 2 }])
    expect(await app.db('notes').count({ n: '*' })).toEqual([{ n: 1 }])
    expect(await app.db('change_log').count({ n: '*' })).toEqual(log)
  })

  it('matches existing customers by email, then phone, and follows the chosen rule', async () => {
    await app.invoke('customers:create', { firstName: 'Anna', lastName: '', email: 'ANNA@example.com', phones: [{ number: '07700 900555' }] })
    await app.invoke('customers:create', { firstName: 'Bob', lastName: 'Phone', phones: [{ number: '07700 900777' }] })
    const file = csvFile('match.csv', [
      ['First name', 'Last name', 'Email', 'Phone', 'Company'],
      ['Anna', 'Jones', 'anna@example.com', '', 'Anna Co'],
      ['Bob', 'Phone', '', '07700900777', 'Bob Ltd'],
    ])
    const preview = await choose(file)
    expect(await check(preview, 'skip')).toMatchObject({ created: 0, skipped: 2 })
    expect(await check(preview, 'create')).toMatchObject({ created: 1, skipped: 1 })
    expect(await check(preview, 'fill')).toMatchObject({ created: 0, updated: 2 })

    await run(preview, 'fill')
    const anna = await customerByEmail('anna@example.com')
    expect(anna).toMatchObject({ firstName: 'Anna', lastName: 'Jones', company: 'Anna Co', email: 'ANNA@example.com' })
    expect(await app.db('customers').count({ n: '*' })).toEqual([{ n: 2 }])

    const overwrite = await choose(csvFile('overwrite.csv', [['Email', 'First name'], ['anna@example.com', 'Annabel']]))
    expect(await check(overwrite, 'fill')).toMatchObject({ unchanged: 1 })
    await run(overwrite, 'overwrite')
    expect((await customerByEmail('anna@example.com'))!.firstName).toBe('Annabel')
    // "Always create" never makes a second customer with a live email.
    expect(await run(overwrite, 'create')).toMatchObject({ created: 0, skipped: 1 })
  })

  it('replaces the display name with the file\'s own when overwriting, and undoing puts the one made from the names back', async () => {
    const anna = await app.invoke('customers:create', { firstName: 'Anna', lastName: 'Smith', email: 'anna.dr@example.com' })
    const file = csvFile('titles.csv', [['Email', 'Display name', 'First name', 'Last name'], ['anna.dr@example.com', 'Dr Anna Smith', 'Anna', 'Smith']])
    expect(await check(await choose(file), 'fill')).toMatchObject({ unchanged: 1 })
    const done = await run(await choose(file), 'overwrite')
    expect(done).toMatchObject({ updated: 1 })
    expect(await app.invoke('customers:get', { id: anna.id })).toMatchObject({ displayName: 'Dr Anna Smith' })
    expect((await app.invoke('customers:list', { search: 'dr anna' })).rows.map((r) => r.id)).toEqual([anna.id])
    expect(await run(await choose(file), 'overwrite')).toMatchObject({ unchanged: 1 })
    await app.runJob<ImportUndoResult>('imports:undo', { id: done.importId! })
    expect(await app.invoke('customers:get', { id: anna.id })).toMatchObject({ displayName: 'Anna Smith' })
  })

  it('takes a customer number for this book\'s customer only when the emails agree, and a shared phone only with a name that agrees', async () => {
    const bob = await app.invoke('customers:create', { firstName: 'Bob', lastName: 'Baker', email: 'bob@example.com' })
    // Another desk's export: its C-000001 is someone else.
    const other = csvFile('other-desk.csv', [
      ['Customer number', 'Display name', 'First name', 'Last name', 'Email', 'Mobile phone', 'Tags'],
      [`C-${String(bob.id).padStart(6, '0')}`, 'Alice Archer', 'Alice', 'Archer', 'alice@example.com', '07700 900111', 'VIP'],
    ])
    for (const match of ['fill', 'overwrite'] as const) expect(await check(await choose(other), match)).toMatchObject({ created: 1, updated: 0 })
    expect(await run(await choose(other), 'overwrite')).toMatchObject({ created: 1, updated: 0 })
    expect(await app.invoke('customers:get', { id: bob.id })).toMatchObject({ firstName: 'Bob', lastName: 'Baker', email: 'bob@example.com', tags: [] })
    expect((await customerByEmail('alice@example.com'))!.tags.map((t) => t.name)).toEqual(['VIP'])

    // A person and a company on one switchboard number: the second import of the file changes nobody.
    const shared = csvFile('switchboard.csv', [
      ['First name', 'Last name', 'Company', 'Phone', 'Note'],
      ['John', 'Smith', '', '020 7946 0000', 'note A'],
      ['', '', 'Smith & Sons Ltd', '020 7946 0000', 'note B'],
    ])
    expect(await run(await choose(shared))).toMatchObject({ created: 2 })
    expect(await run(await choose(shared))).toMatchObject({ created: 0, updated: 0, unchanged: 2 })
    const john = (await app.db('customers').where({ first_name: 'John', last_name: 'Smith' }).first('id', 'company')) as { id: number; company: string }
    expect(john.company).toBe('')
    expect((await app.invoke('notes:list', { customerId: john.id })).map((n) => n.body)).toEqual(['note A'])
  })

  it('joins rows about the same customer and refuses an email another customer has', async () => {
    await app.invoke('customers:create', { firstName: 'Taken', lastName: 'Owner', email: 'taken@example.com' })
    await app.invoke('customers:create', { firstName: 'Empty', lastName: 'Email', phones: [{ number: '07700 900888' }] })
    const file = csvFile('joined.csv', [
      ['Email', 'First name', 'Tags', 'Phone', 'Last name'],
      ['same@example.com', 'Same', 'One', '', 'Person'],
      ['SAME@example.com', '', 'Two', '07700 900999', ''],
      ['taken@example.com', 'Empty', '', '07700 900888', 'Email'],
    ])
    const done = await run(await choose(file))
    expect(done).toMatchObject({ created: 1, rejected: 0 })
    const same = await customerByEmail('same@example.com')
    expect(same!.tags.map((t) => t.name)).toEqual(['One', 'Two'])
    expect(same!.phones.map((p) => p.e164)).toEqual(['+447700900999'])
  })
})

describe('a spreadsheet that stored phone numbers as numbers', () => {
  it('gets back a leading zero that is part of the number (Italy’s 06 and 02), and leaves real numbers as they are', async () => {
    await app.invoke('settings:update', { defaultCountry: 'IT' })
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('Clienti')
    sheet.addRow(['First name', 'Last name', 'Email', 'Phone'])
    sheet.addRow(['Giulia', 'Roma', 'giulia@example.it', 669821234])
    sheet.addRow(['Marco', 'Milano', 'marco@example.it', 212345678])
    sheet.addRow(['Sara', 'Mobile', 'sara@example.it', 3123456789])
    const file = join(dir, 'clienti.xlsx')
    await book.xlsx.writeFile(file)
    expect(await run(await choose(file))).toMatchObject({ created: 3, rejected: 0 })
    const phone = async (email: string) => (await customerByEmail(email))!.phones.map((p) => [p.e164, p.number])
    expect(await phone('giulia@example.it')).toEqual([['+390669821234', '+39 06 6982 1234']])
    expect(await phone('marco@example.it')).toEqual([['+390212345678', '+39 02 1234 5678']])
    expect(await phone('sara@example.it')).toEqual([['+393123456789', '+39 312 345 6789']])
  })
})

describe('an import is all or nothing', () => {
  it('a cancelled import leaves the address book as it was', async () => {
    const rows = [['First name', 'Email']]
    for (let i = 0; i < 30_000; i++) rows.push([`Person ${i}`, `p${i}@example.com`])
    const preview = await choose(csvFile('many.csv', rows))
    const started = await app.invoke('imports:run', { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' })
    await app.invoke('jobs:cancel', { id: started.id })
    const { finishJob } = await import('../helpers/core')
    const final = await finishJob(app.call, started)
    expect(final.state).toBe('cancelled')
    expect(await app.db('customers').count({ n: '*' })).toEqual([{ n: 0 }])
    expect(await app.db('imports').count({ n: '*' })).toEqual([{ n: 0 }])
  })
})

describe('an import into an address book without customers', () => {
  it('counts every tab and keeps every index as an import beside other customers does', async () => {
    const upkeep = async () => ({
      counts: await app.invoke('customers:counts', {}),
      indexes: onPostgres ? null : await app.db.raw(`SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name`),
    })
    const before = await upkeep()
    const done = await run(await choose(csvFile('people.csv', PEOPLE)))
    expect(done.created).toBeGreaterThan(1)
    // Written in one go: its card tells the desk a customer added meanwhile waits for it.
    expect((await app.invoke('jobs:list', undefined)).find((job) => job.kind === 'import')?.note).toMatch(/a customer added meanwhile is saved once the customers are written/)
    const after = await upkeep()
    expect(after.indexes).toEqual(before.indexes)
    expect(after.counts.active).toBe(done.created)
    const page = await app.invoke('customers:list', { tab: 'active', sort: 'name' })
    expect(page.rows.length).toBe(done.created)
    // The next import meets them: matched by email, not created again.
    const again = await run(await choose(csvFile('people.csv', PEOPLE)))
    expect(again.created).toBe(0)
  })
})

describe('the rejected rows', () => {
  it('are saved as a CSV with the line and the reason, ready to fix and import again', async () => {
    const preview = await choose(csvFile('people.csv', PEOPLE))
    const status = await app.callJob('imports:check', { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' })
    next.rejectsFile = join(dir, 'rejects.csv')
    expect(await app.invoke('imports:saveRejects', { jobId: status.id })).toBe('rejects.csv')
    const text = readFileSync(join(dir, 'rejects.csv'), 'utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data
    expect(parsed[0]).toEqual([...PEOPLE[0]!, 'Line', 'Reason'])
    expect(parsed.slice(1).map((r) => [r[0], r[7]])).toEqual([
      ['Bad Email', '4'],
      ['Bad Phone', '5'],
      ['', '6'],
    ])
    next.rejectsFile = null
    expect(await app.invoke('imports:saveRejects', { jobId: status.id })).toBeNull()
  })

  it('from vCards, fixed and imported again, keep every part of the address', async () => {
    const card = join(dir, 'cards.vcf')
    writeFileSync(card, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bea Flat\r\nN:Flat;Bea;;;\r\nEMAIL:bea@\r\nADR;TYPE=home:;Flat 9;1 High St;York;;YO1 7HH;United Kingdom\r\nEND:VCARD\r\n')
    const preview = await choose(card)
    const status = await app.callJob('imports:check', { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' })
    next.rejectsFile = join(dir, 'card-rejects.csv')
    await app.invoke('imports:saveRejects', { jobId: status.id })
    const fixed = readFileSync(join(dir, 'card-rejects.csv'), 'utf8').replace('bea@', 'bea@example.com')
    writeFileSync(join(dir, 'card-rejects.csv'), fixed)
    expect(await run(await choose(join(dir, 'card-rejects.csv')))).toMatchObject({ created: 1, rejected: 0 })
    expect((await customerByEmail('bea@example.com'))!.addresses[0]).toMatchObject({ line1: '1 High St', line2: 'Flat 9', city: 'York', postcode: 'YO1 7HH' })
  })

  it('are kept in a folder of the session, gone when the app closes', async () => {
    const preview = await choose(csvFile('people.csv', PEOPLE))
    await app.callJob('imports:check', { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' })
    await app.callJob('imports:check', { sourceId: preview.sourceId, sheet: null, mapping: preview.mapping, match: 'fill' })
    const kept = readdirSync(app.rejectsDir).filter((name) => name.endsWith('.csv'))
    expect(kept).toHaveLength(2)
    expect(readFileSync(join(app.rejectsDir, kept[0]!), 'utf8')).toContain('Bad Email')
    expect(statSync(app.rejectsDir).mode & 0o077).toBe(0)
    await app.close()
    expect(existsSync(app.rejectsDir)).toBe(false)
  })
})

describe('undoing an import', () => {
  it('removes the customers it created and puts back the old values of those it updated', async () => {
    const anna = await app.invoke('customers:create', { firstName: 'Anna', lastName: '', email: 'anna@example.com' })
    const preview = await choose(
      csvFile('undo.csv', [
        ['Email', 'First name', 'Last name', 'Company', 'Tags', 'Mobile'],
        ['anna@example.com', 'Anna', 'Jones', 'Annaco', 'Imported', '07700 900321'],
        ['new@example.com', 'New', 'Person', '', 'Imported', ''],
      ]),
    )
    const done = await run(preview)
    expect(done).toMatchObject({ created: 1, updated: 1 })
    // A later edit by the desk is kept.
    await app.db('customers').where({ id: anna.id }).update({ company: 'Edited later' })
    const result = await app.runJob<ImportUndoResult>('imports:undo', { id: done.importId! })
    expect(result).toEqual({ removed: 1, restored: 1, keptLaterEdits: 1 })
    const back = await app.invoke('customers:get', { id: anna.id })
    expect(back).toMatchObject({ lastName: '', company: 'Edited later', phones: [], tags: [] })
    expect(await customerByEmail('new@example.com')).toBeNull()
    const [record] = await app.invoke('imports:list', undefined)
    expect(record).toMatchObject({ state: 'undone', created: 1, updated: 1, fileName: 'undo.csv' })
    const again = await app.callJob('imports:undo', { id: done.importId! })
    expect(again.error?.message).toMatch(/already undone/)
  })

  it('puts back the marketing consent the file gave, and the consent history says so', async () => {
    const cleo = await app.invoke('customers:create', { firstName: 'Cleo', lastName: 'Consent', email: 'cleo@example.com' })
    const done = await run(await choose(csvFile('consent.csv', [['Email', 'Marketing consent'], ['cleo@example.com', 'yes']])))
    expect(done).toMatchObject({ updated: 1 })
    expect((await app.invoke('customers:extras', { id: cleo.id })).marketingConsent).toBe(true)
    await app.runJob<ImportUndoResult>('imports:undo', { id: done.importId! })
    expect((await app.invoke('customers:extras', { id: cleo.id })).marketingConsent).toBe(false)
    const history = await app.invoke('customers:consentHistory', { id: cleo.id })
    expect(history.map((e) => [e.kind, e.granted, e.wording])).toEqual([
      ['marketing', false, 'Withdrawn again: the import of consent.csv was undone'],
      ['marketing', true, 'Agreed, as recorded in consent.csv'],
    ])
  })

  it('puts back a status the file changed, with its reason and dates', async () => {
    const bea = await app.invoke('customers:create', { firstName: 'Bea', lastName: 'Active', email: 'bea@example.com' })
    const cal = await app.invoke('customers:create', { firstName: 'Cal', lastName: 'Active', email: 'cal@example.com' })
    const done = await run(
      await choose(csvFile('status.csv', [['Email', 'Status'], ['bea@example.com', 'Blocked'], ['cal@example.com', 'Archived']])),
      'overwrite',
    )
    expect(done).toMatchObject({ updated: 2 })
    expect(await app.db('customers').whereIn('id', [bea.id, cal.id]).orderBy('id').pluck('status')).toEqual(['blocked', 'archived'])
    const result = await app.runJob<ImportUndoResult>('imports:undo', { id: done.importId! })
    expect(result).toMatchObject({ restored: 2, keptLaterEdits: 0 })
    expect(await app.db('customers').whereIn('id', [bea.id, cal.id]).orderBy('id').select('status', 'status_reason', 'blocked_at', 'archived_at')).toEqual([
      { status: 'active', status_reason: '', blocked_at: null, archived_at: null },
      { status: 'active', status_reason: '', blocked_at: null, archived_at: null },
    ])
  })

  it('refuses to undo when a past booking it brought to a customer it updated has been paid since', async () => {
    const maggie = await app.invoke('customers:create', { firstName: 'Margaret', lastName: "O'Neill", email: 'maggie.oneill@example.com' })
    const done = await run(await choose(join(__dirname, '../fixtures/import/migration-sample.csv')))
    expect(done).toMatchObject({ updated: 1 })
    const owing = (await app.db('bookings').where({ customer_id: maggie.id }).where('outstanding_minor', '>', 0).first('id')) as { id: number }
    await app.invoke('bookings:addPayment', { bookingId: owing.id, amountMinor: 4500, method: 'cash' })
    const refused = await app.callJob('imports:undo', { id: done.importId! })
    expect(refused.state).toBe('failed')
    expect(refused.error?.message).toMatch(/past bookings it brought in have been paid at the desk since — Margaret O'Neill \(C-\d{6}\)/)
    // Nothing was taken back: the booking keeps its payment, and every customer the import made is still there.
    expect(await app.db('payments').where({ booking_id: owing.id }).count({ n: '*' })).toEqual([{ n: 2 }])
    expect(await app.db('customers').count({ n: '*' })).toEqual([{ n: 3 }])
  })
})

describe('moving from an earlier booking system', () => {
  it('brings customers with their notes (source and date kept) and past bookings with what was paid', async () => {
    const preview = await choose(join(__dirname, '../fixtures/import/migration-sample.csv'))
    expect(preview.layout).toBe('migration')
    expect(preview.mapping).not.toContain('')
    const done = await run(preview)
    expect(done).toMatchObject({ rows: 5, created: 3, rejected: 0, notes: 3, bookings: 5 })

    const maggie = await customerByEmail('maggie.oneill@example.com')
    expect(maggie).toMatchObject({ firstName: 'Margaret', lastName: "O'Neill", source: 'migration', createdAt: '2019-04-02T00:00:00.000Z' })
    const notes = await app.invoke('notes:list', { customerId: maggie!.id })
    expect(notes.map((n) => [n.body, n.source, n.createdAt.slice(0, 10)]).sort()).toEqual([
      ['Moved to the Tuesday group', 'migration-sample.csv', '2022-11-03'],
      ['Prefers the 9 am class; bad knee, no kneeling', 'migration-sample.csv', '2021-06-14'],
    ])
    const bookings = await app.invoke('bookings:listForCustomer', { customerId: maggie!.id }).then((page) => page.rows)
    expect(bookings.map((b) => [b.summary, b.source, b.status, b.totalMinor, b.paidMinor, b.outstandingMinor]).sort()).toEqual([
      ['Pilates 10-class pass', 'import', 'completed', 9500, 5000, 4500],
      ['Pilates 10-class pass', 'import', 'completed', 9500, 9500, 0],
      ['Private session', 'import', 'completed', 4500, 4500, 0],
    ])
    // Counted in income like any booking: 95 + 45 + 50 received, 45 still owed.
    const money = await app.invoke('customers:invoices', { customerId: maggie!.id })
    expect(money.totals[0]).toMatchObject({ incomeReceivedMinor: 19000, outstandingMinor: 4500 })

    const tomas = await customerByEmail('tomas.garcia@example.com')
    expect(tomas!.addresses[0]).toMatchObject({ country: 'ES', postcode: '28013' })
    expect(tomas!.phones[0]).toMatchObject({ e164: '+34612345678', label: 'mobile' })

    // The same file again finds everyone by their earlier ID: nothing doubles.
    const again = await run(await choose(join(__dirname, '../fixtures/import/migration-sample.csv')))
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, notes: 0, bookings: 0 })
  })

  it('refuses a card number in a booking reference or an earlier ID, as in every free text', async () => {
    const header = ['Legacy ID', 'First name', 'Last name', 'Email', 'Booking date', 'Booking', 'Booking amount', 'Amount paid', 'Booking reference']
    const done = await check(
      await choose(
        csvFile('cards.csv', [
          header,
          ['L-1', 'Card', 'Reference', 'card.ref@example.com', '2024-03-01', 'Class', '12.00', '12.00', '4111 1111 1111 1111'],
          ['4111-1111-1111-1111', 'Card', 'Id', 'card.id@example.com', '2024-03-01', 'Class', '12.00', '12.00', 'OLD-1'],
          ['L-3', 'Fine', 'Row', 'fine@example.com', '2024-03-01', 'Class', '12.00', '12.00', 'OLD-2'],
        ]),
      ),
    )
    expect(done).toMatchObject({ created: 1, rejected: 2 })
    expect(done.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, expect.stringMatching(/^Booking reference “4111 1111 1111 1111”: Never enter a full card number/)],
      [3, expect.stringMatching(/^ID in the earlier system “4111-1111-1111-1111”: Never enter a full card number/)],
    ])
  })

  it('keeps history that repeats itself: the same class on the same day, the same words on other days', async () => {
    const header = ['Legacy ID', 'First name', 'Last name', 'Email', 'Note date', 'Note', 'Booking date', 'Booking', 'Booking amount', 'Amount paid']
    const rows = [
      ['L-1', 'Lena', 'Repeat', 'lena@example.com', '2023-01-05', 'Missed class, no call', '2024-03-01', 'Drop-in class', '12.00', '12.00'],
      ['L-1', '', '', '', '2023-06-12', 'Missed class, no call', '2024-03-01', 'Drop-in class', '12.00', '12.00'],
      ['L-1', '', '', '', '2024-02-20', 'Missed class, no call', '2024-03-01', 'Drop-in class', '12.00', '12.00'],
    ]
    const preview = await choose(csvFile('repeats.csv', [header, ...rows]))
    expect(preview.layout).toBe('migration')
    expect(await check(preview)).toMatchObject({ created: 1, notes: 3, bookings: 3 })
    expect(await run(preview)).toMatchObject({ created: 1, notes: 3, bookings: 3 })
    const lena = await customerByEmail('lena@example.com')
    const notes = await app.invoke('notes:list', { customerId: lena!.id })
    expect(notes.map((n) => n.createdAt.slice(0, 10)).sort()).toEqual(['2023-01-05', '2023-06-12', '2024-02-20'])
    const money = await app.invoke('customers:invoices', { customerId: lena!.id })
    expect(money.totals[0]).toMatchObject({ incomeReceivedMinor: 3600 })
    // The same file again, and one with a fourth visit: only the new one is added.
    expect(await run(await choose(csvFile('repeats.csv', [header, ...rows])))).toMatchObject({ created: 0, updated: 0, unchanged: 1, notes: 0, bookings: 0 })
    const more = [...rows, ['L-1', '', '', '', '2024-05-01', 'Missed class, no call', '2024-03-01', 'Drop-in class', '12.00', '12.00']]
    expect(await run(await choose(csvFile('repeats-more.csv', [header, ...more])))).toMatchObject({ updated: 1, notes: 1, bookings: 1 })
    expect((await app.invoke('customers:invoices', { customerId: lena!.id })).totals[0]).toMatchObject({ incomeReceivedMinor: 4800 })
  })

  it('refuses to undo when a customer it created has booked since', async () => {
    const done = await run(await choose(join(__dirname, '../fixtures/import/migration-sample.csv')))
    const aiko = (await app.db('customers').where({ first_name: 'Aiko' }).first('id')) as { id: number }
    await app.db('bookings').insert({
      reference: 'BK-LATER',
      customer_id: aiko.id,
      status: 'confirmed',
      source: 'phone',
      kind: 'booking',
      currency: 'GBP',
      created_at: '2026-12-01T10:00:00.000Z',
      updated_at: '2026-12-01T10:00:00.000Z',
    })
    const refused = await app.callJob('imports:undo', { id: done.importId! })
    expect(refused.state).toBe('failed')
    expect(refused.error?.message).toMatch(/Aiko Tanaka \(C-\d{6}\)/)
    expect(await app.db('customers').count({ n: '*' })).toEqual([{ n: 3 }])
  })
})

describe('contacts exports from other programs', () => {
  const fixture = (name: string) => join(__dirname, '../fixtures/import', name)

  it('a Google Contacts CSV: its columns recognised, several numbers in a cell, its labels as tags', async () => {
    const preview = await choose(fixture('google-contacts.csv'))
    expect(preview.layout).toBe('google')
    const done = await run(preview)
    expect(done.rejected).toBe(0)
    const chloe = await customerByEmail('chloe@example.fr')
    expect(chloe).toMatchObject({ firstName: 'Chloé', lastName: 'Durand', company: 'Café Lumière' })
    expect(chloe!.phones.map((p) => [p.label, p.e164])).toEqual([
      ['mobile', '+33612345678'],
      ['mobile', '+33698765432'],
    ])
    expect(chloe!.tags.map((t) => t.name)).toEqual(['Regulars'])
    const notes = await app.invoke('notes:list', { customerId: chloe!.id })
    expect(notes[0]!.body).toBe('Likes the window seat,\nasks for oat milk')
  })

  it('an Outlook CSV: home address and each kind of phone', async () => {
    const preview = await choose(fixture('outlook.csv'))
    expect(preview.layout).toBe('outlook')
    await run(preview)
    const erik = await customerByEmail('erik@example.se')
    expect(erik).toMatchObject({ firstName: 'Erik', lastName: 'Lindqvist' })
    expect(erik!.phones.map((p) => p.label).sort()).toEqual(['home', 'mobile'])
  })

  it('vCards with pictures: each contact gets its photo as the stored thumbnail', async () => {
    const preview = await choose(fixture('photos.vcf'))
    expect(preview.layout).toBe('vcard')
    const done = await run(preview)
    expect(done.created).toBeGreaterThanOrEqual(2)
    const photos = (await app.db('customer_photos').select('mime', 'width', 'height')) as Array<{ mime: string; width: number }>
    expect(photos.length).toBe(done.created)
    expect(photos.every((p) => p.mime === 'image/jpeg')).toBe(true)
  })
})

describe('the mapping', () => {
  it('is remembered for the next file with the same columns', async () => {
    const rows = [
      ['Kundennummer alt', 'Vorname', 'Nachname', 'Zahlungsart'],
      ['K-1', 'Jürgen', 'Weiß', 'bar'],
    ]
    const first = await choose(csvFile('kunden-1.csv', rows))
    expect(first.layout).toBe('guessed')
    const mapping = ['legacyId', 'firstName', 'lastName', '']
    await run(first, 'fill', mapping)
    const second = await choose(csvFile('kunden-2.csv', [rows[0]!, ['K-2', 'Anna', 'Groß', 'Karte']]))
    expect(second).toMatchObject({ layout: 'remembered', mapping })
  })

  it('must name a known field for each column of the file', async () => {
    const preview = await choose(csvFile('two.csv', [['A', 'B'], ['x', 'y']]))
    const wrongLength = await app.callJob('imports:check', { sourceId: preview.sourceId, sheet: null, mapping: ['firstName'], match: 'fill' })
    expect(wrongLength.error?.message).toMatch(/The file has 2 columns but 1 were matched/)
    const deletedField = await app.callJob('imports:check', { sourceId: preview.sourceId, sheet: null, mapping: ['firstName', 'custom:999'], match: 'fill' })
    expect(deletedField.error?.message).toMatch(/not a field a column can be imported into/)
  })
})

describe('an archived customer brought back by a file', () => {
  it('is refused, with the reason, when a live customer has their email now', async () => {
    const old = await app.invoke('customers:create', { firstName: 'Old', lastName: 'Record', email: 'shared@example.com' })
    await app.invoke('customers:archive', { id: old.id })
    await app.invoke('customers:create', { firstName: 'New', lastName: 'Record', email: 'shared@example.com' })
    const preview = await choose(csvFile('status.csv', [['Customer number', 'Status'], [old.number, 'Active']]))
    const done = await run(preview, 'overwrite')
    expect(done).toMatchObject({ updated: 0, rejected: 1 })
    expect(done.rejects[0]!.reason).toMatch(/cannot be made active: New Record \(C-\d{6}\) already uses their email/)
    expect((await app.invoke('customers:get', { id: old.id })).status).toBe('archived')
  })
})
