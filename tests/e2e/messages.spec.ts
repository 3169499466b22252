import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { chooseOption } from './choose'

/**
 * Email from the desk: written on the profile with a live preview, listed on
 * the Messages tab, delivered to a real SMTP server; refused up front for a
 * customer who cannot be written to; the Outbox page with its badge, a
 * failed message retried and delivered, and a waiting one cancelled while
 * email is not set up.
 */

const shotDir = join(__dirname, '../../test-results/messages-shots')

async function shot(target: Page | Locator, name: string): Promise<void> {
  await saveScreenshot(target, join(shotDir, `${name}.png`))
}

test('send an email from the profile: listed on the Messages tab, delivered, opened', async ({ page, app, smtp }) => {
  await app.setUpMail(smtp, { replyTo: 'hello@example.com' })
  const customer = await app.api.invoke('customers:create', { firstName: 'Hester', lastName: 'Marchbanks', email: 'hester@example.org' })
  await app.api.invoke('notes:add', { customerId: customer.id, body: 'STAFF-ONLY: prefers the quiet room' })
  await page.goto(`/#/customers/${customer.id}`)
  await expect(page.getByTestId('profile-name')).toHaveText('Hester Marchbanks')

  await page.getByTestId('profile-send-email').click()
  const dialog = page.getByTestId('send-email-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('send-email-to')).toHaveText('Hester Marchbanks')
  await expect(dialog).toContainText('hester@example.org')
  await expect(dialog.getByTestId('send-email-send')).toBeDisabled()
  await dialog.getByTestId('send-email-subject').locator('input').fill('Your spring classes, {{firstName}}')
  await dialog.getByTestId('send-email-body').locator('textarea').fill('Dear {{firstName}},\n\nThe **spring timetable** is out. See you soon!')
  await expect(dialog.getByTestId('email-preview-subject')).toContainText('Your spring classes, Hester')
  await expect(dialog.getByTestId('email-html')).toContainText('Dear Hester')
  await expect(dialog.getByTestId('email-html').locator('strong', { hasText: 'spring timetable' })).toBeVisible()
  await shot(dialog, 'send-dialog')

  await dialog.getByTestId('send-email-send').click()
  await expect(page.getByTestId('snackbar')).toContainText('Queued — it will be sent')
  await expect(dialog).toBeHidden()

  const [mail] = await smtp.waitFor(1)
  expect(mail!.to).toEqual(['hester@example.org'])
  expect(mail!.parsed.subject).toBe('Your spring classes, Hester')
  expect(mail!.parsed.text).toContain('Dear Hester')
  expect(mail!.parsed.html || '').toContain('<strong>spring timetable</strong>')
  expect(mail!.raw).not.toContain('STAFF-ONLY')

  await page.getByTestId('tab-messages').click()
  const tab = page.getByTestId('messages-tab')
  const row = tab.getByTestId('messages-list').getByTestId('message-row').filter({ hasText: 'Your spring classes, Hester' })
  await expect(row).toHaveCount(1)
  // The tab reads the list again when it is opened: the delivered message shows as sent.
  await page.getByTestId('tab-details').click()
  await page.getByTestId('tab-messages').click()
  await expect(row.getByTestId('message-status-sent')).toBeVisible()
  await shot(tab, 'messages-tab')
  await shot(page, 'profile-messages')
  // At 1366 pixels all nine tabs sit on one line.
  await page.setViewportSize({ width: 1366, height: 800 })
  const firstTop = (await page.getByTestId('tab-details').boundingBox())!.y
  await expect.poll(async () => (await page.getByTestId('tab-account').boundingBox())!.y).toBe(firstTop)
  await page.setViewportSize({ width: 1280, height: 800 })

  await row.click()
  const viewer = page.getByTestId('message-viewer')
  await expect(viewer.getByTestId('message-viewer-subject')).toHaveText('Your spring classes, Hester')
  await expect(viewer.getByTestId('message-viewer-to')).toHaveText('Hester Marchbanks <hester@example.org>')
  await expect(viewer.getByTestId('email-html')).toContainText('The spring timetable is out.')
  await shot(viewer, 'message-viewer')
  await viewer.getByTestId('message-part-text').click()
  await expect(viewer.getByTestId('message-viewer-text')).toContainText('Dear Hester')
  await page.keyboard.press('Escape')
  await expect(viewer).toBeHidden()

  // The history holds the subject, never the body.
  await page.getByTestId('tab-changes').click()
  await expect(page.getByText('Email queued: Your spring classes, Hester')).toBeVisible()
})

test('a customer who cannot be written to: the dialog says why and nothing can be sent', async ({ page, app }) => {
  const customer = await app.api.invoke('customers:create', { firstName: 'Rufus', lastName: 'Tolley', email: 'rufus@example.org' })
  await app.api.invoke('customers:block', { id: customer.id, reason: 'Unpaid invoices' })
  await page.goto(`/#/customers/${customer.id}?tab=messages`)
  await expect(page.getByTestId('messages-refusal')).toContainText('Rufus Tolley is blocked: nothing is sent to a blocked customer.')
  await expect(page.getByTestId('messages-send-email')).toBeDisabled()
  await expect(page.getByTestId('messages-empty')).toBeVisible()

  // From the keyboard once the menu is open: a click by position could land beside the item while the menu places itself.
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-send-email'))
  const dialog = page.getByTestId('send-email-dialog')
  await expect(dialog.getByTestId('send-email-refusal')).toContainText('is blocked')
  await expect(dialog.getByTestId('send-email-send')).toBeDisabled()
  await expect(dialog.getByTestId('send-email-subject').locator('input')).toBeDisabled()
  await shot(dialog, 'send-dialog-refused')
})

test('the Outbox: a failed email shows its reason and the badge turns red; Retry sends it', async ({ page, app, smtp }) => {
  await app.setUpMail(smtp)
  smtp.rejectNext(550, '5.1.1 Mailbox unavailable', 1)
  const customer = await app.api.invoke('customers:create', { firstName: 'Dorcas', lastName: 'Fenwick', email: 'dorcas@example.org' })
  const sent = await app.api.invoke('messages:send', { customerId: customer.id, subject: 'Receipt for your visit', body: 'Thank you, {{firstName}}.' })
  await expect.poll(async () => (await app.api.invoke('messages:get', { id: sent.id })).status, { timeout: 15_000 }).toBe('failed')

  await page.goto('/#/customers')
  const badge = page.getByTestId('outbox-badge')
  await expect(badge).toContainText('1')
  await expect(badge).not.toHaveClass(/nav-count--quiet/)
  await page.getByTestId('nav-outbox').click()
  await expect(page.getByRole('heading', { name: 'Outbox' })).toBeVisible()
  await expect(page.getByTestId('outbox-count-failed')).toHaveText('1')
  await page.getByTestId('outbox-filter-failed').click()
  const row = page.getByTestId('outbox-row').filter({ hasText: 'Receipt for your visit' })
  await expect(row).toHaveAttribute('data-status', 'failed')
  await expect(row.getByTestId('outbox-error')).toContainText('Mailbox unavailable')
  await expect(row.getByTestId('outbox-customer')).toHaveText('Dorcas Fenwick')
  await shot(page, 'outbox-failed')

  await row.getByTestId('outbox-retry').click()
  await expect(page.getByTestId('snackbar')).toContainText('Back in the queue')
  await expect(page.getByTestId('outbox-row')).toHaveCount(0)
  const [mail] = await smtp.waitFor(1)
  expect(mail!.parsed.subject).toBe('Receipt for your visit')
  await expect(badge).toBeHidden({ timeout: 15_000 })
  await page.getByTestId('outbox-filter-all').click()
  await expect(page.getByTestId('outbox-row').filter({ hasText: 'Receipt for your visit' })).toHaveAttribute('data-status', 'sent')
  await shot(page, 'outbox-sent')

  // The customer link leads to their Messages tab.
  await page.getByTestId('outbox-customer').first().click()
  await expect(page.getByTestId('messages-tab')).toBeVisible()
  await expect(page.getByTestId('messages-list')).toContainText('Receipt for your visit')
})

test('the Outbox before email is set up: a banner says so, emails wait, and one can be cancelled; the other goes once it is set up', async ({ page, app, smtp }) => {
  const customer = await app.api.invoke('customers:create', { firstName: 'Ambrose', lastName: 'Quill', email: 'ambrose@example.org' })
  await app.api.invoke('messages:send', { customerId: customer.id, subject: 'Welcome to the studio', body: 'Hello {{firstName}}.' })
  await app.api.invoke('messages:send', { customerId: customer.id, subject: 'Your first class', body: 'See you on Monday.' })

  await page.goto('/#/outbox')
  await expect(page.getByTestId('outbox-not-set-up')).toContainText("Email isn't set up yet")
  await expect(page.getByTestId('outbox-open-settings')).toBeVisible()
  const badge = page.getByTestId('outbox-badge')
  await expect(badge).toContainText('2')
  await expect(badge).toHaveClass(/nav-count--quiet/)
  await expect(page.getByTestId('outbox-row')).toHaveCount(2)
  await shot(page, 'outbox-not-set-up')

  const row = page.getByTestId('outbox-row').filter({ hasText: 'Your first class' })
  await row.getByTestId('outbox-cancel').click()
  await page.getByRole('button', { name: 'Cancel email' }).click()
  await expect(page.getByTestId('snackbar')).toContainText('Email cancelled')
  await expect(row).toHaveAttribute('data-status', 'cancelled')
  await expect(badge).toContainText('1')
  await page.getByTestId('outbox-filter-cancelled').click()
  await expect(page.getByTestId('outbox-row')).toHaveCount(1)
  await expect(page.getByTestId('outbox-row')).toContainText('Your first class')

  // In dark mode too: the email itself keeps its light page, as mail programs show it.
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.getByTestId('outbox-filter-all').click()
  await expect(page.getByTestId('outbox-row')).toHaveCount(2)
  await shot(page, 'outbox-dark')
  await page.getByTestId('outbox-open').first().click()
  await expect(page.getByTestId('message-viewer').getByTestId('email-html')).toContainText('See you on Monday.')
  await shot(page.getByTestId('message-viewer'), 'message-viewer-dark')
  await page.keyboard.press('Escape')

  // Set up now: the email that waited goes, from the address the settings give; the cancelled one never does.
  await app.setUpMail(smtp)
  const [mail] = await smtp.waitFor(1)
  expect(mail!.parsed.subject).toBe('Welcome to the studio')
  expect(mail!.parsed.from?.value[0]?.address).toBe('desk@example.com')
  await expect(page.getByTestId('outbox-not-set-up')).toBeHidden({ timeout: 15_000 })
  await expect(badge).toBeHidden({ timeout: 15_000 })
  expect(smtp.received).toHaveLength(1)
})

/** A port on this computer nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

test('the Outbox while the mail server cannot be reached: a banner with the reason and the next try; Try now once it is back', async ({ page, app, smtp }) => {
  await app.setUpMail(smtp, { port: await closedPort() })
  const customer = await app.api.invoke('customers:create', { firstName: 'Lettice', lastName: 'Crane', email: 'lettice@example.org' })
  await app.api.invoke('messages:send', { customerId: customer.id, subject: 'Your booking next week', body: 'Hello {{firstName}}.' })
  await expect.poll(async () => (await app.api.invoke('messages:outboxCounts', undefined)).offline, { timeout: 15_000 }).toBe(true)

  await page.goto('/#/outbox')
  const banner = page.getByTestId('outbox-offline')
  await expect(banner).toContainText("Can't reach the mail server")
  await expect(banner).toContainText('Next try at')
  await expect(page.getByTestId('outbox-row')).toHaveAttribute('data-status', 'queued')
  await shot(page, 'outbox-offline')

  await app.setUpMail(smtp)
  await page.getByTestId('outbox-try-now').click()
  const [mail] = await smtp.waitFor(1)
  expect(mail!.parsed.subject).toBe('Your booking next week')
  await expect(banner).toBeHidden({ timeout: 15_000 })
  await page.getByTestId('outbox-refresh').click()
  await expect(page.getByTestId('outbox-row')).toHaveAttribute('data-status', 'sent')
})

test('the Outbox follows a message the sender moves, without Refresh', async ({ page, app }) => {
  // Email is not set up, so nothing sends it: the test moves it as the sender would.
  const customer = await app.api.invoke('customers:create', { firstName: 'Perpetua', lastName: 'Vane', email: 'perpetua@example.org' })
  const sent = await app.api.invoke('messages:send', { customerId: customer.id, subject: 'Your class on Friday', body: 'Hello {{firstName}}.' })
  await page.goto('/#/outbox')
  const row = page.getByTestId('outbox-row').filter({ hasText: 'Your class on Friday' })
  await expect(row).toHaveAttribute('data-status', 'queued')
  await app.core.db('messages').where({ id: sent.id }).update({ status: 'sending' })
  await expect(row).toHaveAttribute('data-status', 'sending')
  await app.core.db('messages').where({ id: sent.id }).update({ status: 'failed', last_error: 'Mailbox unavailable' })
  await expect(row).toHaveAttribute('data-status', 'failed')
})

test('a newsletter from its template to a customer who agreed: previewed, then delivered with its unsubscribe headers', async ({ page, app, smtp }) => {
  await app.setUpMail(smtp, { siteAddress: 'https://book.example.com' })
  const customer = await app.api.invoke('customers:create', { firstName: 'Tamsin', lastName: 'Oakes', email: 'tamsin@example.org' })
  await app.api.invoke('customers:setPreferences', { id: customer.id, marketingConsent: true, unsubscribed: false, channel: 'desk', wording: 'Yes to the newsletter' })
  await page.goto(`/#/customers/${customer.id}?tab=messages`)
  await page.getByTestId('messages-send-email').click()
  const dialog = page.getByTestId('send-email-dialog')
  await dialog.getByTestId('send-email-kind-marketing').click()
  await dialog.getByTestId('send-email-template').click()
  await chooseOption(page.getByRole('option', { name: 'Newsletter' }))
  await expect(dialog.getByTestId('send-email-template-note')).toContainText('“Newsletter” is filled in for Tamsin Oakes')
  await expect(dialog.getByTestId('email-preview-subject')).toContainText('News from My Business')
  await expect(dialog.getByTestId('email-html')).toContainText('Unsubscribe')
  await shot(dialog, 'send-dialog-newsletter')
  await dialog.getByTestId('send-email-send').click()
  await expect(page.getByTestId('snackbar')).toContainText('Queued')

  const [mail] = await smtp.waitFor(1)
  expect(mail!.parsed.subject).toBe('News from My Business')
  // Long headers are folded onto several lines: read them unfolded.
  const unfolded = mail!.raw.replace(/\r?\n[ \t]+/g, ' ')
  expect(unfolded).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/)
  expect(unfolded).toMatch(/List-Unsubscribe: <https:\/\/book\.example\.com\/unsubscribe\?t=[A-Za-z0-9_-]+>/)
  await expect(page.getByTestId('message-row')).toContainText('News from My Business')
  await expect(page.getByTestId('message-row')).toContainText('Marketing')
})

test('a customer blocked while the email is written: Send says so once and the dialog shows why', async ({ page, app }) => {
  const customer = await app.api.invoke('customers:create', { firstName: 'Orla', lastName: 'Penhale', email: 'orla@example.org' })
  await page.goto(`/#/customers/${customer.id}`)
  await page.getByTestId('profile-send-email').click()
  const dialog = page.getByTestId('send-email-dialog')
  await dialog.getByTestId('send-email-subject').locator('input').fill('Your booking')
  await dialog.getByTestId('send-email-body').locator('textarea').fill('See you on Monday.')
  await expect(dialog.getByTestId('email-preview-subject')).toContainText('Your booking')
  // Another desk blocks her meanwhile.
  await app.api.invoke('customers:block', { id: customer.id, reason: 'Unpaid invoices' })
  await dialog.getByTestId('send-email-send').click()
  await expect(page.getByTestId('snackbar')).toContainText('Orla Penhale is blocked: nothing is sent to a blocked customer.')
  await expect(dialog.getByTestId('send-email-refusal')).toContainText('is blocked')
  await expect(dialog.getByTestId('send-email-send')).toBeDisabled()
  await expect(dialog.getByTestId('send-email-subject').locator('input')).toHaveValue('Your booking')
  await shot(dialog, 'send-dialog-blocked-meanwhile')
})
