import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { createCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { parsePdf } from '../helpers/pdf'
import { expect, saveScreenshot, test } from './fixtures'
import { chooseOption } from './choose'

/**
 * A subject access request from the profile: the administrator collects the
 * customer's data with progress, looks through the PDF, saves the PDF and the
 * data file through the save dialogs, and the request shows in the history.
 * Staff do not see the action.
 */

test.describe.configure({ timeout: 150_000 })

async function openProfile(page: Page, id: number) {
  await page.goto(`/#/customers/${id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
}

test('an administrator gives a customer all their data as a PDF and a data file, from the profile', async ({ page, app }) => {
  await app.api.invoke('settings:update', { businessName: 'Harbour Yoga Studio', businessAddress: '12 Quay Street\nBristol\nBS1 4DJ', businessPhone: '0117 496 0000' })
  const catalogue = await createCatalogue({ invoke: app.api.invoke } as unknown as TestCore)
  const { id } = await app.api.invoke('customers:create', {
    firstName: 'Αικατερίνη',
    lastName: 'Παπαδοπούλου',
    email: 'katerina@example.gr',
    phones: [{ number: '+30 691 234 5678', isPrimary: true }],
    addresses: [{ line1: 'Οδός Ερμού 12', city: 'Αθήνα', postcode: '105 63', country: 'GR', isDefaultLetters: true }],
  })
  const friend = await app.api.invoke('customers:create', { firstName: 'Дмитрий', lastName: 'Смирнов' })
  await app.api.invoke('customers:setReferral', { id, referredById: friend.id })
  await app.api.invoke('customers:setPreferences', { id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Send me the studio newsletter.' })
  await app.api.invoke('notes:add', { customerId: id, body: 'Prefers the morning classes; knee injury in 2025.' })
  await app.api.invoke('customers:addTag', { customerId: id, name: 'Regular' })
  for (let i = 0; i < 14; i++) {
    await app.api.invoke('bookings:create', {
      customer: { kind: 'existing', id },
      lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId, quantity: 1 }],
      payment: { amountMinor: 3000, method: 'card' },
    })
  }

  await openProfile(page, id)
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-subject-access'))
  const dialog = page.getByTestId('subject-access-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Αικατερίνη Παπαδοπούλου')
  await app.screenshot('subject-access-intro')

  await dialog.getByTestId('subject-access-collect').click()
  await expect(dialog.getByTestId('subject-access-ready')).toBeVisible()
  await expect(dialog.getByTestId('subject-access-sections')).toContainText('Bookings · 14')
  await expect(dialog.getByTestId('subject-access-sections')).toContainText('Staff notes · 1')
  await expect(dialog.locator('canvas').first()).toBeVisible({ timeout: 30_000 })
  await page.waitForTimeout(500)
  await app.screenshot('subject-access-ready-light')

  // Both files through main's save dialogs.
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-sar-e2e-'))
  try {
    const pdfFile = join(dir, 'katerina.pdf')
    const jsonFile = join(dir, 'katerina.json')
    app.dialogs.nextPrintoutFile = pdfFile
    await dialog.getByTestId('subject-access-save-pdf').click()
    await expect(dialog.getByTestId('subject-access-saved')).toContainText('katerina.pdf')
    const suggested: string[] = []
    app.dialogs.chooseDataFile = async (name) => {
      suggested.push(name)
      return jsonFile
    }
    await dialog.getByTestId('subject-access-save-json').click()
    await expect(dialog.getByTestId('subject-access-saved')).toContainText('katerina.pdf and katerina.json')
    expect(app.dialogs.suggestedNames.at(-1)).toMatch(/^Subject access C-\d{6} Αικατερίνη Παπαδοπούλου\.pdf$/)
    expect(suggested).toEqual([expect.stringMatching(/^Subject access C-\d{6} Αικατερίνη Παπαδοπούλου\.json$/)])

    const data = JSON.parse(readFileSync(jsonFile, 'utf8')) as { format: string; version: number; customer: { firstName: string }; bookings: unknown[]; notes: Array<{ kind: string }> }
    expect(data).toMatchObject({ format: 'frontdesk-subject-access', version: 1, customer: { firstName: 'Αικατερίνη' } })
    expect(data.bookings).toHaveLength(14)
    expect(data.notes).toEqual([expect.objectContaining({ kind: 'staff note' })])
    const pages = await parsePdf(pdfFile)
    const text = pages.map((p) => p.text).join('\n')
    expect(text).toContain('Harbour Yoga Studio')
    expect(text).toContain('Αικατερίνη Παπαδοπούλου')
    expect(text).toContain('Дмитрий Смирнов')
    expect(text).toContain('Staff note')
    expect(pages.at(-1)!.text).toContain(`Page ${pages.length} of ${pages.length}`)
    // Kept beside the test's results, for looking at its pages.
    const kept = test.info().outputPath('subject-access.pdf')
    mkdirSync(test.info().outputDir, { recursive: true })
    copyFileSync(pdfFile, kept)
    expect(existsSync(kept)).toBe(true)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  await page.emulateMedia({ colorScheme: 'dark' })
  await app.screenshot('subject-access-ready-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // The request is in the customer's history.
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()
  await page.getByTestId('tab-changes').click()
  await expect(page.getByText('Subject access data given')).toBeVisible()
  await app.screenshot('subject-access-history')
})

test('a customer in the recycle bin can still be given their data', async ({ page, app }) => {
  const { id } = await app.api.invoke('customers:create', { firstName: 'Zoë', lastName: 'Łukasiewicz' })
  await app.api.invoke('customers:delete', { id })
  await openProfile(page, id)
  await expect(page.getByTestId('recycle-banner')).toBeVisible()
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-subject-access'))
  const dialog = page.getByTestId('subject-access-dialog')
  await dialog.getByTestId('subject-access-collect').click()
  await expect(dialog.getByTestId('subject-access-ready')).toBeVisible()
  await expect(dialog.getByTestId('subject-access-sections')).toContainText('Record')
})

test('Escape closes the dialog, before collecting, over the PDF preview and while “Saved …” is showing', async ({ page, app }) => {
  const { id } = await app.api.invoke('customers:create', { firstName: 'Iris', lastName: 'Quayle', email: 'iris@example.com' })
  await openProfile(page, id)
  const dialog = page.getByTestId('subject-access-dialog')
  // Just after a dialog closes, Vuetify hands focus back a frame later, which can close a menu opened meanwhile:
  // the menu is opened again then, as a person would.
  const openDialog = async () => {
    await expect(async () => {
      await page.getByTestId('actions-menu').click()
      const item = page.getByTestId('action-subject-access')
      await expect(item).toBeVisible({ timeout: 2_000 })
      await chooseOption(item)
      await expect(dialog).toBeVisible({ timeout: 2_000 })
    }).toPass({ timeout: 15_000 })
  }
  await openDialog()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  // The preview's pages have been clicked: Escape still reaches the dialog.
  await openDialog()
  await dialog.getByTestId('subject-access-collect').click()
  await expect(dialog.locator('canvas').first()).toBeVisible({ timeout: 30_000 })
  await dialog.locator('canvas').first().click()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  // Just after a file is saved, with its message in the corner.
  await openDialog()
  await dialog.getByTestId('subject-access-collect').click()
  await expect(dialog.getByTestId('subject-access-ready')).toBeVisible()
  // The dialog grows as its pages are drawn, moving the buttons under it: Save is clicked once they are drawn.
  await expect(dialog.getByTestId('pdf-preview')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 })
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-sar-e2e-'))
  try {
    app.dialogs.nextPrintoutFile = join(dir, 'iris.pdf')
    await dialog.getByTestId('subject-access-save-pdf').click()
    await expect(page.getByTestId('snackbar')).toContainText('Saved iris.pdf')
    await app.screenshot('subject-access-saved-message')
    // The message closes by itself after a few seconds, so only the dialog is asserted here.
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('staff do not see the subject access request', async ({ page, app }) => {
  const { id } = await app.api.invoke('customers:create', { firstName: 'Ana', lastName: 'Silva' })
  await app.signInAs('staff')
  await openProfile(page, id)
  await page.getByTestId('actions-menu').click()
  await expect(page.getByTestId('action-edit')).toBeVisible()
  await expect(page.getByTestId('action-subject-access')).toHaveCount(0)
})

test.describe('collecting a large record', () => {
  // The page hears of the job's end 3 s late, as it would for a customer with years of bookings.
  test.use({ slowChannels: { 'jobs:get': 3_000 } })

  test('shows progress with Cancel in the dialog, which cannot be closed meanwhile', async ({ page, app }) => {
    const { id } = await app.api.invoke('customers:create', { firstName: 'Ольга', lastName: 'Кузнецова' })
    await openProfile(page, id)
    await page.getByTestId('actions-menu').click()
    await chooseOption(page.getByTestId('action-subject-access'))
    const dialog = page.getByTestId('subject-access-dialog')
    await dialog.getByTestId('subject-access-collect').click()
    const progress = dialog.getByTestId('job-progress')
    await expect(progress).toBeVisible()
    await expect(progress).toContainText(/Collecting the data held about C-\d{6}/)
    await expect(progress.getByTestId('job-cancel')).toHaveText('Cancel: no file is made')
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeDisabled()
    // Nor by Escape: the way out is Cancel.
    await page.keyboard.press('Escape')
    await expect(progress).toBeVisible()
    await saveScreenshot(page, 'test-results/screenshots/subject-access-progress.png')
    await expect(dialog.getByTestId('subject-access-ready')).toBeVisible()
    await expect(dialog.getByTestId('subject-access-sections')).toContainText('Change log · 1')
  })
})
