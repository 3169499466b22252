import type { Locator, Page } from '@playwright/test'
import { expect, test, type FrontdeskApp } from './fixtures'
import { expectNoSeriousA11yViolations } from './a11y'
import { chooseOption } from './choose'

/**
 * The address book as a receptionist uses it: create, find, edit, archive,
 * block, duplicates, keyboard, paging and the empty state — driven through
 * the built renderer against the real backend on a fresh database per test.
 */

const mod = process.platform === 'darwin' ? 'Meta' : 'Control'

async function openList(page: Page) {
  await page.goto('/#/customers')
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible()
}

function searchBox(page: Page) {
  return page.getByRole('textbox', { name: 'Search customers' })
}

/** A text field by its exact label, inside a dialog or form. */
function field(scope: Page | Locator, name: string) {
  return scope.getByRole('textbox', { name, exact: true })
}

async function activeCount(app: FrontdeskApp): Promise<number> {
  return (await app.api.invoke('customers:counts', {})).active
}

function rows(page: Page) {
  return page.getByTestId('customer-row')
}

async function search(page: Page, text: string) {
  await searchBox(page).fill(text)
}

/** axe takes several seconds per screen on a small machine. */
const A11Y_TEST_TIMEOUT = 90_000

test('creates a customer through the dialog and finds them by phone digits and unaccented name', { tag: '@smoke' }, async ({ page, app }) => {
  await openList(page)
  await page.getByTestId('nav-new-customer').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await expect(dialog).toBeVisible()
  await field(dialog, 'First name').fill('Zoë')
  await field(dialog, 'Last name').fill('Müller')
  await field(dialog, 'Email').fill('zoe.muller@example.com')
  await field(dialog, 'Phone 1 number').fill('+44 7700 900123')
  await app.screenshot('create-dialog-filled')
  await dialog.getByTestId('save-customer').click()

  await expect(page).toHaveURL(/#\/customers\/\d+$/)
  await expect(page.getByTestId('profile-name')).toHaveText('Zoë Müller')
  await expect(page.getByTestId('profile-phone')).toHaveText('+44 7700 900123')
  await app.screenshot('profile-after-create')

  await page.getByTestId('back-to-list').click()
  for (const fragment of ['7700 900', 'zoe', 'muller']) {
    await search(page, fragment)
    await expect(rows(page)).toHaveCount(1)
    await expect(rows(page).first()).toContainText('Zoë Müller')
    await expect(rows(page).first().locator('mark').first()).toBeVisible()
  }
  await expect(rows(page).first().locator('mark')).toHaveText(['Müller', 'muller'])
  await app.screenshot('search-muller-highlighted')

  await search(page, '7700 900')
  await expect(rows(page).first().locator('mark')).toHaveText(['7700 900'])
  await app.screenshot('search-phone-highlighted')
})

test('caller look-up: several customers with the number to pick from, one to open, or a new customer with it', async ({ page, app }) => {
  await app.api.invoke('customers:create', { firstName: 'Kim', lastName: 'Shared', phones: [{ number: '+44 7700 900050' }] })
  await app.api.invoke('customers:create', { firstName: 'Lou', lastName: 'Shared', phones: [{ number: '07700 900050' }] })
  const solo = await app.api.invoke('customers:create', { firstName: 'Max', lastName: 'Solo', phones: [{ number: '07700 900051' }] })
  // Someone whose company name carries the digits of a number nobody has.
  await app.api.invoke('customers:create', { firstName: 'Taxi', lastName: 'Firm', company: 'Cabs 07700900052 Ltd' })
  await openList(page)

  await search(page, '07700 900050')
  const several = page.getByTestId('caller-matches')
  await expect(several).toContainText('2 customers have +44 7700 900050')
  await expect(several.getByTestId('caller-choice')).toHaveCount(2)
  await app.screenshot('caller-lookup-several')
  await several.getByTestId('caller-choice').filter({ hasText: 'Lou Shared' }).click()
  await expect(page.getByTestId('profile-name')).toHaveText('Lou Shared')

  await page.getByTestId('back-to-list').click()
  await search(page, '+44 7700 900051')
  await expect(page.getByTestId('caller-match')).toContainText(`This number belongs to Max Solo (${solo.number})`)
  await searchBox(page).press('Enter')
  await expect(page.getByTestId('profile-name')).toHaveText('Max Solo')

  await page.getByTestId('back-to-list').click()
  // The first digits of a number, as it is being typed in: the list finds them, but there is no number yet to create a customer with.
  await search(page, '07700 90005')
  await expect(rows(page)).toHaveCount(4)
  // Kim's number, stored as +44 7700 900050, shows where the digits typed after the trunk zero are.
  await expect(rows(page).first().locator('mark')).toHaveText(['7700 90005'])
  await expect(page.getByTestId('caller-unknown')).toHaveCount(0)
  await expect(page.getByTestId('create-from-search')).toHaveCount(0)
  await app.screenshot('caller-lookup-first-digits')
  await search(page, '07700 900052')
  // The list found the company by its digits, yet nobody has the number: it is offered all the same.
  await expect(rows(page)).toHaveCount(1)
  const unknown = page.getByTestId('caller-unknown')
  await expect(unknown).toContainText('Nobody has +44 7700 900052 yet')
  await app.screenshot('caller-lookup-nobody')
  await unknown.getByTestId('create-with-number').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await expect(field(dialog, 'Phone 1 number')).toHaveValue('+44 7700 900052')
  await expect(dialog.getByTestId('customer-source')).toContainText('Phone')
  await field(dialog, 'First name').fill('New')
  await field(dialog, 'Last name').fill('Caller')
  await dialog.getByTestId('save-customer').click()
  await expect(page.getByTestId('profile-name')).toHaveText('New Caller')
  const created = (await app.api.invoke('customers:list', { search: '07700900052' })).caller!.matches
  expect(created.map((c) => c.displayName)).toEqual(['New Caller'])
  expect((await app.api.invoke('customers:get', { id: created[0]!.id })).source).toBe('phone')
})

test('the New customer form records how they came to us', async ({ page, app }) => {
  await openList(page)
  await page.getByTestId('nav-new-customer').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await field(dialog, 'First name').fill('Rita')
  await field(dialog, 'Last name').fill('Referred')
  await expect(dialog.getByTestId('customer-source')).toContainText('At the desk')
  await expect(dialog.getByRole('heading', { name: 'How they came to us' })).toBeVisible()
  await dialog.getByTestId('customer-source').click()
  for (const name of ['At the desk', 'Phone', 'Walk-in', 'Online', 'Referral', 'Other']) await expect(page.getByRole('option', { name, exact: true })).toBeVisible()
  await chooseOption(page.getByRole('option', { name: 'Referral', exact: true }))
  await app.screenshot('new-customer-source')
  await dialog.getByTestId('save-customer').click()
  await expect(page.getByTestId('profile-name')).toHaveText('Rita Referred')
  await expect(page.getByTestId('profile-sidebar')).toContainText('Referral')
})

test('edits a customer: new email and a second phone, recorded in Changes', { tag: '@smoke' }, async ({ page, app }) => {
  const customer = await app.api.invoke('customers:create', {
    firstName: 'Amelia',
    lastName: 'Hart',
    email: 'amelia@example.com',
    phones: [{ label: 'mobile', number: '+44 7700 900456', isPrimary: true }],
  })
  await page.goto(`/#/customers/${customer.id}`)
  await expect(page.getByTestId('profile-name')).toHaveText('Amelia Hart')

  const form = page.getByTestId('details-form')
  await field(form, 'Email').fill('amelia.hart@example.org')
  await form.getByTestId('add-phone').click()
  // The field around the combobox takes the click, as a person's would (a forced click can land on a field still moving).
  await form.locator('.v-field').filter({ has: page.getByRole('combobox', { name: 'Phone 2 label', exact: true }) }).click()
  await chooseOption(page.getByRole('option', { name: 'Work' }))
  await field(form, 'Phone 2 number').fill('020 7946 0018')
  await expect(form).toContainText('You have unsaved changes.')
  await form.getByTestId('save-details').click()

  await expect(page.getByTestId('snackbar')).toContainText('Customer saved')
  await expect(page.getByTestId('profile-email')).toHaveText('amelia.hart@example.org')
  await expect(form).toContainText('All changes saved.')
  await app.screenshot('profile-edited')

  await page.reload()
  await expect(page.getByTestId('profile-email')).toHaveText('amelia.hart@example.org')
  await expect(field(page.getByTestId('details-form'), 'Phone 2 number')).toHaveValue('020 7946 0018')

  // A click during the post-reload render can be swallowed; retry until the tab shows.
  await expect(async () => {
    await page.getByTestId('tab-changes').click()
    await expect(page.getByTestId('change-row').first()).toBeVisible({ timeout: 2_000 })
  }).toPass()
  await expect(page.getByTestId('changes')).toContainText('amelia.hart@example.org')
  await app.screenshot('profile-changes')
})

test('archives a customer and finds them under the Archived tab', { tag: '@smoke' }, async ({ page, app }) => {
  const customer = await app.api.invoke('customers:create', { firstName: 'Oliver', lastName: 'Quinn', email: 'oliver@example.com' })
  await page.goto(`/#/customers/${customer.id}`)
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-archive'))
  await expect(page.getByTestId('confirm-dialog').getByText('Archive Oliver Quinn?')).toBeVisible()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('badge-archived')).toBeVisible()
  await app.screenshot('profile-archived')

  await page.getByTestId('back-to-list').click()
  await search(page, 'oliver')
  await expect(page.getByTestId('no-results')).toBeVisible()
  await expect(page.getByTestId('count-archived')).toHaveText('1')
  await page.getByTestId('tab-archived').click()
  await expect(rows(page)).toHaveCount(1)
  await expect(rows(page).first()).toContainText('Oliver Quinn')
  await app.screenshot('archived-tab')
})

