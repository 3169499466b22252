import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImportFileProblem, openSource, type OpenedSource } from '../../main/services/imports/sources'

/*
 * Every workbook and vCard in the shared corpora (files written by Excel, LibreOffice, Google Sheets, Outlook, phones
 * and address books, damaged ones included): each is read to its last row or refused with a sentence, within 5 s,
 * and nothing escapes as an unhandled error.
 */

const corpora = join(__dirname, '../../../shared/corpora')
const filesIn = (folder: string) =>
  readdirSync(join(corpora, folder))
    .filter((name) => name !== 'LICENSE')
    .sort()

interface Outcome {
  source?: OpenedSource
  rows: number
  refusal?: string
}

async function readThrough(file: string): Promise<Outcome> {
  try {
    const source = await openSource(file)
    let rows = 0
    for await (const row of source.rows()) {
      expect(row.cells.length).toBeGreaterThanOrEqual(source.headers.length)
      rows++
    }
    return { source, rows }
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileProblem)
    return { rows: 0, refusal: (error as Error).message }
  }
}

const escaped: unknown[] = []
const collect = (error: unknown) => escaped.push(error)
beforeAll(() => {
  process.on('unhandledRejection', collect)
  process.on('uncaughtException', collect)
})
afterAll(() => {
  process.off('unhandledRejection', collect)
  process.off('uncaughtException', collect)
  expect(escaped).toEqual([])
})

const outcomes = new Map<string, Outcome>()

describe.each(['xlsx', 'vcard'])('the %s corpus', (folder) => {
  it.each(filesIn(folder))('%s is read through or refused, within 5 s', async (name) => {
    const started = performance.now()
    const outcome = await readThrough(join(corpora, folder, name))
    expect(performance.now() - started).toBeLessThan(5000)
    outcomes.set(name, outcome)
  })
})

describe('what the corpora show', () => {
  const outcome = (name: string) => {
    const found = outcomes.get(name)
    if (!found) throw new Error(`${name} was not read`)
    return found
  }

  it('refuses the damaged and the empty workbooks, and reads every other one', () => {
    expect(outcome('huge.xlsx').refusal).toBe('This file is empty.')
    expect(outcome('missing-bits.xlsx').refusal).toBe('The workbook is damaged: it has no list of sheets.')
    expect(outcome('invalid-xml.xlsx').refusal).toMatch(/^This workbook could not be read: its sheet “Sheet1” is damaged \(.+\)\.$/)
    const refusedWorkbooks = filesIn('xlsx').filter((name) => outcome(name).refusal !== undefined)
    const withoutData = refusedWorkbooks.filter((name) => outcome(name).refusal === 'This workbook is empty: none of its sheets has any data.')
    expect(refusedWorkbooks.filter((name) => !withoutData.includes(name))).toEqual(['huge.xlsx', 'invalid-xml.xlsx', 'missing-bits.xlsx'])
    expect(withoutData).toEqual(['duplicateRowTest.xlsx', 'images.xlsx', 'test-issue-1842.xlsx', 'test-issue-257.xlsx', 'test-issue-623.xlsx', 'test-issue-771.xlsx'])
  })

  it('takes sheet names from the workbook, where its parts are and in what order the zip stores them', () => {
    // Relationships with absolute targets ("/xl/worksheets/sheet1.xml").
    expect(outcome('test-pr-1220.xlsx').source).toMatchObject({ sheets: ['Sheet', 'KA lijst'], sheet: 'KA lijst' })
    expect(outcome('test-pr-1220.xlsx').rows).toBe(340)
    // The sheets come before the shared texts and the styles in this zip.
    expect(outcome('test-pr-728.xlsx').source).toMatchObject({ sheets: ['Sheet1', 'Sheet2', 'Sheet3'], sheet: 'Sheet1', headers: ['visible'] })
    expect(outcome('chart-sheet.xlsx').source).toMatchObject({ sheets: ['Sheet1'], headers: ['Month', 'Bears', 'Dolphins', 'Whales'] })
    expect(outcome('test-issue-877.xlsx').source?.sheets).toEqual(['Handlungsanweisung', 'Ersatzteilliste', 'Leiterprüfung', 'Feststellanlagen', 'Schweißgerät'])
  })

  it('reads 1904-based dates and escaped texts as Excel shows them', () => {
    expect(outcome('1904.xlsx').source?.headers).toEqual(['Column 1', '1904-01-01'])
    expect(outcome('shared_string_with_escape.xlsx').source?.headers).toEqual(['_x000D_'])
    expect(outcome('test-pr-567.xlsx').source?.headers).toEqual(['leading', 'trailing', 'both'])
  })

  it('counts the contacts of every vCard file', () => {
    const counted = Object.fromEntries(filesIn('vcard').map((name) => [name, outcome(name).source?.description]))
    expect(counted).toMatchObject({
      'John_Doe_ANDROID.vcf': 'vCard 2.1, 6 contacts',
      'John_Doe_IPHONE.vcf': 'vCard 3.0, 1 contact',
      'gmail-list.vcf': 'vCard 3.0, 3 contacts',
      'outlook-2003.vcf': 'vCard 2.1, 1 contact',
      'rfc2426-example.vcf': 'vCard 3.0, 2 contacts',
      'rfc6350-example.vcf': 'vCard 4.0, 1 contact',
    })
    expect(filesIn('vcard').filter((name) => outcome(name).refusal !== undefined)).toEqual([])
    expect(outcome('John_Doe_ANDROID.vcf').rows).toBe(6)
  })
})
