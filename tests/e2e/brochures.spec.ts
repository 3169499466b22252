import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, saveScreenshot, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { chooseOption } from './choose'

/**
 * Brochure requests end to end: taken on the profile, in bulk on the list
 * (all matching) and with a new customer; worked through on the worklist,
 * marked posted into the Sent tab. Screens in light and dark.
 */

test.describe.configure({ timeout: 180_000 })

const shotDir = join(__dirname, '../../test-results/brochure-shots')

async function shot(target: Page | Locator, name: string): Promise<void> {
  await saveScreenshot(target, join(shotDir, `${name}.png`))
}

async function createCustomer(app: FrontdeskApp, firstName: string, lastName: string, withAddress = true) {
  return app.api.invoke('customers:create', {
    firstName,
    lastName,
    addresses: withAddress ? [{ line1: '14 Orchard Lane', city: 'Bath', postcode: 'BA1 2CD', country: 'GB' }] : [],
  })
}

async function openWorklist(page: Page) {
  await page.goto('/#/reports/brochure-requests')
  await expect(page.getByTestId('brochure-worklist')).toBeVisible()
}

test('request a brochure from the profile, cancel it and ask again — light and dark', async ({ page, app }) => {
  const customer = await createCustomer(app, 'Amelia', 'Hart')
  await page.goto(`/#/customers/${customer.id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
  const section = page.getByTestId('section-brochures')
  await section.scrollIntoViewIfNeeded()
  await expect(section.getByTestId('brochure-none')).toHaveText('No brochure requested yet.')

  await section.getByTestId('brochure-request').click()
  const dialog = page.getByTestId('brochure-dialog')
  await expect(dialog).toContainText('For Amelia Hart, taken today.')
  await dialog.getByTestId('brochure-note').locator('textarea').first().fill('Summer courses')
  await shot(page, 'profile-request-dialog-light')
  await dialog.getByTestId('brochure-submit').click()
  await expect(page.getByTestId('snackbar')).toContainText('Brochure requested for Amelia Hart')
  await expect(dialog).toBeHidden()

  const items = section.getByTestId('brochure-item')
  await expect(items).toHaveCount(1)
  await expect(items.first()).toContainText('Waiting to be posted')
  await expect(items.first()).toContainText('Taken by Administrator')
  await expect(items.first()).toContainText('“Summer courses”')
  await expect(section.getByTestId('brochure-request')).toBeDisabled()
  await shot(section, 'profile-section-pending-light')
  await expectNoSeriousA11yViolations(page, 'the profile with a brochure request')

  // Cancel: the confirmation says what happens and offers to keep it.
  await items.first().getByTestId('brochure-cancel').click()
  const confirm = page.getByTestId('confirm-dialog')
  await expect(confirm).toContainText('Cancel this brochure request?')
  await shot(page, 'profile-cancel-confirm-light')
  await page.getByTestId('confirm-ok').click()
  await expect(items.first()).toContainText('Cancelled')
  await expect(section.getByTestId('brochure-request')).toBeEnabled()

  await section.getByTestId('brochure-request').click()
  await page.getByTestId('brochure-submit').click()
  await expect(items).toHaveCount(2)
  await expect(items.first()).toContainText('Waiting to be posted')
  expect((await app.api.invoke('brochures:forCustomer', { customerId: customer.id })).map((r) => r.status)).toEqual(['pending', 'cancelled'])

  // Each request and cancellation is in the Changes tab, which can show them alone.
  await page.getByTestId('tab-changes').click()
  await page.getByTestId('change-kind-brochures').click()
  await expect(page.getByTestId('change-row')).toHaveCount(3)
  await expect(page.getByTestId('change-row').first()).toContainText('Brochure requested')
  await shot(page, 'profile-changes-brochures-light')
  await page.getByTestId('tab-details').click()

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.reload()
  await expect(page.getByTestId('profile-name')).toBeVisible()
  await section.scrollIntoViewIfNeeded()
  await expect(items).toHaveCount(2)
  await shot(section, 'profile-section-dark')
  await expectNoSeriousA11yViolations(page, 'the profile with brochure requests, dark')

  // A customer without a postal address: the dialog says so before the request is taken.
  const nomad = await createCustomer(app, 'Noah', 'Field', false)
  await page.goto(`/#/customers/${nomad.id}`)
  await expect(page.getByTestId('profile-name')).toHaveText('Noah Field')
  await section.getByTestId('brochure-request').click()
  await expect(page.getByTestId('brochure-dialog-no-address')).toBeVisible()
  await shot(page, 'profile-request-dialog-no-address-dark')
  await page.getByTestId('brochure-submit').click()
  await expect(section.getByTestId('brochure-no-address')).toBeVisible()
  await shot(section, 'profile-section-no-address-dark')
})

test('request in bulk for all matching and with a new customer, then post them from the worklist — light and dark', async ({ page, app }) => {
  await app.seed(70)
  const waiting = await createCustomer(app, 'Wendy', 'Waits')
  await app.api.invoke('brochures:request', { customerId: waiting.id })
  const active = (await app.api.invoke('customers:counts', {})).active
  expect(active).toBeGreaterThan(50)

  // Every active customer, the one already waiting skipped.
  await page.goto('/#/customers')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
  await page.getByTestId('select-page').locator('input').check()
  await page.getByTestId('select-all-matching').click()
  await expect(page.getByTestId('selected-count')).toHaveText(`${active} selected`)
  await page.getByTestId('bulk-brochure').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText(`Request a brochure for ${active} customers?`)
  await shot(page, 'list-bulk-confirm-light')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText(`Brochure requested for ${active - 1} customers (1 already had one waiting)`)
  expect((await app.api.invoke('brochures:counts', { filter: {} })).pending).toBe(active)

  // With a new customer, in the same save.
  await page.getByTestId('nav-new-customer').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await dialog.getByRole('textbox', { name: 'First name', exact: true }).fill('Nina')
  await dialog.getByRole('textbox', { name: 'Last name', exact: true }).fill('Newman')
  await dialog.getByTestId('new-customer-brochure').locator('input').check()
  await shot(page, 'new-customer-brochure-light')
  await dialog.getByTestId('save-customer').click()
  await expect(page.getByTestId('profile-name')).toHaveText('Nina Newman')
  await page.getByTestId('section-brochures').scrollIntoViewIfNeeded()
  await expect(page.getByTestId('section-brochures').getByTestId('brochure-item')).toContainText('Waiting to be posted')
  await expect(page.getByTestId('brochure-no-address')).toBeVisible()

  // The worklist: all of them pending, oldest first, Nina (no address) flagged.
  const pending = active + 1
  await openWorklist(page)
  await expect(page.getByTestId('worklist-count-pending')).toHaveText(String(pending))
  await expect(page.getByTestId('worklist-count-posted')).toHaveText('0')
  await expect(page.getByTestId('worklist-row')).toHaveCount(50)
  await expect(page.getByTestId('worklist-row').first()).toContainText('Wendy Waits')
  await page.getByTestId('worklist-next').click()
  await expect(page.getByTestId('worklist-page-info')).toContainText('Page 2')
  const nina = page.getByTestId('worklist-row').filter({ hasText: 'Nina Newman' })
  await expect(nina.locator('[data-flag="cannotPost"]')).toHaveText('Cannot post — no address')
  await page.getByTestId('worklist-previous').click()
  await shot(page, 'worklist-pending-light')
  await expectNoSeriousA11yViolations(page, 'the brochure worklist')

  // Two ticked by hand, posted yesterday.
  const rows = page.getByTestId('worklist-row')
  await rows.nth(0).getByTestId('worklist-tick').locator('input').check()
  await rows.nth(1).getByTestId('worklist-tick').locator('input').check()
  await expect(page.getByTestId('worklist-selected-count')).toHaveText('2 requests selected')
  await page.getByTestId('mark-posted').click()
  const mark = page.getByTestId('mark-posted-dialog')
  await expect(mark).toContainText('2 requests move to the Sent tab')
  const yesterday = new Date(Date.now() - 86_400_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  const yesterdayIso = `${yesterday.getFullYear()}-${pad(yesterday.getMonth() + 1)}-${pad(yesterday.getDate())}`
  await mark.getByTestId('mark-posted-date').locator('input').fill(yesterdayIso)
  await shot(page, 'worklist-mark-posted-dialog-light')
  await mark.getByTestId('mark-posted-submit').click()
  await expect(page.getByTestId('snackbar')).toContainText('2 requests marked as posted on')
  await expect(page.getByTestId('worklist-count-pending')).toHaveText(String(pending - 2))
  await expect(page.getByTestId('worklist-count-posted')).toHaveText('2')

  // Then everything left, through "all matching".
  await page.getByTestId('worklist-tick-page').locator('input').check()
  await page.getByTestId('worklist-select-all-matching').click()
  await expect(page.getByTestId('worklist-selected-count')).toHaveText(`All ${pending - 2} requests matching are selected`)
  await shot(page, 'worklist-all-matching-light')
  await page.getByTestId('mark-posted').click()
  await expect(mark.getByTestId('mark-posted-cannot-post')).toBeVisible()
  await mark.getByTestId('mark-posted-submit').click()
  await expect(page.getByTestId('worklist-count-pending')).toHaveText('0')
  await expect(page.getByTestId('worklist-count-posted')).toHaveText(String(pending))
  await expect(page.getByTestId('worklist-empty')).toContainText('No brochure requests waiting to be posted')
  await shot(page, 'worklist-pending-empty-light')

  await page.getByTestId('worklist-tab-posted').click()
  await expect(page.getByTestId('worklist-row')).toHaveCount(50)
  await shot(page, 'worklist-sent-light')
  expect((await app.api.invoke('brochures:counts', { filter: {} })).posted).toBe(pending)

  // Requested this month (all of them): a customer opened from the worklist, Back returns to the same tab and period.
  await page.getByTestId('report-period').click()
  await chooseOption(page.getByRole('option', { name: 'This month', exact: true }))
  await expect(page.getByTestId('worklist-count-posted')).toHaveText(String(pending))
  await page.getByTestId('worklist-customer').first().click()
  await expect(page.getByTestId('profile-name')).toBeVisible()
  await page.goBack()
  await expect(page.getByTestId('worklist-tab-posted')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('report-period')).toContainText('This month')
  await expect(page.getByTestId('worklist-row')).toHaveCount(50)

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.reload()
  await expect(page.getByTestId('brochure-worklist')).toBeVisible()
  await page.getByTestId('worklist-tab-posted').click()
  await expect(page.getByTestId('worklist-row')).toHaveCount(50)
  await shot(page, 'worklist-sent-dark')

  // The pending tab in dark, with a few new requests (one cannot be posted).
  const more = await createCustomer(app, 'Zara', 'Late', false)
  await app.api.invoke('brochures:request', { customerId: more.id })
  const yves = await createCustomer(app, 'Yves', 'Late')
  await app.api.invoke('brochures:request', { customerId: yves.id })
  await app.api.invoke('customers:archive', { id: yves.id })
  await page.getByTestId('worklist-tab-pending').click()
  await expect(page.getByTestId('worklist-row')).toHaveCount(2)
  await expect(page.getByTestId('worklist-row').filter({ hasText: 'Yves Late' }).locator('[data-flag="archived"]')).toHaveText('Archived')
  await expect(page.getByTestId('worklist-row').filter({ hasText: 'Zara Late' }).locator('[data-flag="cannotPost"]')).toBeVisible()
  await page.getByTestId('worklist-tick-page').locator('input').check()
  await shot(page, 'worklist-pending-dark')
  await expectNoSeriousA11yViolations(page, 'the brochure worklist with a selection, dark')
  await page.getByTestId('mark-posted').click()
  await expect(page.getByTestId('mark-posted-dialog')).toBeVisible()
  await shot(page, 'worklist-mark-posted-dialog-dark')
})
