import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import { createCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { chooseOption } from './choose'
import { expect, saveScreenshot, test } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'

/**
 * Customers in and out: the import wizard end to end on a CSV (a column
 * matched by hand, the check with a rejected row, the rejects saved, the
 * import, Undo from Settings → Imports), and the export of the list, the
 * ticked customers and a cancelled save dialog, with each file read back.
 * The file dialogs are the fixture's fake: the test names the file each returns.
 */

/** Seeding, axe and many round trips take a while on a busy machine. */
const SLOW_TEST_TIMEOUT = 180_000

function mappingRow(page: Page, header: string) {
  return page.getByTestId('mapping-row').filter({ has: page.getByText(header, { exact: true }) })
}

/** Picks the field a column of the file fills, typing its name in the open select as the desk would. */
async function matchColumn(page: Page, header: string, field: string) {
  const select = mappingRow(page, header).getByTestId('mapping-select')
  await select.click()
  await expect(page.getByRole('listbox')).toBeVisible()
  await page.keyboard.type(field.toLowerCase())
  await page.keyboard.press('Escape')
  await expect(select).toContainText(field)
}

/** The third data row has no name and a broken email: it is rejected, on line 4 of the file (the headings are line 1). */
const CUSTOMERS_CSV = [
  'Given name,Family name,E-mail,Mobile,Where they live',
  'Ada,Lovelace,ada.lovelace@example.com,07700 900001,London',
  'Grace,Hopper,grace.hopper@example.com,07700 900002,Arlington',
  ',,not-an-email,,Nowhere',
  'Alan,Turing,alan.turing@example.com,07700 900003,Wilmslow',
].join('\r\n')

test('import a CSV through the wizard, save its rejected rows, then undo it from Settings → Imports', async ({ page, app }, testInfo) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const source = testInfo.outputPath('new-customers-from-the-old-booking-system-december.csv')
  writeFileSync(source, CUSTOMERS_CSV)

  // The empty address book offers the import beside the sample customers.
  await page.goto('/#/customers')
  await expect(page.getByTestId('empty-address-book')).toBeVisible()
  await app.screenshot('import-empty-address-book')
  await page.getByTestId('empty-import').click()
  await expect(page.getByRole('heading', { name: 'Import customers', level: 1 })).toBeVisible()
  await expect(page.getByTestId('import-step-choose')).toContainText('vCard contacts (.vcf)')
  await app.screenshot('import-choose')
  await expectNoSeriousA11yViolations(page, 'the import: choose a file')

  // A cancelled open dialog leaves the wizard where it was.
  await page.getByTestId('import-choose-file').click()
  await expect(page.getByTestId('import-choose-file')).toBeEnabled()
  await expect(page.getByTestId('import-step-choose')).toBeVisible()

  // A file that is not a spreadsheet is refused in words.
  const notASpreadsheet = testInfo.outputPath('photo.csv')
  writeFileSync(notASpreadsheet, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]))
  app.dialogs.nextImportFile = notASpreadsheet
  await page.getByTestId('import-choose-file').click()
  await expect(page.getByTestId('import-file-problem')).toBeVisible()
  await app.screenshot('import-choose-refused')

  // Match the columns: the file, its description, one row per column with its first values.
  app.dialogs.nextImportFile = source
  await page.getByTestId('import-choose-file').click()
  await expect(page.getByTestId('import-step-match')).toBeVisible()
  await expect(page.getByTestId('import-file-name')).toHaveText('new-customers-from-the-old-booking-system-december.csv')
  await expect(page.getByTestId('import-file-description')).not.toBeEmpty()
  await expect(page.getByTestId('mapping-row')).toHaveCount(5)
  await expect(mappingRow(page, 'Given name')).toContainText('Ada')
  await expect(mappingRow(page, 'Given name')).toContainText('Grace')
  await expect(mappingRow(page, 'E-mail').getByTestId('mapping-select')).toContainText('Email')

  // Two columns filling one email are refused until one is changed; a column nobody recognised is matched by hand.
  await matchColumn(page, 'Where they live', 'Email')
  await expect(mappingRow(page, 'Where they live')).toContainText('“E-mail” already fills Email')
  await expect(page.getByTestId('import-check')).toBeDisabled()
  await app.screenshot('import-match-repeated-field')
  await matchColumn(page, 'Where they live', 'City')
  await expect(page.getByTestId('import-check')).toBeEnabled()
  await expect(page.getByTestId('import-match-fill').locator('input')).toBeChecked()
  await app.screenshot('import-match')
  await expectNoSeriousA11yViolations(page, 'the import: match the columns')

  // The narrow window keeps the table readable.
  await page.setViewportSize({ width: 900, height: 800 })
  await app.screenshot('import-match-narrow')
  await page.setViewportSize({ width: 1280, height: 800 })

  // Check: nothing changes yet; the rejected row says where and why.
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-checked')).toBeVisible()
  await expect(page.getByTestId('import-count-created')).toContainText('3')
  await expect(page.getByTestId('import-count-rejected')).toContainText('1')
  const reject = page.getByTestId('import-reject')
  await expect(reject).toHaveCount(1)
  await expect(reject.locator('td').first()).toHaveText('4')
  const reason = (await reject.locator('td').nth(1).innerText()).trim()
  expect(reason.length).toBeGreaterThan(5)
  expect((await app.api.invoke('customers:counts', {})).active).toBe(0)
  await app.screenshot('import-check')
  await expectNoSeriousA11yViolations(page, 'the import: check')

  // Save the rejected rows: the file holds the row and its reason.
  const rejectsFile = testInfo.outputPath('rejected-rows.csv')
  app.dialogs.nextRejectsFile = rejectsFile
  await page.getByTestId('import-save-rejects').click()
  await expect(page.getByTestId('snackbar')).toContainText('Saved rejected-rows.csv')
  const saved = Papa.parse<Record<string, string>>(readFileSync(rejectsFile, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true })
  expect(saved.data).toHaveLength(1)
  const reasonColumn = saved.meta.fields?.find((field) => /reason|why|problem/i.test(field))
  expect(reasonColumn, `a reason column among ${saved.meta.fields?.join(', ')}`).toBeTruthy()
  expect(saved.data[0]![reasonColumn!]).toBe(reason)
  expect(saved.data[0]!['E-mail']).toBe('not-an-email')

  // Import: the customers are in the list, the city matched by hand on them.
  await page.getByTestId('import-run').click()
  await expect(page.getByTestId('import-run')).toHaveCount(0)
  await expect(page.getByTestId('import-done')).toBeVisible()
  await expect(page.getByTestId('import-count-created')).toContainText('3')
  await app.screenshot('import-done')
  await expectNoSeriousA11yViolations(page, 'the import: done')
  await page.getByTestId('import-show-customers').click()
  await expect(page.getByTestId('customer-row')).toHaveCount(3)
  await expect(page.getByTestId('customer-row').filter({ hasText: 'Ada Lovelace' })).toBeVisible()
  const ada = (await app.api.invoke('customers:list', { search: 'ada.lovelace@example.com' })).rows[0]!
  const detail = await app.api.invoke('customers:get', { id: ada.id })
  expect(detail.addresses.map((a) => a.city)).toContain('London')
  await app.screenshot('import-customers-list')

  // Settings → Imports: the import, then Undo removes the customers it added.
  await page.goto('/#/settings?section=imports')
  const record = page.getByTestId('import-record')
  await expect(record).toHaveCount(1)
  await expect(record).toContainText('new-customers-from-the-old-booking-system-december.csv')
  await expect(page.getByTestId('imports-settings')).toContainText('3 added')
  await app.screenshot('import-settings')
  await expectNoSeriousA11yViolations(page, 'Settings → Imports')
  await page.getByTestId('import-undo-record').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('The 3 customers it added are removed')
  await app.screenshot('import-settings-undo-confirm')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('imports-undo-outcome')).toContainText('Import undone')
  await expect(page.getByTestId('import-state')).toContainText('Undone')
  await expect(page.getByTestId('import-undo-record')).toHaveCount(0)
  await app.screenshot('import-settings-undone')
  const counts = await app.api.invoke('customers:counts', {})
  expect(counts.active + counts.archived + counts.blocked).toBe(0)
  await page.getByTestId('nav-customers').click()
  await expect(page.getByTestId('empty-address-book')).toBeVisible()
})

