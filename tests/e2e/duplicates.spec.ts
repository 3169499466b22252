import type { Locator, Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'

/**
 * Duplicates as a receptionist meets them: the warning as a new customer, a
 * new caller or a changed record is typed ("Open the existing one" first,
 * "It's a different person" second and remembered), Settings →
 * Duplicates with the full scan, its ranked groups and their reasons, and the
 * profile's notice of likely duplicates with Merge… and Not the same person.
 */

function field(scope: Page | Locator, name: string) {
  return scope.getByRole('textbox', { name, exact: true })
}

async function robertSmith(app: FrontdeskApp): Promise<number> {
  const robert = await app.api.invoke('customers:create', {
    firstName: 'Robert',
    lastName: 'Smith',
    email: 'robert.smith@example.com',
    phones: [{ label: 'mobile', number: '07700 900123', isPrimary: true }],
    addresses: [{ line1: '1 High Street', city: 'Bath', postcode: 'BA1 1AA', country: 'GB' }],
  })
  return robert.id
}

test('New customer: a nickname with the same phone is a possible duplicate; "different person" is remembered on save', async ({ page, app }) => {
  const robert = await robertSmith(app)
  await page.goto('/#/customers')
  await page.getByTestId('nav-new-customer').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await field(dialog, 'First name').fill('Bob')
  await field(dialog, 'Last name').fill('Smith')
  await field(dialog, 'Phone 1 number').fill('+44 7700 900123')
  const warning = dialog.getByTestId('duplicate-match')
  await expect(warning).toHaveCount(1)
  await expect(warning.getByTestId('duplicate-name')).toHaveText('C-000001 Robert Smith')
  await expect(warning.getByTestId('duplicate-reason')).toHaveText(['Same phone', 'Nickname of the same name'])
  // The existing record is offered first.
  await expect(warning.getByRole('button').first()).toHaveText(/Open the existing one/)
  await app.screenshot('duplicates-new-customer-warning')

  await warning.getByTestId('duplicate-different').click()
  await expect(dialog.getByTestId('duplicate-match')).toHaveCount(0)
  await dialog.getByTestId('save-customer').click()
  await expect(page.getByTestId('profile-name')).toHaveText(/Bob Smith/)
  const bob = Number(/customers\/(\d+)/.exec(page.url())![1])
  // Remembered for the saved record: neither is offered as the other's duplicate.
  expect(await app.api.invoke('duplicates:forCustomer', { customerId: bob })).toEqual([])
  expect(await app.api.invoke('duplicates:forCustomer', { customerId: robert })).toEqual([])
})

test('New customer: "Open the existing one" opens their profile', async ({ page, app }) => {
  await robertSmith(app)
  await page.goto('/#/customers')
  await page.getByTestId('nav-new-customer').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await field(dialog, 'First name').fill('Rob')
  await field(dialog, 'Email').fill('ROBERT.SMITH@example.com')
  await dialog.getByTestId('duplicate-use').click()
  await expect(page.getByTestId('profile-name')).toHaveText(/Robert Smith/)
  await expect(page.getByTestId('new-customer-dialog')).toHaveCount(0)
})

test('New booking: a new caller who is already a customer under a nickname is offered, and booked for', async ({ page, app }) => {
  await robertSmith(app)
  await page.goto('/#/bookings/new')
  await page.getByTestId('caller-query').getByRole('textbox').fill('bobby.s@example.com')
  await page.getByTestId('find-caller').click()
  const newCaller = page.getByTestId('new-caller')
  await newCaller.getByTestId('caller-first-name').getByRole('textbox').fill('Bobby')
  await newCaller.getByTestId('caller-last-name').getByRole('textbox').fill('Smith')
  await newCaller.getByTestId('caller-phone').getByRole('textbox').fill('07700900123')
  const warning = newCaller.getByTestId('duplicate-match')
  await expect(warning.getByTestId('duplicate-name')).toHaveText('C-000001 Robert Smith')
  await expect(warning.getByTestId('duplicate-use')).toHaveText(/Book for the existing one/)
  await app.screenshot('duplicates-new-caller-warning')
  await warning.getByTestId('duplicate-use').click()
  await expect(page.getByTestId('who-step')).toContainText('Robert Smith')
  await expect(page.getByTestId('new-caller')).toHaveCount(0)
  await app.screenshot('duplicates-new-caller-booked-for-existing')
})

test('Editing: a phone that is someone else’s warns; "different person" is remembered at once', async ({ page, app }) => {
  const robert = await robertSmith(app)
  const kasia = await app.api.invoke('customers:create', { firstName: 'Kasia', lastName: 'Nowak' })
  await app.api.invoke('customers:create', {
    firstName: 'Katarzyna',
    lastName: 'Nowak',
    addresses: [{ line1: 'ul. Długa 5', city: 'Kraków', postcode: '31-147', country: 'PL' }],
  })
  await page.goto(`/#/customers/${kasia.id}`)
  await expect(page.getByTestId('profile-name')).toBeVisible()
  const form = page.getByTestId('details-form')
  await expect(form.getByTestId('duplicate-warning')).toHaveCount(0)
  await form.getByTestId('add-phone').click()
  await field(form, 'Phone 1 number').fill('07700 900123')
  const warning = form.getByTestId('duplicate-match')
  await expect(warning.getByTestId('duplicate-name')).toHaveText('C-000001 Robert Smith')
  await expect(warning.getByTestId('duplicate-reason')).toHaveText(['Same phone'])
  await app.screenshot('duplicates-editing-warning')
  await warning.getByTestId('duplicate-different').click()
  await expect(form.getByTestId('duplicate-match')).toHaveCount(0)
  await expect.poll(async () => (await app.api.invoke('customers:changes', { id: robert })).some((c) => c.summary.startsWith('Marked as a different person'))).toBe(true)
})

test('Settings → Duplicates: scan with progress, ranked groups with reasons, dismiss and merge', async ({ page, app }) => {
  await robertSmith(app)
  await app.api.invoke('customers:create', { firstName: 'Bob', lastName: 'Smith', addresses: [{ line1: '1 High St', postcode: 'ba11aa', country: 'GB' }] })
  await app.api.invoke('customers:create', { firstName: 'Kasia', lastName: 'Nowak', addresses: [{ line1: 'ul. Długa 5', postcode: '31-147', country: 'PL' }] })
  await app.api.invoke('customers:create', { firstName: 'Katarzyna', lastName: 'Nowak', addresses: [{ line1: 'Długa 5', postcode: '31147', country: 'PL' }] })
  await app.api.invoke('customers:create', { firstName: 'Evans', lastName: 'John', phones: [{ label: 'mobile', number: '07700 900777', isPrimary: true }] })
  await app.api.invoke('customers:create', { firstName: 'John', lastName: 'Evans', phones: [{ label: 'home', number: '+447700900777', isPrimary: true }] })
  await app.seed(300)

  await page.goto('/#/settings?section=duplicates')
  const panel = page.getByTestId('duplicates-settings')
  await expect(panel.getByTestId('duplicates-empty')).toContainText('Nothing to review yet')
  await app.screenshot('duplicates-settings-before-scan')
  await panel.getByTestId('duplicates-scan').click()
  await expect(panel.getByTestId('duplicates-last-scan')).toContainText(/customers compared, \d+ groups? of likely duplicates/)
  const groups = panel.getByTestId('duplicate-group')
  await expect(groups.first()).toBeVisible()
  const texts = await groups.allInnerTexts()
  expect(texts.some((t) => t.includes('Robert Smith') && t.includes('Bob Smith') && t.includes('Nickname of the same name'))).toBe(true)
  expect(texts.some((t) => t.includes('Kasia Nowak') && t.includes('Katarzyna Nowak'))).toBe(true)
  expect(texts.some((t) => t.includes('Evans John') && t.includes('First and last name swapped'))).toBe(true)
  await app.screenshot('duplicates-settings-groups')

  const kasiaGroup = groups.filter({ hasText: 'Kasia Nowak' })
  await kasiaGroup.getByTestId('duplicate-dismiss').click()
  await expect(groups.filter({ hasText: 'Kasia Nowak' })).toHaveCount(0)

  await groups.filter({ hasText: 'Robert Smith' }).getByTestId('duplicate-merge').click()
  await expect(page.getByTestId('merge-dialog')).toBeVisible()
  await app.screenshot('duplicates-settings-merge-dialog')
  // Merged: the group is gone from the list at once (its records are one now).
  await page.getByTestId('merge-submit').click()
  await expect(groups.filter({ hasText: 'Bob Smith' })).toHaveCount(0, { timeout: 30_000 })
  await expect(groups.filter({ hasText: 'Evans John' })).toHaveCount(1)
  await app.screenshot('duplicates-settings-after-merge')
})

test('New customer: the email of someone erased is said with the date, and saved only once ticked', async ({ page, app }) => {
  const gone = await app.api.invoke('customers:create', { firstName: 'Gone', lastName: 'Person', email: 'gone.person@example.com' })
  const job = await app.api.invoke('privacy:erase', { customerId: gone.id, confirm: gone.number })
  await expect.poll(async () => (await app.api.invoke('jobs:get', { id: job.id })).state, { timeout: 30_000 }).toBe('done')
  await page.goto('/#/customers')
  await page.getByTestId('nav-new-customer').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await field(dialog, 'First name').fill('Gone')
  await field(dialog, 'Email').fill('Gone.Person@example.com')
  const erased = dialog.getByTestId('erased-warning')
  await expect(erased).toContainText(/Someone with this email address was erased on \d+ \w+ \d{4}/)
  await app.screenshot('duplicates-erased-warning')
  await dialog.getByTestId('save-customer').click()
  await expect(page.getByText('Tick “They asked to be added again”')).toBeVisible()
  await expect(dialog).toBeVisible()
  await erased.getByTestId('confirm-erased').getByRole('checkbox').check()
  await dialog.getByTestId('save-customer').click()
  await expect(page.getByTestId('profile-name')).toHaveText(/Gone/)
})

test('Profile: likely duplicates from the scan are noticed, one marked as a different person, one merged — light and dark', async ({ page, app }) => {
  const robert = await robertSmith(app)
  const bob = await app.api.invoke('customers:create', { firstName: 'Bob', lastName: 'Smith', phones: [{ label: 'home', number: '+44 7700 900123', isPrimary: true }] })
  const other = await app.api.invoke('customers:create', { firstName: 'Robert', lastName: 'Smith', addresses: [{ line1: '9 Mill Lane', postcode: 'BA1 1AA', country: 'GB' }] })
  const job = await app.api.invoke('duplicates:scan', undefined)
  await expect.poll(async () => (await app.api.invoke('jobs:get', { id: job.id })).state, { timeout: 30_000 }).toBe('done')

  await page.goto(`/#/customers/${robert}`)
  await expect(page.getByTestId('profile-name')).toHaveText(/Robert Smith/)
  const notice = page.getByTestId('profile-duplicates')
  const rows = notice.getByTestId('profile-duplicate')
  await expect(rows).toHaveCount(2)
  const bobRow = rows.filter({ hasText: bob.number })
  await expect(bobRow).toContainText(`Possible duplicate: ${bob.number} Bob Smith — Same phone, Nickname of the same name`)
  await expect(bobRow.getByTestId('profile-duplicate-merge')).toHaveText(/Merge…/)
  await app.screenshot('profile-duplicates-light')

  // The link opens the other record, which names this one back.
  await rows.filter({ hasText: other.number }).getByTestId('profile-duplicate-link').click()
  await expect(page.getByTestId('profile-name')).toHaveText(/Robert Smith/)
  await expect(page).toHaveURL(new RegExp(`customers/${other.id}`))
  await expect(notice.getByTestId('profile-duplicate').filter({ hasText: 'C-000001 Robert Smith' })).toHaveCount(1)
  await page.goBack()
  await expect(page).toHaveURL(new RegExp(`customers/${robert}(\\?|$)`))

  // "Not the same person" is remembered: the pair is gone here and from the scan's findings.
  await rows.filter({ hasText: other.number }).getByTestId('profile-duplicate-dismiss').click()
  await expect(rows).toHaveCount(1)
  expect((await app.api.invoke('duplicates:forCustomer', { customerId: robert })).map((m) => m.customer.id)).toEqual([bob.id])
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.mouse.move(0, 0)
  await app.screenshot('profile-duplicates-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  await bobRow.getByTestId('profile-duplicate-merge').click()
  const dialog = page.getByTestId('merge-dialog')
  await expect(dialog).toBeVisible()
  await dialog.getByTestId('merge-submit').click()
  await expect(dialog).toHaveCount(0, { timeout: 30_000 })
  await expect(page.getByTestId(/^merge-notice-/)).toContainText(bob.number)
  await expect(notice).toHaveCount(0)
  await expect(page).toHaveURL(new RegExp(`customers/${robert}(\\?|$)`))
})

test('Profile: staff see the duplicate notice without Merge…', async ({ page, app }) => {
  const robert = await robertSmith(app)
  await app.api.invoke('customers:create', { firstName: 'Bob', lastName: 'Smith', phones: [{ label: 'home', number: '07700 900123', isPrimary: true }] })
  await app.signInAs('staff')
  await page.goto(`/#/customers/${robert}`)
  const row = page.getByTestId('profile-duplicate')
  await expect(row).toContainText('Bob Smith')
  await expect(row.getByTestId('profile-duplicate-dismiss')).toBeVisible()
  await expect(row.getByTestId('profile-duplicate-merge')).toHaveCount(0)
})
