import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { finishJob, openTestCore, type TestCore } from '../helpers/core'
import { NO_FILE_DIALOGS } from '../../main/fileDialogs'
import { createCatalogue } from '../helpers/catalogue'
import type { ServiceContext } from '../../main/services/context'
import { assertMayExport, describeExport, exportColumns, exportCustomers, suggestedFileName } from '../../main/services/exports'
import { mayRunAsFormula, neutraliseForCsv } from '../../main/services/exports/neutralise'
import { csvField, csvLines, openCsv } from '../../main/services/exports/csv'
import type { ColumnSpec } from '../../main/services/exports/columns'
import { PAGE_SIZE } from '../../main/services/exports/rows'
import { decimalOfMinor, moneyFormatOf } from '../../main/services/exports/values'
import type { DomainError } from '../../main/services/errors'
import { Cancelled, NO_PROGRESS, type Progress } from '../../main/services/progress'
import { seedDemoCustomers } from '../../main/demo/generate'
import { moneyTotalsOf } from '../../main/services/bookings/customerTotals'
import { onPostgres } from '../helpers/testDatabase'
import { customerFilter, type ExportFormat, type ExportInput, type ExportResult, type JobStatus } from '../../preload/contract'

const RECORD_HEADERS = [
  'Customer number', 'First name', 'Last name', 'Display name', 'Company', 'Email', 'Mobile phone', 'Home phone', 'Work phone',
  'Other phone', 'Address line 1', 'Address line 2', 'City', 'Region', 'Postcode', 'Country', 'Status', 'Source', 'Marketing consent',
  'Tags', 'Groups', 'Customer since', 'Last updated', 'Bookings', 'Income', 'Outstanding balance',
]
const RECORD_KEYS = [
  'number', 'firstName', 'lastName', 'displayName', 'company', 'email', 'mobilePhone', 'homePhone', 'workPhone', 'otherPhone', 'addressLine1',
  'addressLine2', 'city', 'region', 'postcode', 'country', 'status', 'source', 'marketingConsent', 'tags', 'groups', 'createdAt', 'updatedAt',
  'bookings', 'income', 'outstanding',
]
const CUSTOM_HEADERS = ['Allergies', 'Shoe size', 'Birthday', 'Member', 'Level']

