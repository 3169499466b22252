import type { Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'
import { chooseOption } from './choose'

/**
 * Settings → Data quality: the badge on Settings, each category with its
 * rows and action, a record put right dropping off, archiving an inactive
 * customer, the retention period, in light and dark.
 */

const SLOW_TEST_TIMEOUT = 180_000
const address = { line1: '1 High Street', city: 'Bath', postcode: 'BA1 1AA', country: 'GB' }
const phone = { number: '020 7123 4567', isPrimary: true }

/** A small address book with one record in each category (some states only old data or other tools leave). */
async function addressBookWithProblems(app: FrontdeskApp) {
  const create = (firstName: string, lastName: string, extra: Record<string, unknown> = {}) =>
    app.api.invoke('customers:create', { firstName, lastName, email: `${firstName.toLowerCase()}@example.com`, phones: [phone], addresses: [address], ...extra })
  const noEmail = await create('Ann', 'Archer', { email: '' })
  const badEmail = await create('Bea', 'Bishop')
  const badPhone = await create('Cal', 'Carter', { phones: [{ number: '07700 900123', isPrimary: true }] })
  const dupA = await create('Robert', 'Dale')
  const dupB = await create('Bob', 'Dale', { email: 'bob.dale@example.com' })
  const noAddress = await create('Eve', 'Evans', { addresses: [] })
  await app.api.invoke('brochures:request', { customerId: noAddress.id })
  const noEvidence = await create('Fay', 'Fisher')
  const idle = await create('Gus', 'Green')
  await create('Hal', 'Hughes')

  const db = app.core.db
  await db('customers').where({ id: badEmail.id }).update({ email: 'bea@@example', email_normalized: 'bea@@example' })
  await db('customers').where({ id: noEvidence.id }).update({ marketing_consent: true })
  await db('customers').where({ id: idle.id }).update({ created_at: '2020-02-03T10:00:00.000Z', updated_at: '2020-02-03T10:00:00.000Z' })
  await db('duplicate_pairs').insert({ customer_a: dupA.id, customer_b: dupB.id, reasons: 'nickname', score: 82, found_at: new Date().toISOString() })
  return { noEmail, badEmail, badPhone, dupA, dupB, noAddress, noEvidence, idle }
}

async function openQuality(page: Page) {
  await page.goto('/#/settings')
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  // From the keyboard: the tab bar scrolls to its active tab as the page opens, and a click could land beside it.
  await chooseOption(page.getByTestId('settings-tab-quality'))
  await expect(page.getByTestId('quality-queue')).toBeVisible()
}

test('the data-quality queue: counts on Settings, each category with its action, rows dropping off when put right', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const c = await addressBookWithProblems(app)

  await openQuality(page)
  await expect(page.getByTestId('quality-checked-at')).toHaveText('Not checked yet.')

  // A full check, with its progress, from the button.
  await page.getByTestId('quality-check-again').click()
  await expect(page.getByTestId('snackbar')).toContainText('9 customers checked: 7 things need attention')
  await expect(page.getByTestId('quality-checked-at')).toContainText('Last checked')
  await expect(page.getByTestId('settings-quality-badge')).toContainText('7')
  await expect(page.getByTestId('quality-tab-badge')).toContainText('7')
  for (const [category, n] of Object.entries({ missingEmail: 1, invalidEmail: 1, invalidPhone: 1, duplicate: 1, noPostalAddress: 1, consentWithoutEvidence: 1, inactive: 1 })) {
    await expect(page.getByTestId(`quality-count-${category}`)).toHaveText(String(n))
  }
  await expect(page.getByTestId(`quality-row-${c.noEmail.id}`)).toContainText('No email address.')
  await app.screenshot('quality-queue-missing-email')

  // Each category says what is wrong, in words, with its action.
  await page.getByTestId('quality-category-invalidEmail').click()
  await expect(page.getByTestId(`quality-row-${c.badEmail.id}`)).toContainText('“bea@@example” is not a valid email address.')
  await expect(page.getByTestId(`quality-open-${c.badEmail.id}`)).toHaveText('Correct email')
  await page.getByTestId('quality-category-invalidPhone').click()
  await expect(page.getByTestId(`quality-row-${c.badPhone.id}`)).toContainText('07700 900123 is not a valid number for United Kingdom.')
  await app.screenshot('quality-queue-phone')
  await page.getByTestId('quality-category-noPostalAddress').click()
  await expect(page.getByTestId(`quality-row-${c.noAddress.id}`)).toContainText('A brochure is waiting to be posted, but there is no postal address.')
  await page.getByTestId('quality-category-consentWithoutEvidence').click()
  await expect(page.getByTestId(`quality-row-${c.noEvidence.id}`)).toContainText('no record of when or how they agreed')
  await page.getByTestId('quality-category-duplicate').click()
  const dupNumber = `C-${String(c.dupB.id).padStart(6, '0')}`
  await expect(page.getByTestId(`quality-row-${c.dupA.id}`)).toContainText(`May be the same person as ${dupNumber}.`)
  await expect(page.getByTestId(`quality-merge-${c.dupA.id}`)).toBeVisible()
  await app.screenshot('quality-queue-duplicates')
  await page.getByTestId(`quality-review-${c.dupA.id}`).click()
  await expect(page).toHaveURL(/section=duplicates/)

  // Merged from the queue: the row goes at once, without another check.
  await openQuality(page)
  await page.getByTestId('quality-category-duplicate').click()
  await page.getByTestId(`quality-merge-${c.dupA.id}`).click()
  const merge = page.getByTestId('merge-dialog')
  await expect(merge.getByTestId('merge-submit')).toBeEnabled()
  await app.screenshot('quality-merge-dialog')
  await merge.getByTestId('merge-submit').click()
  await expect(page.getByTestId('snackbar')).toContainText('Merged')
  await expect(page.getByTestId('quality-empty')).toBeVisible()
  await expect(page.getByTestId('quality-count-duplicate')).toHaveText('0')

  // Inactive: archived from the queue, after a confirmation.
  await openQuality(page)
  await page.getByTestId('quality-category-inactive').click()
  await expect(page.getByTestId(`quality-row-${c.idle.id}`)).toContainText('No booking, payment or change since 3 Feb 2020.')
  await app.screenshot('quality-queue-inactive')
  await page.getByTestId(`quality-archive-${c.idle.id}`).click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('Archive Gus Green?')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText('Gus Green archived')
  await expect(page.getByTestId('quality-empty')).toBeVisible()
  await expect(page.getByTestId('quality-count-inactive')).toHaveText('0')
  expect((await app.api.invoke('customers:get', { id: c.idle.id })).status).toBe('archived')

  // Missing email: the action opens the profile; once the email is saved the row is gone and the counts drop.
  await page.getByTestId('quality-category-missingEmail').click()
  await page.getByTestId(`quality-open-${c.noEmail.id}`).click()
  await expect(page).toHaveURL(new RegExp(`/customers/${c.noEmail.id}$`))
  await app.api.invoke('customers:update', {
    id: c.noEmail.id,
    customer: { firstName: 'Ann', lastName: 'Archer', email: 'ann@example.com', phones: [phone], addresses: [address] },
  })
  await openQuality(page)
  await expect(page.getByTestId('quality-count-missingEmail')).toHaveText('0')
  await expect(page.getByTestId('quality-empty')).toContainText('Nothing to put right here.')
  await expect(page.getByTestId('settings-quality-badge')).toContainText('4')
  await app.screenshot('quality-queue-fixed')

  // The retention period: a setting, here, checked against its range.
  await page.getByTestId('quality-retention').locator('input').fill('0')
  await page.getByTestId('quality-retention-save').click()
  await expect(page.getByTestId('quality-retention-form')).toContainText('Enter a whole number of months from 1 to 600.')
  await page.getByTestId('quality-retention').locator('input').fill('24')
  await page.getByTestId('quality-retention-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Customers count as inactive after 24 months')
  expect((await app.api.invoke('settings:get', undefined)).retentionMonths).toBe(24)

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.getByTestId('quality-category-invalidPhone').click()
  await expect(page.getByTestId(`quality-row-${c.badPhone.id}`)).toBeVisible()
  await app.screenshot('quality-queue-dark')
})