test('a duplicate email offers to open the existing customer', { tag: '@smoke' }, async ({ page, app }) => {
  test.setTimeout(A11Y_TEST_TIMEOUT)
  const jane = await app.api.invoke('customers:create', { firstName: 'Jane', lastName: 'Smith', email: 'jane.smith@example.com' })
  await openList(page)
  await page.keyboard.press(`${mod}+n`)
  const dialog = page.getByTestId('new-customer-dialog')
  await field(dialog, 'First name').fill('Janet')
  await field(dialog, 'Last name').fill('Smyth')
  await field(dialog, 'Email').fill('  Jane.Smith@EXAMPLE.com ')
  await dialog.getByTestId('save-customer').click()

  const conflict = dialog.getByTestId('email-conflict')
  await expect(conflict).toContainText(`${jane.number} Jane Smith already uses this email`)
  await expect(field(dialog, 'First name')).toHaveValue('Janet')
  await app.screenshot('duplicate-email-conflict')
  await expectNoSeriousA11yViolations(page, 'the New customer dialog')

  await conflict.getByRole('button', { name: 'Open Jane Smith' }).click()
  await expect(page).toHaveURL(new RegExp(`#/customers/${jane.id}$`))
  await expect(page.getByTestId('profile-name')).toHaveText('Jane Smith')
  await expect(dialog).toBeHidden()
})