let app: TestCore
let folder: string
let now = new Date('2026-03-01T09:00:00Z')
const ids = { ann: 0, hostile: 0, world: 0, controls: 0, archived: 0, blocked: 0, deleted: 0, vip: 0 }
let allKeys: string[]
let defaultKeys: string[]

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'frontdesk-export-'))
  app = await openTestCore({ clock: () => now, dialogs: { ...NO_FILE_DIALOGS, chooseExportFile: async (name) => join(folder, `job-${name}`) } })
  await app.invoke('customFields:save', { label: 'Allergies', type: 'text', options: [] })
  await app.invoke('customFields:save', { label: 'Shoe size', type: 'number', options: [] })
  await app.invoke('customFields:save', { label: 'Birthday', type: 'date', options: [] })
  await app.invoke('customFields:save', { label: 'Member', type: 'boolean', options: [] })
  const fields = await app.invoke('customFields:save', { label: 'Level', type: 'choice', options: ['Gold', 'Silver'] })
  const field = (label: string) => String(fields.find((f) => f.label === label)!.id)

  const ann = await app.invoke('customers:create', {
    firstName: 'Ann',
    lastName: 'Lee, Jr.',
    company: 'Quote "Q" Ltd',
    email: 'ann@example.com',
    source: 'phone',
    phones: [
      { label: 'mobile', number: '07700 900456' },
      { label: 'mobile', number: '+44 7700 900123', isPrimary: true },
      { label: 'home', number: '020 7946 0000' },
    ],
    addresses: [
      { label: 'home', line1: '1 First Street', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
      { label: 'billing', line1: '2 Second Street', line2: 'Flat 3', city: 'York', region: 'North Yorkshire', postcode: 'YO1 7HH', country: 'GB', isDefaultLetters: true },
    ],
  })
  ids.ann = ann.id
  await app.invoke('customers:setPreferences', { id: ann.id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Newsletter by email' })
  await app.invoke('customers:setCustomFields', {
    id: ann.id,
    values: { [field('Allergies')]: 'Peanuts', [field('Shoe size')]: 38.5, [field('Birthday')]: '1990-05-17', [field('Member')]: true, [field('Level')]: 'Gold' },
  })
  await app.invoke('customers:addTag', { customerId: ann.id, name: 'VIP' })
  await app.invoke('customers:addTag', { customerId: ann.id, name: 'Gold card' })
  ids.vip = (await app.invoke('tags:list', undefined)).find((t) => t.name === 'VIP')!.id
  const group = await app.invoke('groups:create', { name: 'Newsletter' })
  await app.invoke('customers:addToGroup', { customerId: ann.id, groupId: group.id })
  await app.invoke('notes:add', { customerId: ann.id, body: 'First visit' })
  now = new Date('2026-03-05T10:00:00Z')
  await app.invoke('notes:add', { customerId: ann.id, body: 'Line one\nLine two' })

  // Money: yoga paid in full (12.50), a massage part-paid (10.00 of 45.00), pottery cancelled unpaid.
  const cat = await createCatalogue(app, { now })
  const book = (sessionId: number, priceOptionId: number, paid: number) =>
    app.invoke('bookings:create', {
      customer: { kind: 'existing', id: ann.id },
      lines: [{ sessionId, priceOptionId, quantity: 1 }],
      ...(paid ? { payment: { amountMinor: paid, method: 'card' as const } } : {}),
    })
  await book(cat.yoga.sessionId, cat.yoga.adultOptionId, 1250)
  await book(cat.massage.sessionId, cat.massage.optionId, 1000)
  const pottery = await book(cat.pottery.sessionId, cat.pottery.optionId, 0)
  await app.invoke('bookings:setStatus', { id: pottery.booking.id, status: 'cancelled' })

  ids.hostile = (await app.invoke('customers:create', { firstName: '=1+1', lastName: '+SUM(A1)', company: '-2+3', displayName: '@cmd' })).id
  ids.world = (
    await app.invoke('customers:create', { firstName: 'Zoë', lastName: 'مريم', company: 'שרה 🎉', phones: [{ label: 'work', number: '+44 20 7946 0018' }] })
  ).id
  // Older data and other programs may hold what the desk's forms refuse: control characters, decomposed accents.
  ids.controls = (await app.invoke('customers:create', { firstName: 'Tab', lastName: 'Return' })).id
  await app.db('customers').where({ id: ids.controls }).update({ first_name: '\tTab led', last_name: '\rReturn led', company: 'Cafe\u0301' })

  ids.archived = (await app.invoke('customers:create', { firstName: 'Archie', lastName: 'Ved' })).id
  await app.invoke('customers:archive', { id: ids.archived })
  ids.blocked = (await app.invoke('customers:create', { firstName: 'Bloc', lastName: 'Ked' })).id
  await app.invoke('customers:block', { id: ids.blocked, reason: 'Abusive on the phone' })
  ids.deleted = (await app.invoke('customers:create', { firstName: 'Del', lastName: 'Eted' })).id
  await app.invoke('customers:delete', { id: ids.deleted })

  const columns = await exportColumns(app.context())
  allKeys = columns.map((c) => c.key)
  defaultKeys = columns.filter((c) => c.defaultOn).map((c) => c.key)
})

afterAll(async () => {
  await app.cleanup()
  rmSync(folder, { recursive: true, force: true })
})

const input = (format: ExportFormat, columns = allKeys, scope: ExportInput['scope'] = { kind: 'all' }): ExportInput => ({ scope, format, columns })

async function exportTo(name: string, exportInput: ExportInput, progress: Progress = NO_PROGRESS, ctx: ServiceContext = app.context()) {
  const file = join(folder, name)
  return { file, result: await exportCustomers(ctx, exportInput, file, progress) }
}

/** The CSV's rows as records by header, and its raw text. */
async function csvOf(name: string, exportInput: ExportInput) {
  const { file, result } = await exportTo(name, exportInput)
  const text = readFileSync(file, 'utf8')
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: true })
  expect(parsed.errors).toEqual([])
  const [headers, ...rows] = parsed.data
  const records = rows.map((row) => Object.fromEntries(headers!.map((h, i) => [h, row[i]!])))
  const byNumber = (id: number) => records.find((r) => r['Customer number'] === `C-${String(id).padStart(6, '0')}`)
  return { text, headers: headers!, records, byNumber, result }
}

