import { existsSync, readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { createCatalogue } from '../helpers/catalogue'
import type { TestCore } from '../helpers/core'
import { expect, test } from './fixtures'
import { chooseOption } from './choose'

/**
 * Erasing a person from their profile: the administrator sees what goes and
 * what stays, types the customer number to confirm, and the profile then
 * shows "Erased customer" with a banner, the booking kept, and no way to
 * edit. The erased strings are gone from the file's bytes. Staff do not see
 * the action. Screens in light and dark.
 */

test.describe.configure({ timeout: 150_000 })

async function openProfile(page: Page, id: number) {
  await page.goto(`/#/customers/${id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
}

test('an administrator erases a person from the profile; their booking stays under "Erased customer"', async ({ page, app }) => {
  const catalogue = await createCatalogue({ invoke: app.api.invoke } as unknown as TestCore)
  const { id, number } = await app.api.invoke('customers:create', {
    firstName: 'Ottoline',
    lastName: 'Brackenbury',
    email: 'ottoline.brackenbury@example.org',
    phones: [{ number: '07700 900431', isPrimary: true }],
    addresses: [{ line1: '4 Larkspur Row', city: 'Bath', postcode: 'BA1 2QQ', country: 'GB', isDefaultLetters: true }],
  })
  await app.api.invoke('notes:add', { customerId: id, body: 'Allergic to lavender oil' })
  await app.api.invoke('customers:addTag', { customerId: id, name: 'Regular' })
  const { booking } = await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id },
    lines: [{ sessionId: catalogue.pottery.sessionId, priceOptionId: catalogue.pottery.optionId, quantity: 1 }],
    payment: { amountMinor: 1500, method: 'card' },
  })

  await openProfile(page, id)
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-erase'))
  const dialog = page.getByTestId('erase-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('erase-removed')).toContainText('Phone numbers')
  await expect(dialog.getByTestId('erase-removed')).toContainText('Notes')
  await expect(dialog.getByTestId('erase-kept')).toContainText('Bookings')
  await expect(dialog.getByTestId('erase-submit')).toBeDisabled()
  await dialog.getByTestId('erase-confirm').locator('input').fill('C-1')
  await expect(dialog.getByTestId('erase-submit')).toBeDisabled()
  await dialog.getByTestId('erase-confirm').locator('input').fill(number.toLowerCase())
  await expect(dialog.getByTestId('erase-submit')).toBeEnabled()
  await app.screenshot('erase-dialog-light')

  await dialog.getByTestId('erase-submit').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('erased-banner')).toBeVisible()
  await expect(page.getByTestId('profile-name')).toHaveText('Erased customer')
  await expect(page.getByTestId('actions-menu')).toHaveCount(0)
  await expect(page.getByTestId('new-booking')).toHaveCount(0)
  await expect(page.getByText('Ottoline')).toHaveCount(0)
  await page.waitForTimeout(300)
  await app.screenshot('erased-profile-light')

  const kept = await app.api.invoke('bookings:get', { id: booking.id })
  expect(kept).toMatchObject({ paidMinor: 1500, customer: { id, displayName: 'Erased customer' } })

  const bytes = Buffer.concat([readFileSync(app.dataFile), existsSync(`${app.dataFile}-wal`) ? readFileSync(`${app.dataFile}-wal`) : Buffer.alloc(0)])
  for (const value of ['Ottoline', 'ottoline', 'Brackenbury', 'brackenbury', 'Larkspur', 'lavender', '7700900431']) {
    expect({ value, found: bytes.includes(Buffer.from(value)) }).toEqual({ value, found: false })
  }

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(300)
  await app.screenshot('erased-profile-dark')
})

test('the erase dialog in dark', async ({ page, app }) => {
  const { id } = await app.api.invoke('customers:create', { firstName: 'Perpetua', lastName: 'Oddie', email: 'perpetua@example.org' })
  await page.emulateMedia({ colorScheme: 'dark' })
  await openProfile(page, id)
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-erase'))
  await expect(page.getByTestId('erase-kept')).toBeVisible()
  await page.waitForTimeout(300)
  await app.screenshot('erase-dialog-dark')
})

test('staff do not see the erasure', async ({ page, app }) => {
  const { id } = await app.api.invoke('customers:create', { firstName: 'Perpetua', lastName: 'Oddie' })
  await app.signInAs('staff')
  await openProfile(page, id)
  await page.getByTestId('actions-menu').click()
  await expect(page.getByTestId('action-edit')).toBeVisible()
  await expect(page.getByTestId('action-erase')).toHaveCount(0)
})
