import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import JSZip from 'jszip'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DomainError } from '../../main/services/errors'
import { ImportFileProblem, openSource, type Cell, type OpenedSource, type SourceRow } from '../../main/services/imports/sources'
import { zeroPaddedText } from '../../main/services/imports/sources/xlsx-cells'

const fixtures = join(__dirname, '..', 'fixtures', 'import')
const fixture = (name: string) => join(fixtures, name)
const utc = (year: number, month: number, day: number, hour = 0, minute = 0) => new Date(Date.UTC(year, month - 1, day, hour, minute))

async function readAll(source: OpenedSource): Promise<SourceRow[]> {
  const rows: SourceRow[] = []
  for await (const row of source.rows()) rows.push(row)
  return rows
}

async function read(name: string, options?: { sheet?: string }) {
  const source = await openSource(fixture(name), options)
  return { source, rows: await readAll(source) }
}

/** A row's filled cells by header: the exact expectation of a row, blanks left out. */
function named(source: OpenedSource, row: SourceRow): Record<string, Cell> {
  return Object.fromEntries(source.headers.flatMap((header, index) => (row.cells[index] === null ? [] : [[header, row.cells[index]!]])))
}

async function refusal(file: string, options?: { sheet?: string }): Promise<string> {
  try {
    await readAll(await openSource(file, options))
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileProblem)
    expect(error).toBeInstanceOf(DomainError)
    expect((error as DomainError).code).toBe('VALIDATION')
    return (error as Error).message
  }
  throw new Error(`${file} was read`)
}

let scratch: string
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'frontdesk-sources-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const scratchFile = (name: string, content: string | Buffer) => {
  const path = join(scratch, name)
  writeFileSync(path, content)
  return path
}

