import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import { reportKinds, type ReportKind } from '../../preload/contract'
import { createCatalogue, TEST_PRICES } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { expect, saveScreenshot, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { chooseOption } from './choose'

/**
 * The Reports screen: every report opened from the side list and its table
 * checked against customers, bookings and brochure requests made here; the
 * period changed (ready-made, custom, a wrong custom range) and kept in the
 * address across a visit to a profile; CSV and Excel saved through the save
 * dialog and read back; Print opening the printout; screenshots of every
 * report in light and dark, with an accessibility check.
 */

test.describe.configure({ timeout: 180_000 })

const shotsDir = join(__dirname, '../../test-results/reports-shots')

/** en-GB money, as the app shows it in tests: 1234 → "£12.34". */
function gbp(minor: number): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(minor / 100)
}

/** "Dec 2026": how the table names this month. */
function thisMonth(): string {
  return new Date().toLocaleDateString('en-GB', { month: 'short', year: 'numeric' })
}

interface Seeded {
  ada: number
  ben: number
  cara: number
}

/**
 * Three customers, made through the API:
 * - Ada (online): VIP, Members, marketing consent; 2 yoga places (£25.00) paid in full online; asked for a brochure.
 * - Ben (phone): VIP; a massage (£45.00) booked by phone, nothing paid; asked for a brochure.
 * - Cara (walk-in): Members; a pottery place (£30.00) booked at the desk, £10.00 paid.
 */
async function seedDesk(app: FrontdeskApp): Promise<Seeded> {
  const catalogue = await createCatalogue({ invoke: app.api.invoke } as unknown as TestCore)
  const create = (firstName: string, lastName: string, source: 'online' | 'phone' | 'walk-in') =>
    app.api.invoke('customers:create', {
      firstName,
      lastName,
      source,
      email: `${firstName}.${lastName}@example.com`.toLowerCase(),
      addresses: [{ line1: '1 High Street', city: 'Bristol', postcode: 'BS1 1AA', country: 'GB', isDefaultLetters: true }],
    })
  const ada = await create('Ada', 'Lovelace', 'online')
  const ben = await create('Ben', 'Okafor', 'phone')
  const cara = await create('Cara', 'Diaz', 'walk-in')

  await app.api.invoke('customers:addTag', { customerId: ada.id, name: 'VIP' })
  await app.api.invoke('customers:addTag', { customerId: ben.id, name: 'VIP' })
  const members = await app.api.invoke('groups:create', { name: 'Members' })
  await app.api.invoke('customers:addToGroup', { customerId: ada.id, groupId: members.id })
  await app.api.invoke('customers:addToGroup', { customerId: cara.id, groupId: members.id })
  await app.api.invoke('customers:setPreferences', {
    id: ada.id,
    marketingConsent: true,
    unsubscribed: false,
    channel: 'desk',
    wording: 'Yes, send me news and offers.',
  })

  await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: ada.id },
    source: 'online',
    lines: [{ sessionId: catalogue.yoga.sessionId, priceOptionId: catalogue.yoga.adultOptionId, quantity: 2 }],
    payment: { amountMinor: 2 * TEST_PRICES.yogaAdult, method: 'card' },
  })
  await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: ben.id },
    source: 'phone',
    lines: [{ sessionId: catalogue.massage.sessionId, priceOptionId: catalogue.massage.optionId, quantity: 1 }],
  })
  await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: cara.id },
    source: 'walk_in',
    lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId, quantity: 1 }],
    payment: { amountMinor: 1000, method: 'cash' },
  })

  await app.api.invoke('brochures:request', { customerId: ada.id })
  await app.api.invoke('brochures:request', { customerId: ben.id })
  return { ada: ada.id, ben: ben.id, cara: cara.id }
}

function table(page: Page): Locator {
  return page.getByTestId('report-table')
}

/** The body row that mentions `text`. */
function row(page: Page, text: string | RegExp): Locator {
  return table(page).locator('tbody tr').filter({ hasText: text })
}

