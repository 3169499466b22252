import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, saveScreenshot, test } from './fixtures'
import { chooseOption } from './choose'

/**
 * Email templates end to end: the list in Settings, editing a template with a
 * merge field inserted at the cursor, the live preview on a sample and then
 * on a chosen customer (as sent and as plain text), an unknown field shown
 * under the text and refused, and saving. Staff can read but not change.
 */

test.describe.configure({ timeout: 120_000 })

const shotDir = join(__dirname, '../../test-results/h2-shots')

async function shot(target: Page | Locator, name: string): Promise<void> {
  await saveScreenshot(target, join(shotDir, `${name}.png`))
}

test('edit an email template with a field inserted, previewed on a chosen customer, and save it', async ({ page, app }) => {
  await app.api.invoke('settings:update', { businessName: 'Harbour Yoga', businessAddress: '4 Quay Street\nBristol BS1 4DB', businessPhone: '0117 496 0000' })
  await app.api.invoke('customers:create', { firstName: 'Zoë', lastName: 'O’Brien <b>', email: 'zoe@example.com' })

  await page.goto('/#/settings?section=email-templates')
  const settings = page.getByTestId('email-templates-settings')
  await expect(settings.getByTestId('email-template-row')).toHaveCount(6)
  await expect(settings.getByTestId('email-template-purpose')).toHaveText([
    'Everyday email',
    'Newsletter',
    'Booking confirmation',
    'Booking reminder',
    'Confirm account',
    'Reset password',
  ])
  // The only template of a purpose cannot be deleted.
  await expect(settings.getByTestId('delete-email-template').first()).toBeDisabled()
  await shot(page, 'email-templates-list-light')

  await settings.getByTestId('edit-email-template').first().click()
  const dialog = page.getByTestId('email-template-dialog')
  await expect(dialog.getByTestId('email-template-name').locator('input')).toHaveValue('General email')
  // Before a customer is chosen, the preview uses a sample one.
  await expect(dialog.getByTestId('email-preview-subject')).toHaveText('Subject: A note from Harbour Yoga')
  await expect(dialog.getByTestId('email-html')).toContainText('Dear Ada,')

  const body = dialog.getByTestId('email-template-body').locator('textarea').first()
  await body.fill('Dear {{firstName}},\n\nOur **summer timetable** is out: [see it](https://harbour.example/timetable).\n\nCall us on ')
  await body.press('End')
  await dialog.getByTestId('insert-field').click()
  await page.getByTestId('field-filter').locator('input').fill('phone')
  await page.getByTestId('field-business.phone').click()
  await expect(body).toHaveValue(/Call us on \{\{business\.phone\}\}$/)
  await expect(dialog.getByTestId('email-html')).toContainText('Call us on 0117 496 0000')

  // On a chosen customer: their name, escaped, in the HTML and as typed in the plain text.
  await dialog.getByTestId('email-preview-customer').locator('input').fill('Zoë')
  await chooseOption(page.getByRole('option', { name: /Zoë O’Brien/ }))
  await expect(dialog.getByTestId('email-html')).toContainText('Dear Zoë,')
  await expect(dialog.getByTestId('email-html').locator('strong', { hasText: 'summer timetable' })).toBeVisible()
  await expect(dialog.getByTestId('email-html').locator('a', { hasText: 'see it' })).toHaveAttribute('href', 'https://harbour.example/timetable')
  await shot(dialog, 'email-template-editor-light')
  await dialog.getByTestId('preview-part-text').click()
  await expect(dialog.getByTestId('email-preview-text')).toContainText('Our summer timetable is out: see it (https://harbour.example/timetable).')
  await shot(dialog, 'email-template-editor-text-light')
  await dialog.getByTestId('preview-part-html').click()

  // An unknown field is named under the text while typing, and refused on saving.
  await body.fill('Dear {{frstName}},')
  await expect(dialog.getByTestId('email-template-body')).toContainText('Unknown merge field {{frstName}} — choose one from the list.')
  await dialog.getByTestId('save-email-template').click()
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('email-template-body')).toContainText('Unknown merge field {{frstName}}')
  await shot(dialog, 'email-template-editor-problem-light')

  await body.fill('Dear {{firstName}},\n\nOur **summer timetable** is out.\n\nCall us on {{business.phone}}')
  await dialog.getByTestId('email-template-subject').locator('input').fill('Summer at {{business.name}}')
  await dialog.getByTestId('save-email-template').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('Template “General email” saved')).toBeVisible()
  const saved = (await app.api.invoke('mail:templates', undefined)).find((t) => t.purpose === 'general')
  expect(saved).toMatchObject({ subject: 'Summer at {{business.name}}', body: 'Dear {{firstName}},\n\nOur **summer timetable** is out.\n\nCall us on {{business.phone}}' })

  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(settings.getByTestId('email-template-row').first()).toContainText('Summer at {{business.name}}')
  await shot(page, 'email-templates-list-dark')
  await settings.getByTestId('edit-email-template').nth(1).click()
  await expect(dialog.getByTestId('email-template-name').locator('input')).toHaveValue('Newsletter')
  await expect(dialog.getByTestId('email-html')).toContainText('Unsubscribe')
  await shot(dialog, 'email-template-newsletter-dark')
})

