import { expect, test } from './fixtures'

/**
 * Settings → Database through the built renderer: the local file shown with
 * its path; a PostgreSQL server's settings with field refusals beside their
 * fields; Test connection answering in words; light and dark.
 */

test('Settings → Database: the local file, a server that cannot be reached in words, light and dark', async ({ page, app }) => {
  await page.goto('/#/settings?section=database')
  const card = page.getByTestId('database-settings')
  await expect(card).toBeVisible()
  await expect(page.getByTestId('database-using')).toHaveText('Local file')
  await expect(page.getByTestId('database-file')).toContainText('.sqlite3')
  await app.screenshot('database-settings-file')

  await page.getByTestId('database-choice-server').locator('input').check()
  await expect(page.getByTestId('database-host')).toBeVisible()
  await page.getByTestId('database-host').getByRole('textbox').fill('db server')
  await page.getByTestId('database-port').getByRole('textbox').fill('0')
  await page.getByTestId('database-test').click()
  await expect(page.getByTestId('database-host')).toContainText('Enter the server’s name or address')
  await expect(page.getByTestId('database-port')).toContainText('A port is between 1 and 65535.')

  await page.getByTestId('database-host').getByRole('textbox').fill('127.0.0.1')
  await page.getByTestId('database-port').getByRole('textbox').fill('1')
  await page.getByTestId('database-password').locator('input').fill('not shown anywhere')
  await page.getByTestId('database-test').click()
  await expect(page.getByTestId('database-test-result')).toContainText('The server cannot be reached')
  await app.screenshot('database-settings-unreachable')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.getByTestId('database-test-result')).toBeVisible()
  await app.screenshot('database-settings-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  // Nothing was switched: the desk still uses its file.
  expect((await app.api.invoke('database:status', undefined)).using).toBe('file')
})

test('only administrators see Settings → Database', async ({ page, app }) => {
  await app.signInAs('staff')
  await page.goto('/#/settings')
  await expect(page.getByTestId('settings-tab-tags')).toBeVisible()
  await expect(page.getByTestId('settings-tab-database')).toHaveCount(0)
})
