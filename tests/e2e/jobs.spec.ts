import { expect, test } from './fixtures'
import { chooseOption } from './choose'

/**
 * Long work runs in the background with a progress dialog (n of N) and
 * Cancel, and the window keeps answering meanwhile.
 */

const SLOW_TEST_TIMEOUT = 180_000

test('sample data: progress n of N, Cancel changes nothing, then a batch that completes', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.seed(20)
  const before = await app.api.invoke('customers:counts', {})
  await page.goto('/#/settings')
  const card = page.getByTestId('sample-data-card')
  await card.getByTestId('sample-count').click()
  await chooseOption(page.getByRole('option', { name: '100,000 customers' }))
  await card.getByTestId('add-samples').click()

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
