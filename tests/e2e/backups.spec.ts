import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { connectPage } from './bridge'
import { openFrontdesk } from '../../main/app-core'
import { DAMAGED_AT_START, openRecoveryDesk } from '../../main/recovery'
import { trustedSenderCheck } from '../../main/security'
import { BUILT_IN_ADMIN } from '../../main/services/context'
import { DataFileProblem, inspectDataFile } from '../../db/dataFile'
import { assertUndamaged } from '../../db/open'
import { migrations } from '../../db/migrations'
import { NO_BACKUP_DIALOGS } from '../../main/backupHooks'
import { testWorker } from '../helpers/worker'

/**
 * Settings → Backups: Back up now with its progress, the list, and Restore
 * with its confirmation, through the built renderer against the real
 * backend (the data layer reopens on the restored file); and the recovery
 * screen a damaged file gets at start.
 */

const SLOW_TEST_TIMEOUT = 180_000
const screenshotDir = join(__dirname, '../../test-results/screenshots')

test('back up now, then restore that backup through the screen', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await app.api.invoke('customers:create', { firstName: 'Ada', lastName: 'Lovelace' })
  await page.goto('/#/settings?section=backups')
  await expect(page.getByTestId('backups-card')).toBeVisible()
  await expect(page.getByTestId('backups-empty')).toBeVisible()
  await expect(page.getByTestId('backup-folder')).toHaveText(join(app.dataFile, '..', 'Backups'))

  await page.getByTestId('backup-now').click()
  const table = page.getByTestId('backups-table')
  await expect(table.getByRole('row')).toHaveCount(2)
  await expect(table).toContainText('Backed up by hand')
  await expect(table).toContainText('Checked')
  await app.screenshot('backups-settings')

  // A change after the backup, which the restore takes away.
  await app.api.invoke('customers:create', { firstName: 'Grace', lastName: 'Hopper' })
  const before = app.core

  await table.getByRole('button', { name: 'Restore…' }).click()
  const dialog = page.getByTestId('restore-dialog')
  await expect(dialog).toContainText('The customer file frontdesk.sqlite3 will be replaced by the backup made')
  await expect(dialog).toContainText('kept first as a backup of its own')
  await app.screenshot('backups-restore-confirm')
  await page.getByTestId('restore-confirm').click()
  await expect(page.getByTestId('restore-done')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('restore-done')).toContainText('before-restore')
  await app.screenshot('backups-restored')

  // The data layer reopened on the restored file: a new core, Ada alone.
  expect(app.core).not.toBe(before)
  const listed = await app.api.invoke('customers:list', {})
  expect(listed.rows.map((row) => row.displayName)).toEqual(['Ada Lovelace'])
  // Continue reloads the desk; going on before that load ends would race it.
  await Promise.all([page.waitForEvent('load'), page.getByTestId('restore-continue').click()])
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
  await page.goto('/#/settings?section=backups')
  const rows = page.getByTestId('backups-table').getByRole('row')
  await expect(rows).toHaveCount(3)
  await expect(page.getByTestId('backups-table')).toContainText('Before a restore')
})

test('encryption needs a passphrase first, and a wrong passphrase is refused in words', async ({ page, app }) => {
  test.setTimeout(SLOW_TEST_TIMEOUT)
  await page.goto('/#/settings?section=backups')
  await expect(page.getByTestId('backup-passphrase-state')).toHaveText(/No passphrase set yet/)
  await page.getByTestId('backup-encrypted').locator('input').click()
  await expect(page.getByText('Set a passphrase first')).toBeVisible()
  await page.getByTestId('backup-set-passphrase').click()
  await page.getByTestId('passphrase-input').locator('input').fill('correct horse battery')
  await page.getByTestId('passphrase-again').locator('input').fill('correct horse battery')
  await app.screenshot('backups-passphrase')
  await page.getByTestId('passphrase-save').click()
  await expect(page.getByTestId('backup-passphrase-state')).toHaveText(/kept on this computer/)
  await page.getByTestId('backup-encrypted').locator('input').click()
  await expect(page.getByTestId('backup-encrypted').locator('input')).toBeChecked()
  await page.getByTestId('backup-now').click()
  await expect(page.getByTestId('backups-table').getByRole('row')).toHaveCount(2)
  await expect(page.getByTestId('backups-table').getByLabel('Encrypted')).toBeVisible()
  await page.getByTestId('backups-table').getByRole('button', { name: 'Restore…' }).click()
  await page.getByTestId('restore-passphrase').locator('input').fill('not the right one')
  await page.getByTestId('restore-confirm').click()
  await expect(page.getByTestId('restore-error')).toContainText('encrypted with a different passphrase')
  await app.screenshot('backups-restore-wrong-passphrase')
})