test('Settings → Imports before any import says so', async ({ page, app }) => {
  await page.goto('/#/settings?section=imports')
  await expect(page.getByTestId('imports-empty')).toContainText('No imports yet')
  await app.screenshot('import-settings-empty')
})

test('Settings → Imports shows an import still writing, with no Undo until it has finished', async ({ page, app }) => {
  // As another desk's import looks between two of its turns: its counts so far, committed.
  const at = new Date().toISOString()
  await app.core.db('imports').insert({
    file_name: 'spring-newsletter-signups.csv',
    format: 'csv',
    match_mode: 'fill',
    staff_name: 'Administrator',
    started_at: at,
    finished_at: at,
    alive_at: at,
    rows: 12_000,
    created: 4_500,
    state: 'running',
  })
  await page.goto('/#/settings?section=imports')
  await expect(page.getByTestId('import-state')).toContainText('Importing…')
  await expect(page.getByTestId('import-undo-record')).toHaveCount(0)
  await app.screenshot('import-settings-running')
})

test('undo an import from the wizard', async ({ page, app }, testInfo) => {
  const source = testInfo.outputPath('customers.csv')
  writeFileSync(source, CUSTOMERS_CSV)
  app.dialogs.nextImportFile = source
  await page.goto('/#/import')
  await page.getByTestId('import-choose-file').click()
  await page.getByTestId('import-check').click()
  await page.getByTestId('import-run').click()
  await expect(page.getByTestId('import-done')).toBeVisible()
  expect((await app.api.invoke('customers:counts', {})).active).toBe(3)

  await page.getByTestId('import-undo').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('Undo this import?')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('import-undone')).toContainText('Removed the 3 customers it added.')
  await app.screenshot('import-undone-in-wizard')
  expect((await app.api.invoke('customers:counts', {})).active).toBe(0)
})

