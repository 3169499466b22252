import { join } from 'node:path'
import { expect, test } from './fixtures'
import { onPostgres } from '../helpers/testDatabase'
import { currentServerBackupsHome } from '../../main/services/backups'

/**
 * Settings → Backups on a desk whose data is on a PostgreSQL server: Back up
 * now copies the server's data into a file in this computer's folder for the
 * server, listed like a file desk's backups; Restore says it replaces the
 * server's data for every desk, and puts the backup's data back.
 */

test('@smoke a server desk backs up and restores its data through the Backups panel', async ({ page, app }) => {
  test.skip(!onPostgres, 'A desk on a PostgreSQL server')
  test.setTimeout(120_000)
  await app.api.invoke('customers:create', { firstName: 'Ada', lastName: 'Lovelace' })
  await page.goto('/#/settings?section=backups')
  await expect(page.getByTestId('backups-card')).toContainText('Copies of the server’s data in files on this computer')
  await expect(page.getByTestId('backup-folder')).toContainText(join(currentServerBackupsHome(), 'backups'))
  await expect(page.getByTestId('backups-card')).toContainText('Backup folder (on this computer)')
  await expect(page.getByTestId('backups-empty')).toBeVisible()

  await page.getByTestId('backup-now').click()
  const table = page.getByTestId('backups-table')
  await expect(table.getByRole('row')).toHaveCount(2, { timeout: 60_000 })
  await expect(table).toContainText('Backed up by hand')
  await app.screenshot('server-backups-settings')

  await app.api.invoke('customers:create', { firstName: 'Grace', lastName: 'Hopper' })
  await table.getByRole('button', { name: 'Restore…' }).click()
  const dialog = page.getByTestId('restore-dialog')
  await expect(dialog).toContainText('which every desk on it uses, will be replaced by the backup made')
  // The server's address is shown without its password.
  await expect(dialog).not.toContainText(/postgres:\/\/[^@/]*:[^@/]*@/)
  await app.screenshot('server-backups-restore-confirm')
  await page.getByRole('button', { name: 'Replace the server’s data' }).click()
  await expect(page.getByTestId('restore-done')).toContainText('The server now holds the backup made', { timeout: 60_000 })
  const listed = await app.api.invoke('customers:list', {})
  expect(listed.rows.map((row) => row.displayName)).toEqual(['Ada Lovelace'])
})