/** A stream that keeps every chunk written to it, as the file would hold them. */
function collecting(): { out: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = []
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk))
      done()
    },
  })
  return { out, chunks }
}

describe('the columns', () => {
  it('are the record fields, the custom fields by position, then notes for administrators only', async () => {
    const columns = await exportColumns(app.context())
    expect(columns.map((c) => c.label)).toEqual([...RECORD_HEADERS, ...CUSTOM_HEADERS, 'Notes'])
    expect(columns.slice(0, RECORD_KEYS.length).map((c) => c.key)).toEqual(RECORD_KEYS)
    expect(columns.filter((c) => c.group === 'Custom fields').every((c) => /^custom:\d+$/.test(c.key))).toBe(true)
    expect(columns.at(-1)).toEqual({ key: 'notes', label: 'Notes', group: 'Notes', defaultOn: false, adminOnly: true })
    expect(columns.filter((c) => !c.defaultOn).map((c) => c.key)).toEqual(['notes'])
  })

  it('name the file and the job', () => {
    expect(suggestedFileName('csv', new Date(2026, 11, 1, 9))).toBe('customers-2026-12-01.csv')
    expect(suggestedFileName('xlsx', new Date(2026, 0, 9, 23))).toBe('customers-2026-01-09.xlsx')
    expect(describeExport(input('xlsx'))).toBe('Exporting all customers to Excel')
    expect(describeExport(input('csv', ['email'], { kind: 'ids', ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12] }))).toBe('Exporting 12 customers to CSV')
    expect(describeExport(input('csv', ['email'], { kind: 'filter', tab: 'active', filter: customerFilter.parse({}) }))).toBe(
      'Exporting the filtered list to CSV',
    )
  })
})