test('an undo main refuses is said in words: a customer the import added has booked since', async ({ page, app }, testInfo) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const source = testInfo.outputPath('customers.csv')
  writeFileSync(source, CUSTOMERS_CSV)
  app.dialogs.nextImportFile = source
  await page.goto('/#/import')
  await page.getByTestId('import-choose-file').click()
  await page.getByTestId('import-check').click()
  await page.getByTestId('import-run').click()
  await expect(page.getByTestId('import-done')).toBeVisible()

  const catalogue = await createCatalogue({ invoke: app.api.invoke } as unknown as TestCore)
  const ada = (await app.api.invoke('customers:list', { search: 'ada.lovelace@example.com' })).rows[0]!
  await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: ada.id },
    lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId, quantity: 1 }],
  })

  await page.getByTestId('import-undo').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('import-undo-refused')).toContainText('cannot be undone')
  await expect(page.getByTestId('import-undo-refused')).toContainText('Ada Lovelace')
  await app.screenshot('import-undo-refused')

  await page.goto('/#/settings?section=imports')
  await page.getByTestId('import-undo-record').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('imports-undo-outcome')).toContainText('Ada Lovelace')
  await expect(page.getByTestId('import-state')).toContainText('Done')
  await app.screenshot('import-settings-undo-refused')
  expect((await app.api.invoke('customers:counts', {})).active).toBe(3)
})

