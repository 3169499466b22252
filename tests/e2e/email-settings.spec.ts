import { expect, test } from './fixtures'
import { chooseOption } from './choose'
import { TEST_SMTP_PASSWORD, TEST_SMTP_USER } from '../helpers/smtpServer'

/**
 * Settings → Email through the built renderer: the server, sender and
 * password saved (the password kept outside the customer file), field
 * refusals beside their fields, and a test email that arrives on a real
 * SMTP server.
 */

test('set up email, save, and send a test email that arrives', async ({ page, app, smtp }) => {
  await page.goto('/#/settings?section=email')
  const card = page.getByTestId('email-settings')
  await expect(card).toBeVisible()
  await expect(page.getByTestId('email-setup-state')).toHaveText('Not set up yet')
  await app.screenshot('email-settings-empty')

  await page.getByTestId('email-host').getByRole('textbox').fill('127.0.0.1')
  await page.getByTestId('email-port').getByRole('textbox').fill('0')
  await page.getByTestId('email-user').getByRole('textbox').fill(TEST_SMTP_USER)
  await page.getByTestId('email-password').locator('input').fill(TEST_SMTP_PASSWORD)
  await page.getByTestId('email-from-name').getByRole('textbox').fill('Studio Desk')
  await page.getByTestId('email-from-address').getByRole('textbox').fill('hello@studio')
  await page.getByTestId('email-reply-to').getByRole('textbox').fill('replies@studio.example')
  await page.getByTestId('email-staff-address-from').click()
  await page.getByTestId('email-site-address').getByRole('textbox').fill('http://book.studio.example')
  await page.getByTestId('email-reminder-hours').getByRole('textbox').fill('200')
  await page.getByTestId('email-save').click()

  // Each refusal beside its field; nothing saved.
  await expect(page.getByTestId('email-port')).toContainText('A port is between 1 and 65535.')
  await expect(page.getByTestId('email-from-address')).toContainText('This is not a valid email address.')
  await expect(page.getByTestId('email-site-address')).toContainText('starting with https://')
  await expect(page.getByTestId('email-reminder-hours')).toContainText('at most 168 hours')
  await app.screenshot('email-settings-refused')
  expect((await app.api.invoke('mail:settings', undefined)).host).toBe('')

  await page.getByTestId('email-port').getByRole('textbox').fill(String(smtp.port))
  await page.getByTestId('email-from-address').getByRole('textbox').fill('hello@studio.example')
  await page.getByTestId('email-site-address').getByRole('textbox').fill('https://book.studio.example')
  await page.getByTestId('email-reminder-hours').getByRole('textbox').fill('48')
  await page.getByTestId('email-save').click()
  await expect(page.getByText('Email settings saved')).toBeVisible()
  await expect(page.getByTestId('email-setup-state')).toHaveText('Set up')
  await expect(page.getByTestId('email-password-state')).toContainText('A password is kept on this computer')

  const saved = await app.api.invoke('mail:settings', undefined)
  expect(saved).toMatchObject({
    host: '127.0.0.1',
    port: smtp.port,
    security: 'starttls',
    user: TEST_SMTP_USER,
    fromName: 'Studio Desk',
    fromAddress: 'hello@studio.example',
    replyTo: 'replies@studio.example',
    staffAddress: 'from',
    siteAddress: 'https://book.studio.example',
    reminderHours: 48,
    passwordSet: true,
    setUp: true,
  })
  await app.screenshot('email-settings-saved')

  // The built-in administrator has no address of their own: the sender's is offered.
  const to = page.getByTestId('email-test-to').getByRole('textbox')
  await expect(to).toHaveValue('hello@studio.example')
  await to.fill('owner@example.com')
  await page.getByTestId('email-test-send').click()
  await expect(page.getByTestId('email-test-result')).toContainText('The test email was handed to 127.0.0.1 for owner@example.com')
  const [message] = await smtp.waitFor(1)
  expect(message!.to).toEqual(['owner@example.com'])
  expect(message!.parsed.from?.value[0]).toEqual({ name: 'Studio Desk', address: 'hello@studio.example' })
  await app.screenshot('email-settings-test-sent')
})

test('a wrong password is named in the test email’s result, and forgetting the password is saved', async ({ page, app, smtp }) => {
  await app.setUpMail(smtp, { password: 'not the password' })
  await page.goto('/#/settings?section=email')
  await expect(page.getByTestId('email-setup-state')).toHaveText('Set up')
  await page.getByTestId('email-test-to').getByRole('textbox').fill('owner@example.com')
  await page.getByTestId('email-test-send').click()
  await expect(page.getByTestId('email-test-result')).toContainText('refused the user name or password')
  await app.screenshot('email-settings-test-refused')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.getByTestId('email-test-result')).toBeVisible()
  await app.screenshot('email-settings-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  await page.getByTestId('email-password-forget').click()
  await expect(page.getByTestId('email-password-state')).toContainText('forgotten when you save')
  await page.getByTestId('email-save').click()
  await expect(page.getByText('Email settings saved')).toBeVisible()
  await expect(page.getByTestId('email-password')).toBeVisible()
  expect((await app.api.invoke('mail:settings', undefined)).passwordSet).toBe(false)
  expect(smtp.received).toHaveLength(0)
})

test('only administrators see Settings → Email', async ({ page, app }) => {
  await app.signInAs('staff')
  await page.goto('/#/settings')
  await expect(page.getByTestId('settings-tab-tags')).toBeVisible()
  await expect(page.getByTestId('settings-tab-email')).toHaveCount(0)
})

test.describe('while the saved email settings are still on their way', () => {
  test.use({ slowChannels: { 'mail:settings': 1_500 } })

  test('coming back to the section, what is typed is not replaced by the settings as they arrive', async ({ page, app }) => {
    await page.goto('/#/settings?section=email')
    const host = page.getByTestId('email-host').getByRole('textbox')
    await expect(host).toHaveValue('')
    await chooseOption(page.getByTestId('settings-tab-general'))
    await chooseOption(page.getByTestId('settings-tab-email'))
    await host.fill('smtp.studio.example')
    // The settings read as the section opened again arrive after the typing.
    await page.waitForTimeout(2_000)
    await expect(host).toHaveValue('smtp.studio.example')
    await app.screenshot('email-settings-typed-while-loading')
  })
})
