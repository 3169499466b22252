import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Page } from '@playwright/test'
import { createCatalogue, type TestCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { parsePdf } from '../helpers/pdf'
import { expect, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'

/**
 * A statement from the profile: the period chosen in its dialog, the pages
 * shown, saved through the save dialog as a PDF carrying the customer's name;
 * a custom period that runs backwards is refused at its field. The letterhead
 * settings (address, phone, email, logo) in light and dark.
 */

test.describe.configure({ timeout: 150_000 })

function catalogueFor(app: FrontdeskApp): Promise<TestCatalogue> {
  return createCatalogue({ invoke: app.api.invoke } as unknown as TestCore)
}

async function logoPng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300"><rect width="300" height="300" rx="60" fill="#1f6f8b"/><circle cx="150" cy="150" r="80" fill="#fff"/><text x="330" y="190" font-size="110" font-family="sans-serif" fill="#1f6f8b">Harbour</text></svg>`
  return sharp(Buffer.from(svg)).png().toBuffer()
}

async function openProfile(page: Page, id: number) {
  await page.goto(`/#/customers/${id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
}

test('a statement made from the profile is shown page by page and saved as a PDF with the customer’s name', async ({ page, app }) => {
  await app.api.invoke('settings:update', { businessName: 'Harbour Yoga Studio', businessAddress: '12 Quay Street\nBristol\nBS1 4DJ', businessPhone: '0117 496 0000', businessEmail: 'hello@harbour.example' })
  await app.api.invoke('settings:setLogo', { image: new Uint8Array(await logoPng()) })
  const catalogue = await catalogueFor(app)
  const { id } = await app.api.invoke('customers:create', {
    firstName: 'Αικατερίνη',
    lastName: 'Παπαδοπούλου',
    addresses: [{ line1: 'Flat 3, 22 Park Row', city: 'Leeds', postcode: 'LS1 5HD', country: 'GB', isDefaultLetters: true }],
  })
  const booked = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id },
    lines: [{ sessionId: catalogue.yoga.sessionId, priceOptionId: catalogue.yoga.adultOptionId, quantity: 2 }],
    payment: { amountMinor: 1000, method: 'card' },
  })

  await openProfile(page, id)
  await page.getByTestId('sidebar-money').getByTestId('statement-button').click()
  const dialog = page.getByTestId('statement-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('statement-days')).toContainText('–')

  // A custom period running backwards is refused at its field, nothing made.
  await dialog.getByTestId('statement-period-custom').click()
  await dialog.getByTestId('statement-from').locator('input').fill('2026-03-10')
  await dialog.getByTestId('statement-to').locator('input').fill('2026-03-01')
  await dialog.getByTestId('statement-make').click()
  await expect(dialog.getByTestId('statement-to')).toContainText('The start date must be on or before the end date.')
  await app.screenshot('statement-period-dialog')
  await expectNoSeriousA11yViolations(page, 'the statement period dialog')

  await dialog.getByTestId('statement-period-this-month').click()
  await dialog.getByTestId('statement-make').click()
  const shown = page.getByTestId('printout-dialog')
  await expect(shown).toBeVisible()
  await expect(shown).toContainText('Statement for Αικατερίνη Παπαδοπούλου')
  await expect(shown.getByTestId('printout-summary')).toContainText('1 page')
  await expect(shown.locator('canvas').first()).toBeVisible()
  await app.screenshot('statement-printout-light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('statement-printout-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  const dir = mkdtempSync(join(tmpdir(), 'statement-save-'))
  try {
    const file = join(dir, 'statement.pdf')
    app.dialogs.nextPrintoutFile = file
    await shown.getByRole('button', { name: /Save/ }).click()
    await expect(page.getByText(/Saved /)).toBeVisible()
    expect(app.dialogs.suggestedNames.at(-1)).toMatch(/^Statement C-\d{6} Αικατερίνη Παπαδοπούλου \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\.pdf$/)
    const bytes = readFileSync(file)
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const pages = await parsePdf(new Uint8Array(bytes))
    const text = pages.map((p) => p.text).join('\n')
    expect(text).toContain('Αικατερίνη Παπαδοπούλου')
    expect(text).toContain('Harbour Yoga Studio')
    expect(text).toContain(booked.booking.reference)
    expect(text).toMatch(/Outstanding balance at .+£15\.00/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  // The same action sits at the top of the Invoices tab.
  await shown.getByRole('button', { name: 'Close' }).click()
  await expect(shown).toBeHidden()
  await page.getByTestId('tab-invoices').click()
  const invoices = page.getByTestId('invoices-tab')
  await expect(invoices.getByTestId('statement-button')).toBeVisible()
  await app.screenshot('statement-invoices-tab')
  await invoices.getByTestId('statement-button').click()
  await expect(page.getByTestId('statement-dialog')).toBeVisible()
})

test('the letterhead settings: address, phone, email checked, logo chosen, previewed and removed, in light and dark', async ({ page, app }) => {
  await page.goto('/#/settings')
  const form = page.getByTestId('letterhead-form')
  await expect(form).toBeVisible()
  await form.getByTestId('letterhead-address').locator('textarea').first().fill('12 Quay Street\nBristol\nBS1 4DJ')
  await form.getByTestId('letterhead-phone').locator('input').fill('0117 496 0000')
  await form.getByTestId('letterhead-email').locator('input').fill('hello@@harbour')
  await form.getByTestId('letterhead-save').click()
  await expect(form.getByTestId('letterhead-email')).toContainText('This is not a valid email address.')
  await form.getByTestId('letterhead-email').locator('input').fill('hello@harbour.example')
  await form.getByTestId('letterhead-save').click()
  await expect(page.getByText('Letterhead saved')).toBeVisible()
  expect(await app.api.invoke('settings:get', undefined)).toMatchObject({
    businessAddress: '12 Quay Street\nBristol\nBS1 4DJ',
    businessPhone: '0117 496 0000',
    businessEmail: 'hello@harbour.example',
  })

  await form.getByTestId('letterhead-logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await logoPng() })
  await expect(form.getByTestId('letterhead-logo')).toBeVisible()
  await expect(form).toContainText('600 × 200 pixels')
  await app.screenshot('letterhead-settings-light')
  await expectNoSeriousA11yViolations(page, 'Settings → Letterhead')
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('letterhead-settings-dark')
  await expectNoSeriousA11yViolations(page, 'Settings → Letterhead in dark mode')
  await page.emulateMedia({ colorScheme: 'light' })

  await form.getByTestId('letterhead-logo-remove').click()
  await expect(form.getByTestId('letterhead-logo')).toHaveCount(0)
  expect(await app.api.invoke('settings:logo', undefined)).toBeNull()
})