describe('CSV', () => {
  it('writes UTF-8 with a BOM, the exact headers, CRLF lines and RFC 4180 quoting', async () => {
    const { text, headers } = await csvOf('quoting.csv', input('csv'))
    expect(text.startsWith('\uFEFFCustomer number,First name,')).toBe(true)
    expect(headers).toEqual([...RECORD_HEADERS, ...CUSTOM_HEADERS, 'Notes'])
    expect(text).toContain('\r\n')
    expect(text).toContain(',"Lee, Jr.",')
    expect(text).toContain(',"Quote ""Q"" Ltd",')
    expect(text).toContain('"2026-03-05: Line one\nLine two\n\n2026-03-01: First visit"')
  })

  it("writes a customer's whole record: phones intact, the letters address, labels, money as decimals, custom fields, notes newest first", async () => {
    const { byNumber, records, result } = await csvOf('ann.csv', input('csv'))
    const annDetail = await app.invoke('customers:get', { id: ids.ann })
    expect(byNumber(ids.ann)).toEqual({
      'Customer number': 'C-000001',
      'First name': 'Ann',
      'Last name': 'Lee, Jr.',
      'Display name': 'Ann Lee, Jr.',
      Company: 'Quote "Q" Ltd',
      Email: 'ann@example.com',
      'Mobile phone': '+44 7700 900123; 07700 900456',
      'Home phone': '020 7946 0000',
      'Work phone': '',
      'Other phone': '',
      'Address line 1': '2 Second Street',
      'Address line 2': 'Flat 3',
      City: 'York',
      Region: 'North Yorkshire',
      Postcode: 'YO1 7HH',
      Country: 'GB',
      Status: 'Active',
      Source: 'Phone',
      'Marketing consent': 'Yes',
      Tags: 'Gold card; VIP',
      Groups: 'Newsletter',
      'Customer since': '2026-03-01',
      'Last updated': `${annDetail.updatedAt.slice(0, 19)}Z`,
      Bookings: '2',
      Income: '22.50',
      'Outstanding balance': '35.00',
      Allergies: 'Peanuts',
      'Shoe size': '38.5',
      Birthday: '1990-05-17',
      Member: 'Yes',
      Level: 'Gold',
      Notes: '2026-03-05: Line one\nLine two\n\n2026-03-01: First visit',
    })
    // Archived and blocked customers are in; the recycle bin is not.
    expect(records.map((r) => r.Status)).toEqual(['Active', 'Active', 'Active', 'Active', 'Archived', 'Blocked'])
    expect(byNumber(ids.deleted)).toBeUndefined()
    expect(result).toMatchObject({ fileName: 'ann.csv', rows: 6 })
    expect(result.bytes).toBe(readFileSync(join(folder, 'ann.csv')).length)
  })

  it('neutralises text a spreadsheet would run as a formula, and keeps every script, emoji and phone number', async () => {
    const { byNumber } = await csvOf('hostile.csv', input('csv'))
    expect(byNumber(ids.hostile)).toMatchObject({ 'First name': "'=1+1", 'Last name': "'+SUM(A1)", Company: "'-2+3", 'Display name': "'@cmd" })
    // Stored decomposed, written composed (NFC).
    expect(byNumber(ids.controls)).toMatchObject({ 'First name': "'\tTab led", 'Last name': "'\rReturn led", Company: 'Caf\u00e9' })
    expect(byNumber(ids.world)).toMatchObject({ 'First name': 'Zoë', 'Last name': 'مريم', Company: 'שרה 🎉', 'Work phone': '+44 20 7946 0018' })
  })

  it('leaves out the notes unless asked, and writes the chosen columns in file order', async () => {
    expect((await csvOf('default.csv', input('csv', defaultKeys))).headers).toEqual([...RECORD_HEADERS, ...CUSTOM_HEADERS])
    const few = await csvOf('few.csv', input('csv', ['income', 'email', 'number']))
    expect(few.headers).toEqual(['Customer number', 'Email', 'Income'])
    expect(few.byNumber(ids.ann)).toEqual({ 'Customer number': 'C-000001', Email: 'ann@example.com', Income: '22.50' })
  })

  // The page cache is the SQLite connection's; a server keeps its own.
  it.skipIf(onPostgres)('gives the connection its usual page cache back, written or cancelled', async () => {
    const cacheSize = async () => ((await app.db.raw('PRAGMA cache_size')) as Array<{ cache_size: number }>)[0]!.cache_size
    const usual = await cacheSize()
    await exportTo('cache.csv', input('csv'))
    expect(await cacheSize()).toBe(usual)
    const cancel: Progress = {
      ...NO_PROGRESS,
      checkCancelled() {
        throw new Cancelled()
      },
    }
    await expect(exportTo('cancelled-cache.csv', input('csv'), cancel)).rejects.toBeInstanceOf(Cancelled)
    expect(await cacheSize()).toBe(usual)
  })
})

