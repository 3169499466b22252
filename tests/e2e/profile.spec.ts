import type { Locator, Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'
import { chooseOption } from './choose'

/**
 * The customer profile beyond contact details: notes (add, drag to reorder,
 * pin, reminders), tags and groups in the sidebar, email preferences with
 * their evidence, payment methods, the recycle bin, and every tab in light
 * and dark — driven through the built renderer against the real backend.
 */

// Screenshots and the real backend make these slow on a busy machine.
test.describe.configure({ timeout: 150_000 })

async function createCustomer(app: FrontdeskApp, firstName = 'Amelia', lastName = 'Hart') {
  return app.api.invoke('customers:create', {
    firstName,
    lastName,
    email: `${firstName}.${lastName}@example.com`.toLowerCase(),
    phones: [{ label: 'mobile', number: '+44 7700 900456', isPrimary: true }],
  })
}

async function openProfile(page: Page, id: number, tab?: string) {
  await page.goto(`/#/customers/${id}${tab ? `?tab=${tab}` : ''}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
}

function notes(page: Page) {
  return page.getByTestId('note')
}

async function noteTexts(page: Page): Promise<string[]> {
  return page.getByTestId('note-body-text').allInnerTexts()
}

function isoDay(offsetDays: number): string {
  const date = new Date()
  date.setDate(date.getDate() + offsetDays)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/**
 * Opens the select labelled `label` in `scope` as a person does: on its field,
 * once that is still and can take the click (a forced click while a dialog
 * opens lands on the backdrop and closes the dialog).
 */
async function pickOption(page: Page, scope: Locator, label: string, option: string) {
  await scope.locator('.v-field').filter({ has: page.getByRole('combobox', { name: label, exact: true }) }).click()
  await chooseOption(page.getByRole('option', { name: option, exact: true }))
}

test('notes: add, drag to reorder (kept after reload), pin to the top and see it in the sidebar', { tag: '@smoke' }, async ({ page, app }) => {
  const customer = await createCustomer(app)
  await openProfile(page, customer.id)
  await page.getByTestId('tab-notes').click()
  await expect(page).toHaveURL(/\?tab=notes$/)

  const composer = page.getByTestId('note-composer')
  for (const body of ['Prefers morning classes', 'Allergic to latex', 'Pays by bank transfer']) {
    await composer.getByRole('textbox', { name: 'New note' }).fill(body)
    await composer.getByTestId('note-add').click()
    await expect(page.getByTestId('note-body-text').filter({ hasText: body })).toBeVisible()
  }
  // New notes go on top.
  await expect.poll(() => noteTexts(page)).toEqual(['Pays by bank transfer', 'Allergic to latex', 'Prefers morning classes'])
  await app.screenshot('profile-notes-added')

  // Drag the last note (by its grip) onto the first one: it moves to the top.
  await notes(page).nth(2).getByTestId('note-grip').dragTo(notes(page).nth(0), { targetPosition: { x: 200, y: 4 } })
  await expect.poll(() => noteTexts(page)).toEqual(['Prefers morning classes', 'Pays by bank transfer', 'Allergic to latex'])
  await page.reload()
  await expect.poll(() => noteTexts(page)).toEqual(['Prefers morning classes', 'Pays by bank transfer', 'Allergic to latex'])

  // Keyboard: focus a grip and press ArrowDown.
  await notes(page).nth(0).getByTestId('note-grip').focus()
  await page.keyboard.press('ArrowDown')
  await expect.poll(() => noteTexts(page)).toEqual(['Pays by bank transfer', 'Prefers morning classes', 'Allergic to latex'])

  // Pin the last one: it moves first and shows pinned in the sidebar.
  await notes(page).nth(2).getByTestId('note-pin').click()
  await expect.poll(() => noteTexts(page)).toEqual(['Allergic to latex', 'Pays by bank transfer', 'Prefers morning classes'])
  await expect(notes(page).first().getByTestId('note-pinned-chip')).toBeVisible()
  const sidebarNotes = page.getByTestId('sidebar-note')
  await expect(sidebarNotes).toHaveCount(3)
  await expect(sidebarNotes.first()).toContainText('Allergic to latex')
  await expect(sidebarNotes.first().getByLabel('Pinned')).toBeVisible()

  // Edit inline.
  await notes(page).nth(1).getByTestId('note-edit-button').click()
  await page.getByTestId('note-edit').getByRole('textbox', { name: 'Note' }).fill('Pays by bank transfer, invoice to office')
  await page.getByTestId('note-edit-save').click()
  await expect(notes(page).nth(1)).toContainText('invoice to office')
  await app.screenshot('profile-notes-reordered-pinned')

  // Delete with confirmation.
  // From the keyboard once the menu is open: a click by position could land beside the item while the menu places itself.
  await notes(page).nth(2).getByTestId('note-more').click()
  await chooseOption(page.getByTestId('note-delete'))
  await page.getByTestId('confirm-ok').click()
  await expect(notes(page)).toHaveCount(2)
})

test('notes: dragging a note by its grip with the mouse puts it above another, and the order is kept after a reload', async ({ page, app }) => {
  const customer = await createCustomer(app)
  for (const body of ['Prefers morning classes', 'Allergic to latex', 'Pays by bank transfer', 'Brings her own mat']) {
    await app.api.invoke('notes:add', { customerId: customer.id, body, pinned: false, reminderOn: null })
  }
  await openProfile(page, customer.id, 'notes')
  await expect.poll(() => noteTexts(page)).toEqual(['Brings her own mat', 'Pays by bank transfer', 'Allergic to latex', 'Prefers morning classes'])

  // Press on the last note's grip and move in steps, as a hand does, to the top half of the second note.
  await notes(page).nth(3).scrollIntoViewIfNeeded()
  const grip = await notes(page).nth(3).getByTestId('note-grip').boundingBox()
  const target = await notes(page).nth(1).boundingBox()
  if (!grip || !target) throw new Error('the notes are not on screen')
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2)
  await page.mouse.down()
  await page.mouse.move(grip.x + grip.width / 2, grip.y - 10, { steps: 5 })
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 4, { steps: 15 })
  // A hand hovers until the gap opens where it wants the note: the list ignores a pointer over a note
  // still sliding aside, so on a busy machine the last steps can arrive before the gap moves.
  const gapAt = () =>
    page.getByTestId('note-list').evaluate((list) => [...list.children].findIndex((child) => child.classList.contains('note--ghost')))
  for (let nudge = 0; (await gapAt()) !== 1 && nudge < 20; nudge++) {
    await page.waitForTimeout(100)
    const over = await notes(page).filter({ hasText: 'Pays by bank transfer' }).boundingBox()
    if (over) await page.mouse.move(over.x + over.width / 2 + (nudge % 2 ? 2 : -2), over.y + over.height / 4, { steps: 2 })
  }
  expect(await gapAt()).toBe(1)
  await app.screenshot('profile-notes-dragging')
  await page.mouse.up()

  const moved = ['Brings her own mat', 'Prefers morning classes', 'Pays by bank transfer', 'Allergic to latex']
  await expect.poll(() => noteTexts(page)).toEqual(moved)
  await expect.poll(async () => (await app.api.invoke('notes:list', { customerId: customer.id })).map((n) => n.body)).toEqual(moved)
  await page.reload()
  await expect.poll(() => noteTexts(page)).toEqual(moved)
  await app.screenshot('profile-notes-dragged')

  // The keyboard still moves notes too.
  await notes(page).nth(1).getByTestId('note-grip').focus()
  await page.keyboard.press('ArrowUp')
  await expect.poll(() => noteTexts(page)).toEqual(['Prefers morning classes', 'Brings her own mat', 'Pays by bank transfer', 'Allergic to latex'])
})

test('a note with a reminder due shows on the Reminders page and in the badge', async ({ page, app }) => {
  const customer = await createCustomer(app, 'Noah', 'Patel')
  await app.api.invoke('notes:add', { customerId: customer.id, body: 'Imported long ago', reminderOn: null })
  await openProfile(page, customer.id, 'notes')
  await expect(page.getByTestId('tab-notes')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('reminders-badge')).toHaveCount(0)

  const composer = page.getByTestId('note-composer')
  await composer.getByRole('textbox', { name: 'New note' }).fill('Call back about the autumn course')
  await composer.getByRole('textbox', { name: 'Reminder (optional)' }).fill(isoDay(-2))
  await composer.getByTestId('note-add').click()
  await expect(notes(page).first().getByTestId('note-reminder-chip')).toContainText('Overdue')
  await expect(page.getByTestId('reminders-badge')).toContainText('1')
  await expect(page.getByTestId('sidebar-due-reminders')).toContainText('1 due')
  await app.screenshot('profile-note-reminder')

  await page.getByTestId('nav-reminders').click()
  await expect(page.getByRole('heading', { name: 'Reminders', level: 1 })).toBeVisible()
  const row = page.getByTestId('reminder-row')
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('Call back about the autumn course')
  await expect(row).toContainText('Noah Patel')
  await app.screenshot('reminders-page')

  await row.getByTestId('reminder-customer').click()
  await expect(page.getByTestId('profile-name')).toHaveText('Noah Patel')
  await expect(page.getByTestId('tab-notes')).toHaveAttribute('aria-selected', 'true')
})

test('tags: autocomplete after two letters, pick a suggestion, create a new one with Enter; groups menu', async ({ page, app }) => {
  const other = await createCustomer(app, 'Olivia', 'Brown')
  await app.api.invoke('customers:addTag', { customerId: other.id, name: 'Volunteer' })
  await app.api.invoke('customers:addTag', { customerId: other.id, name: 'VIP' })
  await app.api.invoke('groups:create', { name: 'Saturday swimmers', description: '' })
  const customer = await createCustomer(app, 'Leo', 'Martin')
  await openProfile(page, customer.id)

  const tagInput = page.getByRole('combobox', { name: 'Add a tag' })
  await tagInput.click()
  await tagInput.pressSequentially('vo')
  await expect(page.getByRole('option', { name: 'Volunteer' })).toBeVisible()
  await app.screenshot('profile-tag-suggestions')
  await chooseOption(page.getByRole('option', { name: 'Volunteer' }))
  await expect(page.getByTestId('sidebar-tag')).toHaveText(['Volunteer'])
  await expect(tagInput).toHaveValue('')

  await tagInput.click()
  await tagInput.pressSequentially('Early bird')
  await tagInput.press('Enter')
  await expect(page.getByTestId('sidebar-tag')).toHaveText(['Early bird', 'Volunteer'])
  const tags = await app.api.invoke('customers:get', { id: customer.id })
  expect(tags.tags.map((t) => t.name).sort()).toEqual(['Early bird', 'Volunteer'])

  // Remove one with its ×.
  await page.getByRole('button', { name: 'Remove tag Volunteer' }).click()
  await expect(page.getByTestId('sidebar-tag')).toHaveText(['Early bird'])

  await page.getByTestId('add-to-group').click()
  await page.getByTestId('group-option').filter({ hasText: 'Saturday swimmers' }).click()
  await expect(page.getByTestId('sidebar-group')).toHaveText(['Saturday swimmers'])
  await app.screenshot('profile-tags-groups')
})

test('email preferences need the wording for consent and record it in the history', async ({ page, app }) => {
  const customer = await createCustomer(app, 'Mia', 'Clarke')
  await openProfile(page, customer.id)
  const section = page.getByTestId('section-preferences')
  await section.getByRole('checkbox', { name: 'Newsletter and marketing emails' }).check()
  await pickOption(page, section, 'How did the customer tell you?', 'On the phone')
  await section.getByTestId('section-save').click()
  await expect(section.getByTestId('pref-wording')).toContainText('wording')

  await section.getByRole('textbox', { name: 'Wording they agreed to' }).fill('Yes, send me the monthly newsletter.')
  await section.getByTestId('section-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Email preferences saved')
  const row = section.getByTestId('consent-row')
  await expect(row).toHaveCount(1)
  await expect(row.first()).toContainText('Newsletter consent given')
  await expect(row.first()).toContainText('On the phone')
  await expect(row.first()).toContainText('Yes, send me the monthly newsletter.')
  await section.scrollIntoViewIfNeeded()
  await app.screenshot('profile-preferences-consent')
})

test('payment methods: add a card, and a full card number is refused next to the field', async ({ page, app }) => {
  const customer = await createCustomer(app, 'Ethan', 'Wright')
  await openProfile(page, customer.id)
  const section = page.getByTestId('section-payments')
  await section.getByTestId('payment-add').click()
  const dialog = page.getByTestId('payment-dialog')
  await pickOption(page, dialog, 'Brand', 'Visa')
  await dialog.getByRole('textbox', { name: 'Last four digits' }).fill('4111 1111 1111 1111')
  await pickOption(page, dialog, 'Expiry month', '09')
  await pickOption(page, dialog, 'Expiry year', String(new Date().getFullYear() + 2))
  await dialog.getByTestId('payment-save').click()
  await expect(dialog.getByTestId('payment-last4')).toContainText('Never enter a full card number')
  await app.screenshot('profile-card-refused')

  await dialog.getByRole('textbox', { name: 'Last four digits' }).fill('1111')
  await dialog.getByTestId('payment-save').click()
  await expect(dialog).toBeHidden()
  const method = section.getByTestId('payment-method')
  await expect(method).toHaveCount(1)
  await expect(method).toContainText('Visa')
  await expect(method).toContainText('•••• 1111')
  await expect(method).toContainText(`09/${String(new Date().getFullYear() + 2).slice(-2)}`)
  await expect(method.getByTestId('payment-default')).toBeVisible()
  await section.scrollIntoViewIfNeeded()
  await app.screenshot('profile-card-added')
})

test('delete moves the customer to the recycle bin, shown on the profile, and Restore brings them back', async ({ page, app }) => {
  const customer = await createCustomer(app, 'Isla', 'Turner')
  await openProfile(page, customer.id)
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-delete'))
  await expect(page.getByTestId('confirm-dialog')).toContainText('recycle bin for 30 days')
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('badge-deleted')).toHaveText('In recycle bin')
  await expect(page.getByTestId('recycle-banner')).toBeVisible()
  await page.getByTestId('tab-account').click()
  await expect(page.getByTestId('account-recycled')).toContainText('removed for good')
  await app.screenshot('profile-in-recycle-bin')

  await page.reload()
  await expect(page.getByTestId('badge-deleted')).toBeVisible()
  await page.getByTestId('recycle-banner').getByTestId('restore').click()
  await expect(page.getByTestId('badge-deleted')).toHaveCount(0)
  await expect(page.getByTestId('snackbar')).toContainText('restored')
  const restored = await app.api.invoke('customers:get', { id: customer.id })
  expect(restored.status).toBe('active')
})

test('every tab in light, and the profile in dark', async ({ page, app }) => {
  const customer = await createCustomer(app, 'Sophie', 'Evans')
  await app.api.invoke('customers:addTag', { customerId: customer.id, name: 'Regular' })
  await app.api.invoke('notes:add', { customerId: customer.id, body: 'Likes the front row', pinned: true })
  await app.api.invoke('notes:add', { customerId: customer.id, body: 'Follow up on the gift voucher', reminderOn: isoDay(5) })
  await app.api.invoke('paymentMethods:add', { customerId: customer.id, brand: 'mastercard', last4: '4444', expMonth: 12, expYear: 2031, isDefault: true })
  await app.api.invoke('paymentMethods:add', { customerId: customer.id, brand: 'amex', last4: '0005', expMonth: 3, expYear: 2030 })
  await app.api.invoke('customFields:save', { label: 'Shoe size', type: 'number' })
  await app.api.invoke('customFields:save', { label: 'Level', type: 'choice', options: ['Beginner', 'Improver', 'Advanced'] })
  await app.api.invoke('customFields:save', { label: 'Photo consent', type: 'boolean' })

  await openProfile(page, customer.id)
  // A photo: the picked file's bytes go to the backend, the thumbnail comes back as a blob: URL.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  )
  await page.getByTestId('photo-input').setInputFiles({ name: 'sophie.png', mimeType: 'image/png', buffer: png })
  await expect(page.getByTestId('profile-photo')).toHaveAttribute('src', /^blob:/)
  await expect(page.getByTestId('section-custom-fields')).toBeVisible()
  await expect(page.getByTestId('payment-method')).toHaveCount(2)
  await app.screenshot('tab-details-light')
  for (const tab of ['notes', 'changes', 'account']) {
    await page.getByTestId(`tab-${tab}`).click()
    await expect(page).toHaveURL(new RegExp(`tab=${tab}$`))
    await app.screenshot(`tab-${tab}-light`)
  }
  await page.getByTestId('tab-changes').click()
  await page.getByTestId('change-kind-notes').click()
  await expect(page.getByTestId('change-row')).toHaveCount(2)
  await expect(page.getByTestId('change-row').first()).toContainText(/note/i)

  await page.emulateMedia({ colorScheme: 'dark' })
  await openProfile(page, customer.id, 'notes')
  await expect(notes(page)).toHaveCount(2)
  await app.screenshot('tab-notes-dark')
  await page.getByTestId('tab-details').click()
  await app.screenshot('tab-details-dark')
})