test('an import stopped after a customer it added was booked meanwhile keeps what it wrote, and says so', async ({ page, app }, testInfo) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  // A book with a customer already: the import then writes in turns, each seen by the desk once committed.
  await app.api.invoke('customers:create', { firstName: 'Already', lastName: 'Here' })
  const source = testInfo.outputPath('many-people.csv')
  const rows = ['First name,Last name,Email']
  for (let i = 0; i < 40_000; i++) rows.push(`Person${i},Turns,turns${i}@example.com`)
  writeFileSync(source, rows.join('\r\n'))
  app.dialogs.nextImportFile = source
  await page.goto('/#/import')
  await page.getByTestId('import-choose-file').click()
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-checked')).toBeVisible({ timeout: 60_000 })
  const catalogue = await createCatalogue({ invoke: app.api.invoke } as unknown as TestCore)
  await page.getByTestId('import-run').click()

  // Once the import has added some customers, the desk books one of them between two of its turns and
  // the import is cancelled before it writes again: however fast the machine, it cannot finish first.
  let first: { id: number } | undefined
  await expect
    .poll(async () => (first = (await app.api.invoke('customers:list', { search: 'turns0@example.com' })).rows[0]), { timeout: 60_000, intervals: [50] })
    .toBeDefined()
  const letImportWrite = await app.holdJobWrites()
  try {
    await app.api.invoke('bookings:create', {
      customer: { kind: 'existing', id: first!.id },
      lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId, quantity: 1 }],
    })
    await page.getByTestId('job-cancel').click()
    await expect(page.getByTestId('job-cancel')).toBeDisabled()
    // The click's own request may still be on its way: this one has arrived when it answers.
    const importJob = (await app.api.invoke('jobs:list', undefined)).find((job) => job.kind === 'import' && job.state === 'running')
    expect(importJob, 'the import is still running when it is cancelled').toBeDefined()
    await app.api.invoke('jobs:cancel', { id: importJob!.id })
  } finally {
    letImportWrite()
  }

  const problem = page.getByTestId('import-job-problem')
  await expect(problem).toContainText('Part of the file was imported.', { timeout: 60_000 })
  await expect(problem).toContainText('customers it had added so far were kept: Person0 Turns')
  await expect(page.getByTestId('import-back-to-check')).toHaveCount(0)
  await app.screenshot('import-stopped-kept')

  await page.getByTestId('import-open-past-imports').click()
  await expect(page.getByTestId('import-state')).toContainText('Done')
  await expect(page.getByTestId('import-undo-record')).toBeVisible()
  const kept = (await app.api.invoke('customers:counts', {})).active
  expect(kept).toBeGreaterThan(1)
  expect(kept).toBeLessThan(40_001)
})

const fixtures = join(__dirname, '..', 'fixtures', 'import')

test('recognised files: Google contacts, a workbook with its sheets, vCards and the migration layout, also in dark mode', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await page.goto('/#/import')

  const open = async (file: string) => {
    app.dialogs.nextImportFile = join(fixtures, file)
    await page.getByTestId('import-choose-file').click()
    await expect(page.getByTestId('import-step-match')).toBeVisible()
    await expect(page.getByTestId('import-file-name')).toHaveText(file)
  }

  await open('google-contacts.csv')
  await expect(page.getByTestId('import-layout')).toContainText('Google')
  await app.screenshot('import-match-google')
  await page.getByTestId('import-choose-another').click()

  // A workbook: its sheets to pick from, each with its own columns.
  app.dialogs.nextImportFile = join(fixtures, 'workbook.xlsx')
  const workbook = (await app.api.invoke('imports:choose', undefined))!
  await open('workbook.xlsx')
  expect(workbook.sheets.length).toBeGreaterThan(1)
  const pickSheet = async (sheet: string) => {
    await page.getByTestId('import-sheet').click()
    await chooseOption(page.getByRole('option', { name: sheet, exact: true }))
  }
  // Each other sheet: read with its own columns, or refused in words beside the picker (the sheet before it stays).
  for (const sheet of workbook.sheets.filter((s) => s !== workbook.sheet)) {
    const answer = await app.api.call('imports:preview', { sourceId: workbook.sourceId, sheet })
    await pickSheet(sheet)
    if (answer.ok) {
      await expect(page.getByTestId('import-file-description')).toContainText(sheet)
      await app.screenshot(`import-match-workbook-${sheet}`)
    } else {
      await expect(page.getByTestId('import-sheet')).toContainText(answer.error.message)
      await expect(page.getByTestId('import-file-description')).toContainText(workbook.sheet!)
      await app.screenshot('import-match-workbook-sheet-refused')
    }
  }
  await pickSheet(workbook.sheet!)
  await expect(page.getByTestId('import-file-description')).toContainText(workbook.sheet!)
  await app.screenshot('import-match-workbook')
  await page.getByTestId('import-choose-another').click()

  await open('photos.vcf')
  await app.screenshot('import-match-vcard')
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-checked')).toBeVisible()
  await app.screenshot('import-check-vcard')
  await page.getByTestId('import-back-to-columns').click()
  await page.getByTestId('import-choose-another').click()

  await open('migration-sample.csv')
  await expect(page.getByTestId('import-layout')).not.toBeEmpty()
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('import-dark-match-migration')
  await expectNoSeriousA11yViolations(page, 'the import: match the columns, in dark mode')
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-checked')).toBeVisible()
  await app.screenshot('import-dark-check-migration')
  await expectNoSeriousA11yViolations(page, 'the import: check, in dark mode')
})

