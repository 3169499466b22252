import { expect, test, type FrontdeskApp } from './fixtures'
import { createCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'

/**
 * A marketing email from the customers list: select, Send email…, who will
 * receive it and who is left out (named), Send with its progress, the result,
 * and the messages arriving at a real SMTP server with their unsubscribe
 * link. And the catalogue item's confirmation email setting.
 */

const SITE = 'https://book.example.com'

/** Four who agreed, one who did not, one with no email address. */
async function newsletterReaders(app: FrontdeskApp): Promise<void> {
  const people: Array<[string, string, boolean]> = [
    ['Ada', 'ada@example.org', true],
    ['Bea', 'bea@example.org', true],
    ['Cy', 'cy@example.org', true],
    ['Di', 'di@example.org', true],
    ['Ed', 'ed@example.org', false],
    ['Flo', '', true],
  ]
  for (const [first, email, agreed] of people) {
    const made = await app.api.invoke('customers:create', { firstName: first, lastName: 'Reader', email })
    if (agreed) {
      await app.api.invoke('customers:setPreferences', { id: made.id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Yes, the newsletter.' })
    }
  }
}

test.describe('marketing email from the list', () => {
  // The page hears how the job goes a little late, so its progress is seen before the result.
  test.use({ slowChannels: { 'jobs:get': 1200 } })

  test('select, see who receives it and who is left out, send, follow it, and the emails arrive', async ({ page, app, smtp }) => {
    test.setTimeout(120_000)
    await app.setUpMail(smtp, { siteAddress: SITE })
    await newsletterReaders(app)

    await page.goto('/#/customers')
    await expect(page.getByTestId('customer-row')).toHaveCount(6)
    await page.getByTestId('select-page').locator('input').check()
    await expect(page.getByTestId('selected-count')).toHaveText('6 selected')
    await page.getByTestId('bulk-email').click()

    const dialog = page.getByTestId('marketing-dialog')
    await expect(dialog).toContainText('Email 6 customers')
    await expect(page.getByTestId('marketing-summary')).toHaveText("4 will receive it; 2 are left out: 1 hasn't agreed, 1 has no email address.")
    await expect(page.getByTestId('marketing-will-send')).toHaveText('4')
    await expect(page.getByTestId('marketing-send')).toHaveText('Send to 4')
    await app.screenshot('marketing-preview')

    await page.getByTestId('marketing-left-out').getByRole('button', { name: 'Who is left out, and why' }).click()
    const leftOut = page.getByTestId('marketing-left-out-row')
    await expect(leftOut).toHaveCount(2)
    await expect(leftOut.nth(0)).toContainText('Ed Reader')
    await expect(leftOut.nth(0)).toContainText('Has not agreed')
    await expect(leftOut.nth(1)).toContainText('Flo Reader')
    await expect(leftOut.nth(1)).toContainText('No email address')
    await expect(leftOut.nth(1)).toBeInViewport({ ratio: 1 })
    await app.screenshot('marketing-left-out')

    await page.getByTestId('marketing-send').click()
    await expect(dialog.getByTestId('job-progress')).toBeVisible()
    await expect(dialog.getByTestId('job-progress')).toContainText('Writing a marketing email for 6 selected customers')
    await app.screenshot('marketing-sending')
    await expect(page.getByTestId('marketing-done-text')).toHaveText(
      "4 emails are in the outbox; 2 are left out: 1 hasn't agreed, 1 has no email address.",
    )
    await expect(page.getByTestId('bulk-bar')).toBeHidden()
    await app.screenshot('marketing-done')

    await expect.poll(() => smtp.received.length, { timeout: 30_000 }).toBe(4)
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual(['ada@example.org', 'bea@example.org', 'cy@example.org', 'di@example.org'])
    for (const message of smtp.received) {
      expect(message.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
      expect(message.parsed.text).toContain(`${SITE}/unsubscribe?t=`)
    }

    await page.getByTestId('marketing-outbox').click()
    await expect(page).toHaveURL(/#\/outbox/)
  })
})

test('marketing is refused in words until the booking site address is set (in dark mode)', async ({ page, app, smtp }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.setUpMail(smtp)
  await newsletterReaders(app)
  await page.goto('/#/customers')
  await page.getByTestId('select-page').locator('input').check()
  await page.getByTestId('bulk-email').click()
  await expect(page.getByTestId('marketing-blocked')).toHaveText(
    "Set the online booking site's address in Settings → Email first: every marketing email needs an unsubscribe link.",
  )
  await expect(page.getByTestId('marketing-send')).toBeDisabled()
  await page.getByTestId('marketing-left-out').getByRole('button', { name: 'Who is left out, and why' }).click()
  await expect(page.getByTestId('marketing-left-out-row')).toHaveCount(2)
  // Opened whole (its animation over) before the picture.
  await expect(page.getByTestId('marketing-left-out-row').nth(1)).toBeInViewport({ ratio: 1 })
  await app.screenshot('marketing-no-site-address-dark')
})

test('a catalogue item says whether its bookings send a confirmation email', async ({ page, app }) => {
  // The helper only calls `invoke`, which the fixture's API has with the same signature.
  const cat = await createCatalogue(app.api as unknown as TestCore)
  await page.goto('/#/catalogue')
  const row = page.getByTestId('item-row').filter({ hasText: 'Pottery taster' })
  await row.getByTestId('edit-item').click()
  const toggle = page.getByTestId('item-confirmation-email')
  await expect(toggle).toContainText('Send a confirmation email when booked')
  await expect(toggle.locator('input')).toBeChecked()
  await app.screenshot('catalogue-confirmation-email')
  await toggle.locator('input').uncheck()
  await page.getByTestId('item-save').click()
  await expect(page.getByTestId('item-dialog')).toBeHidden()
  const item = (await app.api.invoke('catalogue:list', undefined)).find((i) => i.id === cat.pottery.itemId)!
  expect(item.confirmationEmail).toBe(false)

  await row.getByTestId('edit-item').click()
  await expect(page.getByTestId('item-confirmation-email').locator('input')).not.toBeChecked()
})