describe('the formula rule and the money', () => {
  it('neutralises what could run or compute, and leaves international phone numbers (several, "; "-joined) alone', () => {
    const runs = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '+44 7700 900123 ext 12', "-2+3+cmd|' /C calc'!A0"]
    // Hyphens and brackets are operators to a spreadsheet: "+1-202-555-0143" would show as -899.
    const computes = ['+1-202-555-0143', '+44 (0)20 7946 0958', '-1-1', '-(2)-3', '--1', '+44.20.7946', '+44 7700 900123; 020-7946']
    const stays = ['+44 7700 900123', '+44 7700 900123; +44 20 7946 0000', '+44 7700 900123; 020 7946 0000', '(020) 7946-0000', '-', 'Ann', 'a=b']
    for (const text of [...runs, ...computes]) expect([text, mayRunAsFormula(text), neutraliseForCsv(text)]).toEqual([text, true, `'${text}`])
    for (const text of stays) expect([text, mayRunAsFormula(text), neutraliseForCsv(text)]).toEqual([text, false, text])
    // A value that starts with an apostrophe before such a character gets a second one, which the import takes off.
    for (const text of ["'=quoted", "'+44 shop", "''-x"]) expect(neutraliseForCsv(text)).toBe(`'${text}`)
    for (const text of ["'quoted", "O'Brien", "'"]) expect(neutraliseForCsv(text)).toBe(text)
  })

  it('quotes a CSV field exactly when a spreadsheet needs it, and every field reads back as it was', () => {
    const fields = ['Ann', 'Smith, Jones', 'Quote "Q" Ltd', 'two\nlines', 'cr\rhere', ' lead', 'trail ', 'in side', '\uFEFFmark', 'tab\there', '', 'Zoë 🎉', '""']
    const quoted = fields.map(csvField)
    expect(quoted).toEqual(['Ann', '"Smith, Jones"', '"Quote ""Q"" Ltd"', '"two\nlines"', '"cr\rhere"', '" lead"', '"trail "', 'in side', '"\uFEFFmark"', 'tab\there', '', 'Zoë 🎉', '""""""'])
    const text = csvLines([quoted, quoted])
    expect(text.endsWith('\r\n')).toBe(true)
    expect(Papa.parse<string[]>(text, { skipEmptyLines: true }).data).toEqual([fields, fields])
  })

  it('writes every kind of text through the file writer as the field rules say: plain text untouched, the rest neutralised and quoted', async () => {
    const { out, chunks } = collecting()
    const texts = ['Ann', 'Smith, Jones', 'Quote "Q" Ltd', 'two\nlines', 'cr\rhere', ' lead', 'trail ', 'in side', '\uFEFFmark', 'tab\there', 'Zoë 🎉', '""']
    const formulas = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1', '+44 7700 900123', '-', ' =1', 'x=1', "'quoted"]
    const values = [...texts, ...formulas]
    const columns = [{ key: 'name', label: 'Name', kind: 'text' }] as unknown as ColumnSpec[]
    const writer = openCsv({ out, columns, money: moneyFormatOf('GBP') })
    await writer.writeRows(values.map((value) => [value]))
    await writer.finish()
    expect(Buffer.concat(chunks).toString('utf8')).toBe(`\uFEFF${csvLines([['Name'], ...values.map((value) => [csvField(neutraliseForCsv(value))])])}`)
    const read = Papa.parse<string[]>(Buffer.concat(chunks).toString('utf8').slice(1), { skipEmptyLines: true }).data.slice(1)
    expect(read.map(([value]) => value)).toEqual(values.map(neutraliseForCsv))
    expect(read.slice(texts.length).map(([value]) => value)).toEqual(["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\t=1", "'\r=1", '+44 7700 900123', '-', ' =1', 'x=1', "'quoted"])
  })

  it('writes every page byte for byte as its text, in any script and however long its fields, pages larger than the first one included', async () => {
    const { out, chunks } = collecting()
    const columns = [
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'count', label: 'Bookings', kind: 'count' },
      { key: 'income', label: 'Income', kind: 'money' },
    ] as unknown as ColumnSpec[]
    const writer = openCsv({ out, columns, money: moneyFormatOf('GBP') })
    // Each character takes one, two, three or four bytes in UTF-8 (the last two units of UTF-16 each).
    const scripts = ['Ann', 'Zoë Łukasz', 'محمد', '山田太郎', '🎉 Party, "Ltd"', '=1+1']
    const page = (size: number, repeat: number) =>
      Array.from({ length: size }, (_, i) => [scripts[i % scripts.length]!.repeat(repeat), i, i * 125] as Array<string | number>)
    // A small page, then pages far larger than the one before (its buffer grows), then a small one again.
    const pages = [page(3, 1), page(200, 400), page(50, 5_000), page(2, 1)]
    for (const rows of pages) await writer.writeRows(rows.map((row) => [...row]))
    await writer.finish()
    const expected =
      '\uFEFF' +
      csvLines([['Name', 'Bookings', 'Income']]) +
      csvLines(pages.flat().map(([name, count, income]) => [csvField(neutraliseForCsv(String(name))), String(count), decimalOfMinor(Number(income), 2)]))
    expect(Buffer.concat(chunks).equals(Buffer.from(expected, 'utf8'))).toBe(true)
  })

  it("writes money with the currency's own digits and symbol", () => {
    expect(moneyFormatOf('GBP')).toEqual({ currency: 'GBP', digits: 2, excelFormat: '"£"#,##0.00' })
    expect(moneyFormatOf('EUR').excelFormat).toBe('"€"#,##0.00')
    expect(moneyFormatOf('JPY')).toEqual({ currency: 'JPY', digits: 0, excelFormat: '#,##0 "JPY"' })
    expect(moneyFormatOf('CHF').excelFormat).toBe('#,##0.00 "CHF"')
    expect([decimalOfMinor(1250, 2), decimalOfMinor(-5, 2), decimalOfMinor(7, 2), decimalOfMinor(1250, 0), decimalOfMinor(1, 3)]).toEqual([
      '12.50',
      '-0.05',
      '0.07',
      '1250',
      '0.001',
    ])
  })
})