test('staff see no data-quality tab or badge', async ({ page, app }) => {
  await app.api.invoke('customers:create', { firstName: 'Ann', lastName: 'Archer' })
  await app.api.invoke('quality:scan', undefined)
  await app.signInAs('staff')
  await page.goto('/#/settings')
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible()
  await expect(page.getByTestId('settings-tab-quality')).toHaveCount(0)
  await expect(page.getByTestId('settings-quality-badge')).toHaveCount(0)
})

test.describe('while the saved settings are still on their way', () => {
  test.use({ slowChannels: { 'settings:get': 2_500 } })

  test('the months typed into the retention field are kept when the saved period arrives, and saved', async ({ page, app }) => {
    await app.api.invoke('customers:create', { firstName: 'Ann', lastName: 'Archer' })
    const saved = (await app.api.invoke('settings:get', undefined)).retentionMonths
    await openQuality(page)
    const field = page.getByTestId('quality-retention').locator('input')
    await field.fill('30')
    // The saved period arrives after the typing; it must not replace it.
    await expect(page.getByTestId('quality-retention-save')).toBeEnabled()
    await page.waitForTimeout(2_500)
    await expect(field).toHaveValue('30')
    expect(saved).not.toBe(30)
    await page.getByTestId('quality-retention-save').click()
    await expect(page.getByTestId('snackbar')).toContainText('Customers count as inactive after 30 months')
    expect((await app.api.invoke('settings:get', undefined)).retentionMonths).toBe(30)
  })
})