describe('CSV files', () => {
  it('keeps quoted line breaks, doubled quotes and text such as 02134 and 1e5; a record is on the line where it starts', async () => {
    const { source, rows } = await read('quoted-newlines.csv')
    expect(source).toMatchObject({ format: 'csv', description: 'CSV, comma-separated, UTF-8', sheets: [], sheet: null, headers: ['Name', 'Note', 'Phone'] })
    expect(rows).toEqual([
      { line: 2, cells: ['Smith, Ann', 'Line one\r\nLine two', '020 7946 0001'] },
      { line: 4, cells: ['O"Brien', 'She said "hi"', '02134'] },
      { line: 5, cells: ['Plain', 'three\nline\nnote', '1e5'] },
      { line: 8, cells: ['Last', null, '+44 20'] },
    ])
    expect(source.readProgress()).toEqual({ done: statSync(fixture('quoted-newlines.csv')).size, total: statSync(fixture('quoted-newlines.csv')).size })
  })

  it('skips blank lines and rows of empty cells but counts them, with the header below a blank first line', async () => {
    const { source, rows } = await read('blank-lines.csv')
    expect(source.headers).toEqual(['Name', 'City'])
    expect(rows).toEqual([
      { line: 3, cells: ['Ann', 'Paris'] },
      { line: 6, cells: ['Bob', 'Rome'] },
      { line: 8, cells: ['Cy', null] },
    ])
  })

  it('pads short rows with null and keeps the extra cells of long ones, but not their empty ends', async () => {
    const { rows } = await read('ragged.csv')
    expect(rows).toEqual([
      { line: 2, cells: ['1', null, null] },
      { line: 3, cells: ['1', '2', null] },
      { line: 4, cells: ['1', '2', '3', '4'] },
      { line: 5, cells: ['1', '2', '3'] },
      { line: 6, cells: [null, null, null, 'x'] },
    ])
  })

  it('reads UTF-8 with and without a byte-order mark, and turns decomposed accents into NFC', async () => {
    const bom = await read('utf8-bom.csv')
    expect(bom.source.headers).toEqual(['Name', 'Email'])
    expect(bom.rows).toEqual([{ line: 2, cells: ['Zoë Müller', 'zoe@example.com'] }])

    const accents = await read('utf8-accents.csv')
    expect(readFileSync(fixture('utf8-accents.csv'), 'utf8')).toContain('Jose\u0301')
    expect(accents.source.headers).toEqual(['Pr\u00e9nom', 'City'])
    expect(accents.rows).toEqual([
      { line: 2, cells: ['Jos\u00e9 Garc\u00eda', 'Montr\u00e9al'] },
      { line: 3, cells: ['\u00d8rsted', '\u00c5rhus'] },
    ])
  })

  it('finds semicolons (European Excel), tabs and Excel’s "sep=" line', async () => {
    const semicolons = await read('semicolon.csv')
    expect(semicolons.source.description).toBe('CSV, semicolon-separated, UTF-8')
    expect(semicolons.rows[1]).toEqual({ line: 3, cells: ['Bob', '3,00', 'cash, later, maybe'] })

    const separatorLine = await read('sep-line.csv')
    expect(separatorLine.source).toMatchObject({ description: 'CSV, semicolon-separated, UTF-8', headers: ['Name', 'Phone'] })
    expect(separatorLine.rows).toEqual([{ line: 3, cells: ['Ann', '0123'] }])

    const tabs = await read('tabs.tsv')
    expect(tabs.source.description).toBe('CSV, tab-separated, UTF-8')
    expect(tabs.rows).toEqual([
      { line: 2, cells: ['Ann', '0123', 'quoted, with comma'] },
      { line: 3, cells: ['Bob', null, null] },
    ])
  })

  it('reads Windows-1252 (Excel on Windows), € and curly quotes included', async () => {
    const { source, rows } = await read('windows-1252.csv')
    expect(source.description).toBe('CSV, semicolon-separated, Windows-1252')
    expect(rows).toEqual([
      { line: 2, cells: ['Müller', 'Zoë', 'Señor', 'Preis 5 €'] },
      { line: 3, cells: ['O’Neil', 'Chloé', 'Mme', '„Zitat“'] },
    ])
  })

  it('reads short Western files in Windows-1252 as such, not as Japanese or a Central European guess', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-1252-'))
    try {
      const files: Array<[string, string[][]]> = [
        ['pt.csv', [['Nome', 'Apelido', 'Cidade'], ['João', 'Gonçalves', 'Évora'], ['Maria', 'Conceição', 'São Paulo']]],
        ['da.csv', [['Fornavn', 'Efternavn', 'By'], ['Søren', 'Ørsted', 'Århus'], ['Åse', 'Næsby', 'Ærøskøbing']]],
        ['it.csv', [['Nome', 'Cognome', 'Città'], ['Niccolò', 'Forlì', 'Città']]],
        ['de.csv', [['Vorname', 'Nachname', 'Stadt'], ['Jörg', 'Straße', 'München']]],
      ]
      for (const [name, lines] of files) {
        for (const copies of [1, 10, 100]) {
          const file = join(dir, `${copies}-${name}`)
          const body = Array.from({ length: copies }, () => lines.slice(1)).flat()
          writeFileSync(file, iconv.encode([lines[0]!, ...body].map((cells) => cells.join(',')).join('\r\n') + '\r\n', 'windows-1252'))
          const source = await openSource(file)
          expect([name, copies, source.description]).toEqual([name, copies, 'CSV, comma-separated, Windows-1252'])
          expect(source.headers).toEqual(lines[0])
          expect((await readAll(source)).slice(0, lines.length - 1).map((row) => row.cells)).toEqual(lines.slice(1))
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads UTF-16 with a byte-order mark (Excel’s "Unicode text") and without one', async () => {
    const marked = await read('utf16le-bom.txt')
    expect(marked.source).toMatchObject({ description: 'CSV, tab-separated, UTF-16', headers: ['Name', 'City'] })
    expect(marked.rows).toEqual([
      { line: 2, cells: ['Łukasz', 'Kraków'] },
      { line: 3, cells: ['李雷', '北京'] },
    ])
    const unmarked = await read('utf16le-no-bom.csv')
    expect(unmarked.rows).toEqual([{ line: 2, cells: ['Ann', 'Zürich'] }])
  })

  it('reads a short Shift_JIS file (Excel on Japanese Windows) as Japanese, not as a Western guess', async () => {
    const { source, rows } = await read('shift-jis.csv')
    expect(source).toMatchObject({ description: 'CSV, comma-separated, Shift_JIS', headers: ['氏名', '電話', '住所'] })
    expect(rows).toEqual([
      { line: 2, cells: ['山田太郎', '03-1234-5678', '東京都千代田区'] },
      { line: 3, cells: ['鈴木花子', '06-1234-5678', '大阪府大阪市'] },
    ])
  })

  it('reads Google Contacts exports in the old and the 2023 layout', async () => {
    const legacy = await read('google-contacts-legacy.csv')
    expect(legacy.source.headers).toHaveLength(54)
    expect(legacy.source.headers.slice(0, 4)).toEqual(['Name', 'Given Name', 'Additional Name', 'Family Name'])
    expect(legacy.source.headers).toContain('E-mail 1 - Type')
    expect(legacy.rows.map((row) => row.line)).toEqual([2, 6])
    expect(named(legacy.source, legacy.rows[0]!)).toMatchObject({
      Name: 'Ann Smith',
      Notes: 'Prefers mornings.\nAllergic to nuts.',
      'Group Membership': '* myContacts ::: VIP',
      'E-mail 1 - Value': 'ann@example.com ::: ann.smith@work.example',
      'Phone 2 - Value': '020 7946 0001',
      'Address 1 - Formatted': '1 High St\nLondon\nN1 1AA',
    })
    expect(named(legacy.source, legacy.rows[1]!)).toEqual({ Name: 'Bob', 'Given Name': 'Bob', 'Group Membership': '* myContacts', 'Phone 1 - Type': 'Work', 'Phone 1 - Value': '0044 20 7946 0002' })

    const current = await read('google-contacts.csv')
    expect(current.source.headers.slice(0, 3)).toEqual(['First Name', 'Middle Name', 'Last Name'])
    expect(current.source.headers).toContain('Phone 1 - Label')
    expect(current.rows.map((row) => row.line)).toEqual([2, 4])
    expect(named(current.source, current.rows[0]!)).toMatchObject({ 'First Name': 'Chloé', 'Organization Name': 'Café Lumière', Birthday: '--04-15', Labels: '* myContacts ::: Regulars' })
  })

  it('reads an Outlook export', async () => {
    const { source, rows } = await read('outlook.csv')
    expect(source.headers).toHaveLength(61)
    expect(source.headers.slice(8, 11)).toEqual(['E-mail Address', 'E-mail 2 Address', 'E-mail 3 Address'])
    expect(rows.map((row) => row.line)).toEqual([2, 4])
    expect(named(source, rows[0]!)).toMatchObject({ 'Mobile Phone': '070-123 45 67', 'Home Street': 'Storgatan 1\nLgh 1102', 'Home Postal Code': '111 22', Birthday: '5/17/1980' })
  })

  it('hands on hostile text exactly as written: right-to-left, emoji, formulas, quotes, padding', async () => {
    const { rows } = await read('hostile.csv')
    expect(rows.map((row) => row.cells)).toEqual([
      ['محمد أحمد', 'RTL \u202eoverride\u202c text', '=1+1'],
      ['שָׁלוֹם', '👩‍👩‍👧 family 🎉', '+44 20 7946 0000'],
      ['Quote "this"', 'comma, inside', '-2+3'],
      ['  padded  ', '@SUM(A1)', '=HYPERLINK("http://x.example","y")'],
    ])
  })

  it('reads again from the start, also after a reading stopped early', async () => {
    const source = await openSource(fixture('quoted-newlines.csv'))
    for await (const row of source.rows()) {
      expect(row.line).toBe(2)
      break
    }
    expect((await readAll(source)).map((row) => row.line)).toEqual([2, 4, 5, 8])
    expect((await readAll(source)).map((row) => row.line)).toEqual([2, 4, 5, 8])
  })

  it('reads a CSV named .xlsx as CSV: the content decides', async () => {
    const source = await openSource(scratchFile('really-a.xlsx', 'Name,Phone\nAnn,0123\n'))
    expect(source.format).toBe('csv')
    expect(await readAll(source)).toEqual([{ line: 2, cells: ['Ann', '0123'] }])
  })
})

describe('Excel workbooks', () => {
  it('reads the first sheet with data: texts, zero-padded numbers, dates, formulas, errors, links, merged cells', async () => {
    const { source, rows } = await read('workbook.xlsx')
    expect(source).toMatchObject({ format: 'xlsx', description: 'Excel workbook, sheet “Customers”', sheets: ['Empty', 'Customers', 'Archive'], sheet: 'Customers' })
    expect(source.headers).toEqual(['Name', 'Postcode', 'Phone', 'Birthday', 'Visits', 'Member', 'Spent', 'Balance', 'Status', 'Email', 'Customer no', 'Column 12', 'Notes'])
    expect(rows).toEqual([
      { line: 3, cells: ['Ann Smith', '02134', '07911123456', utc(1990, 4, 15), 12, true, 30, 0, null, 'ann@example.com', 12345, null, 'Line one\nLine two'] },
      { line: 5, cells: ['Bob Jones', '00501', '+44 20 7946 0000', utc(1985, 1, 2, 14, 30), 0, false, null, null, '=not a formula', null, '0044', null, null] },
      { line: 6, cells: ['Clara Merged', null, '0123', null, null, null, null, null, null, null, null, null, null] },
      { line: 8, cells: ['Dora Leap', null, null, utc(2000, 2, 29), null, null, null, null, null, null, null, null, null] },
    ])
    expect(source.readProgress().done).toBe(source.readProgress().total)
    expect(source.readProgress().total).toBeGreaterThan(0)
  })

  it('reads a sheet chosen by name, hidden ones too; an empty or unknown sheet is refused by name', async () => {
    const archive = await read('workbook.xlsx', { sheet: 'archive' })
    expect(archive.source).toMatchObject({ sheet: 'Archive', description: 'Excel workbook, sheet “Archive”', headers: ['Name', 'Left on'] })
    expect(archive.rows).toEqual([{ line: 2, cells: ['Old Customer', utc(2019, 12, 31)] }])
    expect(await refusal(fixture('workbook.xlsx'), { sheet: 'Empty' })).toBe('The sheet “Empty” is empty.')
    expect(await refusal(fixture('workbook.xlsx'), { sheet: 'Clients' })).toBe('This workbook has no sheet named “Clients”. Its sheets are “Empty”, “Customers”, “Archive”.')
  })

  it('leaves out the phonetic guides Excel keeps over Japanese names', async () => {
    const zip = await JSZip.loadAsync(readFileSync(fixture('workbook.xlsx')))
    const texts = await zip.file('xl/sharedStrings.xml')!.async('string')
    zip.file('xl/sharedStrings.xml', texts.replace('<si><t>Bob Jones</t></si>', '<si><t>山田太郎</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><rPh sb="2" eb="4"><t>タロウ</t></rPh><phoneticPr fontId="1"/></si>'))
    const rows = await readAll(await openSource(scratchFile('furigana.xlsx', await zip.generateAsync({ type: 'nodebuffer' }))))
    expect(rows[1]!.cells[0]).toBe('山田太郎')
  })

  it('shows numbers under zero-padded formats as Excel does, and leaves other formats alone', () => {
    expect(zeroPaddedText(2134, '00000')).toBe('02134')
    expect(zeroPaddedText(123456, '00000')).toBe('123456')
    expect(zeroPaddedText(7911123456, '"0"0000000000')).toBe('07911123456')
    expect(zeroPaddedText(12345678, '000-00-0000')).toBe('012-34-5678')
    expect(zeroPaddedText(42, '0000;-0000;"zero"')).toBe('0042')
    expect(zeroPaddedText(42, '\\#0000')).toBe('#0042')
    for (const format of ['0', 'General', '0.00', '#,##0', '00.00', '0%', '[<=9999999]###-####;(###) ###-####', '@', 'yyyy-mm-dd']) {
      expect(zeroPaddedText(42, format), format).toBeNull()
    }
    expect(zeroPaddedText(-42, '0000')).toBeNull()
    expect(zeroPaddedText(4.2, '0000')).toBeNull()
  })

  it('counts dates from 1904 in a workbook that says so', async () => {
    const { rows } = await read('dates-1904.xlsx')
    expect(rows).toEqual([{ line: 2, cells: ['Dee', utc(1975, 6, 1)] }])
  })

  it('gives the same dates in any time zone', async () => {
    const zone = process.env.TZ
    try {
      for (const tz of ['America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        process.env.TZ = tz
        const { rows } = await read('workbook.xlsx')
        expect(new Date(2000, 0, 1).getTimezoneOffset()).not.toBe(0)
        expect(rows.map((row) => (row.cells[3] as Date | null)?.toISOString() ?? null)).toEqual(['1990-04-15T00:00:00.000Z', '1985-01-02T14:30:00.000Z', null, '2000-02-29T00:00:00.000Z'])
      }
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('refuses a damaged workbook with a reason, in seconds', async () => {
    const whole = readFileSync(fixture('workbook.xlsx'))
    const started = Date.now()
    expect(await refusal(scratchFile('cut.xlsx', whole.subarray(0, whole.length / 2)))).toBe('This workbook could not be read: the file is damaged or incomplete.')

    const withSheet = async (name: string, xml: string) => {
      const zip = await JSZip.loadAsync(whole)
      zip.file('xl/worksheets/sheet2.xml', xml)
      return scratchFile(name, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }))
    }
    const rowOne = '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
    expect(await refusal(await withSheet('invalid.xlsx', `<worksheet><sheetData>${rowOne}</sheetData></worksheet>trailing text`))).toMatch(
      /^This workbook could not be read: its sheet “Customers” is damaged \((?!it ends).+\)\.$/,
    )
    expect(await refusal(await withSheet('cut-sheet.xlsx', `<worksheet><sheetData>${rowOne}`))).toBe(
      'This workbook could not be read: its sheet “Customers” is damaged (it ends before its last row).',
    )

    // Bytes flipped inside the compressed cells: refused or read, never a hang or a crash.
    const garbled = Buffer.from(whole)
    for (let at = Math.floor(garbled.length * 0.3); at < garbled.length * 0.6; at += 97) garbled[at] = garbled[at]! ^ 0xff
    const file = scratchFile('garbled.xlsx', garbled)
    try {
      await readAll(await openSource(file))
    } catch (error) {
      expect(error).toBeInstanceOf(ImportFileProblem)
    }
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('refuses zips that hold no workbook, each with what to do', async () => {
    const zipOf = async (files: Record<string, string>, options: JSZip.JSZipGeneratorOptions<'nodebuffer'> = {}) => {
      const zip = new JSZip()
      for (const [path, content] of Object.entries(files)) zip.file(path, content)
      return zip.generateAsync({ type: 'nodebuffer', ...options })
    }
    expect(await refusal(scratchFile('photos.zip', await zipOf({ 'a.txt': 'hello' })))).toMatch(/^This is a zip archive, not a spreadsheet\./)
    expect(await refusal(scratchFile('letter.docx', await zipOf({ 'word/document.xml': '<w/>' })))).toMatch(/^This is a Word document/)
    expect(await refusal(scratchFile('book.xlsb', await zipOf({ 'xl/workbook.bin': 'x' })))).toMatch(/^This is an Excel binary workbook \(\.xlsb\)\. Open it in Excel/)
    expect(await refusal(scratchFile('list.numbers', await zipOf({ 'Index/Document.iwa': 'x' })))).toMatch(/^This is an Apple Numbers file\. In Numbers, choose File › Export To/)
    const ods = await zipOf({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' }, { compression: 'STORE' })
    expect(await refusal(scratchFile('list.ods', ods))).toMatch(/^This is an OpenDocument spreadsheet \(\.ods\)\. Open it in Excel \(or LibreOffice\), save it as \.xlsx or CSV/)
    expect(await refusal(scratchFile('parts.xlsx', await zipOf({ 'xl/styles.xml': '<styleSheet/>' })))).toBe('The workbook is damaged: it has no list of sheets.')
  })
})

describe('vCard files', () => {
  const headers = ['Full name', 'First name', 'Last name', 'Middle name', 'Prefix', 'Suffix', 'Company', 'Email', 'Email 2', 'Email 3', 'Mobile phone', 'Home phone', 'Work phone', 'Other phone', 'Street', 'Extended address', 'City', 'Region', 'Postcode', 'Country', 'Birthday', 'Note', 'Categories', 'Photo']

  it('reads 2.1 cards: quoted-printable in Windows-1252 and UTF-8, soft line breaks, bare types, fax left out, a nested card ignored', async () => {
    const { source, rows } = await read('outlook-21.vcf')
    expect(source).toMatchObject({ format: 'vcard', description: 'vCard 2.1, 2 contacts', sheets: [], sheet: null, headers })
    expect(rows.map((row) => row.line)).toEqual([1, 2])
    expect(named(source, rows[0]!)).toEqual({
      'Full name': 'Dr. Zoë Müller', 'First name': 'Zoë', 'Last name': 'Müller', Prefix: 'Dr.', Company: 'Café Central',
      Email: 'zoe.mueller@example.de', 'Email 2': 'zoe@example.de',
      'Mobile phone': '+49 170 1234567', 'Home phone': '+49 30 1234567', 'Other phone': '+49 30 5555555',
      Street: 'Hauptstraße 5, Hinterhaus', City: 'Berlin', Postcode: '10115', Country: 'Deutschland',
      Birthday: utc(1980, 3, 22), Note: 'Allergie: Nüsse\nZweite Zeile mit Fortsetzung\nOther email: zoe@example.de', Categories: 'Stammkunde; VIP',
    })
    expect(named(source, rows[1]!)).toEqual({ 'Full name': 'John Doe', 'First name': 'John', 'Last name': 'Doe', 'Work phone': '+1 555 0199' })
  })

  it('reads 3.0 cards: folding (inside a character too), escapes, grouped labels, the preferred address, a birthday without a year', async () => {
    const { source, rows } = await read('folded-30.vcf')
    expect(source.description).toBe('vCard 3.0, 1 contact')
    expect(rows).toHaveLength(1)
    expect(named(source, rows[0]!)).toEqual({
      'Full name': 'Zoë Anna Łukasiewicz', 'First name': 'Zoë', 'Last name': 'Łukasiewicz', 'Middle name': 'Anna', Company: 'Apfel & Co.',
      Email: 'zoe@example.pl', 'Email 2': 'zoe.home@example.pl',
      'Mobile phone': '+48 600 100 200; +48 600 999 888', 'Home phone': '+48 22 100 20 30',
      Street: 'ul. Długa 5, m. 7', City: 'Kraków', Region: 'małopolskie', Postcode: '31-147', Country: 'Polska',
      Birthday: '--0415', Note: 'Prefers mornings, never Mondays.\nAllergic to nickel; see file.\nOther email: zoe.home@example.pl\nOther address (work): ul. Marszałkowska 1, Warszawa, 00-001, Polska', Categories: 'VIP; Yoga, advanced',
    })
  })

  it('reads 4.0 cards: PREF=1, tel: addresses, a data: photo, a web photo ignored; a card without VERSION is read, an empty one skipped', async () => {
    const { source, rows } = await read('contacts-40.vcf')
    expect(source.description).toBe('vCard 4.0, 5 contacts')
    expect(rows.map((row) => row.line)).toEqual([1, 2, 3, 5])
    const { Photo, ...amara } = named(source, rows[0]!)
    expect(amara).toEqual({
      'Full name': 'Amara Okafor', 'First name': 'Amara', 'Last name': 'Okafor', Email: 'amara@home.example', 'Email 2': 'amara@work.example',
      // A customer has one email: the card's other goes into the note.
      Note: 'Other email: amara@work.example',
      'Mobile phone': '+234-803-555-0101', 'Home phone': '+234-1-555-0102', Street: '12 Marina Road', City: 'Lagos', Region: 'Lagos State',
      Postcode: '101001', Country: 'Nigeria', Birthday: '--0415',
    })
    expect(await pictureIn(Photo)).toEqual({ format: 'png', width: 2, height: 2 })
    expect(named(source, rows[1]!)).toEqual({ 'Full name': '李雷', 'First name': '雷', 'Last name': '李', Birthday: utc(1990, 1, 1) })
    expect(named(source, rows[2]!)).toEqual({ 'Full name': 'No Version Person', Email: 'nover@example.com' })
    expect(named(source, rows[3]!)).toEqual({ 'Full name': 'Last One', 'Other phone': '+1 555 0123' })
  })

  it('turns embedded photos (2.1 BASE64, 3.0 ENCODING=b) into data: URIs', async () => {
    const { rows } = await read('photos.vcf')
    expect(rows.map((row) => row.line)).toEqual([1, 2])
    expect(await pictureIn(rows[0]!.cells[23]!)).toEqual({ format: 'jpeg', width: 2, height: 2 })
    expect(await pictureIn(rows[1]!.cells[23]!)).toEqual({ format: 'png', width: 2, height: 2 })
  })

  it('ends a card that lacks its END where the next card begins', async () => {
    const file = scratchFile('cut.vcf', 'BEGIN:VCARD\nVERSION:3.0\nFN:First Cut\nTEL:+1 555 0101\nBEGIN:VCARD\nVERSION:3.0\nFN:Second Whole\nEND:VCARD\n')
    const source = await openSource(file)
    expect(source.description).toBe('vCard 3.0, 2 contacts')
    expect((await readAll(source)).map((row) => named(source, row))).toEqual([
      { 'Full name': 'First Cut', 'Other phone': '+1 555 0101' },
      { 'Full name': 'Second Whole' },
    ])
  })

  it('reads a UTF-16 vCard file', async () => {
    const { source, rows } = await read('utf16.vcf')
    expect(named(source, rows[0]!)).toEqual({ 'Full name': 'Şebnem Yılmaz', 'First name': 'Şebnem', 'Last name': 'Yılmaz', 'Mobile phone': '+90 532 000 0000' })
  })

  async function pictureIn(cell: Cell | undefined) {
    const match = /^data:image\/(\w+);base64,([A-Za-z0-9+/=]+)$/.exec(String(cell))
    expect(match).not.toBeNull()
    const { format, width, height } = await sharp(Buffer.from(match![2]!, 'base64')).metadata()
    expect(match![1]).toBe(format)
    return { format, width, height }
  }
})

describe('files that are not ours', () => {
  it('refuses each with a sentence that says what to do', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)])
    const encrypted = Buffer.concat([ole, Buffer.from('EncryptedPackage', 'utf16le')])
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))
    const folder = join(scratch, 'folder')
    const numbers = join(scratch, 'Customers.numbers')
    mkdirSync(folder)
    mkdirSync(numbers)
    const cases: Array<[string, string | RegExp]> = [
      [scratchFile('empty.csv', ''), 'This file is empty.'],
      [scratchFile('blank.csv', '\n  \n\n'), 'This file has no data: every line in it is blank.'],
      [scratchFile('old.xls', ole), /^This is an old Excel \(\.xls\) workbook or another older Office file\. Open it in Excel \(or LibreOffice\), save it as \.xlsx or CSV, and import that\.$/],
      [scratchFile('locked.xlsx', encrypted), /^This workbook is protected by a password\./],
      [scratchFile('scan.pdf', '%PDF-1.7\n%âãÏÓ\n'), /^This is a PDF document, not a spreadsheet\./],
      [scratchFile('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), 'This is a picture, not a spreadsheet, CSV or vCard file.'],
      [scratchFile('export.xls', '<html><body><table><tr><td>Ann</td></tr></table></body></html>'), /^This is a web page or an XML file, not a spreadsheet/],
      [scratchFile('2003.xml', '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'), /^This is an Excel 2003 XML spreadsheet\./],
      [scratchFile('noise.bin', noise), 'This file is not a spreadsheet, CSV or vCard file.'],
      [scratchFile('contacts.vcf', 'Name,Phone\nAnn,0123\n'), 'This vCard file has no contacts.'],
      [join(scratch, 'missing.csv'), 'The file could not be found. It may have been moved, renamed or deleted.'],
      [folder, 'This is a folder, not a file.'],
      [numbers, /^This is an Apple Numbers file\./],
    ]
    for (const [file, expected] of cases) {
      const message = await refusal(file)
      if (typeof expected === 'string') expect(message, file).toBe(expected)
      else expect(message, file).toMatch(expected)
    }
  })
})
