import type { Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'
import { createCatalogue } from '../helpers/catalogue'
import { makeFamily, type Family } from '../helpers/merges'
import type { TestCore } from '../helpers/core'
import { chooseOption } from './choose'

/**
 * Merging end to end: two records of one person ticked in the list, the
 * preview with a choice per field, the merge, the old number finding the
 * survivor (search and old link), Undo merge on the profile; and "Merge
 * with…" from a profile. Screens in light and dark.
 */
test.describe.configure({ timeout: 240_000 })

const number = (id: number) => `C-${String(id).padStart(6, '0')}`

async function family(app: FrontdeskApp): Promise<Family> {
  // The helpers only call channels: the E2E app's API serves them as the core does.
  const api = app.api as unknown as TestCore
  const cat = await createCatalogue(api)
  return makeFamily(api, { sessionId: cat.pottery.sessionId, priceOptionId: cat.pottery.optionId })
}

async function search(page: Page, text: string) {
  const box = page.getByTestId('customer-search').locator('input').first()
  await box.fill(text)
}

test('merge two records from the list, find the old number, undo the merge', async ({ page, app }) => {
  const { anna, ann } = await family(app)
  await page.goto('/#/customers')
  await search(page, 'Smith')
  await expect(page.getByTestId('customer-row')).toHaveCount(3)
  const rowOf = (name: string) => page.getByTestId('customer-row').filter({ hasText: name })
  await rowOf('Anna Smith').getByTestId('select-row').click()
  await rowOf('Ann Smith').getByTestId('select-row').click()
  await page.getByTestId('bulk-merge').click()

  const dialog = page.getByTestId('merge-dialog')
  await expect(dialog.getByTestId('merge-fields')).toBeVisible()
  await expect(dialog.getByTestId('merge-count-bookings')).toContainText('Bookings: 2')
  await expect(dialog.getByTestId('merge-count-phones')).toContainText('(+1 already there)')
  await expect(dialog.getByTestId('merge-warning').first()).toContainText('each have an active membership')
  await expect(dialog.getByTestId('merge-consent')).toContainText('Unsubscribed')
  // Keep Ann's email on Anna's record.
  await dialog.getByTestId(`merge-choose-email-${ann}`).click()
  await expect(dialog.getByTestId(`merge-choose-email-${ann}`)).toHaveAttribute('aria-pressed', 'true')
  await app.screenshot('merge-dialog-light')
  await dialog.getByTestId('merge-submit').click()

  await expect(page).toHaveURL(new RegExp(`#/customers/${anna}`))
  const notice = page.locator('[data-testid^="merge-notice-"]')
  await expect(notice).toContainText(`Merged from ${number(ann)}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
  await app.screenshot('merge-profile-notice-light')

  // The old number still finds the survivor: typed in the search, and as an old link.
  await page.goto('/#/customers')
  await search(page, number(ann))
  await expect(page.getByTestId('customer-row')).toHaveCount(1)
  await expect(page.getByTestId('customer-row')).toContainText('Anna Smith')
  await app.screenshot('merge-alias-search-light')
  await page.goto(`/#/customers/${ann}`)
  await expect(page).toHaveURL(new RegExp(`#/customers/${anna}`))
  await expect(page.getByTestId('merged-arrived')).toContainText(`${number(ann)} was merged into this record`)

  // Undo merge: the two records are separate again.
  await page.locator('[data-testid^="merge-notice-"]').getByTestId('merge-undo').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.locator('[data-testid^="merge-notice-"]')).toHaveCount(0)
  await expect(page.getByTestId('merged-arrived')).toHaveCount(0)
  await expect(page.getByTestId('section-brochures')).toContainText('No brochure requested yet.')
  await app.screenshot('merge-undone-light')
  await page.goto(`/#/customers/${ann}`)
  await expect(page.getByTestId('profile-name')).toContainText('Ann Smith')
})

test('merge with… from a profile, in dark', async ({ page, app }) => {
  const { anna, annie } = await family(app)
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.goto(`/#/customers/${annie}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-merge'))
  const picker = page.getByTestId('merge-with-picker')
  await picker.locator('input').first().fill('Anna')
  await chooseOption(page.getByRole('option', { name: /Anna Smith/ }).first())
  await page.getByTestId('merge-with-next').click()
  const dialog = page.getByTestId('merge-dialog')
  await expect(dialog.getByTestId('merge-fields')).toBeVisible()
  // Anna's record stays.
  await dialog.getByTestId(`merge-survivor-${anna}`).locator('input').check()
  await expect(dialog.getByTestId('merge-submit')).toHaveText(new RegExp(`Merge into ${number(anna)}`))
  await app.screenshot('merge-with-dialog-dark')
  await dialog.getByTestId('merge-submit').click()
  await expect(page).toHaveURL(new RegExp(`#/customers/${anna}`))

  await expect(page.locator('[data-testid^="merge-notice-"]')).toContainText(`Merged from ${number(annie)}`)
  await app.screenshot('merge-profile-notice-dark')
})