interface SheetRead {
  rows: ExcelJS.Row[]
  sheetXml: string
}

/** The workbook read back with exceljs's streaming reader (as an import would), plus the sheet's own XML for its view and filter. */
async function xlsxOf(name: string, exportInput: ExportInput): Promise<SheetRead & { result: ExportResult }> {
  const { file, result } = await exportTo(name, exportInput)
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'emit' })
  const rows: ExcelJS.Row[] = []
  for await (const sheet of reader) {
    for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) rows.push(row)
  }
  const zip = await JSZip.loadAsync(readFileSync(file))
  return { rows, sheetXml: await zip.file('xl/worksheets/sheet1.xml')!.async('string'), result }
}

describe('Excel', () => {
  it('has a bold, frozen, filtered header and typed cells: dates, money with the currency format, text phones and numbers', async () => {
    const { rows, sheetXml, result } = await xlsxOf('customers.xlsx', input('xlsx'))
    expect(result).toMatchObject({ fileName: 'customers.xlsx', rows: 6 })
    const [header, ann] = rows
    expect((header!.values as unknown[]).slice(1)).toEqual([...RECORD_HEADERS, ...CUSTOM_HEADERS, 'Notes'])
    expect(header!.getCell(1).font?.bold).toBe(true)
    expect(sheetXml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>')
    expect(sheetXml).toContain('<autoFilter ref="A1:AF7"/>')
    expect(sheetXml).not.toContain('<f>')

    const cell = (label: string) => ann!.getCell(RECORD_HEADERS.concat(CUSTOM_HEADERS, 'Notes').indexOf(label) + 1)
    expect(cell('Customer number').value).toBe('C-000001')
    expect(cell('Customer number').numFmt).toBe('@')
    expect(cell('Mobile phone').value).toBe('+44 7700 900123; 07700 900456')
    expect(cell('Home phone').value).toBe('020 7946 0000')
    expect(cell('Customer since').value).toEqual(new Date('2026-03-01T00:00:00Z'))
    expect(cell('Customer since').numFmt).toBe('yyyy-mm-dd')
    const { updatedAt } = await app.invoke('customers:get', { id: ids.ann })
    expect(cell('Last updated').value).toEqual(new Date(`${updatedAt.slice(0, 19)}Z`))
    expect(cell('Last updated').numFmt).toBe('yyyy-mm-dd hh:mm:ss "UTC"')
    expect(cell('Income').value).toBe(22.5)
    expect(cell('Income').numFmt).toBe('"£"#,##0.00')
    expect(cell('Outstanding balance').value).toBe(35)
    expect(cell('Bookings').value).toBe(2)
    expect(cell('Shoe size').value).toBe(38.5)
    expect(cell('Birthday').value).toEqual(new Date('1990-05-17T00:00:00Z'))
    expect(cell('Member').value).toBe('Yes')
    expect(cell('Notes').value).toBe('2026-03-05: Line one\nLine two\n\n2026-03-01: First visit')
    expect(cell('Work phone').value).toBeNull()
  })

  it('writes formula-like text as plain text cells, unchanged, and keeps every script', async () => {
    const { rows } = await xlsxOf('hostile.xlsx', input('xlsx', ['number', 'firstName', 'lastName', 'company', 'displayName', 'workPhone']))
    const row = (id: number) => rows.find((r) => r.getCell(1).value === `C-${String(id).padStart(6, '0')}`)!
    const values = (id: number) => (row(id).values as unknown[]).slice(2)
    expect(values(ids.hostile)).toEqual(['=1+1', '+SUM(A1)', '@cmd', '-2+3'])
    for (const c of [2, 3, 4, 5]) {
      expect(row(ids.hostile).getCell(c).type).toBe(ExcelJS.ValueType.String)
      expect(row(ids.hostile).getCell(c).formula).toBeUndefined()
    }
    expect(values(ids.world)).toEqual(['Zoë', 'مريم', 'Zoë مريم', 'שרה 🎉', '+44 20 7946 0018'])
    expect(values(ids.controls)).toEqual(['\tTab led', '\rReturn led', 'Tab Return', 'Café'])
  })
})

describe('which customers', () => {
  it('exports the ticked ones that still exist, and the list as filtered', async () => {
    const { records } = await csvOf('ids.csv', input('csv', ['number'], { kind: 'ids', ids: [ids.blocked, ids.ann, ids.deleted, 999_999, ids.ann] }))
    expect(records.map((r) => r['Customer number'])).toEqual(['C-000001', `C-00000${ids.blocked}`])

    const vip = await csvOf('vip.csv', input('csv', ['number'], { kind: 'filter', tab: 'active', filter: customerFilter.parse({ tagIds: [ids.vip] }) }))
    expect(vip.records.map((r) => r['Customer number'])).toEqual(['C-000001'])
    const archived = await csvOf('archived.csv', input('csv', ['number', 'status'], { kind: 'filter', tab: 'archived', filter: customerFilter.parse({}) }))
    expect(archived.records).toEqual([{ 'Customer number': `C-00000${ids.archived}`, Status: 'Archived' }])
    const search = await csvOf('search.csv', input('csv', ['firstName'], { kind: 'filter', tab: 'active', filter: customerFilter.parse({ search: 'zoe' }) }))
    expect(search.records).toEqual([{ 'First name': 'Zoë' }])
  })
})

describe('who may export', () => {
  const sam = { id: 2, name: 'Sam at the desk', role: 'staff' as const }

  it('refuses staff who are not administrators, notes or not, and writes nothing', async () => {
    const refused = { ok: false, error: { code: 'FORBIDDEN', message: 'Only an administrator can export customers.' } }
    expect(await app.as(sam, () => app.call('exports:start', input('csv', ['email'])))).toEqual(refused)
    expect(await app.as(sam, () => app.call('exports:start', input('csv', ['email', 'notes'])))).toEqual(refused)
    expect(await app.as(sam, () => app.call('exports:columns', undefined))).toEqual(refused)
    expect(existsSync(join(folder, 'staff.csv'))).toBe(false)
  })

  it('names the columns that do not exist', async () => {
    const refusal = (await assertMayExport(app.context(), input('csv', ['email', 'custom:999', 'shoeSize'])).catch((error: unknown) => error)) as DomainError
    expect(refusal.toApiError()).toMatchObject({ code: 'VALIDATION', field: 'columns', message: expect.stringContaining('custom:999, shoeSize') })
    await expect(assertMayExport(app.context(), input('csv', ['email', 'notes']))).resolves.toBeUndefined()
  })
})

describe('where the file goes', () => {
  it('says so when the folder is gone, and leaves nothing behind', async () => {
    const missing = join(folder, 'gone', 'customers.csv')
    await expect(exportCustomers(app.context(), input('csv', ['email']), missing, NO_PROGRESS)).rejects.toMatchObject({
      code: 'STORAGE',
      message: 'customers.csv could not be saved: the folder no longer exists.',
    })
    expect(existsSync(join(folder, 'gone'))).toBe(false)
  })

  it('never writes over a database or a file SQLite keeps beside one, and says a folder is a folder', async () => {
    const database = join(folder, 'customers.csv')
    const db = new Database(database)
    db.pragma('journal_mode = WAL')
    db.exec('CREATE TABLE kept (x)')
    const before = readFileSync(database)
    for (const target of [database, `${database}-wal`, `${database}-shm`]) {
      expect(existsSync(target)).toBe(true)
      const beside = readFileSync(target)
      await expect(exportCustomers(app.context(), input('csv', ['email']), target, NO_PROGRESS)).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('is a database (a customer file or a backup of one), not a file to save over'),
      })
      expect(readFileSync(target)).toEqual(beside)
    }
    expect(readFileSync(database)).toEqual(before)
    db.close()
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([])
    rmSync(database)
    await expect(exportCustomers(app.context(), input('csv', ['email']), folder, NO_PROGRESS)).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringContaining('is a folder: choose a file name inside it.'),
    })
  })
})