test('a large file: the check and the import show their pace and time left, and Cancel leaves everything as it was', async ({ page, app }, testInfo) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const rows = ['First name,Last name,Email,Phone,City']
  for (let i = 0; i < 60_000; i++) rows.push(`Person${i},Family${i % 997},person${i}@example.com,07700 ${String(100000 + i).slice(-6)},Town ${i % 50}`)
  const source = testInfo.outputPath('large-customer-file.csv')
  writeFileSync(source, rows.join('\n'))
  app.dialogs.nextImportFile = source
  await page.goto('/#/import')
  await page.getByTestId('import-choose-file').click()
  await expect(page.getByTestId('import-step-match')).toBeVisible({ timeout: 60_000 })

  // The check, in place: rows done of all, rows a second and time left, Cancel.
  await page.getByTestId('import-check').click()
  const progress = page.getByTestId('job-progress')
  await expect(progress).toBeVisible()
  await expect(progress.getByTestId('job-progress-count')).toContainText(/[\d,]+ of [\d,]+ rows/)
  await expect(progress.getByTestId('job-progress-pace')).toContainText(/rows a second · (about .* left|less than a minute left|a few seconds left)/)
  await app.screenshot('import-check-progress')
  await progress.getByTestId('job-cancel').click()
  await expect(page.getByTestId('import-job-problem')).toContainText('The check was stopped')
  await app.screenshot('import-check-cancelled')

  // Checked whole, then the import cancelled: nobody is added.
  await page.getByTestId('import-check-again').click()
  await expect(page.getByTestId('import-checked')).toBeVisible({ timeout: 120_000 })
  await expect(page.getByTestId('import-run')).toHaveText(/Import [\d,]+ customers/)
  await page.getByTestId('import-run').click()
  await expect(progress.getByTestId('job-cancel')).toHaveText('Cancel: nothing is imported')
  await expect(progress.getByTestId('job-progress-count')).toContainText(/[\d,]+ of [\d,]+ rows/)
  await app.screenshot('import-run-progress')
  await progress.getByTestId('job-cancel').click()
  await expect(page.getByTestId('import-job-problem')).toContainText('The import was stopped. Nothing was imported.')
  await app.screenshot('import-run-cancelled')
  expect((await app.api.invoke('customers:counts', {})).active).toBe(0)
})

/** Every row of the first sheet of an .xlsx file, read as a stream. */
async function readXlsxRows(file: string): Promise<string[][]> {
  const rows: string[][] = []
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore' })
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as unknown[]).slice(1)
      rows.push(values.map((v) => (v === null || v === undefined ? '' : typeof v === 'object' && 'text' in (v as object) ? String((v as { text: unknown }).text) : String(v))))
    }
    break
  }
  return rows
}

