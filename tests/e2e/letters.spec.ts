import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, saveScreenshot, test, type FrontdeskApp } from './fixtures'
import { chooseOption } from './choose'

/**
 * Letters and labels end to end: a letter template written in Settings with
 * its page drawn as it is typed; then, from the brochure worklist, the check
 * before printing, letters and labels made and shown, and the requests
 * marked as posted. Screens in light and dark.
 */

test.describe.configure({ timeout: 180_000 })

const shotDir = join(__dirname, '../../test-results/letters-shots')

async function shot(target: Page | Locator, name: string): Promise<void> {
  await saveScreenshot(target, join(shotDir, `${name}.png`))
}

async function requestFor(app: FrontdeskApp, firstName: string, lastName: string, address: Record<string, string> | null) {
  const customer = await app.api.invoke('customers:create', { firstName, lastName, addresses: address ? [address] : [] })
  await app.api.invoke('brochures:request', { customerId: customer.id, note: '' })
  return customer
}

const bath = { line1: '14 Orchard Lane', city: 'Bath', postcode: 'BA1 2CD', country: 'GB' }

test('write a letter template with its page previewed as it is typed — light and dark', async ({ page, app }) => {
  await app.api.invoke('settings:update', { businessName: 'Harbour Yoga', businessAddress: '4 Quay Street\nBristol BS1 4DB', businessPhone: '0117 496 0000' })
  const customer = await requestFor(app, 'Ελένη', 'Παπαδοπούλου', { line1: 'Οδός Ερμού 10', city: 'Αθήνα', postcode: '105 63', country: 'GR' })

  await page.goto('/#/settings?section=letters')
  const settings = page.getByTestId('letter-templates-settings')
  await expect(settings.getByTestId('template-row')).toHaveCount(1)
  await expect(settings.getByTestId('template-row').first()).toContainText('Brochure letter')
  await expect(settings.getByTestId('template-default')).toBeVisible()
  await shot(page, 'settings-templates-light')

  await settings.getByTestId('new-template').click()
  const dialog = page.getByTestId('template-dialog')
  await dialog.getByTestId('template-name').locator('input').fill('Winter timetable')
  const body = dialog.getByTestId('template-body').locator('textarea').first()
  await body.fill('Dear {{first_name}},\n\nOur winter timetable is enclosed.\n\nWarm regards,\n')
  await body.press('End')
  await dialog.getByTestId('insert-field').click()
  await page.getByTestId('field-business_name').click()
  await expect(body).toHaveValue(/Warm regards,\n\{\{business_name\}\}/)
  await expect(dialog.getByTestId('pdf-page')).toHaveCount(1)

  // On a chosen customer: their name and address on the page.
  await dialog.getByTestId('preview-customer').locator('input').fill('Ελένη')
  await chooseOption(page.getByRole('option', { name: 'Ελένη Παπαδοπούλου' }))
  await expect
    .poll(async () => (await app.api.invoke('brochures:previewLetter', { body: await body.inputValue(), customerId: customer.id, envelope: 'dl' })).pages)
    .toBe(1)
  await page.waitForTimeout(900)
  await expect(dialog.getByTestId('pdf-page')).toHaveCount(1)
  await shot(dialog, 'template-editor-light')

  // An unknown field is named in the preview and refused on save.
  await body.fill('Dear {{first_name}}, your {{shoe_size}}')
  await expect(dialog.getByTestId('preview-problem')).toContainText('This merge field does not exist: {{shoe_size}}')
  await dialog.getByTestId('save-template').click()
  await expect(dialog.getByTestId('template-body')).toContainText('does not exist: {{shoe_size}}')
  await shot(dialog, 'template-editor-unknown-field-light')
  await body.fill('Dear {{first_name}},\n\nOur winter timetable is enclosed.\n\n{{business_name}}')
  await dialog.getByTestId('save-template').click()
  await expect(dialog).toBeHidden()
  await expect(settings.getByTestId('template-row')).toHaveCount(2)
  const saved = (await app.api.invoke('brochures:templates', undefined)).find((t) => t.name === 'Winter timetable')
  expect(saved?.body).toBe('Dear {{first_name}},\n\nOur winter timetable is enclosed.\n\n{{business_name}}')

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.reload()
  await expect(settings.getByTestId('template-row')).toHaveCount(2)
  await shot(page, 'settings-templates-dark')
  await settings.getByTestId('edit-template').nth(1).click()
  await expect(dialog.getByTestId('pdf-page')).toHaveCount(1)
  await dialog.getByTestId('preview-envelope').click()
  await chooseOption(page.getByRole('option', { name: 'C5 envelope' }))
  await page.waitForTimeout(1200)
  await shot(dialog, 'template-editor-dark')
})