describe('as a job', () => {
  it('asks where to save, exports in the worker and reports the file', async () => {
    const columns = ['number', 'displayName', 'mobilePhone', 'city', 'createdAt', 'income', allKeys.find((k) => k.startsWith('custom:'))!]
    const started = (await app.invoke('exports:start', input('xlsx', columns, { kind: 'ids', ids: [ids.ann, ids.world] }))) as JobStatus
    expect(started.label).toBe('Exporting 2 customers to Excel')
    const done = await finishJob(app.call, started)
    expect(done.state).toBe('done')
    const result = done.result as ExportResult
    expect(result).toMatchObject({ fileName: expect.stringMatching(/^job-customers-\d{4}-\d\d-\d\d\.xlsx$/), rows: 2 })
    expect(readFileSync(join(folder, result.fileName)).length).toBe(result.bytes)
  })
})

describe('a bigger address book', () => {
  /** Three pages' worth, the last one short. */
  const SEEDED = 2 * PAGE_SIZE + PAGE_SIZE / 2
  let big: TestCore
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-export-big-'))
    big = await openTestCore()
    await seedDemoCustomers(big.db, { count: SEEDED, seed: 7, now: new Date('2026-03-01T00:00:00Z') })
    // The first customer of the second page is in the recycle bin.
    await big.db('customers').where({ id: PAGE_SIZE + 1 }).update({ status: 'deleted' })
  }, 120_000)
  afterAll(async () => {
    await big.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  const bigInput = (format: ExportFormat): ExportInput => ({ scope: { kind: 'all' }, format, columns: ['number', 'bookings', 'income', 'outstanding'] })

  it('is read page by page in id order, with money that matches each profile', async () => {
    const file = join(dir, 'all.csv')
    const reports: Array<[number, number]> = []
    const progress: Progress = { ...NO_PROGRESS, report: (done, total) => reports.push([done, total]) }
    const result = await exportCustomers(big.context(), bigInput('csv'), file, progress)
    expect(result.rows).toBe(SEEDED - 1)
    expect(reports).toEqual([[0, SEEDED - 1], [PAGE_SIZE, SEEDED - 1], [2 * PAGE_SIZE, SEEDED - 1], [SEEDED - 1, SEEDED - 1]])
    const [, ...rows] = Papa.parse<string[]>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data
    const numbers = rows.map((r) => Number(r[0]!.slice(2)))
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    expect(numbers).not.toContain(PAGE_SIZE + 1)
    const withMoney = rows.filter((r) => r[2] !== '0.00').slice(0, 25)
    expect(withMoney.length).toBeGreaterThan(10)
    for (const [number, bookings, income, outstanding] of withMoney) {
      const [totals] = await moneyTotalsOf(big.db, Number(number!.slice(2)), 'GBP')
      expect([income, outstanding]).toEqual([(totals!.incomeReceivedMinor / 100).toFixed(2), (totals!.outstandingMinor / 100).toFixed(2)])
      expect(Number(bookings)).toBeGreaterThan(0)
    }
  })

  it.each(['csv', 'xlsx'] as const)('stops on Cancel after a page (%s): no file, no temporary file, an older file untouched', async (format) => {
    const file = join(dir, `cancelled.${format}`)
    writeFileSync(file, 'the export from last week')
    let checks = 0
    const cancelAfterFirstPage: Progress = {
      ...NO_PROGRESS,
      checkCancelled() {
        if (++checks > 1) throw new Cancelled()
      },
    }
    await expect(exportCustomers(big.context(), bigInput(format), file, cancelAfterFirstPage)).rejects.toBeInstanceOf(Cancelled)
    expect(checks).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe('the export from last week')
    expect(readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual([`cancelled.${format}`])

    // With no file there before, none is left behind.
    rmSync(file)
    const cancelAtOnce: Progress = {
      ...NO_PROGRESS,
      checkCancelled() {
        throw new Cancelled()
      },
    }
    await expect(exportCustomers(big.context(), bigInput(format), file, cancelAtOnce)).rejects.toBeInstanceOf(Cancelled)
    expect(readdirSync(dir).filter((f) => f.includes('cancelled'))).toEqual([])
  })

  it('replaces an older file only when the new one is whole', async () => {
    const file = join(dir, 'replaced.xlsx')
    writeFileSync(file, 'old')
    const result = await exportCustomers(big.context(), bigInput('xlsx'), file, NO_PROGRESS)
    expect(result.rows).toBe(SEEDED - 1)
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK')
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([])
  })
})