base('a damaged file at start: the recovery screen lists its backups, newest first, and restores one', async ({ page, baseURL }) => {
  base.setTimeout(SLOW_TEST_TIMEOUT)
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-recovery-'))
  try {
    const dataFile = join(dir, 'frontdesk.sqlite3')
    const core = await openFrontdesk({ dataFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN })
    const sender = { url: 'app://test', isTopFrame: true }
    await core.dispatch('customers:create', { firstName: 'Ada', lastName: 'Lovelace' }, sender)
    for (const when of ['2026-11-30T09:00:00Z', '2026-12-01T09:00:00Z']) {
      const started = core.jobs.start('backup', { kind: 'daily' }, { staff: BUILT_IN_ADMIN, now: new Date(when), label: 'Daily backup' })
      expect((await core.jobs.whenFinished(started.id)).state).toBe('done')
    }
    await core.close()
    // The file damaged as a failing disk would leave it: pages in the middle zeroed.
    const bytes = readFileSync(dataFile)
    bytes.fill(0, 4096 * 3, bytes.length - 4096 * 2)
    writeFileSync(dataFile, bytes)
    const problem = (() => {
      try {
        inspectDataFile(dataFile, migrations.map(([name]) => name))
        assertUndamaged(dataFile)
        return null
      } catch (error) {
        return error as DataFileProblem
      }
    })()
    expect(problem?.reason).toBe('damaged')
    const damagedBytes = readFileSync(dataFile)
    let recovered = false
    const desk = openRecoveryDesk({
      dataFile,
      problem: DAMAGED_AT_START,
      isTrustedSender: trustedSenderCheck(`${baseURL}/`),
      worker: testWorker,
      dialogs: NO_BACKUP_DIALOGS,
      onRecovered: async () => {
        recovered = true
      },
    })
    try {
      await connectPage(page, desk)
      await page.goto('/#/recovery')
      await expect(page.getByRole('heading', { name: 'The customer file is damaged' })).toBeVisible()
      await expect(page.getByTestId('recovery-problem')).toContainText('Frontdesk has not changed the file')
      await expect(page.getByTestId('recovery-newest')).toContainText('Daily')
      await expect(page.getByTestId('recovery-older').getByRole('listitem')).toHaveCount(1)
      await expect(page.getByTestId('recovery-choose-file')).toBeVisible()
      await saveScreenshot(page, join(screenshotDir, 'backups-recovery.png'), { fullPage: true })
      await page.getByTestId('recovery-restore-newest').click()
      await expect(page.getByTestId('recovery-done')).toBeVisible({ timeout: 60_000 })
      await saveScreenshot(page, join(screenshotDir, 'backups-recovery-done.png'), { fullPage: true })
      expect(recovered).toBe(true)
      // The damaged file was put aside byte for byte; the restored one opens.
      const aside = readdirSync(dir).find((name) => name.startsWith('frontdesk.sqlite3.damaged-'))!
      expect(readFileSync(join(dir, aside)).equals(damagedBytes)).toBe(true)
      expect(() => assertUndamaged(dataFile)).not.toThrow()
      const reopened = await openFrontdesk({ dataFile, isTrustedSender: () => true, worker: testWorker, staff: BUILT_IN_ADMIN })
      const listed = await reopened.dispatch('customers:list', {}, sender)
      await reopened.close()
      expect(listed).toMatchObject({ ok: true, data: { rows: [{ displayName: 'Ada Lovelace' }] } })
    } finally {
      await desk.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
