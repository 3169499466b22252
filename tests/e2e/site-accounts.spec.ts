import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'

/**
 * Online account emails from the profile: with no site address the buttons
 * say why they are off; with one, a password reset goes out through the
 * outbox to a real SMTP server, carries its link, and is listed as valid;
 * the link used once shows as used; blocking the customer turns the buttons off.
 */

const SITE = 'https://book.example.com'
const shotDir = join(__dirname, '../../test-results/site-account-shots')
/** The accessibility check looks at the profile's online account section only. */
const ONLINE_ACCOUNT = '[data-testid="section-online-account"]'

async function shot(target: Page | Locator, name: string): Promise<void> {
  await saveScreenshot(target, join(shotDir, `${name}.png`))
}

test('send a password reset from the profile, see it valid, then used — light and dark', async ({ page, app, smtp }) => {
  const customer = await app.api.invoke('customers:create', { firstName: 'Perdita', lastName: 'Lowther', email: 'perdita@example.org' })
  await page.goto(`/#/customers/${customer.id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
  const section = page.getByTestId('section-online-account')
  await section.scrollIntoViewIfNeeded()
  await expect(section.getByTestId('account-none')).toHaveText('No account emails sent yet.')
  await expect(section.getByTestId('account-cannot-send')).toContainText("Set the online booking site's address in Settings → Email first.")
  await expect(section.getByTestId('account-send-reset')).toBeDisabled()
  await shot(section, 'no-site-address')

  await app.setUpMail(smtp, { siteAddress: SITE })
  await page.reload()
  await section.scrollIntoViewIfNeeded()
  await expect(section.getByTestId('account-send-reset')).toBeEnabled()
  await expect(section.getByTestId('account-cannot-send')).toBeHidden()

  await section.getByTestId('account-send-reset').click()
  await expect(page.getByTestId('snackbar')).toContainText('Password reset email queued for Perdita Lowther')
  await expect(section.getByTestId('account-item')).toHaveCount(1)
  await expect(section.getByTestId('account-state')).toContainText('Valid until')
  await shot(section, 'reset-valid')

  const [mail] = await smtp.waitFor(1)
  expect(mail!.to).toEqual(['perdita@example.org'])
  const token = /\/account\/reset\?token=([A-Za-z0-9_-]{43})/.exec(mail!.parsed.text ?? '')?.[1]
  expect(token, mail!.parsed.text).toBeTruthy()
  expect(mail!.parsed.html || '').toContain(`${SITE}/account/reset?token=${token}`)

  // The site uses the link; the profile shows it used.
  await app.api.invoke('siteAccounts:redeem', { token: token!, purpose: 'reset' })
  await page.reload()
  await section.scrollIntoViewIfNeeded()
  await expect(section.getByTestId('account-state')).toContainText('Used')

  await section.getByTestId('account-send-confirm').click()
  await expect(page.getByTestId('snackbar')).toContainText('Confirm-account email queued')
  await expect(section.getByTestId('account-item')).toHaveCount(2)
  await shot(page, 'profile-online-account')

  // Blocked: the unused confirm link is cancelled and nothing more can be sent.
  await app.api.invoke('customers:block', { id: customer.id, reason: 'Card disputes' })
  await page.reload()
  await section.scrollIntoViewIfNeeded()
  await expect(section.getByTestId('account-state').first()).toHaveText('Cancelled: Customer blocked')
  await expect(section.getByTestId('account-cannot-send')).toContainText('is blocked')
  await expect(section.getByTestId('account-send-confirm')).toBeDisabled()
  await shot(section, 'blocked')
  await expectNoSeriousA11yViolations(page, 'the online account section, light', ONLINE_ACCOUNT)

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.reload()
  await section.scrollIntoViewIfNeeded()
  await expect(section.getByTestId('account-item')).toHaveCount(2)
  await shot(section, 'blocked-dark')
  await expectNoSeriousA11yViolations(page, 'the online account section, dark', ONLINE_ACCOUNT)
})