test('print letters and labels from the worklist, then mark them posted — light and dark', async ({ page, app }) => {
  await app.api.invoke('settings:update', { businessName: 'Harbour Yoga', businessAddress: '4 Quay Street\nBristol BS1 4DB' })
  await requestFor(app, 'Amelia', 'Hart', bath)
  await requestFor(app, 'Małgorzata', 'Wiśniewska', { line1: 'ul. Świętokrzyska 12', city: 'Łódź', postcode: '90-001', country: 'PL' })
  await requestFor(app, 'Nguyễn', 'Thị Hường', { line1: '12 Phố Hàng Bạc', city: 'Hà Nội', postcode: '100000', country: 'VN' })
  await requestFor(app, 'Noah', 'Nowhere', null)
  const quiet = await requestFor(app, 'Quinn', 'Quiet', bath)
  await app.api.invoke('customers:setPreferences', { id: quiet.id, marketingConsent: false, unsubscribed: true, channel: 'phone' })

  await page.goto('/#/reports/brochure-requests')
  await expect(page.getByTestId('worklist-row')).toHaveCount(5)
  await expect(page.getByTestId('brochure-print-letters')).toBeDisabled()
  await page.getByTestId('worklist-tick-page').locator('input').check()

  // Letters: the check names who cannot be posted to and who is flagged.
  await page.getByTestId('brochure-print-letters').click()
  const letters = page.getByTestId('print-letters-dialog')
  await expect(letters.getByTestId('print-summary')).toHaveText('3 letters for 5 requests.')
  await expect(letters.getByTestId('print-cannot-post')).toContainText('Noah Nowhere')
  await expect(letters.getByTestId('print-flagged')).toContainText('Quinn Quiet — unsubscribed')
  await shot(letters, 'print-letters-dialog-light')
  await letters.getByTestId('envelope-c5').click()
  await letters.getByTestId('print-go').click()
  const printout = page.getByTestId('printout-dialog')
  await expect(printout.getByTestId('printout-summary')).toContainText('3 pages')
  await expect(printout.getByTestId('pdf-page')).toHaveCount(3)
  await shot(page, 'letters-printout-light')
  await printout.getByRole('button', { name: 'Close' }).click()
  const after = page.getByTestId('after-print-dialog')
  await expect(after).toContainText('3 letters were made')
  await expect(after.getByTestId('after-print-left-out')).toHaveText('Left out: 1 without a postal address and 1 flagged.')
  await after.getByTestId('after-print-later').click()

  // Labels on a partly used A4 2 × 7 sheet, the flagged customer included this time.
  await page.getByTestId('brochure-print-labels').click()
  const labels = page.getByTestId('print-labels-dialog')
  await labels.getByTestId('print-sheet').click()
  await chooseOption(page.getByRole('option', { name: /A4, 14 labels/ }))
  await labels.getByTestId('start-5').click()
  await expect(labels.getByTestId('start-label')).toHaveText('5')
  await labels.getByTestId('print-include-flagged').locator('input').check()
  await expect(labels.getByTestId('print-summary')).toHaveText('4 labels for 5 requests.')
  await shot(labels, 'print-labels-dialog-light')
  await labels.getByTestId('print-go').click()
  await expect(printout.getByTestId('printout-summary')).toContainText('1 page')
  await expect(printout.getByTestId('pdf-page')).toHaveCount(1)
  await shot(page, 'labels-printout-light')

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(600)
  await shot(page, 'labels-printout-dark')
  await printout.getByRole('button', { name: 'Close' }).click()
  await shot(after, 'after-print-dark')
  await after.getByTestId('after-print-mark').click()
  const mark = page.getByTestId('mark-posted-dialog')
  await mark.getByTestId('mark-posted-submit').click()
  await expect(page.getByTestId('snackbar')).toContainText('5 requests marked as posted on')
  await expect(page.getByTestId('worklist-count-pending')).toHaveText('0')

  // Reprinting from the Sent tab in dark; no offer to mark them again.
  await page.getByTestId('worklist-tab-posted').click()
  await expect(page.getByTestId('worklist-row')).toHaveCount(5)
  await page.getByTestId('worklist-tick-page').locator('input').check()
  await page.getByTestId('brochure-print-letters').click()
  await expect(letters.getByTestId('print-summary')).toHaveText('3 letters for 5 requests.')
  await shot(letters, 'print-letters-dialog-dark')
  await letters.getByTestId('print-go').click()
  await expect(printout.getByTestId('pdf-page')).toHaveCount(3)
  await shot(page, 'letters-printout-dark')
  await printout.getByRole('button', { name: 'Close' }).click()
  await expect(after).toBeHidden()
})