test('add a second newsletter template, then delete one of the two', async ({ page, app: _app }) => {
  await page.goto('/#/settings?section=email-templates')
  const settings = page.getByTestId('email-templates-settings')
  await expect(settings.getByTestId('email-template-row')).toHaveCount(6)
  await settings.getByTestId('new-email-template').click()
  const dialog = page.getByTestId('email-template-dialog')
  await dialog.getByTestId('email-template-name').locator('input').fill('Spring offer')
  await dialog.getByTestId('email-template-purpose-select').click()
  await chooseOption(page.getByRole('option', { name: 'Newsletter' }))
  await expect(dialog.getByTestId('email-template-purpose-use')).toContainText('an unsubscribe link is added')
  await dialog.getByTestId('email-template-subject').locator('input').fill('Spring at {{business.name}}')
  // The footer carries the unsubscribe link when the text has none.
  await expect(dialog.getByTestId('email-html')).toContainText('Unsubscribe')
  await dialog.getByTestId('save-email-template').click()
  await expect(dialog).toBeHidden()
  await expect(settings.getByTestId('email-template-row')).toHaveCount(7)

  const newsletter = settings.getByTestId('email-template-row').filter({ hasText: 'Newsletter' }).filter({ hasNotText: 'Spring offer' })
  await newsletter.getByTestId('delete-email-template').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByText('Template “Newsletter” deleted')).toBeVisible()
  await expect(settings.getByTestId('email-template-row')).toHaveCount(6)
  // Now the only newsletter template: it stays.
  await expect(settings.getByTestId('email-template-row').filter({ hasText: 'Spring offer' }).getByTestId('delete-email-template')).toBeDisabled()
})

test('staff read the templates and preview them, but do not change them', async ({ page, app }) => {
  await app.signInAs('staff', 'Robin')
  await page.goto('/#/settings?section=email-templates')
  const settings = page.getByTestId('email-templates-settings')
  await expect(settings.getByTestId('email-template-row')).toHaveCount(6)
  await expect(settings.getByTestId('new-email-template')).toHaveCount(0)
  await expect(settings.getByTestId('delete-email-template')).toHaveCount(0)
  await settings.getByTestId('edit-email-template').nth(2).click()
  const dialog = page.getByTestId('email-template-dialog')
  await expect(dialog.getByTestId('email-html')).toContainText('B-000128')
  await expect(dialog.getByTestId('email-template-body').locator('textarea').first()).toHaveAttribute('readonly', '')
  await expect(dialog.getByTestId('save-email-template')).toHaveCount(0)
  await shot(dialog, 'email-template-staff-view-light')
})