test('export the list to CSV and the ticked customers to Excel; a cancelled save dialog does nothing', async ({ page, app }, testInfo) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(40)
  const active = (await app.api.invoke('customers:counts', {})).active
  const columns = await app.api.invoke('exports:columns', undefined)
  const usual = columns.filter((c) => c.defaultOn)

  await page.goto('/#/customers')
  await expect(page.getByTestId('customer-row')).toHaveCount(active)
  await app.screenshot('export-customers-toolbar')
  await page.getByTestId('customers-export').click()
  const dialog = page.getByTestId('export-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('export-which-all').locator('input')).toBeChecked()
  await expect(page.getByTestId('export-column-count')).toHaveText(`${usual.length} of ${columns.length}`)
  const notes = columns.find((c) => c.adminOnly)
  await app.screenshot('export-dialog')
  if (notes) {
    await expect(page.getByTestId(`export-column-${notes.key}`)).toContainText('Administrators only')
    await page.getByTestId(`export-column-${notes.key}`).scrollIntoViewIfNeeded()
    await saveScreenshot(page, 'test-results/screenshots/export-dialog-notes.png')
  }
  await expectNoSeriousA11yViolations(page, 'the export dialog')

  // The save dialog cancelled: nothing happens, the dialog waits as it was.
  await page.getByTestId('export-start').click()
  await expect.poll(() => app.dialogs.suggestedNames.length).toBe(1)
  await expect(page.getByTestId('export-start')).toBeEnabled()
  await expect(page.getByTestId('export-done')).toHaveCount(0)
  await expect(page.getByTestId('export-problem')).toHaveCount(0)

  // CSV of everyone.
  const csvFile = testInfo.outputPath('customers.csv')
  app.dialogs.nextExportFile = csvFile
  await page.getByTestId('export-start').click()
  await expect(page.getByTestId('export-done')).toHaveText('Exported 40 customers to customers.csv')
  await app.screenshot('export-done')
  const csv = Papa.parse<Record<string, string>>(readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true })
  expect(csv.data).toHaveLength(40)
  expect(csv.meta.fields).toEqual(usual.map((c) => c.label))
  const everyone = (
    await Promise.all((['active', 'archived', 'blocked'] as const).map((tab) => app.api.invoke('customers:list', { tab, pageSize: 100 })))
  ).flatMap((page) => page.rows)
  expect(everyone).toHaveLength(40)
  const emailColumn = usual.find((c) => c.key === 'email')
  if (emailColumn) {
    expect(new Set(csv.data.map((r) => r[emailColumn.label]))).toEqual(new Set(everyone.map((r) => r.email)))
  }
  await page.getByTestId('export-close').click()
  await expect(dialog).toHaveCount(0)

  // Excel of three ticked customers, from the selection bar.
  const ticked = (await app.api.invoke('customers:list', { pageSize: 3 })).rows
  for (const row of ticked) await page.locator(`[data-customer-id="${row.id}"]`).getByTestId('select-row').locator('input').check()
  await page.getByTestId('bulk-export').click()
  await expect(page.getByTestId('export-which-selected')).toContainText('The 3 selected')
  await expect(page.getByTestId('export-which-selected').locator('input')).toBeChecked()
  await page.getByTestId('export-format-xlsx').click()
  await app.screenshot('export-dialog-selected')
  const xlsxFile = testInfo.outputPath('ticked.xlsx')
  app.dialogs.nextExportFile = xlsxFile
  await page.getByTestId('export-start').click()
  await expect(page.getByTestId('export-done')).toHaveText('Exported 3 customers to ticked.xlsx')
  expect(existsSync(xlsxFile)).toBe(true)
  const sheet = await readXlsxRows(xlsxFile)
  expect(sheet[0]).toEqual(usual.map((c) => c.label))
  expect(sheet).toHaveLength(4)
  if (emailColumn) {
    const at = usual.indexOf(emailColumn)
    expect(new Set(sheet.slice(1).map((r) => r[at]))).toEqual(new Set(ticked.map((r) => r.email)))
  }
})

test.describe('a long export', () => {
  // The page hears of the job's end 4 s late, as it would of a large address book's export.
  test.use({ slowChannels: { 'jobs:get': 4_000 } })

  test('progress in the dialog, which may be closed while the file is written (the corner card follows it)', async ({ page, app }, testInfo) => {
    test.setTimeout(SLOW_TEST_TIMEOUT)
    await app.seed(1_000)
    await page.goto('/#/customers')
    await page.getByTestId('customers-export').click()
    await page.getByTestId('export-format-xlsx').click()
    app.dialogs.nextExportFile = testInfo.outputPath('everyone.xlsx')
    await page.getByTestId('export-start').click()
    const progress = page.getByTestId('export-dialog').getByTestId('job-progress')
    await expect(progress).toBeVisible()
    await expect(progress.getByTestId('job-cancel')).toHaveText('Cancel: no file is saved')
    await saveScreenshot(page, 'test-results/screenshots/export-progress.png')
    await page.getByTestId('export-dialog').getByRole('button', { name: 'Close' }).click()
    await expect(page.getByTestId('export-dialog')).toHaveCount(0)
    await expect(page.getByTestId('job-progress')).toBeVisible()
    await saveScreenshot(page, 'test-results/screenshots/export-progress-corner.png')
    await expect(page.getByTestId('snackbar')).toContainText('Exported 1,000 customers to everyone.xlsx')
    expect(existsSync(testInfo.outputPath('everyone.xlsx'))).toBe(true)
  })
})