test('keyboard: Ctrl+K focuses search, arrows and Enter open a customer, Ctrl+N opens the dialog', async ({ page, app }) => {
  await app.seed(30)
  const active = await activeCount(app)
  await openList(page)
  await expect(rows(page)).toHaveCount(active)
  await page.getByRole('heading', { name: 'Customers', level: 1 }).click()
  await expect(searchBox(page)).not.toBeFocused()
  await page.keyboard.press(`${mod}+k`)
  await expect(searchBox(page)).toBeFocused()

  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  const second = rows(page).nth(1)
  await expect(second).toHaveAttribute('aria-selected', 'true')
  const id = await second.getAttribute('data-customer-id')
  const name = (await second.locator('td').nth(2).locator('.font-weight-medium').first().innerText()).trim()
  await app.screenshot('keyboard-row-highlighted')
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(new RegExp(`#/customers/${id}$`))
  await expect(page.getByTestId('profile-name')).toHaveText(name)

  await page.keyboard.press(`${mod}+k`)
  await expect(page).toHaveURL(/#\/customers$/)
  await expect(searchBox(page)).toBeFocused()
  await page.keyboard.type('zzzz-nobody')
  await expect(page.getByTestId('no-results')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(searchBox(page)).toHaveValue('')
  await expect(rows(page)).toHaveCount(active)

  await page.keyboard.press(`${mod}+n`)
  await expect(page.getByTestId('new-customer-dialog')).toBeVisible()
  await expect(field(page.getByTestId('new-customer-dialog'), 'First name')).toBeFocused()
  await app.screenshot('keyboard-new-customer-dialog')

  await page.keyboard.press('Escape')
  await expect(page.getByTestId('new-customer-dialog')).toBeHidden()
  await app.emitMenu('menu:new-customer')
  await expect(page.getByTestId('new-customer-dialog')).toBeVisible()
})

test('shows field errors next to the fields for bad input', async ({ page, app }) => {
  await openList(page)
  await page.getByTestId('nav-new-customer').click()
  const dialog = page.getByTestId('new-customer-dialog')
  await field(dialog, 'First name').fill('Bad')
  await field(dialog, 'Phone 1 number').fill('12ab')
  await dialog.getByTestId('save-customer').click()
  const phoneField = dialog.getByTestId('phone-number-0')
  await expect(phoneField.locator('.v-messages__message')).not.toHaveText('')
  await expect(phoneField).toHaveClass(/v-input--error/)

  await field(dialog, 'Email').fill('not-an-email')
  await dialog.getByTestId('save-customer').click()
  await expect(dialog.getByTestId('field-email')).toContainText('This is not a valid email address.')
  await expect(dialog).toBeVisible()
  await app.screenshot('field-errors')
  const counts = await app.api.invoke('customers:counts', {})
  expect(counts.active).toBe(0)
})

test('blocking asks for a reason and shows the Blocked badge', async ({ page, app }) => {
  test.setTimeout(A11Y_TEST_TIMEOUT)
  const customer = await app.api.invoke('customers:create', { firstName: 'Tom', lastName: 'Riddle', phones: [{ number: '07700 900777' }] })
  await page.goto(`/#/customers/${customer.id}`)
  await page.getByTestId('actions-menu').click()
  await chooseOption(page.getByTestId('action-block'))
  const dialog = page.getByTestId('block-dialog')
  await dialog.getByTestId('block-confirm').click()
  await expect(dialog).toContainText('Give a reason for blocking.')
  await dialog.getByRole('textbox', { name: 'Reason for blocking' }).fill('Repeated no-shows')
  await app.screenshot('block-dialog')
  await dialog.getByTestId('block-confirm').click()

  await expect(page.getByTestId('badge-blocked')).toBeVisible()
  await expect(page.getByTestId('blocked-reason')).toContainText('Repeated no-shows')
  await app.screenshot('profile-blocked')
  await expectNoSeriousA11yViolations(page, 'the customer profile')

  await page.getByTestId('back-to-list').click()
  await page.getByTestId('tab-blocked').click()
  await expect(rows(page)).toHaveCount(1)
  await expect(rows(page).first().getByTestId('blocked-chip')).toBeVisible()
  await rows(page).first().getByTestId('blocked-chip').hover()
  await expect(page.getByRole('tooltip')).toContainText('Repeated no-shows')
  await app.screenshot('blocked-tab')
})

test('an empty address book offers sample data', async ({ page, app }) => {
  test.setTimeout(A11Y_TEST_TIMEOUT)
  await openList(page)
  const empty = page.getByTestId('empty-address-book')
  await expect(empty).toBeVisible()
  await app.screenshot('empty-address-book')
  await empty.getByTestId('add-sample-customers').click()
  await expect(rows(page)).toHaveCount(50, { timeout: 30_000 })
  const active = await activeCount(app)
  expect(active).toBeGreaterThan(500)
  await expect(page.getByTestId('pager-summary')).toHaveText(`1–50 of ${active.toLocaleString('en-GB')} active customers`)
  await expect(page.getByTestId('count-active')).toHaveText(active.toLocaleString('en-GB'))
  await app.screenshot('list-after-sample-data')
  await expectNoSeriousA11yViolations(page, 'the customer list')
})

test('pages through 120 customers with Next, Last, Previous and First', async ({ page, app }) => {
  await app.seed(120)
  // Sample data includes some archived and blocked customers; page through the active ones.
  const active = await activeCount(app)
  expect(active).toBeGreaterThan(100)
  await openList(page)
  const summary = page.getByTestId('pager-summary')
  await expect(summary).toHaveText(`1–50 of ${active} active customers`)
  await expect(page.getByTestId('page-previous')).toBeDisabled()
  const firstRow = await rows(page).first().getAttribute('data-customer-id')

  await page.getByTestId('page-next').click()
  await expect(summary).toHaveText(`51–100 of ${active} active customers`)
  await expect(rows(page).first()).not.toHaveAttribute('data-customer-id', firstRow ?? '')

  await page.getByTestId('page-last').click()
  await expect(summary).toHaveText(`${active - 49}–${active} of ${active} active customers`)
  await expect(page.getByTestId('page-next')).toBeDisabled()
  await expect(page.getByTestId('page-last')).toBeDisabled()
  await app.screenshot('paging-last-page')

  await page.getByTestId('page-previous').click()
  await expect(page.getByTestId('page-previous')).toBeEnabled()
  await page.getByTestId('page-first').click()
  await expect(summary).toHaveText(`1–50 of ${active} active customers`)
  await expect(rows(page).first()).toHaveAttribute('data-customer-id', firstRow ?? '')

  // Sorting goes back to the first page.
  await page.getByTestId('page-next').click()
  await expect(summary).toHaveText(`51–100 of ${active} active customers`)
  await page.getByRole('columnheader', { name: 'Number' }).click()
  await expect(summary).toHaveText(`1–50 of ${active} active customers`)
})

test('looks finished in dark mode', async ({ page, app }) => {
  test.setTimeout(A11Y_TEST_TIMEOUT)
  await page.emulateMedia({ colorScheme: 'dark' })
  await app.seed(60)
  await openList(page)
  await expect(rows(page)).toHaveCount(50)
  await search(page, 'a')
  await expect(rows(page).first()).toBeVisible()
  await app.screenshot('dark-list')
  await expectNoSeriousA11yViolations(page, 'the customer list in dark mode')
  await search(page, '')
  await rows(page).first().click()
  await expect(page.getByTestId('profile-name')).toBeVisible()
  await app.screenshot('dark-profile')
  await page.getByTestId('nav-new-customer').click()
  await expect(page.getByTestId('new-customer-dialog')).toBeVisible()
  await app.screenshot('dark-dialog')
})

test('settings: business name, default country validation, data file and version', async ({ page, app }) => {
  await page.goto('/#/settings')
  const form = page.getByTestId('settings-form')
  const country = field(form, 'Default country for phone numbers')
  await expect(country).not.toHaveValue('')
  await expect(page.getByTestId('data-file')).toContainText(app.dataFile)
  await expect(page.getByTestId('app-version')).not.toHaveText('—')

  await country.fill('G1')
  await form.getByTestId('settings-save').click()
  await expect(form).toContainText('Use a two-letter country code')
  await country.fill('ie')
  await field(form, 'Business name').fill('Harbour Yoga Studio')
  await form.getByTestId('settings-save').click()
  await expect(page.getByTestId('snackbar')).toContainText('Settings saved')
  await expect(page.getByTestId('business-name')).toHaveText('Harbour Yoga Studio')
  expect((await app.api.invoke('settings:get', undefined)).defaultCountry).toBe('IE')
  await app.screenshot('settings')

  await page.getByRole('link', { name: 'Reports' }).click()
  await expect(page).toHaveURL(/#\/reports\/newCustomers/)
  await expect(page.getByTestId('report-figures')).toBeVisible()
  await app.screenshot('reports')
})

test.describe('a slow look-up', () => {
  test.use({ slowChannels: { 'customers:list': 900 } })

  test('marks the table busy and shows a loading bar, without a busy pointer that would restyle every row on each keystroke', async ({ page, app }) => {
    await app.api.invoke('customers:create', { firstName: 'Ada', lastName: 'Lovelace' })
    await openList(page)
    await expect(rows(page)).toHaveCount(1)
    // Vuetify puts the table's name on <table> and every other attribute on the box around it.
    const table = page.locator('.v-table', { has: page.getByRole('table', { name: 'Customers' }) })
    await search(page, 'ada')
    await expect(table).toHaveAttribute('aria-busy', 'true')
    await expect(table).toHaveCSS('cursor', 'auto')
    await expect(page.getByRole('progressbar', { name: 'Loading customers' })).toBeVisible()
    await expect(table).toHaveAttribute('aria-busy', 'false')
    await expect(page.getByRole('progressbar', { name: 'Loading customers' })).toHaveCount(0)
    await expect(rows(page).first()).toContainText('Ada Lovelace')
  })
})
