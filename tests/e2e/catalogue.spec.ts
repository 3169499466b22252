import { expect, test } from './fixtures'

/**
 * The Catalogue screen: classes, events and appointments with their prices
 * (typed like 12.50, stored as integer pence) and dated sessions, driven by
 * real clicks against the real backend.
 */

test.describe.configure({ timeout: 150_000 })

/** A day `offset` days from today, as a date input wants it (the browser runs in Europe/London). */
function isoDay(offset: number): string {
  const date = new Date()
  date.setDate(date.getDate() + offset)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

test('create a class with two prices and a session, edit and archive a price, and delete a session', async ({ page, app }) => {
  await page.goto('/#/catalogue')
  await expect(page.getByRole('heading', { name: 'Catalogue', level: 1 })).toBeVisible()
  await expect(page.getByTestId('catalogue-empty')).toBeVisible()
  await app.screenshot('catalogue-empty')

  await page.getByTestId('new-item').click()
  const dialog = page.getByTestId('item-dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByTestId('item-kind-class').click()
  await dialog.getByTestId('item-name').getByRole('textbox').fill('Pottery evenings')
  await dialog.getByTestId('item-location').getByRole('textbox').fill('Studio 2')
  await dialog.getByTestId('item-description').getByRole('textbox').fill('Wheel throwing for beginners, clay included.')
  // The first price is named Standard already; the currency follows Settings (GBP).
  const prices = dialog.getByTestId('price-row')
  await expect(prices.first().getByTestId('price-currency').getByRole('textbox')).toHaveValue('GBP')
  await prices.first().getByTestId('price-amount').getByRole('textbox').fill('12.505')
  await dialog.getByTestId('add-price').click()
  await prices.nth(1).getByTestId('price-name').getByRole('textbox').fill('Concession')
  await prices.nth(1).getByTestId('price-amount').getByRole('textbox').fill('8')
  await dialog.getByTestId('item-save').click()
  // Three decimals are refused next to the field, before anything is sent.
  await expect(prices.first().getByTestId('price-amount')).toContainText('At most 2 decimals')
  await app.screenshot('catalogue-item-dialog-error')
  await prices.first().getByTestId('price-amount').getByRole('textbox').fill('12.50')
  await app.screenshot('catalogue-item-dialog')
  await dialog.getByTestId('item-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('snackbar')).toContainText('“Pottery evenings” added to the catalogue')

  const row = page.getByTestId('item-row').filter({ hasText: 'Pottery evenings' })
  await expect(row.getByTestId('item-price')).toHaveText(['Standard · £12.50', 'Concession · £8.00'])
  await expect(row.getByTestId('kind-chip')).toHaveText('Class')
  const [saved] = await app.api.invoke('catalogue:list', undefined)
  expect(saved!.priceOptions.map((o) => [o.name, o.amountMinor, o.currency])).toEqual([
    ['Standard', 1250, 'GBP'],
    ['Concession', 800, 'GBP'],
  ])

  // Sessions: an empty state, then the first one.
  const sessions = page.getByTestId('sessions-card')
  await expect(sessions.getByTestId('sessions-empty')).toContainText('No sessions yet — add the first one')
  await sessions.getByTestId('add-session').click()
  const sessionDialog = page.getByTestId('session-dialog')
  await sessionDialog.getByTestId('session-date').locator('input').fill(isoDay(3))
  await sessionDialog.getByTestId('session-start').locator('input').fill('18:30')
  await sessionDialog.getByTestId('session-end').locator('input').fill('17:00')
  await sessionDialog.getByTestId('session-capacity').locator('input').fill('8')
  await expect(sessionDialog.getByTestId('session-location').locator('input')).toHaveValue('Studio 2')
  await sessionDialog.getByTestId('session-save').click()
  await expect(sessionDialog.getByTestId('session-end')).toContainText('The end is before the start.')
  await sessionDialog.getByTestId('session-end').locator('input').fill('20:30')
  await app.screenshot('catalogue-session-dialog')
  await sessionDialog.getByTestId('session-save').click()
  await expect(sessionDialog).toBeHidden()

  const sessionRow = sessions.getByTestId('session-row')
  await expect(sessionRow).toHaveCount(1)
  await expect(sessionRow).toContainText('18:30–20:30')
  await expect(sessionRow).toContainText('Studio 2')
  await expect(sessionRow.getByTestId('session-booked')).toHaveText('0 / 8')
  await expect(sessionRow.getByTestId('session-spaces')).toHaveText('8 places left')
  await expect(row.getByTestId('item-upcoming')).toHaveText('1')
  // The local 18:30 in London went to the backend as the matching instant.
  const [stored] = await app.api.invoke('catalogue:sessions', { itemId: saved!.id })
  const expectedStart = await page.evaluate((day) => new Date(`${day}T18:30`).toISOString(), isoDay(3))
  expect(new Date(stored!.startsAt).toISOString()).toBe(expectedStart)
  expect(stored!.capacity).toBe(8)

  // A second session, edited to fewer places.
  await sessions.getByTestId('add-session').click()
  await sessionDialog.getByTestId('session-date').locator('input').fill(isoDay(10))
  await sessionDialog.getByTestId('session-capacity').locator('input').fill('12')
  await sessionDialog.getByTestId('session-save').click()
  await expect(sessionRow).toHaveCount(2)
  await sessionRow.nth(1).getByTestId('edit-session').click()
  await sessionDialog.getByTestId('session-capacity').locator('input').fill('6')
  await sessionDialog.getByTestId('session-save').click()
  await expect(sessionRow.nth(1).getByTestId('session-booked')).toHaveText('0 / 6')
  await app.screenshot('catalogue-page')

  // Delete the second session, with a confirmation.
  await sessionRow.nth(1).getByTestId('delete-session').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('Delete this session?')
  await page.getByTestId('confirm-ok').click()
  await expect(sessionRow).toHaveCount(1)
  await expect(page.getByTestId('snackbar')).toContainText('Session deleted')

  // Archive the concession price and make the item inactive.
  await row.getByTestId('edit-item').click()
  await dialog.getByTestId('price-row').nth(1).getByTestId('price-archive').click()
  await dialog.getByTestId('item-active').locator('input').click()
  await dialog.getByTestId('item-save').click()
  await expect(dialog).toBeHidden()
  await expect(row.getByTestId('item-price').nth(1)).toContainText('(archived)')
  await expect(row).toContainText('Inactive')
  const [edited] = await app.api.invoke('catalogue:list', undefined)
  expect(edited!.active).toBe(false)
  expect(edited!.priceOptions.find((o) => o.name === 'Concession')?.archived).toBe(true)
})

test('an item with bookings cannot be deleted, and says why; past sessions and dark theme', async ({ page, app }) => {
  const item = await app.api.invoke('catalogue:saveItem', {
    kind: 'event',
    name: 'Summer gala',
    location: 'Main hall',
    priceOptions: [{ name: 'Ticket', amountMinor: 2500, currency: 'GBP' }],
  })
  const start = new Date(Date.now() + 5 * 86_400_000)
  start.setUTCHours(18, 0, 0, 0)
  const session = await app.api.invoke('catalogue:saveSession', {
    itemId: item.id,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
    capacity: 100,
  })
  const customer = await app.api.invoke('customers:create', { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com' })
  await app.api.invoke('bookings:create', {
    customer: { kind: 'existing', id: customer.id },
    lines: [{ sessionId: session.id, priceOptionId: item.priceOptions[0]!.id, quantity: 3 }],
  })

  await page.goto('/#/catalogue')
  const row = page.getByTestId('item-row').filter({ hasText: 'Summer gala' })
  await expect(row).toBeVisible()
  await expect(page.getByTestId('session-row').getByTestId('session-booked')).toHaveText('3 / 100')
  await expect(page.getByTestId('session-row').getByTestId('session-spaces')).toHaveText('97 places left')

  await row.getByTestId('delete-item').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('snackbar')).toContainText('Summer gala has bookings; make it inactive instead.')
  await expect(row).toBeVisible()

  await page.getByTestId('sessions-past').click()
  await expect(page.getByTestId('sessions-empty')).toContainText('No past sessions')
  await page.getByTestId('sessions-upcoming').click()
  await expect(page.getByTestId('session-row')).toHaveCount(1)

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.reload()
  await expect(page.getByTestId('session-row')).toHaveCount(1)
  await app.screenshot('catalogue-page-dark')
  await row.getByTestId('edit-item').click()
  await expect(page.getByTestId('item-dialog')).toBeVisible()
  await app.screenshot('catalogue-item-dialog-dark')
})

test.describe('on a busy machine', () => {
  // The catalogue's answers arrive late too, so nothing here waits on their timing.
  test.use({ slowChannels: { 'catalogue:list': 400, 'catalogue:sessions': 400 } })

  test('the session dialog has the cursor in Date as it opens, and places typed straight away stay in Places', async ({ page, app }) => {
    const item = await app.api.invoke('catalogue:saveItem', {
      kind: 'class',
      name: 'Pottery evenings',
      location: 'Studio 2',
      priceOptions: [{ name: 'Standard', amountMinor: 1250, currency: 'GBP' }],
    })
    const start = new Date(Date.now() + 10 * 86_400_000)
    start.setUTCHours(9, 0, 0, 0)
    await app.api.invoke('catalogue:saveSession', {
      itemId: item.id,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
      capacity: 12,
    })

    await page.clock.install()
    await page.goto('/#/catalogue')
    const row = page.getByTestId('session-row')
    await expect(row.getByTestId('session-booked')).toHaveText('0 / 12')

    // The page's timers stand still, as when the machine is too busy to run them.
    await page.clock.pauseAt(Date.now() + 60_000)
    await row.getByTestId('edit-session').click()
    const dialog = page.getByTestId('session-dialog')
    const date = dialog.getByTestId('session-date').locator('input')
    const places = dialog.getByTestId('session-capacity').locator('input')
    await expect(date).toBeFocused()
    const day = await date.inputValue()
    // The receptionist goes straight to Places; then the machine catches up before they type.
    await places.selectText()
    await page.clock.runFor(2_000)
    await page.clock.resume()
    await page.keyboard.type('6')
    await expect(places).toHaveValue('6')
    await expect(places).toBeFocused()
    await expect(date).toHaveValue(day)
    await app.screenshot('catalogue-session-dialog-typed-at-once')

    await dialog.getByTestId('session-save').click()
    await expect(dialog).toBeHidden()
    await expect(row.getByTestId('session-booked')).toHaveText('0 / 6')
    const [stored] = await app.api.invoke('catalogue:sessions', { itemId: item.id })
    expect([stored!.capacity, stored!.startsAt]).toEqual([6, start.toISOString()])
  })
})

test('keyboard: rows select with Enter and show their sessions', async ({ page, app }) => {
  for (const name of ['Alpha class', 'Beta class']) {
    await app.api.invoke('catalogue:saveItem', { kind: 'class', name, priceOptions: [{ name: 'Standard', amountMinor: 1000, currency: 'GBP' }] })
  }
  await page.goto('/#/catalogue')
  await expect(page.getByTestId('sessions-card')).toContainText('Sessions · Alpha class')
  await page.getByTestId('item-row').nth(1).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sessions-card')).toContainText('Sessions · Beta class')
  await expect(page).toHaveURL(/item=\d+/)
})
