import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportSummary } from '../../preload/contract'
import { checkedInOrder, checkRows, RowChecking } from '../../main/services/imports/checking'
import { rowReader, type RowReaderOptions } from '../../main/services/imports/rows'
import type { SourceRow } from '../../main/services/imports/sources'
import { openTestCore, type TestCore } from '../helpers/core'

/*
 * A large file's rows are checked on threads beside the import's own; what
 * the import keeps must not depend on where a row was checked or in which
 * order the threads answered.
 */

const HEADERS = ['First name', 'Last name', 'Email', 'Mobile', 'Birthday', 'Tags']

/** Good rows with, here and there, a phone, an email or a custom date the desk refuses. */
function row(i: number): string[] {
  const phone = i % 7 === 3 ? '12' : `07700 9${String(100000 + (i % 99999)).slice(1)}`
  const email = i % 11 === 5 ? `not-an-email-${i}` : `person${i % 6000}@example.org`
  const birthday = i % 13 === 7 ? '31/02/1990' : '14/03/1990'
  return [`Zoë${i}`, `Müller${i % 97}`, email, phone, birthday, i % 2 ? 'Yoga' : 'Pilates; Yoga']
}

const OPTIONS: RowReaderOptions = {
  mapping: ['firstName', 'lastName', 'email', 'mobilePhone', 'custom:1', 'tags'],
  headers: HEADERS,
  customFields: [{ id: 1, label: 'Birthday', type: 'date', options: [] }],
  defaultCountry: 'GB',
  phoneKinds: new Map(),
  commaLists: false,
}

describe('checking rows on threads', () => {
  it('gives, batch by batch, what checking in place gives, and the threads take a share', async () => {
    const rows: SourceRow[] = Array.from({ length: 4_000 }, (_, i) => ({ line: i + 2, cells: row(i) }))
    const expected = checkRows(rowReader(OPTIONS), rows)
    expect(expected.filter((r) => 'rejected' in r).length).toBeGreaterThan(600)

    const checking = new RowChecking(OPTIONS, 2, 0)
    try {
      const batches: Array<Promise<unknown[]>> = []
      for (let from = 0; from < rows.length; from += 250) batches.push(checking.check(rows.slice(from, from + 250)))
      expect((await Promise.all(batches)).flat()).toEqual(expected)
      expect(checking.rowsOnThreads).toBeGreaterThan(0)
    } finally {
      await checking.close()
    }
  })

  it('holds a few rows at a time when rows are large, and gives them back in their order', async () => {
    // A phone's contacts with their pictures: 100 KB a row. Batches of 500 such rows held twice over would be 100 MB.
    let read = 0
    let given = 0
    let most = 0
    async function* rows(): AsyncIterable<SourceRow> {
      for (let i = 0; i < 2_000; i++) {
        read++
        most = Math.max(most, read - given)
        yield { line: i + 2, cells: [...row(i), 'x'.repeat(100_000)] }
      }
    }
    const lines: number[] = []
    let told = 0
    for await (const batch of checkedInOrder(rows(), new RowChecking(OPTIONS, 0), () => told++)) {
      given += batch.rows.length
      lines.push(...batch.rows.map((r) => r.line))
      expect(batch.checked).toHaveLength(batch.rows.length)
    }
    expect(lines).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 2))
    expect(told).toBe(2_000)
    expect(most).toBeLessThanOrEqual(12)
  })

  it('checks a small file in place, starting no thread', async () => {
    const checking = new RowChecking(OPTIONS, 2)
    try {
      const rows = Array.from({ length: 300 }, (_, i) => ({ line: i + 2, cells: row(i) }))
      expect(await checking.check(rows)).toEqual(checkRows(rowReader(OPTIONS), rows))
      expect(checking.ahead).toBe(1)
      expect(checking.rowsOnThreads).toBe(0)
    } finally {
      await checking.close()
    }
  })
})

describe('importing a file large enough for checking threads', () => {
  let app: TestCore
  let dir: string

  beforeEach(async () => {
    app = await openTestCore({
      dialogs: {
        chooseImportFile: async () => join(dir, 'large.csv'),
        chooseExportFile: async () => null,
        chooseRejectsFile: async () => null,
        chooseReportFile: async () => null,
        choosePrintoutFile: async () => null,
      },
    })
    dir = mkdtempSync(join(tmpdir(), 'frontdesk-import-checking-'))
  })

  afterEach(async () => {
    await app.cleanup()
    rmSync(dir, { recursive: true, force: true })
  })

  it('rejects the same rows in the file’s order and joins rows about one person wherever they are', async () => {
    const count = 15_000
    const rows = Array.from({ length: count }, (_, i) => row(i))
    writeFileSync(join(dir, 'large.csv'), Papa.unparse([['First name', 'Last name', 'Email', 'Mobile', 'Tags'], ...rows.map(([f, l, e, m, , t]) => [f!, l!, e!, m!, t!])]))
    const preview = await app.invoke('imports:choose', undefined)
    const summary = await app.runJob<ImportSummary>('imports:run', { sourceId: preview!.sourceId, sheet: null, mapping: preview!.mapping, match: 'fill' })

    const refused = rows.flatMap((r, i) => (i % 7 === 3 || i % 11 === 5 ? [i + 2] : []))
    expect(summary.rejected).toBe(refused.length)
    expect(summary.rejects.map((r) => r.line)).toEqual(refused.slice(0, summary.rejects.length))
    const emails = new Set(rows.flatMap((r, i) => (i % 7 === 3 || i % 11 === 5 ? [] : [r[2]])))
    expect(summary.created).toBe(emails.size)
    // Rows 5 and 6005 share an email (row 5's is refused: 5 % 11 is 5); 6 and 6006 are one customer, named by the first.
    const joined = (await app.db('customers').where({ email_normalized: 'person6@example.org' }).select('first_name')) as Array<{ first_name: string }>
    expect(joined).toEqual([{ first_name: 'Zoë6' }])
    const phones = (await app.db('phones').join('customers', 'customers.id', 'phones.customer_id').where({ email_normalized: 'person6@example.org' }).count({ n: '*' })) as Array<{ n: number }>
    expect(Number(phones[0]!.n)).toBe(2)
  }, 120_000)
})