/** Waits until the figures on screen are the answer for the period asked (not dimmed, not loading). */
async function settled(page: Page) {
  await expect(page.getByTestId('report-figures')).toHaveAttribute('aria-busy', 'false')
}

async function openReport(page: Page, kind: ReportKind) {
  await page.getByTestId(`report-link-${kind}`).click()
  await expect(page.getByTestId('report')).toHaveAttribute('data-report', kind)
  await settled(page)
}

async function choosePeriod(page: Page, title: string) {
  await page.getByTestId('report-period').click()
  await chooseOption(page.getByRole('option', { name: title, exact: true }))
}

test('every report shows what was booked, paid, tagged and asked for; the period changes the figures and stays in the address', { tag: '@smoke' }, async ({ page, app }) => {
  const seeded = await seedDesk(app)
  await page.goto('/#/reports')
  // A bare /reports opens the first report.
  await expect(page).toHaveURL(/#\/reports\/newCustomers/)
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible()
  await settled(page)
  const month = thisMonth()

  // New customers: all three joined this month.
  await expect(row(page, month)).toContainText('3')
  await expect(page.getByTestId('report-totals')).toContainText('3')
  await expect(page.getByTestId('report-chart')).toHaveAttribute('data-chart-type', /bar|line/)

  await openReport(page, 'topCustomers')
  await expect(row(page, 'Ada Lovelace')).toContainText(gbp(2 * TEST_PRICES.yogaAdult))
  await expect(row(page, 'Cara Diaz')).toContainText(gbp(1000))
  await expect(row(page, 'Ada Lovelace').getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', `#/customers/${seeded.ada}`)

  await openReport(page, 'outstandingBalances')
  await expect(row(page, 'Ben Okafor')).toContainText(gbp(TEST_PRICES.massage))
  await expect(row(page, 'Cara Diaz')).toContainText(gbp(TEST_PRICES.pottery - 1000))
  await expect(row(page, 'Ada Lovelace')).toHaveCount(0)
  await expect(page.getByTestId('report-totals')).toContainText(gbp(TEST_PRICES.massage + TEST_PRICES.pottery - 1000))

  await openReport(page, 'customersByTag')
  await expect(row(page, 'VIP')).toContainText('2')

  await openReport(page, 'customersByGroup')
  await expect(row(page, 'Members')).toContainText('2')

  await openReport(page, 'consentRates')
  await expect(table(page)).toContainText('33.3%')

  await openReport(page, 'bookingsByItem')
  await expect(row(page, 'Yoga Flow')).toContainText(gbp(2 * TEST_PRICES.yogaAdult))
  await expect(row(page, 'Massage 60 min')).toContainText(gbp(TEST_PRICES.massage))
  await expect(row(page, 'Pottery taster')).toContainText(gbp(TEST_PRICES.pottery))

  await openReport(page, 'bookingsBySource')
  await expect(row(page, 'Online')).toContainText(gbp(2 * TEST_PRICES.yogaAdult))
  await expect(row(page, 'Phone')).toContainText(gbp(TEST_PRICES.massage))
  await expect(row(page, /Walk-in/i)).toContainText(gbp(TEST_PRICES.pottery))

  await openReport(page, 'brochureRequests')
  await expect(row(page, month)).toContainText('2')

  // A custom period long ago: nothing in it; the period is in the address.
  await openReport(page, 'topCustomers')
  await choosePeriod(page, 'Custom')
  await page.getByTestId('report-from').getByLabel('From').fill('2020-01-01')
  await page.getByTestId('report-to').getByLabel('To').fill('2020-12-31')
  await expect(page).toHaveURL(/range=custom/)
  await expect(page).toHaveURL(/from=2020-01-01/)
  await expect(page).toHaveURL(/to=2020-12-31/)
  await settled(page)
  await expect(page.getByTestId('report-empty')).toContainText('Nothing to report for these dates')
  await expect(row(page, 'Ada Lovelace')).toHaveCount(0)

  // An end before the start is refused in words; the figures stay as they were.
  await page.getByTestId('report-to').getByLabel('To').fill('2019-06-30')
  await expect(page.getByTestId('report-to')).toContainText('The start date must be on or before the end date.')
  await expect(page).toHaveURL(/to=2020-12-31/)
  await page.getByTestId('report-to').getByLabel('To').fill('2020-12-31')

  // Back to a ready-made period: the figures return.
  await choosePeriod(page, 'This year')
  await expect(page).toHaveURL(/range=this-year/)
  await settled(page)
  await expect(row(page, 'Ada Lovelace')).toContainText(gbp(2 * TEST_PRICES.yogaAdult))

  // Switching report keeps the period; a customer's name opens the profile and Back returns to the same report and period.
  await openReport(page, 'outstandingBalances')
  await expect(page).toHaveURL(/#\/reports\/outstandingBalances\?.*range=this-year/)
  await row(page, 'Ben Okafor').getByRole('link', { name: 'Ben Okafor' }).click()
  await expect(page).toHaveURL(new RegExp(`#/customers/${seeded.ben}$`))
  await expect(page.getByTestId('profile-name')).toHaveText('Ben Okafor')
  await page.goBack()
  await expect(page).toHaveURL(/#\/reports\/outstandingBalances\?.*range=this-year/)
  await expect(page.getByTestId('report-period')).toContainText('This year')
  await expect(row(page, 'Ben Okafor')).toContainText(gbp(TEST_PRICES.massage))

  // An unknown report name falls back to the first report.
  await page.goto('/#/reports/noSuchReport')
  await expect(page).toHaveURL(/#\/reports\/newCustomers/)
  await settled(page)

  // By keyboard: a report opens from its link, and the period list opens and chooses with the arrow keys.
  await page.getByTestId('report-link-bookingsBySource').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('report')).toHaveAttribute('data-report', 'bookingsBySource')
  await settled(page)
  await page.getByRole('combobox', { name: 'Period' }).focus()
  await page.keyboard.press('ArrowDown')
  // The list takes focus (on the chosen period) only when its opening transition ends; moving
  // focus before that would be undone.
  await expect(page.locator('[role="option"]:focus')).toHaveCount(1)
  await page.getByRole('option', { name: 'All time', exact: true }).focus()
  await expect(page.getByRole('option', { name: 'All time', exact: true })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(/range=all/)
  await settled(page)
  await expect(row(page, 'Online')).toContainText(gbp(2 * TEST_PRICES.yogaAdult))

  // The brochure worklist sits under Marketing.
  await page.getByTestId('report-link-brochure-requests').click()
  await expect(page).toHaveURL(/#\/reports\/brochure-requests/)
})

/** Every row of the first sheet of an .xlsx file. */
async function readXlsxRows(file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(file)
  const rows: string[][] = []
  workbook.worksheets[0]!.eachRow((sheetRow) => {
    const values = (sheetRow.values as unknown[]).slice(1)
    rows.push(values.map((v) => (v === null || v === undefined ? '' : typeof v === 'object' && 'text' in (v as object) ? String((v as { text: unknown }).text) : String(v))))
  })
  return rows
}

test('Export CSV and Excel through the save dialog, a cancelled dialog says nothing, and Print opens the printout', async ({ page, app }) => {
  await seedDesk(app)
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-reports-'))
  try {
    await page.goto('/#/reports/outstandingBalances?range=all')
    await settled(page)
    await expect(row(page, 'Ben Okafor')).toBeVisible()

    const csvFile = join(dir, 'outstanding.csv')
    app.dialogs.nextReportFile = csvFile
    await page.getByTestId('report-export-csv').click()
    await expect(page.getByTestId('snackbar')).toContainText(/Saved .*outstanding\.csv/)
    const csv = Papa.parse<string[]>(readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data
    const csvText = csv.map((r) => r.join('|')).join('\n')
    expect(csvText).toContain('Ben Okafor')
    expect(csvText).toContain('Cara Diaz')
    expect(csvText).not.toContain('Ada Lovelace')

    const xlsxFile = join(dir, 'outstanding.xlsx')
    app.dialogs.nextReportFile = xlsxFile
    await page.getByTestId('report-export-xlsx').click()
    await expect(page.getByTestId('snackbar')).toContainText(/Saved .*outstanding\.xlsx/)
    const sheet = (await readXlsxRows(xlsxFile)).map((r) => r.join('|')).join('\n')
    expect(sheet).toContain('Ben Okafor')
    expect(sheet).toContain('Cara Diaz')
    expect(sheet).not.toContain('Ada Lovelace')

    // The save dialog cancelled: no file, no message.
    await page.getByRole('button', { name: 'Dismiss message' }).click()
    await expect(page.getByTestId('snackbar')).toBeHidden()
    const suggested = app.dialogs.suggestedNames.length
    await page.getByTestId('report-export-csv').click()
    await expect.poll(() => app.dialogs.suggestedNames.length).toBe(suggested + 1)
    await expect(page.getByTestId('report-export-csv')).toBeEnabled()
    await expect(page.getByTestId('snackbar')).toBeHidden()

    await page.getByTestId('report-print').click()
    const printout = page.getByTestId('printout-dialog')
    await expect(printout).toBeVisible()
    await expect(printout.getByTestId('printout-summary')).toContainText(/\d+ pages?/)
    // The pages drawn: Print is offered once the PDF is read.
    await expect(printout.getByTestId('printout-print')).toBeEnabled()
    await expect(printout.getByTestId('pdf-preview')).toHaveAttribute('aria-busy', 'false')
    await saveScreenshot(page, join(shotsDir, 'print-light.png'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('screenshots of every report in light and dark, and no serious accessibility problems', async ({ page, app }) => {
  test.setTimeout(300_000)
  await app.seed(400, 11)
  // A few brochure requests so that report has something to draw.
  const { rows } = await app.api.invoke('customers:list', { tab: 'active', pageSize: 12 })
  for (const customer of rows) await app.api.invoke('brochures:request', { customerId: customer.id })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const kind of reportKinds) {
      await page.goto(`/#/reports/${kind}?range=all`)
      await settled(page)
      await expect(page.getByTestId('report-title')).not.toBeEmpty()
      await saveScreenshot(page, join(shotsDir, `${kind}-${scheme}.png`), { fullPage: true })
      if (scheme === 'light' && kind === 'topCustomers') await expectNoSeriousA11yViolations(page, 'Top customers (light)')
      if (scheme === 'dark' && kind === 'bookingsBySource') await expectNoSeriousA11yViolations(page, 'Bookings by source (dark)')
    }
  }

  // The custom period's fields and the empty state, once.
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/#/reports/topCustomers?range=custom&from=2001-01-01&to=2001-01-31')
  await settled(page)
  await expect(page.getByTestId('report-empty')).toBeVisible()
  await saveScreenshot(page, join(shotsDir, 'empty-custom-light.png'), { fullPage: true })
  await expectNoSeriousA11yViolations(page, 'an empty custom period')
})

test.describe('while new figures are worked out', () => {
  test.use({ slowChannels: { 'reports:run': 1500 } })

  test('the old figures stay on screen, dimmed, until the new ones arrive', async ({ page, app }) => {
    await seedDesk(app)
    await page.goto('/#/reports/outstandingBalances?range=all')
    await settled(page)
    await expect(row(page, 'Ben Okafor')).toContainText(gbp(TEST_PRICES.massage))

    await choosePeriod(page, 'Custom')
    await page.getByTestId('report-from').getByLabel('From').fill('2020-01-01')
    await page.getByTestId('report-to').getByLabel('To').fill('2020-12-31')
    // Still the old rows, marked busy and dimmed, with the progress bar showing.
    await expect(page.getByTestId('report-figures')).toHaveAttribute('aria-busy', 'true')
    await expect(page.getByTestId('report-figures')).toHaveClass(/report__figures--stale/)
    await expect(page.getByTestId('report-progress')).toBeVisible()
    await expect(row(page, 'Ben Okafor')).toBeVisible()
    await saveScreenshot(page, join(shotsDir, 'loading-light.png'), { fullPage: true })

    await settled(page)
    await expect(row(page, 'Ben Okafor')).toHaveCount(0)
    await expect(page.getByTestId('report-empty')).toBeVisible()
  })
})
