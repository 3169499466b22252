import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { chooseOption } from './choose'

/**
 * Long work runs in the background with a progress dialog (n of N) and
 * Cancel, and the window keeps answering meanwhile.
 */

const SLOW_TEST_TIMEOUT = 180_000

/** Settings → Sample data: adds this many (as the menu words it); the card, for adding again. */
async function addSampleCustomers(page: Page, size: string): Promise<Locator> {
  await page.goto('/#/settings')
  const card = page.getByTestId('sample-data-card')
  await card.getByTestId('sample-count').click()
  await chooseOption(page.getByRole('option', { name: size }))
  await card.getByTestId('add-samples').click()
  return card
}

test('sample data: progress n of N, Cancel changes nothing, then a batch that completes', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(20)
  const before = await app.api.invoke('customers:counts', {})
  const card = await addSampleCustomers(page, '100,000 customers')

  const dialog = page.getByTestId('job-progress')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('Adding 100,000 sample customers')
  await expect(page.getByTestId('job-progress-count')).toHaveText(/Writing customers: [\d,]+ of 100,000/)
  // The window goes on answering while the job runs: the desk can find a customer meanwhile.
  await page.getByRole('link', { name: 'Customers' }).click()
  await page.getByTestId('customer-search').locator('input').fill('C-000003')
  await expect(page.getByTestId('customer-row')).toHaveCount(1)
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('job-progress-count')).toHaveText(/: [\d,]+ of [\d,]+/)
  await app.screenshot('job-progress-sample-data')

  await dialog.getByTestId('job-cancel').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('Cancelled: nothing was changed.')).toBeVisible()
  expect(await app.api.invoke('customers:counts', {})).toEqual(before)

  await page.goto('/#/settings')
  await card.getByTestId('add-samples').click()
  await expect(page.getByText('Added 1,000 sample customers')).toBeVisible({ timeout: 60_000 })
  const after = await app.api.invoke('customers:counts', {})
  expect(after.active + after.archived + after.blocked).toBe(before.active + before.archived + before.blocked + 1000)
})

test('a change saved while sample data is being written waits for it, says so on the task, and is saved when it ends', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  const customer = await app.api.invoke('customers:create', { firstName: 'Amelia', lastName: 'Hart', email: 'amelia@example.com' })
  await addSampleCustomers(page, '100,000 customers')
  const task = page.getByTestId('job-progress')
  await expect(page.getByTestId('job-progress-count')).toHaveText(/Writing customers: [\d,]+ of 100,000/)

  // The profile opens meanwhile (reads never wait), within the window; its save waits for the writing to end.
  await page.evaluate((id) => {
    ;(globalThis as unknown as { location: { hash: string } }).location.hash = `#/customers/${id}`
  }, customer.id)
  await expect(page.getByTestId('profile-name')).toHaveText('Amelia Hart')
  const form = page.getByTestId('details-form')
  await form.getByRole('textbox', { name: 'Email', exact: true }).fill('amelia.hart@example.org')
  await form.getByTestId('save-details').click()
  await expect(task.getByTestId('job-saves-waiting')).toHaveText('A change you made is saved as soon as this has finished writing. What you typed is kept.')
  await app.screenshot('job-progress-save-waiting')

  // Stopping the task lets it through at once: the task changed nothing, the change is saved.
  await task.getByTestId('job-cancel').click()
  await expect(form).toContainText('All changes saved.')
  await expect(page.getByTestId('profile-email')).toHaveText('amelia.hart@example.org')
  await expect(task).toBeHidden()
  expect((await app.api.invoke('customers:get', { id: customer.id })).email).toBe('amelia.hart@example.org')
  const counts = await app.api.invoke('customers:counts', {})
  expect(counts.active + counts.archived + counts.blocked).toBe(1)
})
